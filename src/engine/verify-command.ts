import { rm } from 'node:fs/promises';
import type { Options } from '../options/parse.ts';
import { str } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import { sourceContext } from './backup.ts';
import { createRunTemp, runTempRoot } from '../core/temp.ts';
import type { RunContext } from '../core/context.ts';
import { closeDestinations, findBackup, openDestinations } from './destinations.ts';
import { endPhase, formatBytes, startPhase } from '../core/log.ts';
import { checkStoredArchive, verifyStoredBackup } from './verify.ts';
import { decryptionFor, openManifest } from './encryption.ts';
import { allowedSignersFor, requireSignature } from './signing.ts';
import { proveChainAnywhere } from './chain.ts';
import { driverForKind } from '../sources/registry.ts';

/** `verify`: proves one stored backup (`latest` or an id) without restoring it. */
export async function verifyCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  const identities = decryptionFor(options, ctx);
  const signers = allowedSignersFor(options, ctx);
  const destinations = await openDestinations(options, ctx);
  const tmpDir = await createRunTemp(runTempRoot(ctx));
  try {
    const entry = await findBackup(
      destinations,
      str(options, 'name'),
      str(options, 'backup') ?? 'latest',
      ctx,
    );
    report.name = entry.set;
    report.backupId = entry.id;
    report.sha256 = entry.manifest.archive.sha256;
    report.size = entry.manifest.archive.size;
    startPhase(ctx.log, `Verify ${entry.set}/${entry.id} on ${entry.destination.displayUrl}`);
    if (signers) {
      entry.manifest = await requireSignature(entry.destination, entry, signers, ctx);
      report.proofs.push(
        'the index carries a good SSHSIG signature by a key allowed-signers lists',
      );
    }
    if (entry.manifest.encrypted && !identities && entry.manifest.kind !== 'incremental') {
      // Without a key only the stored bytes can be proven; say plainly what was not checked.
      await checkStoredArchive(entry.destination, entry.manifest, {
        checkSha256Sidecar: true,
        signal: ctx.signal,
      });
      report.destinations.push({
        url: entry.destination.displayUrl,
        key: entry.manifest.archive.key,
        ok: true,
        size: entry.manifest.archive.size,
        sha256: entry.manifest.archive.sha256,
        verified: true,
      });
      endPhase(ctx.log);
      const note =
        'the backup is encrypted and no key was given: its stored size and sha256 were checked, its content was not (give age-identity or passphrase to check every chunk)';
      ctx.log.warn(note);
      report.notes.push(note);
      report.proofs.push(
        `the .sha256 sidecar agrees with the index, and the stored object's size (${formatBytes(entry.manifest.archive.size)}) and sha256 match`,
      );
      report.outputs['verified'] = 'true';
      return;
    }
    const manifest = await openManifest(entry.manifest, identities, `${entry.set}/${entry.id}`);
    const sctx = sourceContext(ctx, options, tmpDir);
    if (manifest.kind === 'incremental') {
      // An incremental: every link opened (and its signature checked, with allowed-signers),
      // proven, and the final state rebuilt and checked like a full one.
      const { chain, proven } = await proveChainAnywhere(
        { ...entry, manifest },
        destinations,
        ctx,
        sctx,
        { identities, signers },
      );
      for (const [name, p] of proven) {
        const driver = await driverForKind(p.manifest.kind);
        ctx.log.info(
          `Checking the structure of ${name} (${p.manifest.kind}) as rebuilt from the chain…`,
        );
        if (driver.verify) await driver.verify(p.members, p.manifest, sctx);
        else for await (const m of p.members) if (m.body) for await (const _ of m.body) void _;
      }
      report.proofs.push(
        `every link of the chain (${chain.map((c) => c.id).join(' → ')}) was proven, and the state rebuilt from it matches the backup's record`,
      );
    } else {
      await verifyStoredBackup(entry.destination, manifest, ctx, sctx, {
        structural: true,
        checkSha256Sidecar: true,
        ...(identities ? { identities } : {}),
      });
    }
    report.destinations.push({
      url: entry.destination.displayUrl,
      key: entry.manifest.archive.key,
      ok: true,
      size: entry.manifest.archive.size,
      sha256: entry.manifest.archive.sha256,
      verified: true,
    });
    endPhase(ctx.log);
    report.proofs.push(
      `the .sha256 sidecar agrees with the manifest, and the stored object's size (${formatBytes(entry.manifest.archive.size)}) and sha256 match`,
      "every chunk's sha256, the archive header and the inner manifest match the sidecar manifest",
      "each source's structure was checked where its kind has a check (SQLite integrity_check, dump table of contents, …)",
    );
    report.outputs['verified'] = 'true';
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
    await closeDestinations(destinations);
  }
}
