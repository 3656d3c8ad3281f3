import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/** Reads SSH wire-format fields (RFC 4251: uint32, string, mpint). */
export class SshReader {
  #buf: Buffer;
  #pos = 0;
  constructor(buf: Buffer) {
    this.#buf = buf;
  }
  get done(): boolean {
    return this.#pos >= this.#buf.length;
  }
  get rest(): Buffer {
    return this.#buf.subarray(this.#pos);
  }
  uint32(): number {
    if (this.#pos + 4 > this.#buf.length) throw new Error('truncated SSH key data');
    const v = this.#buf.readUInt32BE(this.#pos);
    this.#pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    if (this.#pos + n > this.#buf.length) throw new Error('truncated SSH key data');
    const v = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return v;
  }
  string(): Buffer {
    return this.bytes(this.uint32());
  }
  text(): string {
    return this.string().toString('latin1');
  }
}

export function sshString(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** An mpint's magnitude without its sign byte, as JWK wants it. */
function unsigned(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function b64url(b: Buffer): string {
  return b.toString('base64url');
}

export type SshPublicKey =
  | { type: 'ssh-ed25519'; wire: Buffer; ed25519: Buffer }
  | { type: 'ssh-rsa'; wire: Buffer; rsa: KeyObject };

/** Parses the wire encoding of an ssh-ed25519 or ssh-rsa public key. */
export function parseSshPublicWire(wire: Buffer): SshPublicKey {
  const r = new SshReader(wire);
  const type = r.text();
  if (type === 'ssh-ed25519') {
    const pk = r.string();
    if (pk.length !== 32 || !r.done) throw new Error('malformed ssh-ed25519 public key');
    return { type, wire, ed25519: Buffer.from(pk) };
  }
  if (type === 'ssh-rsa') {
    const e = unsigned(r.string());
    const n = unsigned(r.string());
    if (!r.done) throw new Error('malformed ssh-rsa public key');
    const rsa = createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' });
    if ((rsa.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
      throw new Error('ssh-rsa keys shorter than 2048 bits are not accepted');
    return { type, wire, rsa };
  }
  throw new Error(`unsupported SSH key type '${type}' (use ssh-ed25519 or ssh-rsa)`);
}

/** Parses an authorized_keys style line: `ssh-ed25519 AAAA… comment`. */
export function parseSshPublicLine(line: string): SshPublicKey {
  const [type, data] = line.trim().split(/\s+/);
  if (!data) throw new Error('malformed SSH public key line');
  const wire = Buffer.from(data, 'base64');
  const key = parseSshPublicWire(wire);
  if (key.type !== type) throw new Error('SSH public key type does not match its data');
  return key;
}

export type SshPrivateKey =
  | { type: 'ssh-ed25519'; publicWire: Buffer; seed: Buffer; publicKey: Buffer; comment: string }
  | { type: 'ssh-rsa'; publicWire: Buffer; rsa: KeyObject; comment: string };

const PEM = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/;

export function isOpenSshPrivateKey(text: string): boolean {
  return PEM.test(text);
}

/** Parses an unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`). */
export function parseOpenSshPrivateKey(text: string): SshPrivateKey {
  const m = PEM.exec(text);
  if (!m) throw new Error('not an OpenSSH private key');
  const raw = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (!raw.subarray(0, magic.length).equals(magic)) throw new Error('not an OpenSSH private key');
  const r = new SshReader(raw.subarray(magic.length));
  const cipher = r.text();
  r.text();
  r.string();
  if (cipher !== 'none') {
    throw new Error(
      'the SSH private key is protected by a passphrase, which Lifeboat cannot use: give it a key without one (kept in a secret)',
    );
  }
  if (r.uint32() !== 1) throw new Error('the OpenSSH key file must hold exactly one key');
  const publicWire = Buffer.from(r.string());
  const p = new SshReader(r.string());
  if (p.uint32() !== p.uint32()) throw new Error('the OpenSSH private key is corrupt');
  const type = p.text();
  if (type === 'ssh-ed25519') {
    const pub = p.string();
    const priv = p.string();
    const comment = p.text();
    if (pub.length !== 32 || priv.length !== 64 || !priv.subarray(32).equals(pub))
      throw new Error('malformed ssh-ed25519 private key');
    return {
      type,
      publicWire,
      seed: Buffer.from(priv.subarray(0, 32)),
      publicKey: Buffer.from(pub),
      comment,
    };
  }
  if (type === 'ssh-rsa') {
    const n = unsigned(p.string());
    const e = unsigned(p.string());
    const d = unsigned(p.string());
    const iqmp = unsigned(p.string());
    const pp = unsigned(p.string());
    const q = unsigned(p.string());
    const comment = p.text();
    const big = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);
    const toBuf = (v: bigint) => {
      let hex = v.toString(16);
      if (hex.length % 2) hex = `0${hex}`;
      return Buffer.from(hex, 'hex');
    };
    const D = big(d);
    const rsa = createPrivateKey({
      key: {
        kty: 'RSA',
        n: b64url(n),
        e: b64url(e),
        d: b64url(d),
        p: b64url(pp),
        q: b64url(q),
        dp: b64url(toBuf(D % (big(pp) - 1n))),
        dq: b64url(toBuf(D % (big(q) - 1n))),
        qi: b64url(iqmp),
      },
      format: 'jwk',
    });
    return { type, publicWire, rsa, comment };
  }
  throw new Error(`unsupported SSH private key type '${type}' (use ssh-ed25519 or ssh-rsa)`);
}
