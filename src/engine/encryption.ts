import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import {
  AgeDecryptStream,
  AgeEncryptStream,
  AgeKeyError,
  NoIdentityMatchError,
  ScryptIdentity,
  ScryptRecipient,
  WrongPassphraseError,
  parseIdentities,
  parseRecipients,
  type Identity,
  type Recipient,
} from '../archive/age/index.ts';
import { INDEX_FORMAT, type SidecarManifest } from '../archive/types.ts';
import type { Options } from '../options/parse.ts';
import { lines, str } from '../options/parse.ts';
import type { RunContext } from '../core/context.ts';
import { ConfigError, IntegrityError } from '../core/errors.ts';

export interface Encryption {
  recipients: Recipient[];
  /** What the public index shows: age1… keys, SSH fingerprints, or "scrypt (passphrase)". */
  fingerprints: string[];
}

const KEY_LINE = /^(age1|ssh-ed25519 |ssh-rsa |AGE-SECRET-KEY-1|-----BEGIN|#)/;

/** A line is a key itself, or the path of a file of keys (read now, so a typo fails early). */
function keysText(option: 'age-recipients' | 'age-identity', value: string, ctx: RunContext) {
  const t = value.trim();
  if (t === '' || KEY_LINE.test(t) || t.includes('\n')) return value;
  const path = isAbsolute(t) ? t : resolve(ctx.cwd, t);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(option, `cannot read the key file ${t}: ${(err as Error).message}`, {
      hint:
        option === 'age-recipients'
          ? 'give age1… / ssh-ed25519 / ssh-rsa public keys, one per line, or the path of a file of them'
          : 'give the AGE-SECRET-KEY-1… identity (or an OpenSSH private key) from a secret, or the path of an identity file',
    });
  }
}

/**
 * The recipients a backup is encrypted to, or undefined when it is not to be encrypted. For a
 * restore's safety backup (`safety`), the passphrase may be there to decrypt: recipients given
 * beside it win instead of conflicting.
 */
export function encryptionFor(
  options: Options,
  ctx: RunContext,
  purpose: 'backup' | 'safety' = 'backup',
): Encryption | undefined {
  const given = lines(options, 'age-recipients');
  const passphrase =
    given.length > 0 && purpose === 'safety' ? undefined : str(options, 'passphrase');
  if (given.length > 0 && passphrase) {
    throw new ConfigError('passphrase', 'cannot be combined with age-recipients', {
      hint: 'age encrypts either to public keys or to one passphrase: remove {{option:passphrase}} or {{option:age-recipients}}',
    });
  }
  if (passphrase) {
    ctx.redactor.add(passphrase);
    return { recipients: [new ScryptRecipient(passphrase)], fingerprints: ['scrypt (passphrase)'] };
  }
  if (given.length === 0) return undefined;
  const recipients: Recipient[] = [];
  for (const line of given) {
    try {
      recipients.push(...parseRecipients(keysText('age-recipients', line, ctx)));
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError('age-recipients', `'${line.slice(0, 80)}': ${(err as Error).message}`, {
        hint: 'give age1… public keys (age-keygen -y key.txt) or ssh-ed25519 / ssh-rsa public key lines, one per line, or a file of them',
      });
    }
  }
  if (recipients.length === 0) {
    throw new ConfigError('age-recipients', 'holds no recipient', {
      hint: 'give at least one age1… or SSH public key',
    });
  }
  return { recipients, fingerprints: [...new Set(recipients.map((r) => r.fingerprint))] };
}

/** Identities to decrypt with (age-identity and/or passphrase), or undefined when none is given. */
export function decryptionFor(options: Options, ctx: RunContext): Identity[] | undefined {
  const ids: Identity[] = [];
  const identity = str(options, 'age-identity');
  if (identity) {
    ctx.redactor.add(identity);
    const text = keysText('age-identity', identity, ctx);
    // Each key line on its own too: a log line might quote one alone.
    ctx.redactor.add(text);
    for (const l of text.split(/\r?\n/)) {
      if (l.trim().length > 8 && !l.startsWith('-----')) ctx.redactor.add(l.trim());
    }
    try {
      ids.push(...parseIdentities(text));
    } catch (err) {
      throw new ConfigError('age-identity', (err as Error).message, {
        hint: 'give the AGE-SECRET-KEY-1… line(s) from age-keygen, or an unencrypted OpenSSH ed25519/rsa private key, from a secret',
      });
    }
  }
  const passphrase = str(options, 'passphrase');
  if (passphrase) {
    ctx.redactor.add(passphrase);
    ids.push(new ScryptIdentity(passphrase));
  }
  return ids.length > 0 ? ids : undefined;
}

/** The errors a decryption raises, named for the option that fixes them. */
export function keyErrors(backup: string, identities: Identity[]): { noMatch: () => Error } {
  return {
    noMatch: () =>
      new ConfigError(
        identities.some((i) => i instanceof ScryptIdentity) && identities.length === 1
          ? 'passphrase'
          : 'age-identity',
        `none of the keys given opens backup ${backup}`,
        {
          hint: 'give the identity (or passphrase) matching one of the recipients the backup was encrypted to; `lifeboat list` shows them',
        },
      ),
  };
}

/** Maps a decryption failure onto the option to fix, or keeps an integrity error as it is. */
export function asKeyError(err: unknown, backup: string): unknown {
  if (err instanceof WrongPassphraseError) {
    return new ConfigError('passphrase', `does not open backup ${backup}`, {
      hint: 'give the passphrase the backup was made with',
    });
  }
  if (err instanceof NoIdentityMatchError) {
    return new ConfigError('age-identity', `none of the keys given opens backup ${backup}`, {
      hint: 'give the identity matching one of the recipients the backup was encrypted to',
    });
  }
  if (err instanceof AgeKeyError) {
    return new IntegrityError(
      `the encryption header of backup ${backup} is malformed: ${err.message}`,
    );
  }
  return err;
}

/** The fields of an encrypted backup's public index (format 2): what list, prune and status need. */
const PUBLIC_FIELDS = [
  'id',
  'name',
  'createdAt',
  'finishedAt',
  'compression',
  'encrypted',
  'tags',
  'chunkSize',
  'archive',
  // Incremental chains: retention, list and restore walk chains by these (backup ids only).
  'kind',
  'parent',
  'chainPosition',
] as const;

/**
 * The public index of an encrypted backup: sizes, times, the stored object's sha256, tags,
 * source names and kinds, and the recipients' fingerprints. The full sidecar manifest (tables,
 * row counts, members, chunk hashes, versions, source URLs) travels sealed to the same
 * recipients in `detail`, and inside the encrypted archive.
 */
export async function publicIndex(
  sidecar: SidecarManifest,
  encryption: Encryption,
): Promise<SidecarManifest> {
  const { verifiedAt, ...detail } = sidecar;
  const sealed = await seal(Buffer.from(JSON.stringify(detail), 'utf8'), encryption.recipients);
  const index: Record<string, unknown> = { format: INDEX_FORMAT };
  for (const f of PUBLIC_FIELDS) index[f] = sidecar[f];
  index.tool = { name: 'lifeboat', version: sidecar.tool.version };
  index.sources = sidecar.sources.map((s) => ({ name: s.name, kind: s.kind }));
  index.recipients = encryption.fingerprints;
  index.detail = sealed.toString('base64');
  if (verifiedAt) index.verifiedAt = verifiedAt;
  return index as unknown as SidecarManifest;
}

/** Whether a listed manifest is an encrypted backup's public index (its detail sealed). */
export function isSealedIndex(m: SidecarManifest): boolean {
  return m.format >= INDEX_FORMAT && typeof m.detail === 'string';
}

/**
 * The full manifest of a listed backup: itself when not encrypted, else its sealed detail
 * opened with the identities, checked against the public fields it was listed by.
 */
export async function openManifest(
  index: SidecarManifest,
  identities: Identity[] | undefined,
  ref: string,
): Promise<SidecarManifest> {
  if (!index.encrypted) return index;
  if (!identities) {
    throw new ConfigError('age-identity', `backup ${ref} is encrypted and no key was given`, {
      hint: 'give {{option:age-identity}} (an AGE-SECRET-KEY-1… line or SSH private key from a secret) or {{option:passphrase}}',
    });
  }
  if (!isSealedIndex(index)) {
    throw new IntegrityError(
      `backup ${ref} says it is encrypted but its index holds no sealed detail`,
    );
  }
  let plain: Buffer;
  try {
    plain = await open(
      Buffer.from(index.detail!, 'base64'),
      identities,
      keyErrors(ref, identities),
    );
  } catch (err) {
    throw asKeyError(err, ref);
  }
  let detail: SidecarManifest;
  try {
    detail = JSON.parse(plain.toString('utf8')) as SidecarManifest;
  } catch {
    throw new IntegrityError(`the sealed manifest of backup ${ref} is not valid JSON`);
  }
  for (const f of PUBLIC_FIELDS) {
    if (JSON.stringify(detail[f]) !== JSON.stringify(index[f])) {
      throw new IntegrityError(
        `the public index of backup ${ref} disagrees with its sealed manifest on ${f}`,
        { hint: 'the index was altered: do not trust this backup' },
      );
    }
  }
  const names = (m: SidecarManifest) => m.sources.map((s) => `${s.name}:${s.kind}`).join(',');
  if (names(detail) !== names(index)) {
    throw new IntegrityError(
      `the public index of backup ${ref} disagrees with its sealed manifest on its sources`,
    );
  }
  if (index.verifiedAt) detail.verifiedAt = index.verifiedAt;
  return detail;
}

async function seal(data: Buffer, recipients: Recipient[]): Promise<Buffer> {
  const enc = new AgeEncryptStream(recipients);
  const [out] = await Promise.all([buffer(enc), pipeline(Readable.from([data]), enc)]);
  return out;
}

async function open(
  data: Buffer,
  identities: Identity[],
  errors: { noMatch: () => Error },
): Promise<Buffer> {
  const dec = new AgeDecryptStream(identities, errors);
  const [out] = await Promise.all([buffer(dec), pipeline(Readable.from([data]), dec)]);
  return out;
}

/** Recipients matching the identities that opened a backup (for its restore's safety backup). */
export function recipientsOf(identities: Identity[]): Encryption {
  // A passphrase cannot share a header with keys: keys win when both opened the backup.
  const keyed = identities.filter((i) => !(i instanceof ScryptIdentity));
  const recipients = (keyed.length ? keyed : identities.slice(0, 1)).map((i) => i.recipient());
  return { recipients, fingerprints: [...new Set(recipients.map((r) => r.fingerprint))] };
}
