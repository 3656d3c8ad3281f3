import type { ArchiveEntry, SidecarManifest, SourceManifest } from '../archive/types.ts';
import { driverForKind } from '../sources/registry.ts';
import type { SourceContext } from '../sources/types.ts';
import type { RunContext } from '../core/context.ts';
import { endPhase, formatBytes, startPhase } from '../core/log.ts';
import { useDestinations, type OpenDestination } from './destinations.ts';
import {
  checkStoredArchive,
  readStoredArchive,
  type ReadOptions,
  type SourceReader,
} from './stored-archive.ts';
import { chooseBackup, fullManifest, readKeysFor } from './choose-backup.ts';
import { proveChainAnywhere } from './chain.ts';
import type { RunSession } from './session.ts';

export { checkStoredArchive } from './stored-archive.ts';

/**
 * The verify command: the backup chosen as restore chooses it, its archive read end to end as
 * a restore reads it (every proof of `readStoredArchive`, and each source's structural check),
 * nothing staged. An encrypted backup without its key can only have its stored bytes proven,
 * and says so; an incremental one is proven link by link and its rebuilt state checked.
 */
export async function verifyCommand(session: RunSession): Promise<void> {
  const { ctx, report } = session;
  const keys = readKeysFor(session);
  const destinations = await useDestinations(session);
  const { entry, signed } = await chooseBackup(session, destinations, keys);
  startPhase(ctx.log, `Verify ${entry.set}/${entry.id} on ${entry.destination.displayUrl}`);
  if (signed) {
    report.proofs.push('the index carries a good SSHSIG signature by a key allowed-signers lists');
  }
  const stored = entry.manifest.archive;
  const readFrom = {
    url: entry.destination.displayUrl,
    key: stored.key,
    ok: true,
    size: stored.size,
    sha256: stored.sha256,
    verified: true,
  };
  if (entry.manifest.encrypted && !keys.identities && entry.manifest.kind !== 'incremental') {
    // Without a key only the stored bytes can be proven; say plainly what was not checked.
    await checkStoredArchive(entry.destination, entry.manifest, {
      checkSha256Sidecar: true,
      signal: session.signal,
    });
    report.destinations.push(readFrom);
    endPhase(ctx.log);
    const note =
      'the backup is encrypted and no key was given: its stored size and sha256 were checked, its content was not (give age-identity or passphrase to check every chunk)';
    ctx.log.warn(note);
    report.notes.push(note);
    report.proofs.push(
      `the .sha256 sidecar agrees with the index, and the stored object's size (${formatBytes(stored.size)}) and sha256 match`,
    );
    report.outputs['verified'] = 'true';
    return;
  }
  const manifest = await fullManifest(entry, keys.identities);
  const sctx = await session.sourceContext();
  if (manifest.kind === 'incremental') {
    // An incremental: every link opened (and its signature checked, with allowed-signers),
    // proven, and the final state rebuilt and checked like a full one.
    const { chain, proven } = await proveChainAnywhere(
      { ...entry, manifest },
      destinations,
      ctx,
      sctx,
      keys,
    );
    const check = checkStructure(ctx, sctx, ' as rebuilt from the chain');
    for (const p of proven.values()) await check(p.manifest, p.members);
    report.proofs.push(
      `every link of the chain (${chain.map((c) => c.id).join(' → ')}) was proven, and the state rebuilt from it matches the backup's record`,
    );
  } else {
    await readStoredArchive(entry.destination, manifest, ctx, sctx, checkStructure(ctx, sctx), {
      checkSha256Sidecar: true,
      ...(keys.identities ? { identities: keys.identities } : {}),
    });
  }
  report.destinations.push(readFrom);
  endPhase(ctx.log);
  report.proofs.push(
    `the .sha256 sidecar agrees with the manifest, and the stored object's size (${formatBytes(stored.size)}) and sha256 match`,
    "every chunk's sha256, the archive header and the inner manifest match the sidecar manifest",
    "each source's structure was checked where its kind has a check (SQLite integrity_check, dump table of contents, …)",
  );
  report.outputs['verified'] = 'true';
}

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
export function checkStructure(ctx: RunContext, sctx: SourceContext, from = ''): SourceReader {
  return async (sm, members) => {
    const driver = await driverForKind(sm.kind);
    if (!driver.verify) return drainSource(sm, members);
    ctx.log.info(`Checking the structure of ${sm.name} (${sm.kind})${from}…`);
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
