/** Shared by the source kinds that take part in incremental chains (dir, sqlite). */
import type { SourceManifest } from '../archive/types.ts';
import { IntegrityError } from '../core/errors.ts';

/** An incremental's own archive is not the data: only its chain (engine/chain.ts) is. */
export function refuseIncremental(manifest: SourceManifest): void {
  if (manifest.incremental) {
    throw new IntegrityError(
      `${manifest.name} is an incremental backup (parent ${manifest.incremental.parent}): it can only be restored or checked through its chain`,
    );
  }
}
