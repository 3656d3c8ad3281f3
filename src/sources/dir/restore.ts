/** Restore: extract into a staging folder beside the target, renamed into place on commit. */
import { chmod, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ArchiveEntry } from '../../archive/types.ts';
import { ConfigError, LifeboatError, SourceError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import type { RestoreRequest, RestoreResult, SourceContext, StagedRestore } from '../types.ts';
import { removeAbandonedBeside, stagedPathName } from '../staging.ts';
import { checkAgainstManifest, extractInto } from './extract.ts';
import { dirPath, errno, message, workingDir } from './path.ts';
import type { DirStats } from './walk.ts';

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export async function stageDir(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  const target = dirPath(request.target, 'target', workingDir(ctx));
  const location = `dir:${target}`;
  const existing = await lstat(target).catch((err) => {
    if (errno(err) === 'ENOENT') return undefined;
    throw new SourceError(`cannot read ${target}: ${message(err)}`, { cause: err });
  });
  let replace = false;
  if (existing) {
    if (!existing.isDirectory()) {
      throw new ConfigError('target', `${target} exists and is not a folder`, {
        hint: 'choose a new or empty folder',
      });
    }
    if ((await readdir(target)).length > 0) {
      if (!request.overwrite) {
        throw new ConfigError('target', `${target} is not empty`, {
          hint: 'pass {{option:overwrite=true}} or choose a new or empty folder',
        });
      }
      replace = true;
    }
  }

  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  for (const line of await removeAbandonedBeside(parent, basename(target))) ctx.log.info(line);
  const staging = join(parent, stagedPathName(basename(target), 'staging'));
  await mkdir(staging, { mode: 0o700 });
  let counts: DirStats;
  try {
    counts = await extractInto(staging, members, ctx);
    checkAgainstManifest(request.manifest.inventory, counts);
    await chmod(staging, existing ? existing.mode & 0o1777 : 0o755);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    if (err instanceof LifeboatError) throw err;
    throw new SourceError(`restoring into ${target} failed: ${message(err)}`, { cause: err });
  }

  let placed = false;
  let previousKept: string | undefined;
  let wasEmptyFolder = false;
  const commit = async (): Promise<RestoreResult> => {
    // Looked at again: the target may have been filled while the archive was read.
    const now = await lstat(target).catch(() => undefined);
    wasEmptyFolder = !replace && now !== undefined;
    if (!replace && now && (!now.isDirectory() || (await readdir(target)).length > 0)) {
      throw new ConfigError(
        'target',
        `${target} was filled during the restore; nothing was changed`,
        {
          hint: 'pass {{option:overwrite=true}} or choose a new or empty folder',
        },
      );
    }
    if (!replace) {
      try {
        // rename() replaces an empty folder in one step.
        await rename(staging, target);
      } catch (err) {
        await rm(staging, { recursive: true, force: true });
        throw new SourceError(`cannot move the restored folder to ${target}: ${message(err)}`, {
          cause: err,
        });
      }
    } else {
      const previous = `${target}.lifeboat-previous-${timestamp()}`;
      try {
        await rename(target, previous);
      } catch (err) {
        await rm(staging, { recursive: true, force: true });
        throw new SourceError(`cannot move ${target} aside: ${message(err)}`, { cause: err });
      }
      try {
        await rename(staging, target);
      } catch (err) {
        await rename(previous, target).catch((e: unknown) => {
          throw new SourceError(
            `restore into ${target} failed (${message(err)}) and the previous folder could not be put back (${message(e)})`,
            { cause: err, hint: `move ${previous} back to ${target} by hand` },
          );
        });
        await rm(staging, { recursive: true, force: true });
        throw new SourceError(
          `cannot move the restored folder to ${target}: ${message(err)}; the previous folder is back`,
          {
            cause: err,
          },
        );
      }
      // Kept until the whole restore is over, so a later failure can put it back.
      previousKept = previous;
    }
    placed = true;
    ctx.log.info(
      `Restored ${counts.files} files (${formatBytes(counts.bytes)}) into ${target}${replace ? ', replacing its previous content' : ''}`,
    );
    const result: RestoreResult = {
      location,
      inventory: {
        files: counts.files,
        totalBytes: counts.bytes,
        extra: { directories: counts.directories, symlinks: counts.symlinks },
      },
    };
    if (replace) {
      result.notes = [`${target} was overwritten`];
      result.replaced = true;
    }
    return result;
  };
  const rollback = async () => {
    if (!placed) return;
    await rm(target, { recursive: true, force: true });
    if (previousKept) await rename(previousKept, target);
    else if (wasEmptyFolder) await mkdir(target);
    previousKept = undefined;
    placed = false;
  };
  const abort = async () => {
    await rm(staging, { recursive: true, force: true });
    if (!previousKept) return;
    try {
      await rm(previousKept, { recursive: true, force: true });
    } catch (err) {
      ctx.log.warn(`the previous content of ${target} is left in ${previousKept}: ${message(err)}`);
    }
  };
  return { location, commit, abort, rollback };
}
