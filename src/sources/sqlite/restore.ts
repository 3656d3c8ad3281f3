/** Restore: the member written beside the target, checked, then put in place keeping the previous one aside. */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArchiveEntry } from '../../archive/types.ts';
import { ConfigError, IntegrityError, LifeboatError, SourceError } from '../../core/errors.ts';
import { PAGE_HASHES_MEMBER } from './incremental.ts';
import { inventoryDifferences } from '../inventory.ts';
import type { RestoreRequest, RestoreResult, SourceContext, StagedRestore } from '../types.ts';
import { removeAbandonedBeside, stagedPathName } from '../staging.ts';
import { SIDECARS, checkCopy, exists, fsyncDir, message, removeWithSidecars } from './database.ts';
import type { CheckedCopy } from './database.ts';
import { SQLITE_MEMBER, sqlitePath, workingDir } from './path.ts';

/**
 * Reads the source folder's members: exactly one, `database.sqlite`, written to `path`
 * (created exclusively, fsynced). Anything else in the folder is an IntegrityError.
 */
export async function writeMember(
  members: AsyncIterable<ArchiveEntry>,
  path: string,
): Promise<number> {
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

export async function stageSqlite(
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
    const diff = inventoryDifferences(
      request.manifest.inventory,
      { tables: checked.tables },
      undefined,
      'manifest',
    );
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
