import type { Options } from '../options/parse.ts';
import { str } from '../options/parse.ts';
import type { RunContext } from '../core/context.ts';
import { ConfigError } from '../core/errors.ts';
import type { CatalogEntry, OpenDestination } from './destinations.ts';
import { indexBackups, setsOf } from './backup-index.ts';
import { allowedSignersFor, checkSignature, ownSigner } from './signing.ts';

/**
 * What counts as a confirmed backup, for retention and freshness alike: its stored object was
 * read back and matched (`verifiedAt`), or, with verify-after-backup off, the store confirmed
 * the size and sha256 it received. A sidecar is only written after one of the two, so a listed
 * backup with a recorded sha256 and size is confirmed; a hand-made sidecar without them is not.
 */
export function isConfirmedBackup(manifest: CatalogEntry['manifest']): boolean {
  if (manifest.verifiedAt) return true;
  return /^[0-9a-f]{64}$/.test(manifest.archive.sha256) && manifest.archive.size > 0;
}

/**
 * Whether a backup counts as a good one for retention and freshness: confirmed, and, with
 * allowed-signers (or a signing key), well signed: an unsigned or planted backup never becomes
 * "the newest good". Asked one entry at a time, so a command checks only the backups it reads.
 */
export function goodBackupCheck(
  options: Options,
  ctx: RunContext,
  d: OpenDestination,
): (e: CatalogEntry) => Promise<boolean> {
  const signers = allowedSignersFor(options, ctx) ?? ownSigner(options, ctx);
  const known = new Map<string, boolean>();
  return async (e) => {
    if (!isConfirmedBackup(e.manifest)) return false;
    if (!signers) return true;
    const id = `${e.set}/${e.id}`;
    let good = known.get(id);
    if (good === undefined) {
      const check = await checkSignature(d, e, signers);
      good = check.state === 'signed';
      if (!good)
        ctx.log.warn(
          `${e.set}/${e.id} is ${check.state}: ${check.reason ?? ''}; not counted as a good backup`,
        );
      known.set(id, good);
    }
    return good;
  };
}

/**
 * The set name for prune/status: the option, else the only set in the first destination (from
 * key names: no manifest is read).
 */
export async function resolveSet(
  options: Options,
  d: OpenDestination,
  fallback?: string,
): Promise<string> {
  const named = str(options, 'name') ?? fallback;
  if (named) return named;
  const sets = setsOf(await indexBackups(d, undefined)).filter((s) => !s.endsWith('-safety'));
  if (sets.length === 1) return sets[0]!;
  throw new ConfigError(
    'name',
    sets.length ? `several backup sets found (${sets.join(', ')})` : 'no backup sets found',
    {
      hint: 'choose the set with {{option:name=<set>}}',
    },
  );
}
