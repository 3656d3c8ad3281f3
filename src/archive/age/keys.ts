import {
  createHash,
  constants as cryptoConstants,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  scrypt as scryptCallback,
  type KeyObject,
} from 'node:crypto';
import { bech32Decode, bech32Encode } from './bech32.ts';
import {
  aeadOpen,
  aeadSeal,
  b64decode,
  b64encode,
  ed25519PublicToX25519,
  hkdf,
  x25519,
  x25519Base,
} from './primitives.ts';
import {
  isOpenSshPrivateKey,
  parseOpenSshPrivateKey,
  parseSshPublicLine,
  parseSshPublicWire,
  type SshPublicKey,
} from './ssh.ts';

/** One recipient stanza of an age header. */
export interface Stanza {
  type: string;
  args: string[];
  body: Buffer;
}

export interface Recipient {
  /** What `list` may show: `age1…`, or the SSH key's SHA256 fingerprint. */
  readonly fingerprint: string;
  wrap(fileKey: Buffer): Promise<Stanza[]>;
}

export interface Identity {
  /** The file key, or undefined when no stanza is for this identity. Throws when a stanza is
   * for this identity but does not open (altered header, wrong passphrase for scrypt). */
  unwrap(stanzas: Stanza[]): Promise<Buffer | undefined>;
  /** The recipient that encrypts to this identity. */
  recipient(): Recipient;
}

const X25519_LABEL = 'age-encryption.org/v1/X25519';
const ED25519_LABEL = 'age-encryption.org/v1/ssh-ed25519';
const RSA_LABEL = 'age-encryption.org/v1/ssh-rsa';
const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';
const FILE_KEY_SIZE = 16;
const WRAPPED_SIZE = FILE_KEY_SIZE + 16;

export class AgeKeyError extends Error {}

/** Raised when the header's scrypt stanza does not open with the passphrase given. */
export class WrongPassphraseError extends Error {}

function openWrapped(key: Buffer, body: Buffer): Buffer | undefined {
  if (body.length !== WRAPPED_SIZE) return undefined;
  return aeadOpen(key, body);
}

export class X25519Recipient implements Recipient {
  readonly publicKey: Buffer;
  readonly fingerprint: string;
  constructor(publicKey: Buffer) {
    if (publicKey.length !== 32) throw new AgeKeyError('an X25519 public key has 32 bytes');
    this.publicKey = publicKey;
    this.fingerprint = bech32Encode('age', publicKey);
  }
  static parse(s: string): X25519Recipient {
    let decoded;
    try {
      decoded = bech32Decode(s);
    } catch (err) {
      throw new AgeKeyError(`not a valid age recipient (${(err as Error).message})`);
    }
    if (decoded.hrp !== 'age' || decoded.data.length !== 32)
      throw new AgeKeyError('not a valid age recipient');
    return new X25519Recipient(decoded.data);
  }
  wrap(fileKey: Buffer): Promise<Stanza[]> {
    const ephemeral = randomBytes(32);
    const share = x25519Base(ephemeral);
    const shared = x25519(ephemeral, this.publicKey);
    const key = hkdf(shared, Buffer.concat([share, this.publicKey]), X25519_LABEL);
    return Promise.resolve([
      { type: 'X25519', args: [b64encode(share)], body: aeadSeal(key, fileKey) },
    ]);
  }
}

export class X25519Identity implements Identity {
  readonly #secret: Buffer;
  readonly #recipient: X25519Recipient;
  constructor(secret: Buffer) {
    if (secret.length !== 32) throw new AgeKeyError('an X25519 secret key has 32 bytes');
    this.#secret = secret;
    this.#recipient = new X25519Recipient(x25519Base(secret));
  }
  recipient(): X25519Recipient {
    return this.#recipient;
  }
  static generate(): X25519Identity {
    return new X25519Identity(randomBytes(32));
  }
  static parse(s: string): X25519Identity {
    let decoded;
    try {
      decoded = bech32Decode(s);
    } catch {
      throw new AgeKeyError('not a valid AGE-SECRET-KEY-1… identity');
    }
    if (decoded.hrp !== 'age-secret-key-' || decoded.data.length !== 32)
      throw new AgeKeyError('not a valid AGE-SECRET-KEY-1… identity');
    return new X25519Identity(decoded.data);
  }
  /** The AGE-SECRET-KEY-1… encoding (a secret: mask it wherever it is shown). */
  encode(): string {
    return bech32Encode('age-secret-key-', this.#secret).toUpperCase();
  }
  unwrap(stanzas: Stanza[]): Promise<Buffer | undefined> {
    const ours = this.#recipient.publicKey;
    for (const s of stanzas) {
      if (s.type !== 'X25519') continue;
      if (s.args.length !== 1) throw new AgeKeyError('malformed X25519 stanza');
      const share = b64decode(s.args[0]!);
      if (share.length !== 32 || s.body.length !== WRAPPED_SIZE)
        throw new AgeKeyError('malformed X25519 stanza');
      let shared: Buffer;
      try {
        shared = x25519(this.#secret, share);
      } catch {
        throw new AgeKeyError('X25519 stanza holds an invalid share');
      }
      const key = hkdf(shared, Buffer.concat([share, ours]), X25519_LABEL);
      const fileKey = openWrapped(key, s.body);
      if (fileKey) return Promise.resolve(fileKey);
    }
    return Promise.resolve(undefined);
  }
}

function sshTag(wire: Buffer): string {
  return b64encode(createHash('sha256').update(wire).digest().subarray(0, 4));
}

/** `SHA256:…` as ssh-keygen -l prints it. */
export function sshFingerprint(wire: Buffer): string {
  return `SHA256:${b64encode(createHash('sha256').update(wire).digest())}`;
}

export class SshEd25519Recipient implements Recipient {
  readonly #wire: Buffer;
  readonly #x25519: Buffer;
  readonly fingerprint: string;
  constructor(key: SshPublicKey & { type: 'ssh-ed25519' }) {
    this.#wire = key.wire;
    this.#x25519 = ed25519PublicToX25519(key.ed25519);
    this.fingerprint = sshFingerprint(key.wire);
  }
  wrap(fileKey: Buffer): Promise<Stanza[]> {
    const ephemeral = randomBytes(32);
    const share = x25519Base(ephemeral);
    let shared = x25519(ephemeral, this.#x25519);
    const tweak = hkdf(Buffer.alloc(0), this.#wire, ED25519_LABEL);
    shared = x25519(tweak, shared);
    const key = hkdf(shared, Buffer.concat([share, this.#x25519]), ED25519_LABEL);
    return Promise.resolve([
      {
        type: 'ssh-ed25519',
        args: [sshTag(this.#wire), b64encode(share)],
        body: aeadSeal(key, fileKey),
      },
    ]);
  }
}

export class SshRsaRecipient implements Recipient {
  readonly #wire: Buffer;
  readonly #key: KeyObject;
  readonly fingerprint: string;
  constructor(key: SshPublicKey & { type: 'ssh-rsa' }) {
    this.#wire = key.wire;
    this.#key = key.rsa;
    this.fingerprint = sshFingerprint(key.wire);
  }
  wrap(fileKey: Buffer): Promise<Stanza[]> {
    const body = publicEncrypt(
      {
        key: this.#key,
        padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        oaepLabel: Buffer.from(RSA_LABEL),
      },
      fileKey,
    );
    return Promise.resolve([{ type: 'ssh-rsa', args: [sshTag(this.#wire)], body }]);
  }
}

/** An OpenSSH private key (ssh-ed25519 or ssh-rsa) used as an age identity. */
export class SshIdentity implements Identity {
  readonly #text: string;
  constructor(text: string) {
    parseOpenSshPrivateKey(text);
    this.#text = text;
  }
  recipient(): Recipient {
    const key = parseSshPublicWire(parseOpenSshPrivateKey(this.#text).publicWire);
    return key.type === 'ssh-ed25519' ? new SshEd25519Recipient(key) : new SshRsaRecipient(key);
  }
  unwrap(stanzas: Stanza[]): Promise<Buffer | undefined> {
    const key = parseOpenSshPrivateKey(this.#text);
    const tag = sshTag(key.publicWire);
    for (const s of stanzas) {
      if (s.type !== key.type || s.args[0] !== tag) continue;
      if (key.type === 'ssh-rsa') {
        if (s.args.length !== 1) throw new AgeKeyError('malformed ssh-rsa stanza');
        try {
          const fileKey = privateDecrypt(
            {
              key: key.rsa,
              padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING,
              oaepHash: 'sha256',
              oaepLabel: Buffer.from(RSA_LABEL),
            },
            s.body,
          );
          if (fileKey.length === FILE_KEY_SIZE) return Promise.resolve(fileKey);
        } catch {
          // Not ours after all (a tag collision) or altered: try the next stanza.
        }
        continue;
      }
      if (s.args.length !== 2) throw new AgeKeyError('malformed ssh-ed25519 stanza');
      const share = b64decode(s.args[1]!);
      if (share.length !== 32 || s.body.length !== WRAPPED_SIZE)
        throw new AgeKeyError('malformed ssh-ed25519 stanza');
      const secret = createHash('sha512').update(key.seed).digest().subarray(0, 32);
      const ours = ed25519PublicToX25519(key.publicKey);
      let shared: Buffer;
      try {
        shared = x25519(secret, share);
        shared = x25519(hkdf(Buffer.alloc(0), key.publicWire, ED25519_LABEL), shared);
      } catch {
        throw new AgeKeyError('ssh-ed25519 stanza holds an invalid share');
      }
      const wrapKey = hkdf(shared, Buffer.concat([share, ours]), ED25519_LABEL);
      const fileKey = openWrapped(wrapKey, s.body);
      if (fileKey) return Promise.resolve(fileKey);
    }
    return Promise.resolve(undefined);
  }
}

/** age's default passphrase work factor (2^18 iterations, 256 MiB for a moment). */
export const SCRYPT_WORK_FACTOR = 18;
/** The largest work factor accepted when decrypting, so a hostile header cannot ask for more. */
export const MAX_SCRYPT_WORK_FACTOR = 20;

function scryptKey(passphrase: string, salt: Buffer, logN: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const N = 2 ** logN;
    scryptCallback(
      Buffer.from(passphrase, 'utf8'),
      Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]),
      32,
      { N, r: 8, p: 1, maxmem: 128 * N * 8 + 2 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

export class ScryptRecipient implements Recipient {
  readonly #passphrase: string;
  readonly #logN: number;
  readonly fingerprint = 'scrypt (passphrase)';
  constructor(passphrase: string, logN = SCRYPT_WORK_FACTOR) {
    if (passphrase === '') throw new AgeKeyError('the passphrase is empty');
    this.#passphrase = passphrase;
    this.#logN = logN;
  }
  async wrap(fileKey: Buffer): Promise<Stanza[]> {
    const salt = randomBytes(16);
    const key = await scryptKey(this.#passphrase, salt, this.#logN);
    return [
      { type: 'scrypt', args: [b64encode(salt), String(this.#logN)], body: aeadSeal(key, fileKey) },
    ];
  }
}

export class ScryptIdentity implements Identity {
  readonly #passphrase: string;
  constructor(passphrase: string) {
    this.#passphrase = passphrase;
  }
  recipient(): Recipient {
    return new ScryptRecipient(this.#passphrase);
  }
  async unwrap(stanzas: Stanza[]): Promise<Buffer | undefined> {
    const s = stanzas.find((x) => x.type === 'scrypt');
    if (!s) return undefined;
    if (stanzas.length !== 1)
      throw new AgeKeyError('an scrypt stanza must be the only one in the header');
    if (s.args.length !== 2 || !/^[1-9][0-9]?$/.test(s.args[1]!))
      throw new AgeKeyError('malformed scrypt stanza');
    const salt = b64decode(s.args[0]!);
    const logN = Number(s.args[1]);
    if (salt.length !== 16 || s.body.length !== WRAPPED_SIZE)
      throw new AgeKeyError('malformed scrypt stanza');
    if (logN > MAX_SCRYPT_WORK_FACTOR) {
      throw new AgeKeyError(
        `the passphrase's scrypt work factor is 2^${logN}, more than the 2^${MAX_SCRYPT_WORK_FACTOR} accepted`,
      );
    }
    const fileKey = openWrapped(await scryptKey(this.#passphrase, salt, logN), s.body);
    if (!fileKey) throw new WrongPassphraseError('the passphrase does not open this backup');
    return fileKey;
  }
}

/** Lines of a recipients or identities text without comments and blank lines. */
function keyLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** One recipient line: `age1…`, `ssh-ed25519 AAAA…` or `ssh-rsa AAAA…`. */
export function parseRecipient(line: string): Recipient {
  const l = line.trim();
  if (l.startsWith('age1')) return X25519Recipient.parse(l);
  if (l.startsWith('ssh-ed25519 ') || l.startsWith('ssh-rsa ')) {
    let key: SshPublicKey;
    try {
      key = parseSshPublicLine(l);
    } catch (err) {
      throw new AgeKeyError((err as Error).message);
    }
    return key.type === 'ssh-ed25519' ? new SshEd25519Recipient(key) : new SshRsaRecipient(key);
  }
  throw new AgeKeyError(
    'a recipient is an age1… public key or an ssh-ed25519 / ssh-rsa public key line',
  );
}

/** Every recipient in a recipients text (one per line, # comments allowed). */
export function parseRecipients(text: string): Recipient[] {
  return keyLines(text).map(parseRecipient);
}

/** Identities from an age identity file's text or an OpenSSH private key. */
export function parseIdentities(text: string): Identity[] {
  if (isOpenSshPrivateKey(text)) {
    try {
      return [new SshIdentity(text)];
    } catch (err) {
      throw new AgeKeyError((err as Error).message);
    }
  }
  const ids = keyLines(text).map((l) => {
    if (!l.startsWith('AGE-SECRET-KEY-1'))
      throw new AgeKeyError('an identity is an AGE-SECRET-KEY-1… line or an OpenSSH private key');
    return X25519Identity.parse(l);
  });
  if (ids.length === 0) throw new AgeKeyError('no identity found');
  return ids;
}
