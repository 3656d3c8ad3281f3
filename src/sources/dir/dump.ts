/** Backup of a `dir:` source, full or incremental against its parent. */
import type { MemberRecord, MemberSink } from '../../archive/types.ts';
import { formatBytes } from '../../core/log.ts';
import { dirState, hashFile } from './incremental.ts';
import type {
  DumpResult,
  IncrementalDump,
  Source,
  SourceContext,
  SourceDetails,
} from '../types.ts';
import { dirPath, excludePatterns, workingDir } from './path.ts';
import { dumpTree, resolveSpec } from './walk.ts';
import type { Found } from './walk.ts';

export class DirSource implements Source {
  readonly kind = 'dir';
  readonly displayUrl: string;
  private readonly path: string;

  constructor(url: string, ctx: SourceContext) {
    this.path = dirPath(url, 'source', workingDir(ctx));
    this.displayUrl = `dir:${this.path}`;
  }

  async dump(
    sink: MemberSink,
    ctx: SourceContext,
    incremental?: IncrementalDump,
  ): Promise<DumpResult> {
    const spec = await resolveSpec(this.path);
    const parent = incremental?.parent;
    const before = parent ? dirState(parent.id, parent.manifest) : undefined;
    const seen = new Set<string>();
    const unchanged: MemberRecord[] = [];
    let unchangedBytes = 0;
    const excludes = excludePatterns(ctx.options['exclude']);
    ctx.log.info(
      `Reading ${this.path}${excludes.length ? ` (excluding ${excludes.join(', ')})` : ''}…`,
    );
    const counts = await dumpTree(sink, spec, excludes, ctx, async (f) => {
      seen.add(f.rel);
      const was = before?.get(f.rel);
      if (!(f.st.isFile() && was?.type === 'file' && was.sha256 && was.storedIn)) return false;
      const same = await unchangedFile(f, was, incremental!.rehash);
      if (!same) return false;
      unchanged.push(same);
      unchangedBytes += same.size!;
      return same.size!;
    });
    ctx.log.info(
      `${this.path}: ${counts.files} files, ${counts.directories} folders, ${counts.symlinks} symlinks, ${formatBytes(counts.bytes)}`,
    );
    const result: DumpResult = {
      versions: {},
      inventory: {
        files: counts.files,
        totalBytes: counts.bytes,
        extra: { directories: counts.directories, symlinks: counts.symlinks },
      },
      details: (spec.pattern ? { glob: true } : {}) satisfies SourceDetails<'dir'>,
    };
    if (parent && before) {
      const deleted = [...before.keys()].filter((p) => !seen.has(p)).sort();
      ctx.log.info(
        `Incremental against ${parent.id}: ${unchanged.length} unchanged files (${formatBytes(unchangedBytes)}) referenced, ${deleted.length} paths deleted`,
      );
      result.incremental = { parent: parent.id, unchanged, deleted };
    }
    return result;
  }
}

/**
 * The record of a file that need not be stored again, or undefined when it changed: path,
 * size, mode and mtime as the parent recorded them (or, with rehash, the same sha256).
 */
async function unchangedFile(
  f: Found,
  was: MemberRecord,
  rehash: boolean,
): Promise<MemberRecord | undefined> {
  const mode = f.st.mode & 0o7777;
  const mtime = f.st.mtime.toISOString();
  const record = (sha256: string): MemberRecord => ({
    path: f.rel,
    type: 'file',
    mode,
    mtime,
    size: f.st.size,
    sha256,
    storedIn: was.storedIn!,
  });
  if (!rehash) {
    const same = was.size === f.st.size && was.mode === mode && was.mtime === mtime;
    return same ? record(was.sha256!) : undefined;
  }
  if (was.size !== f.st.size) return undefined;
  const now = await hashFile(f.abs).catch(() => undefined);
  if (!now || now.size !== was.size || now.sha256 !== was.sha256) return undefined;
  return record(now.sha256);
}
