import { createHash, createHmac } from 'node:crypto';

export interface KnownHostEntry {
  marker?: 'revoked' | 'cert-authority';
  patterns: string[];
  type: string;
  key: Buffer;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority')
      marker = fields.shift()!.slice(1) as KnownHostEntry['marker'];
    const [hosts, type, b64] = fields;
    if (!hosts || !type || !b64) continue;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) continue;
    out.push({ ...(marker ? { marker } : {}), patterns: hosts.split(','), type, key });
  }
  return out;
}

/** Whether a known_hosts host field matches, as OpenSSH does: `[host]:port` for other ports, hashed names, wildcards, negation. */
export function knownHostMatches(patterns: string[], host: string, port: number): boolean {
  const names = [port === 22 ? host : `[${host}]:${port}`];
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    const hit = names.some((name) => {
      const hashed = /^\|1\|([^|]+)\|([^|]+)$/.exec(p);
      if (hashed) {
        return (
          createHmac('sha1', Buffer.from(hashed[1]!, 'base64')).update(name).digest('base64') ===
          hashed[2]
        );
      }
      const re = new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
        'i',
      );
      return re.test(name);
    });
    if (hit && negated) return false;
    if (hit) matched = true;
  }
  return matched;
}

/** The fingerprint ssh-keygen -l prints: SHA256:<unpadded base64 of sha256(key blob)>. */
export function sshFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of an SSH public key blob. */
export function keyType(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  return len > 0 && len < 64 && 4 + len <= key.length
    ? key.subarray(4, 4 + len).toString('latin1')
    : 'unknown';
}

/** Host key algorithms ssh2 may negotiate for a known_hosts key type, best first. */
export function algorithmsFor(type: string): string[] {
  if (type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  if (type === 'ssh-ed25519' || type.startsWith('ecdsa-sha2-') || type === 'ssh-dss') return [type];
  return [];
}
