import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import {
  parseAllowedSigners,
  parseSigningKey,
  verifySignature,
  type AllowedSigner,
  type SigningKey,
} from '../archive/sshsig.ts';
import type { SidecarManifest } from '../archive/types.ts';
import type { Options } from '../options/parse.ts';
import { lines, str } from '../options/parse.ts';
import type { RunContext } from '../core/context.ts';
import type { CatalogEntry, OpenDestination } from './destinations.ts';
import { ConfigError, IntegrityError, isNotFound } from '../core/errors.ts';
import { backupKeys } from './naming.ts';

export type SignatureState = 'signed' | 'unsigned' | 'bad';

function keyText(option: 'signing-key' | 'allowed-signers', value: string, ctx: RunContext) {
  const t = value.trim();
  if (t.includes('\n') || t.startsWith('-----BEGIN') || /\bssh-(ed25519|rsa)\b/.test(t))
    return value;
  const path = isAbsolute(t) ? t : resolve(ctx.cwd, t);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(option, `cannot read ${t}: ${(err as Error).message}`, {
      hint:
        option === 'signing-key'
          ? 'give the OpenSSH ed25519 private key itself from a secret, or the path of its file'
          : 'give allowed-signers lines (`principal ssh-ed25519 AAAA…`) or the path of such a file',
    });
  }
}

/** The key backups are signed with, or undefined when signing is off. */
export function signingKeyFor(options: Options, ctx: RunContext): SigningKey | undefined {
  const value = str(options, 'signing-key');
  if (!value) return undefined;
  ctx.redactor.add(value);
  const t = keyText('signing-key', value, ctx);
  ctx.redactor.add(t);
  for (const l of t.split(/\r?\n/))
    if (l.trim().length > 8 && !l.startsWith('-----')) ctx.redactor.add(l.trim());
  try {
    return parseSigningKey(t);
  } catch (err) {
    throw new ConfigError('signing-key', (err as Error).message, {
      hint: 'give an unencrypted ed25519 key made with `ssh-keygen -t ed25519 -N ""`, from a secret',
    });
  }
}

/** The signers a backup must be signed by, or undefined when signatures are not required. */
export function allowedSignersFor(options: Options, ctx: RunContext): AllowedSigner[] | undefined {
  const given = lines(options, 'allowed-signers');
  if (given.length === 0) return undefined;
  try {
    return given.flatMap((l) => parseAllowedSigners(keyText('allowed-signers', l, ctx)));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError('allowed-signers', (err as Error).message, {
      hint: "give lines like `backups@example.org ssh-ed25519 AAAA…` (the signing key's .pub), or the path of such a file",
    });
  }
}

export interface SignatureCheck {
  state: SignatureState;
  reason?: string;
  signer?: string;
  /** The index exactly as signed (parsed from the bytes the signature covers). */
  manifest?: SidecarManifest;
}

/** Reads `<id>.sig` and the index bytes it covers, and checks one against the other. */
export async function checkSignature(
  d: OpenDestination,
  entry: Pick<CatalogEntry, 'set' | 'id' | 'manifest'>,
  signers: AllowedSigner[],
): Promise<SignatureCheck> {
  const keys = backupKeys(
    entry.set,
    entry.id,
    entry.manifest.compression,
    entry.manifest.encrypted,
  );
  let sig: string;
  try {
    sig = await text(await d.storage.get(keys.sig));
  } catch (err) {
    if (isNotFound(err)) return { state: 'unsigned', reason: `${keys.sig} does not exist` };
    throw err;
  }
  const indexBytes = Buffer.from(await text(await d.storage.get(keys.manifest)), 'utf8');
  const result = verifySignature(sig, indexBytes, signers);
  if (!result.ok) return { state: 'bad', reason: result.reason };
  let manifest: SidecarManifest;
  try {
    manifest = JSON.parse(indexBytes.toString('utf8')) as SidecarManifest;
  } catch {
    return { state: 'bad', reason: 'the signed index is not JSON' };
  }
  if (manifest.id !== entry.id || manifest.name !== entry.set) {
    return { state: 'bad', reason: `the signed index is for ${manifest.name}/${manifest.id}` };
  }
  return {
    state: 'signed',
    signer: `${result.signer.principals} (${result.signer.fingerprint})`,
    manifest,
  };
}

/**
 * Restore, verify and drill with allowed-signers: the backup must carry a good signature, else
 * an IntegrityError before anything else is read. Returns the index exactly as signed.
 */
export async function requireSignature(
  d: OpenDestination,
  entry: Pick<CatalogEntry, 'set' | 'id' | 'manifest'>,
  signers: AllowedSigner[],
  ctx: RunContext,
): Promise<SidecarManifest> {
  const check = await checkSignature(d, entry, signers);
  const ref = `${entry.set}/${entry.id}`;
  if (check.state !== 'signed') {
    throw new IntegrityError(
      `backup ${ref} on ${d.displayUrl} is ${check.state === 'unsigned' ? 'not signed' : 'badly signed'}: ${check.reason}`,
      {
        hint:
          check.state === 'unsigned'
            ? 'allowed-signers requires signed backups: restore a signed one by id, or check who wrote this one to the store'
            : 'do not trust this backup: it was not signed by an allowed key, or its index was changed after signing',
      },
    );
  }
  ctx.log.info(`Signature of ${ref}: good, by ${check.signer}`);
  return check.manifest!;
}

/**
 * A backup run that signs (signing-key) without allowed-signers trusts its own key for
 * retention: backups it did not sign never count as the newest good one.
 */
export function ownSigner(options: Options, ctx: RunContext): AllowedSigner[] | undefined {
  const key = signingKeyFor(options, ctx);
  return key ? parseAllowedSigners(`self ${key.publicLine}`) : undefined;
}
