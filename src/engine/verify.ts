import type { ArchiveEntry, SidecarManifest, SourceManifest } from '../archive/types.ts';
import { driverForKind } from '../sources/registry.ts';
import type { SourceContext } from '../sources/types.ts';
import type { RunContext } from '../core/context.ts';
import type { OpenDestination } from './destinations.ts';
import { readStoredArchive, type ReadOptions, type SourceReader } from './stored-archive.ts';

export { checkStoredArchive } from './stored-archive.ts';

export interface VerifyOptions extends ReadOptions {
  /** Also run each source's structural check (integrity_check, pg_restore --list, …). */
  structural: boolean;
}

/**
 * Verify: reads a stored archive end to end as a restore would (every proof of
 * `readStoredArchive`), staging nothing; with `structural`, each source's driver also checks
 * what it would restore (integrity_check, pg_restore --list, …).
 */
export async function verifyStoredBackup(
  d: OpenDestination,
  sidecar: SidecarManifest,
  ctx: RunContext,
  sctx: SourceContext,
  options: VerifyOptions,
): Promise<void> {
  const read = options.structural ? checkStructure(ctx, sctx) : drainSource;
  await readStoredArchive(d, sidecar, ctx, sctx, read, options);
}

/** Each source's structural check where its driver has one; its members drained otherwise. */
export function checkStructure(ctx: RunContext, sctx: SourceContext): SourceReader {
  return async (sm, members) => {
    const driver = await driverForKind(sm.kind);
    if (!driver.verify) return drainSource(sm, members);
    ctx.log.info(`Checking the structure of ${sm.name} (${sm.kind})…`);
    await driver.verify(members, sm, sctx);
  };
}

/** Reads every member body to its end, so its chunks are checked, and keeps nothing. */
export async function drainSource(
  _sm: SourceManifest,
  members: AsyncIterable<ArchiveEntry>,
): Promise<void> {
  for await (const m of members) {
    if (m.body) for await (const _ of m.body) void _;
  }
}
