/**
 * SQLite source (`sqlite:<path>`, `sqlite:///abs/path`).
 *
 * One member, `database.sqlite`: a copy made with SQLite's online backup API (node:sqlite
 * `backup()`), so it is a consistent snapshot even while other processes write, WAL included.
 * The copy must pass `PRAGMA integrity_check` before it goes into the archive, and again (with
 * row counts compared to the manifest) before a restore puts it in place.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { pipeline } from 'node:stream/promises';
import type { ArchiveEntry, Inventory, MemberSink, SourceManifest } from '../archive/types.ts';
import { ConfigError, IntegrityError, LifeboatError, SourceError } from '../core/errors.ts';
import { formatBytes } from '../core/log.ts';
import { localPath, type LocalPathKind } from '../core/url.ts';
import {
  PAGE_HASHES_MEMBER,
  PAGES_INDEX_MEMBER,
  PAGES_MEMBER,
  changedPages,
  pageIndex,
  pagesRecord,
  readPages,
  scanPages,
  sqliteIncremental,
} from './sqlite-incremental.ts';
import { refuseIncremental } from './incremental.ts';
import type {
  DumpResult,
  IncrementalDump,
  RestoreRequest,
  RestoreResult,
  Source,
  SourceContext,
  SourceDriver,
  StagedRestore,
} from './types.ts';
import { removeAbandonedBeside, stagedPathName } from './staging.ts';

export const SQLITE_MEMBER = 'database.sqlite';

/** Files SQLite keeps beside a database; they belong to it and move with it. */
const SIDECARS = ['-wal', '-shm', '-journal'];
/**
 * Pages per backup() step. Node 24 rejects SQLite's "-1 = all pages" and anything beyond an
 * int32, so the largest int32: one step for any database under 2^31 pages (8 TiB at 4 KiB).
 */
export const ALL_PAGES_IN_ONE_STEP = 2 ** 31 - 1;

/** Relative paths are relative to the run's working directory, when the engine passes one. */
function workingDir(ctx: SourceContext): string {
  const cwd = ctx.cwd;
  return typeof cwd === 'string' && cwd ? cwd : process.cwd();
}

/**
 * The file a `sqlite:` URL (or, for targets, a plain path) names, absolute. Relative paths are
 * relative to the working directory.
 */
export function sqlitePath(url: string, option: string, cwd = process.cwd()): string {
  return localPath(url, option, SQLITE_PATH, cwd);
}

const SQLITE_PATH: LocalPathKind = {
  scheme: 'sqlite',
  noun: 'file',
  local: 'SQLite databases are local files',
  relativeExample: './relative/path.db',
  absoluteExample: '/absolute/path.db',
  example: 'sqlite:./app.db',
};

/** A SQLite error code (SQLITE_NOTADB = 26, SQLITE_CORRUPT = 11) from a node:sqlite error. */
function sqliteErrcode(err: unknown): number | undefined {
  const code = (err as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}

export function isNotADatabase(err: unknown): boolean {
  const code = sqliteErrcode(err);
  return code === 26 || code === 11;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `PRAGMA integrity_check`: undefined when 'ok', else the first problems it reports. */
function integrityProblem(db: DatabaseSync): string | undefined {
  const rows = db.prepare('PRAGMA integrity_check(20)').all() as Array<Record<string, unknown>>;
  const lines = rows.map((r) => String(Object.values(r)[0]));
  if (lines.length === 1 && lines[0] === 'ok') return undefined;
  return lines.slice(0, 5).join('; ') || 'no result';
}

/** User tables with exact row counts (SQLite's own sqlite_* tables left out), sorted by name. */
function tableCounts(db: DatabaseSync): Array<{ name: string; rows: number }> {
  const names = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all()
    .map((r) => String((r as { name: unknown }).name));
  return names.map((name) => {
    const row = db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(name)}`).get() as { n: number };
    return { name, rows: Number(row.n) };
  });
}

function pragmaValue(db: DatabaseSync, pragma: string): string {
  const row = db.prepare(`PRAGMA ${pragma}`).get() as Record<string, unknown> | undefined;
  return row ? String(Object.values(row)[0]) : '';
}

/** Differences between the counted tables and the manifest's inventory; empty when they agree. */
export function inventoryDifferences(
  expected: Inventory | undefined,
  actual: Array<{ name: string; rows: number }>,
): string[] {
  const want = expected?.tables;
  if (!want) return [];
  const problems: string[] = [];
  const got = new Map(actual.map((t) => [t.name, t.rows]));
  for (const t of want) {
    const rows = got.get(t.name);
    if (rows === undefined) problems.push(`table ${t.name} is missing`);
    else if (!t.estimated && rows !== t.rows)
      problems.push(`table ${t.name} has ${rows} rows, the manifest says ${t.rows}`);
  }
  const listed = new Set(want.map((t) => t.name));
  for (const t of actual)
    if (!listed.has(t.name)) problems.push(`table ${t.name} is not in the manifest`);
  return problems;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function removeWithSidecars(path: string): Promise<void> {
  for (const p of [path, ...SIDECARS.map((s) => path + s)]) await rm(p, { force: true });
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Not every filesystem lets a directory be fsynced; the renames are still atomic.
  }
}

/**
 * Opens a database file that must already exist (node:sqlite would otherwise create it) and
 * checks it really is SQLite by reading its schema.
 */
export function openExisting(path: string, readOnly: boolean): DatabaseSync {
  const db = new DatabaseSync(path, { readOnly, timeout: 30_000 });
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export interface CheckedCopy {
  tables: Array<{ name: string; rows: number }>;
  pageSize: number;
  journalMode: string;
}

/**
 * Opens a copy we own, runs integrity_check and counts rows. Throws `fail(reason)` on anything
 * wrong, including a file that is not a database at all. Leaves no -wal/-shm behind.
 */
export function checkCopy(path: string, fail: (reason: string) => Error): CheckedCopy {
  let db: DatabaseSync | undefined;
  try {
    db = openExisting(path, false);
    const problem = integrityProblem(db);
    if (problem) throw fail(`integrity_check failed: ${problem}`);
    return {
      tables: tableCounts(db),
      pageSize: Number(pragmaValue(db, 'page_size')),
      journalMode: pragmaValue(db, 'journal_mode'),
    };
  } catch (err) {
    if (err instanceof LifeboatError) throw err;
    if (isNotADatabase(err)) throw fail(`not a valid SQLite database (${message(err)})`);
    throw fail(message(err));
  } finally {
    db?.close();
  }
}

class SqliteSource implements Source {
  readonly kind = 'sqlite';
  readonly displayUrl: string;
  private readonly path: string;

  constructor(url: string, ctx: SourceContext) {
    this.path = sqlitePath(url, 'source', workingDir(ctx));
    this.displayUrl = `sqlite:${this.path}`;
  }

  async dump(
    sink: MemberSink,
    ctx: SourceContext,
    incremental?: IncrementalDump,
  ): Promise<DumpResult> {
    const st = await stat(this.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
        throw new ConfigError('source', `SQLite database ${this.path} does not exist`, {
          hint: 'check the path (relative paths are relative to the working directory)',
        });
      }
      throw new SourceError(`cannot read ${this.path}: ${message(err)}`, { cause: err });
    });
    if (!st.isFile()) {
      throw new ConfigError('source', `${this.path} is not a file`, {
        hint: 'name the SQLite database file itself; use dir: for a folder',
      });
    }

    const copy = join(ctx.tmpDir, `sqlite-${randomBytes(6).toString('hex')}.sqlite`);
    let source: DatabaseSync | undefined;
    try {
      let sourceJournalMode: string;
      try {
        source = openExisting(this.path, true);
        sourceJournalMode = pragmaValue(source, 'journal_mode');
        ctx.log.info(`Copying SQLite database ${this.path} (${formatBytes(st.size)}) online…`);
        // All pages in one step: SQLite restarts a stepped backup whenever another process
        // writes, which under steady writes may never finish. One step reads one snapshot
        // (in WAL mode writers carry on meanwhile).
        await backup(source, copy, { rate: ALL_PAGES_IN_ONE_STEP });
      } catch (err) {
        if (isNotADatabase(err)) {
          throw new SourceError(`${this.path} is not a valid SQLite database: ${message(err)}`, {
            cause: err,
            hint: 'point source at a SQLite database file',
          });
        }
        throw new SourceError(`copying ${this.path} failed: ${message(err)}`, { cause: err });
      } finally {
        source?.close();
        source = undefined;
      }

      const checked = checkCopy(
        copy,
        (reason) =>
          new SourceError(`SQLite database ${this.path} is corrupt: ${reason}`, {
            hint: 'repair the database (sqlite3 .recover) before backing it up',
          }),
      );
      for (const s of SIDECARS) await rm(copy + s, { force: true });
      const size = (await stat(copy)).size;

      let chain: DumpResult['incremental'];
      if (incremental) {
        // Chains need the page hashes first, so the next incremental reads only the start of
        // this archive to learn them.
        const scan = await scanPages(copy, checked.pageSize);
        await sink.addFile(PAGE_HASHES_MEMBER, scan.hashes, { mode: 0o600, mtime: st.mtime });
        const parent = incremental.parent;
        const before = parent ? await parent.readMember(PAGE_HASHES_MEMBER) : undefined;
        const parentPageSize =
          parent?.manifest.incremental?.pages?.pageSize ??
          (parent?.manifest.details?.['pageSize'] as number | undefined);
        if (parent && before && parentPageSize === scan.pageSize) {
          const pages = changedPages(scan.hashes, before);
          await sink.addFile(PAGES_INDEX_MEMBER, pageIndex(pages), {
            mode: 0o600,
            mtime: st.mtime,
          });
          await sink.addFile(PAGES_MEMBER, readPages(copy, scan.pageSize, pages), {
            mode: 0o600,
            mtime: st.mtime,
          });
          chain = { parent: parent.id, pages: pagesRecord(scan, pages.length) };
          ctx.log.info(
            `Incremental against ${parent.id}: ${pages.length} of ${scan.pageCount} pages changed (${formatBytes(pages.length * scan.pageSize)} stored)`,
          );
        } else {
          if (parent) {
            throw new SourceError(
              `the parent backup ${parent.id} has pages of ${parentPageSize} bytes, the database now ${scan.pageSize}`,
              { hint: 'take a full backup ({{option:mode=full}}) to start a new chain' },
            );
          }
          await sink.addFile(SQLITE_MEMBER, createReadStream(copy), {
            mode: 0o600,
            mtime: st.mtime,
          });
        }
      } else {
        await sink.addFile(SQLITE_MEMBER, createReadStream(copy), { mode: 0o600, mtime: st.mtime });
      }

      const db = new DatabaseSync(':memory:');
      const version = String(
        (db.prepare('SELECT sqlite_version() AS v').get() as { v: unknown }).v,
      );
      db.close();
      ctx.log.info(
        `SQLite ${this.path}: ${checked.tables.length} tables, ${formatBytes(size)}, integrity ok`,
      );
      const result: DumpResult = {
        versions: { sqlite: version },
        inventory: { tables: checked.tables, totalBytes: size, files: 1 },
        details: {
          pageSize: checked.pageSize,
          journalMode: sourceJournalMode,
          sqliteVersion: version,
        },
      };
      if (chain) result.incremental = chain;
      return result;
    } finally {
      source?.close();
      await removeWithSidecars(copy);
    }
  }
}

/**
 * Reads the source folder's members: exactly one, `database.sqlite`, written to `path`
 * (created exclusively, fsynced). Anything else in the folder is an IntegrityError.
 */
async function writeMember(members: AsyncIterable<ArchiveEntry>, path: string): Promise<number> {
  let found = false;
  let mode = 0o600;
  for await (const m of members) {
    // A chain's full backup records its page hashes before the database: not part of it.
    if (m.path === PAGE_HASHES_MEMBER && m.type === 'file' && !found) continue;
    if (m.path !== SQLITE_MEMBER || m.type !== 'file' || !m.body || found) {
      throw new IntegrityError(
        `unexpected member '${m.path}' (${m.type}) in a sqlite backup; expected one file ${SQLITE_MEMBER}`,
      );
    }
    found = true;
    mode = m.mode & 0o777 || 0o600;
    const handle = await open(path, 'wx', 0o600);
    try {
      await pipeline(m.body, createWriteStream(path, { fd: handle.fd, autoClose: false }));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  if (!found) throw new IntegrityError(`the backup holds no ${SQLITE_MEMBER}`);
  return mode;
}

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Puts `tmp` in place of an existing database. The previous database and its -wal/-shm (which
 * hold part of its data) are kept aside until `check` passes on the file in place, and put back
 * if anything fails; on success they are removed.
 */
export async function replaceDatabase(
  tmp: string,
  target: string,
  check: (path: string) => void,
): Promise<string | undefined> {
  const previous = `${target}.lifeboat-previous-${timestamp()}-${randomBytes(3).toString('hex')}`;
  const moved: Array<[string, string]> = [];
  let placed = false;
  try {
    for (const s of ['', ...SIDECARS]) {
      if (await exists(target + s)) {
        await rename(target + s, previous + s);
        moved.push([target + s, previous + s]);
      }
    }
    await rename(tmp, target);
    placed = true;
    check(target);
  } catch (err) {
    await removeWithSidecars(tmp);
    if (placed) await removeWithSidecars(target);
    const putBack: string[] = [];
    for (const [from, to] of moved) {
      try {
        await rename(to, from);
      } catch (e) {
        putBack.push(`${to} (${message(e)})`);
      }
    }
    if (putBack.length) {
      throw new SourceError(
        `restore into ${target} failed (${message(err)}) and the previous database could not be put back: ${putBack.join(', ')}`,
        { cause: err, hint: `move ${previous} back to ${target} by hand` },
      );
    }
    if (err instanceof LifeboatError) throw err;
    throw new SourceError(
      `restore into ${target} failed: ${message(err)}; the previous database is back in place`,
      { cause: err },
    );
  }
  await fsyncDir(dirname(target));
  // Kept until the whole restore is over, so a later failure can put it back.
  return moved.length ? previous : undefined;
}

async function stageSqlite(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  const target = sqlitePath(request.target, 'target', workingDir(ctx));
  const location = `sqlite:${target}`;
  const targetSt = await lstat(target).catch(() => undefined);
  if (targetSt?.isDirectory()) {
    throw new ConfigError('target', `${target} is a directory`, {
      hint: 'name the database file to create, e.g. sqlite:./restored.db',
    });
  }
  const present: string[] = [];
  for (const p of [target, ...SIDECARS.map((s) => target + s)])
    if (await exists(p)) present.push(p);
  if (present.length && !request.overwrite) {
    throw new ConfigError('target', `${present[0]} exists`, {
      hint: 'pass {{option:overwrite=true}} or choose a new file',
    });
  }

  const dir = dirname(target);
  await mkdir(dir, { recursive: true });
  for (const line of await removeAbandonedBeside(dir, basename(target))) ctx.log.info(line);
  // Beside the target, so commit is a rename on the same filesystem.
  const tmp = join(dir, stagedPathName(basename(target), 'tmp'));
  let checked: CheckedCopy;
  try {
    const mode = await writeMember(members, tmp);
    checked = checkCopy(
      tmp,
      (reason) =>
        new IntegrityError(`the restored copy of ${SQLITE_MEMBER} is unusable: ${reason}`),
    );
    const diff = inventoryDifferences(request.manifest.inventory, checked.tables);
    if (diff.length) {
      throw new IntegrityError(
        `the restored database does not match the manifest: ${diff.slice(0, 5).join('; ')}`,
      );
    }
    await chmod(tmp, mode);
  } catch (err) {
    await removeWithSidecars(tmp);
    throw err;
  }

  let placed = false;
  let previous: string | undefined;
  const commit = async (): Promise<RestoreResult> => {
    // Looked at again: the target may have appeared while the archive was read.
    const now: string[] = [];
    for (const p of [target, ...SIDECARS.map((s) => target + s)]) if (await exists(p)) now.push(p);
    if (now.length && !request.overwrite) {
      throw new ConfigError(
        'target',
        `${now[0]} appeared during the restore; nothing was changed`,
        {
          hint: 'pass {{option:overwrite=true}} or choose a new file',
        },
      );
    }
    if (!now.length) {
      try {
        await rename(tmp, target);
      } catch (err) {
        throw new SourceError(`cannot move the restored database to ${target}: ${message(err)}`, {
          cause: err,
        });
      }
      placed = true;
      await fsyncDir(dir);
      ctx.log.info(`Restored SQLite database to ${target}`);
      return { location, inventory: { tables: checked.tables } };
    }
    previous = await replaceDatabase(tmp, target, (path) =>
      checkCopy(
        path,
        (reason) => new IntegrityError(`the database now at ${target} failed its check: ${reason}`),
      ),
    );
    placed = true;
    ctx.log.info(`Restored SQLite database over ${target} (the previous one was replaced)`);
    return {
      location,
      inventory: { tables: checked.tables },
      notes: [`${target} was overwritten`],
      replaced: true,
    };
  };
  const rollback = async () => {
    if (!placed) return;
    await removeWithSidecars(target);
    if (previous) {
      for (const s of ['', ...SIDECARS])
        if (await exists(previous + s)) await rename(previous + s, target + s);
      previous = undefined;
    }
    placed = false;
    await fsyncDir(dir);
  };
  const abort = async () => {
    await removeWithSidecars(tmp);
    if (previous) await removeWithSidecars(previous);
  };
  return { location, commit, abort, rollback };
}

async function verifySqlite(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
  ctx: SourceContext,
): Promise<void> {
  const tmp = join(ctx.tmpDir, `verify-${randomBytes(6).toString('hex')}.sqlite`);
  try {
    await writeMember(members, tmp);
    const checked = checkCopy(
      tmp,
      (reason) => new IntegrityError(`${manifest.name}/${SQLITE_MEMBER}: ${reason}`),
    );
    const diff = inventoryDifferences(manifest.inventory, checked.tables);
    if (diff.length) {
      throw new IntegrityError(
        `${manifest.name}/${SQLITE_MEMBER} does not match the manifest: ${diff.slice(0, 5).join('; ')}`,
      );
    }
  } finally {
    await removeWithSidecars(tmp);
  }
}

async function inventorySqlite(url: string, ctx: SourceContext): Promise<Inventory> {
  const path = sqlitePath(url, 'target', workingDir(ctx));
  if (!(await exists(path))) {
    throw new ConfigError('target', `SQLite database ${path} does not exist`);
  }
  let db: DatabaseSync | undefined;
  try {
    db = openExisting(path, true);
    return { tables: tableCounts(db) };
  } catch (err) {
    if (isNotADatabase(err)) {
      throw new SourceError(`${path} is not a valid SQLite database: ${message(err)}`, {
        cause: err,
      });
    }
    throw new SourceError(`cannot read ${path}: ${message(err)}`, { cause: err });
  } finally {
    db?.close();
  }
}

export const sqliteDriver: SourceDriver = {
  kind: 'sqlite',
  schemes: ['sqlite'],
  open: (url, ctx) => new SqliteSource(url, ctx),
  stage: async (members, request, ctx) => {
    refuseIncremental(request.manifest);
    return stageSqlite(members, request, ctx);
  },
  verify: async (members, manifest, ctx) => {
    refuseIncremental(manifest);
    return verifySqlite(members, manifest, ctx);
  },
  inventory: inventorySqlite,
  incremental: sqliteIncremental(SQLITE_MEMBER),
};
