/** Structural check: the member written to a private file and checked against the manifest. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ArchiveEntry, SourceManifest } from '../../archive/types.ts';
import { IntegrityError } from '../../core/errors.ts';
import type { SourceContext } from '../types.ts';
import { inventoryDifferences } from '../inventory.ts';
import { checkCopy, removeWithSidecars } from './database.ts';
import { SQLITE_MEMBER } from './path.ts';
import { writeMember } from './restore.ts';

export async function verifySqlite(
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
    const diff = inventoryDifferences(
      manifest.inventory,
      { tables: checked.tables },
      undefined,
      'manifest',
    );
    if (diff.length) {
      throw new IntegrityError(
        `${manifest.name}/${SQLITE_MEMBER} does not match the manifest: ${diff.slice(0, 5).join('; ')}`,
      );
    }
  } finally {
    await removeWithSidecars(tmp);
  }
}
