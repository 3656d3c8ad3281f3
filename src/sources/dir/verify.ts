/** Structural check of a folder's members without writing anything. */
import type { ArchiveEntry, SourceManifest } from '../../archive/types.ts';
import type { SourceContext } from '../types.ts';
import { TreeRules, checkAgainstManifest } from './extract.ts';
import type { DirStats } from './walk.ts';

/** Structural check without writing anything: the same path and link rules as a restore. */
export async function verifyDir(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
  ctx: SourceContext,
): Promise<void> {
  const rules = new TreeRules();
  const counts: DirStats = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
  for await (const m of members) {
    ctx.signal?.throwIfAborted();
    rules.admit(m);
    if (m.type === 'file') {
      counts.files++;
      for await (const chunk of m.body!) counts.bytes += (chunk as Buffer).length;
    } else if (m.type === 'directory') counts.directories++;
    else counts.symlinks++;
  }
  rules.finish();
  checkAgainstManifest(manifest.inventory, counts);
}
