import type { Identity } from '../archive/age/index.ts';
import type { AllowedSigner } from '../archive/sshsig.ts';
import type { SidecarManifest } from '../archive/types.ts';
import { str } from '../options/parse.ts';
import { findBackup, type CatalogEntry, type OpenDestination } from './destinations.ts';
import { decryptionFor, openManifest } from './encryption.ts';
import type { RunSession } from './session.ts';
import { allowedSignersFor, requireSignature } from './signing.ts';

/** The keys a command reads a stored backup with: parsed from the options before anything else. */
export interface ReadKeys {
  identities: Identity[] | undefined;
  signers: AllowedSigner[] | undefined;
}

export function readKeysFor(session: RunSession): ReadKeys {
  return {
    identities: decryptionFor(session.options, session.ctx),
    signers: allowedSignersFor(session.options, session.ctx),
  };
}

export interface ChosenBackup {
  /** The listed backup; with allowed-signers its manifest is exactly the signed index. */
  entry: CatalogEntry;
  /** Whether its signature was required and found good. */
  signed: boolean;
}

/**
 * The one way restore, verify and drill pick the backup they read: the `name` and `backup`
 * options (`latest` by default) on the first destination that has it, written into the report
 * (set, id, the stored object's size and sha256) at once so a failure later still names it, and,
 * with allowed-signers, its signature required before its index is trusted for anything.
 */
export async function chooseBackup(
  session: RunSession,
  destinations: OpenDestination[],
  keys: Pick<ReadKeys, 'signers'>,
): Promise<ChosenBackup> {
  const { options, ctx, report } = session;
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
  if (!keys.signers) return { entry, signed: false };
  entry.manifest = await requireSignature(entry.destination, entry, keys.signers, ctx);
  return { entry, signed: true };
}

/**
 * The backup's full manifest: its index as it is, or for an encrypted backup the manifest sealed
 * inside it, opened with the run's key (without the right key this fails before any target or
 * archive is touched).
 */
export function fullManifest(
  entry: CatalogEntry,
  identities: Identity[] | undefined,
): Promise<SidecarManifest> {
  return openManifest(entry.manifest, identities, `${entry.set}/${entry.id}`);
}
