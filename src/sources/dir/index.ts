/**
 * Directory source (`dir:<path>`, `dir:<glob>`, e.g. `dir:./uploads`, `dir:/var/data/*.csv`).
 *
 * Members are the tree itself: directories, regular files (streamed) and symlinks stored as
 * links, never followed, each with its mode and mtime, paths relative to the folder (for a glob:
 * to its static part). Restores extract into a staging folder beside the target and rename it
 * into place. Archives are hostile input: absolute paths, `..`, paths through a symlink and
 * symlinks leading out of the restored tree are refused before anything reaches the target.
 */
import type { Inventory } from '../../archive/types.ts';
import { ConfigError } from '../../core/errors.ts';
import { dirIncremental } from './incremental.ts';
import { refuseIncremental } from '../incremental.ts';
import type { SourceContext, SourceDriver } from '../types.ts';
import { DirSource } from './dump.ts';
import { dirPath, workingDir } from './path.ts';
import { stageDir } from './restore.ts';
import { verifyDir } from './verify.ts';
import { resolveSpec, walkSource } from './walk.ts';
import type { DirStats } from './walk.ts';

async function inventoryDir(url: string, ctx: SourceContext): Promise<Inventory> {
  const path = dirPath(url, 'target', workingDir(ctx));
  const spec = await resolveSpec(path).catch((err: unknown) => {
    if (err instanceof ConfigError) throw new ConfigError('target', `${path} does not exist`);
    throw err;
  });
  const counts: DirStats = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
  for await (const f of walkSource(spec, [], ctx.log)) {
    if (f.st.isFile()) {
      counts.files++;
      counts.bytes += f.st.size;
    } else if (f.st.isDirectory()) counts.directories++;
    else counts.symlinks++;
  }
  return {
    files: counts.files,
    totalBytes: counts.bytes,
    extra: { directories: counts.directories, symlinks: counts.symlinks },
  };
}

export const dirDriver: SourceDriver = {
  kind: 'dir',
  schemes: ['dir'],
  open: (url, ctx) => new DirSource(url, ctx),
  stage: async (members, request, ctx) => {
    refuseIncremental(request.manifest);
    return stageDir(members, request, ctx);
  },
  verify: async (members, manifest, ctx) => {
    refuseIncremental(manifest);
    return verifyDir(members, manifest, ctx);
  },
  inventory: inventoryDir,
  incremental: dirIncremental,
};
