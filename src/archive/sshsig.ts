import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { SshReader, parseOpenSshPrivateKey, parseSshPublicLine, sshString } from './age/ssh.ts';
import { sshFingerprint } from './age/keys.ts';

/** The SSHSIG namespace Lifeboat signs in: `ssh-keygen -Y verify -n lifeboat`. */
export const SIGNATURE_NAMESPACE = 'lifeboat';
const MAGIC = Buffer.from('SSHSIG');
const HASH = 'sha512';
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

export class SigningKeyError extends Error {}

export interface SigningKey {
  /** `SHA256:…` of the public key, as ssh-keygen -l shows it. */
  fingerprint: string;
  /** The public key line (`ssh-ed25519 AAAA… comment`). */
  publicLine: string;
  sign(message: Buffer): string;
}

/** An ed25519 OpenSSH private key (unencrypted) for signing. */
export function parseSigningKey(text: string): SigningKey {
  let key;
  try {
    key = parseOpenSshPrivateKey(text);
  } catch (err) {
    throw new SigningKeyError((err as Error).message);
  }
  if (key.type !== 'ssh-ed25519')
    throw new SigningKeyError('the signing key must be an ssh-ed25519 key (ssh-keygen -t ed25519)');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8, key.seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicWire = key.publicWire;
  return {
    fingerprint: sshFingerprint(publicWire),
    publicLine: `ssh-ed25519 ${publicWire.toString('base64')}`,
    sign(message: Buffer): string {
      const signed = signedData(message, SIGNATURE_NAMESPACE);
      const sig = sign(null, signed, privateKey);
      const blob = Buffer.concat([
        MAGIC,
        uint32(1),
        sshString(publicWire),
        sshString(SIGNATURE_NAMESPACE),
        sshString(''),
        sshString(HASH),
        sshString(Buffer.concat([sshString('ssh-ed25519'), sshString(sig)])),
      ]);
      const b64 = blob.toString('base64');
      const lines: string[] = [];
      for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
      return `-----BEGIN SSH SIGNATURE-----\n${lines.join('\n')}\n-----END SSH SIGNATURE-----\n`;
    },
  };
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function signedData(message: Buffer, namespace: string): Buffer {
  return Buffer.concat([
    MAGIC,
    sshString(namespace),
    sshString(''),
    sshString(HASH),
    sshString(createHash(HASH).update(message).digest()),
  ]);
}

export interface AllowedSigner {
  principals: string;
  fingerprint: string;
  ed25519: Buffer;
}

/**
 * Parses an allowed-signers text (ssh-keygen's ALLOWED SIGNERS format: `principals [options]
 * ssh-ed25519 AAAA… [comment]`); a bare public key line is accepted too. Keys limited to other
 * namespaces are left out.
 */
export function parseAllowedSigners(text: string): AllowedSigner[] {
  const out: AllowedSigner[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const tokens = line.split(/\s+/);
    const at = tokens.findIndex(
      (t) =>
        t === 'ssh-ed25519' || t === 'ssh-rsa' || t.startsWith('ecdsa-') || t.startsWith('sk-'),
    );
    if (at === -1 || !tokens[at + 1])
      throw new SigningKeyError(`'${line.slice(0, 60)}' is not an allowed-signers line`);
    if (tokens[at] !== 'ssh-ed25519')
      throw new SigningKeyError(`only ssh-ed25519 signers are supported, not ${tokens[at]}`);
    const options = tokens.slice(1, at).join(' ');
    const ns = /namespaces="([^"]*)"/.exec(options);
    if (ns && !ns[1]!.split(',').includes(SIGNATURE_NAMESPACE)) continue;
    let key;
    try {
      key = parseSshPublicLine(`${tokens[at]} ${tokens[at + 1]}`);
    } catch (err) {
      throw new SigningKeyError((err as Error).message);
    }
    if (key.type !== 'ssh-ed25519') continue;
    out.push({
      principals: at === 0 ? '*' : tokens[0]!,
      fingerprint: sshFingerprint(key.wire),
      ed25519: key.ed25519,
    });
  }
  if (out.length === 0)
    throw new SigningKeyError('no ssh-ed25519 signer for the lifeboat namespace');
  return out;
}

/**
 * Checks an armored SSHSIG signature over `message` in the lifeboat namespace against the
 * allowed signers. Returns the signer, or a reason it is not valid.
 */
export function verifySignature(
  armored: string,
  message: Buffer,
  signers: AllowedSigner[],
): { ok: true; signer: AllowedSigner } | { ok: false; reason: string } {
  const m = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/.exec(armored);
  if (!m) return { ok: false, reason: 'the signature file is not an SSH signature' };
  try {
    const r = new SshReader(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
    if (!r.bytes(6).equals(MAGIC) || r.uint32() !== 1)
      return { ok: false, reason: 'the signature is not SSHSIG version 1' };
    const publicWire = r.string();
    const namespace = r.text();
    r.string();
    const hash = r.text();
    const sigBlob = new SshReader(r.string());
    if (namespace !== SIGNATURE_NAMESPACE)
      return {
        ok: false,
        reason: `the signature is for namespace '${namespace}', not '${SIGNATURE_NAMESPACE}'`,
      };
    if (hash !== 'sha512' && hash !== 'sha256')
      return { ok: false, reason: `unsupported signature hash ${hash}` };
    const fingerprint = sshFingerprint(publicWire);
    const signer = signers.find((s) => s.fingerprint === fingerprint);
    if (!signer)
      return {
        ok: false,
        reason: `it was signed by ${fingerprint}, which allowed-signers does not list`,
      };
    if (sigBlob.text() !== 'ssh-ed25519')
      return { ok: false, reason: 'not an ssh-ed25519 signature' };
    const sig = sigBlob.string();
    const publicKey = createPublicKey({
      key: Buffer.concat([ED25519_SPKI, signer.ed25519]),
      format: 'der',
      type: 'spki',
    });
    const signed = Buffer.concat([
      MAGIC,
      sshString(namespace),
      sshString(''),
      sshString(hash),
      sshString(createHash(hash).update(message).digest()),
    ]);
    if (!verify(null, signed, publicKey, sig))
      return { ok: false, reason: `the signature by ${fingerprint} does not match the index` };
    return { ok: true, signer };
  } catch (err) {
    return { ok: false, reason: `the signature is malformed (${(err as Error).message})` };
  }
}
