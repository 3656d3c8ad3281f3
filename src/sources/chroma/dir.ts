/**
 * Chroma's persist directory (`chroma+dir:<path>`), for an embedded or stopped Chroma.
 *
 * Members: `chroma.sqlite3` first, copied through SQLite's online backup and checked with
 * `integrity_check`; then the segment folders (HNSW index files) walked as `dir:` does. The two
 * are only consistent when nothing writes meanwhile, so a directory that a running process holds
 * open (a Chroma server, or an application with an embedded client) is refused: the segment
 * files would be torn. Restores go into a new folder, as `dir:` restores do, the database
 * checked again before anything is put in place.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pipeline } from 'node:stream/promises';
import type { ArchiveEntry, Inventory, MemberSink, SourceManifest } from '../../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import { localPath, type LocalPathKind } from '../../core/url.ts';
import { workingDir } from '../dir/path.ts';
import { stageDir } from '../dir/restore.ts';
import { verifyDir } from '../dir/verify.ts';
import { dumpTree, resolveSpec } from '../dir/walk.ts';
import {
  SIDECARS,
  checkCopy,
  isNotADatabase,
  message,
  onlineCopy,
  openExisting,
  removeWithSidecars,
  sqliteVersion,
} from '../sqlite/database.ts';
import type { DumpResult, Source, SourceContext, SourceDetails, SourceDriver } from '../types.ts';

export const CHROMA_DB = 'chroma.sqlite3';
const DB_FILES = [CHROMA_DB, ...SIDECARS.map((s) => CHROMA_DB + s)];

const CHROMA_DIR: LocalPathKind = {
  scheme: 'chroma+dir',
  noun: 'folder',
  local: "chroma+dir: is a local folder (Chroma's persist directory)",
  relativeExample: './chroma',
  absoluteExample: '/var/lib/chroma',
  example: 'chroma+dir:./chroma',
};

export function chromaDirPath(url: string, option: string, cwd: string): string {
  return localPath(url, option, CHROMA_DIR, cwd);
}

/**
 * Processes (other than this one) that hold a file inside `dir` open, read from /proc (Linux);
 * `undefined` where /proc cannot tell.
 */
export async function processesHolding(
  dir: string,
): Promise<Array<{ pid: number; command: string }> | undefined> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const out: Array<{ pid: number; command: string }> = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's (not readable)
    }
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (!target.startsWith(prefix)) continue;
      let command = '';
      try {
        const h = await open(`/proc/${pid}/cmdline`, 'r');
        try {
          command = (await h.readFile('utf8')).replaceAll('\0', ' ').trim().slice(0, 120);
        } finally {
          await h.close();
        }
      } catch {
        // gone meanwhile
      }
      out.push({ pid: Number(pid), command });
      break;
    }
  }
  return out;
}

async function refuseWhenHeld(dir: string, ctx: SourceContext, when: string): Promise<void> {
  const holders = await processesHolding(dir);
  if (holders === undefined) {
    ctx.log.warn(
      `cannot tell whether a process holds ${dir} open (no /proc): make sure Chroma is stopped`,
    );
    return;
  }
  if (!holders.length) return;
  const who = holders.map((h) => `pid ${h.pid}${h.command ? ` (${h.command})` : ''}`).join(', ');
  throw new SourceError(
    `${dir} is in use ${when} by ${who}: a copy of a Chroma directory a running server or client writes to would be torn`,
    {
      hint: 'stop Chroma first, or back the running server up through its API with a chroma://host:8000 source',
    },
  );
}

/** Collections and their record counts from a copy of chroma.sqlite3. */
function collectionCounts(path: string): Array<{ name: string; rows: number }> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db
      .prepare(
        `SELECT c.name AS name, count(e.id) AS n
           FROM collections c
           LEFT JOIN segments s ON s.collection = c.id AND s.scope = 'METADATA'
           LEFT JOIN embeddings e ON e.segment_id = s.id
          GROUP BY c.id ORDER BY c.name`,
      )
      .all() as Array<{ name: unknown; n: unknown }>;
    return rows.map((r) => ({ name: String(r.name), rows: Number(r.n) }));
  } catch (err) {
    throw new SourceError(`${path} does not have Chroma's tables: ${message(err)}`, {
      cause: err,
    });
  } finally {
    db.close();
  }
}

class ChromaDirSource implements Source {
  readonly kind = 'chroma-dir';
  readonly displayUrl: string;
  private readonly path: string;

  constructor(url: string, ctx: SourceContext) {
    this.path = chromaDirPath(url, 'source', workingDir(ctx));
    this.displayUrl = `chroma+dir:${this.path}`;
  }

  async dump(sink: MemberSink, ctx: SourceContext): Promise<DumpResult> {
    const st = await stat(this.path).catch(() => undefined);
    if (!st?.isDirectory()) {
      throw new ConfigError('source', `${this.path} is not a folder`, {
        hint: "name Chroma's persist directory (the folder holding chroma.sqlite3)",
      });
    }
    const dbPath = join(this.path, CHROMA_DB);
    const dbSt = await stat(dbPath).catch(() => undefined);
    if (!dbSt?.isFile()) {
      throw new ConfigError('source', `${this.path} holds no ${CHROMA_DB}`, {
        hint: "name Chroma's persist directory (the folder holding chroma.sqlite3)",
      });
    }
    await refuseWhenHeld(this.path, ctx, 'now');

    const copy = join(ctx.tmpDir, `chroma-${randomBytes(6).toString('hex')}.sqlite3`);
    try {
      await onlineCopy(dbPath, copy, {
        copyFailed: (err) =>
          new SourceError(
            `${dbPath} ${isNotADatabase(err) ? 'is not a valid SQLite database' : 'cannot be copied'}: ${message(err)}`,
            { cause: err },
          ),
        corrupt: (reason) => new SourceError(`${dbPath} is corrupt: ${reason}`),
      });
      const tables = collectionCounts(copy);
      const size = (await stat(copy)).size;
      await sink.addFile(CHROMA_DB, createReadStream(copy), {
        mode: dbSt.mode & 0o7777,
        mtime: dbSt.mtime,
      });
      const spec = await resolveSpec(this.path);
      const counts = await dumpTree(sink, spec, DB_FILES, ctx);
      // A server started while the segments were read may have changed them under us.
      await refuseWhenHeld(this.path, ctx, 'since the copy began');
      const version = sqliteVersion();
      ctx.log.info(
        `Chroma directory ${this.path}: ${tables.length} collections (${tables.map((t) => `${t.name} ${t.rows}`).join(', ') || 'none'}), ${counts.files + 1} files, ${formatBytes(counts.bytes + size)}`,
      );
      return {
        versions: { sqlite: version },
        inventory: {
          tables,
          files: counts.files + 1,
          totalBytes: counts.bytes + size,
          extra: { directories: counts.directories, symlinks: counts.symlinks },
        },
        details: { collections: tables.map((t) => t.name) } satisfies SourceDetails<'chroma-dir'>,
      };
    } finally {
      await removeWithSidecars(copy);
    }
  }
}

/**
 * Passes the members on unchanged, except that chroma.sqlite3 is spooled to `tmpDir` on the way
 * and checked (integrity_check, the manifest's collections and counts) once the last member was
 * read; a failed check fails the consumer.
 */
async function* checkedMembers(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
  ctx: SourceContext,
): AsyncGenerator<ArchiveEntry> {
  const spool = join(ctx.tmpDir, `chroma-check-${randomBytes(6).toString('hex')}.sqlite3`);
  let found = false;
  try {
    for await (const m of members) {
      if (m.path === CHROMA_DB && m.type === 'file' && m.body) {
        found = true;
        await pipeline(m.body, createWriteStream(spool, { flags: 'wx', mode: 0o600 }));
        yield { ...m, body: createReadStream(spool) };
        continue;
      }
      yield m;
    }
    if (!found) throw new IntegrityError(`${manifest.name}: the backup holds no ${CHROMA_DB}`);
    checkCopy(spool, (reason) => new IntegrityError(`${manifest.name}/${CHROMA_DB}: ${reason}`));
    const tables = collectionCounts(spool);
    const want = manifest.inventory.tables ?? [];
    const got = new Map(tables.map((t) => [t.name, t.rows]));
    for (const t of want) {
      if (got.get(t.name) !== t.rows) {
        throw new IntegrityError(
          `${manifest.name}/${CHROMA_DB}: collection ${t.name} has ${got.get(t.name) ?? 'no'} records, the manifest says ${t.rows}`,
        );
      }
    }
    if (tables.length !== want.length) {
      throw new IntegrityError(
        `${manifest.name}/${CHROMA_DB}: ${tables.length} collections, the manifest says ${want.length}`,
      );
    }
  } finally {
    await removeWithSidecars(spool);
  }
}

async function inventoryChromaDir(url: string, ctx: SourceContext): Promise<Inventory> {
  const path = chromaDirPath(url, 'target', workingDir(ctx));
  const db = join(path, CHROMA_DB);
  if (!(await stat(db).catch(() => undefined))) {
    throw new ConfigError('target', `${path} holds no ${CHROMA_DB}`);
  }
  let h: DatabaseSync | undefined;
  try {
    h = openExisting(db, true);
  } finally {
    h?.close();
  }
  return { tables: collectionCounts(db) };
}

export const chromaDirDriver: SourceDriver = {
  kind: 'chroma-dir',
  schemes: ['chroma+dir'],
  open: (url, ctx) => new ChromaDirSource(url, ctx),
  stage: (members, request, ctx) => {
    const target = chromaDirPath(request.target, 'target', workingDir(ctx));
    return stageDir(
      checkedMembers(members, request.manifest, ctx),
      { ...request, target: `dir:${target}` },
      ctx,
    ).then((staged) => ({
      ...staged,
      location: `chroma+dir:${target}`,
      commit: async () => ({ ...(await staged.commit()), location: `chroma+dir:${target}` }),
    }));
  },
  verify: (members, manifest, ctx) =>
    verifyDir(checkedMembers(members, manifest, ctx), manifest, ctx),
  inventory: inventoryChromaDir,
};
