import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  timingSafeEqual,
} from 'node:crypto';

const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');

/** X25519(scalar, point); throws on an all-zero result (a low-order point). */
export function x25519(scalar: Buffer, point: Buffer): Buffer {
  if (scalar.length !== 32 || point.length !== 32) throw new Error('X25519 needs 32-byte inputs');
  const privateKey = createPrivateKey({
    key: Buffer.concat([X25519_PKCS8, scalar]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey({
    key: Buffer.concat([X25519_SPKI, point]),
    format: 'der',
    type: 'spki',
  });
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey });
  } catch {
    throw new Error('X25519 produced no shared secret (low-order point)');
  }
  if (shared.every((b) => b === 0)) throw new Error('X25519 produced an all-zero shared secret');
  return shared;
}

/** X25519(scalar, basepoint): the public key of a secret scalar. */
export function x25519Base(scalar: Buffer): Buffer {
  const privateKey = createPrivateKey({
    key: Buffer.concat([X25519_PKCS8, scalar]),
    format: 'der',
    type: 'pkcs8',
  });
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

export function hkdf(ikm: Buffer, salt: Buffer, info: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'latin1'), length));
}

const ZERO_NONCE = Buffer.alloc(12);

/** ChaCha20-Poly1305 with a zero nonce: age's key wrapping (each key is used once). */
export function aeadSeal(key: Buffer, plaintext: Buffer, nonce: Buffer = ZERO_NONCE): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  const out = c.update(plaintext);
  c.final();
  return Buffer.concat([out, c.getAuthTag()]);
}

/** Opens a sealed box; undefined when it does not authenticate. */
export function aeadOpen(
  key: Buffer,
  sealed: Buffer,
  nonce: Buffer = ZERO_NONCE,
): Buffer | undefined {
  if (sealed.length < 16) return undefined;
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  const out = d.update(sealed.subarray(0, sealed.length - 16));
  try {
    d.final();
  } catch {
    return undefined;
  }
  return out;
}

export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** age's base64: standard alphabet, no padding, canonical. */
export function b64encode(b: Buffer): string {
  return b.toString('base64').replace(/=+$/, '');
}

export function b64decode(s: string): Buffer {
  if (!/^[A-Za-z0-9+/]*$/.test(s)) throw new Error('invalid base64');
  const b = Buffer.from(s, 'base64');
  if (b64encode(b) !== s) throw new Error('non-canonical base64');
  return b;
}

const P = 2n ** 255n - 19n;

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function leToBig(b: Buffer): bigint {
  return BigInt(`0x${Buffer.from(b).reverse().toString('hex')}`);
}

function bigToLe(v: bigint): Buffer {
  return Buffer.from(v.toString(16).padStart(64, '0'), 'hex').reverse();
}

/** The Montgomery u-coordinate of an Ed25519 public key: u = (1 + y) / (1 - y). */
export function ed25519PublicToX25519(pk: Buffer): Buffer {
  const bytes = Buffer.from(pk);
  bytes[31]! &= 0x7f;
  const y = leToBig(bytes);
  if (y >= P) throw new Error('invalid Ed25519 public key');
  const den = (1n - y + P) % P;
  if (den === 0n) throw new Error('invalid Ed25519 public key');
  const u = ((1n + y) * modPow(den, P - 2n, P)) % P;
  return bigToLe(u);
}
