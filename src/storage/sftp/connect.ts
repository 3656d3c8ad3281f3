import type { ConnectConfig } from 'ssh2';
import { StorageError } from '../../core/errors.ts';
import { classifyNodeError } from '../retry.ts';
import { algorithmsFor, keyType, knownHostMatches, sshFingerprint } from './host-keys.ts';
import type { HostVerdict } from './session.ts';
import type { SftpSettings } from './settings.ts';

/**
 * The ssh2 connection settings for `s`: credentials, and a host key check against the pinned
 * fingerprints and known_hosts lines (offering only the pinned key types). `verdict` tells,
 * after a refused connection, why the host key was refused.
 */
export function connectConfig(
  s: SftpSettings,
  acceptedUnknown: (type: string, fingerprint: string) => void,
): { config: ConnectConfig; verdict: () => HostVerdict | undefined } {
  let verdict: HostVerdict | undefined;
  const pinnedForHost = s.knownHosts.filter(
    (e) => e.marker !== 'cert-authority' && knownHostMatches(e.patterns, s.host, s.port),
  );
  const trusted = pinnedForHost.filter((e) => !e.marker);
  const revoked = pinnedForHost.filter((e) => e.marker === 'revoked');
  const pinned = s.fingerprints.length > 0 || trusted.length > 0;

  const hostVerifier = (key: Buffer): boolean => {
    const type = keyType(key);
    const fingerprint = sshFingerprint(key);
    if (revoked.some((e) => e.key.equals(key))) {
      verdict = { kind: 'revoked', type, fingerprint };
      return false;
    }
    if (s.fingerprints.includes(fingerprint) || trusted.some((e) => e.key.equals(key))) return true;
    if (pinned) {
      verdict = { kind: 'mismatch', type, fingerprint };
      return false;
    }
    if (s.acceptUnknownHost) {
      acceptedUnknown(type, fingerprint);
      return true;
    }
    verdict = { kind: 'unknown', type, fingerprint };
    return false;
  };

  const config: ConnectConfig = {
    host: s.host,
    port: s.port,
    username: s.username,
    readyTimeout: 20_000,
    keepaliveInterval: 15_000,
    keepaliveCountMax: 4,
    hostVerifier,
    ...(s.privateKey ? { privateKey: s.privateKey } : {}),
    ...(s.passphrase ? { passphrase: s.passphrase } : {}),
    ...(s.password ? { password: s.password, tryKeyboard: true } : {}),
  };
  // Offer only the key types known_hosts pins, so the server presents one we can check.
  const hostKeyAlgorithms = [...new Set(trusted.flatMap((e) => algorithmsFor(e.type)))];
  if (hostKeyAlgorithms.length > 0 && s.fingerprints.length === 0) {
    config.algorithms = {
      serverHostKey: hostKeyAlgorithms as NonNullable<ConnectConfig['algorithms']>['serverHostKey'],
    };
  }
  return { config, verdict: () => verdict };
}

/** Why a connection failed, for a person: host key verdicts, credentials, timeouts, network. */
export function connectError(
  displayUrl: string,
  s: SftpSettings,
  err: Error & { level?: string; code?: unknown },
  verdict: HostVerdict | undefined,
): StorageError {
  const where = displayUrl;
  if (verdict) {
    const short = verdict.type.replace(/^ssh-|^ecdsa-sha2-nistp\d+$/, (m) =>
      m.startsWith('ecdsa') ? 'ecdsa' : '',
    );
    const check = `ssh-keygen -lf /etc/ssh/ssh_host_${short}_key.pub on the server, or ssh-keyscan -p ${s.port} ${s.host} | ssh-keygen -lf -`;
    if (verdict.kind === 'unknown') {
      return new StorageError(
        `${where}: refusing to connect: the server's host key ${verdict.type} ${verdict.fingerprint} is not pinned` +
          (s.knownHosts.length > 0
            ? ` (sftp-known-hosts has no line for ${s.port === 22 ? s.host : `[${s.host}]:${s.port}`})`
            : ''),
        {
          cause: err,
          hint:
            `check that ${verdict.fingerprint} is the server's key (${check}), then pin it with {{option:sftp-host-fingerprint=${verdict.fingerprint}}} ` +
            `or pass its known_hosts line as {{option:sftp-known-hosts}}; {{option:sftp-accept-unknown-host=true}} skips the check (not recommended)`,
        },
      );
    }
    return new StorageError(
      `${where}: refusing to connect: the server's host key ${verdict.type} ${verdict.fingerprint} ` +
        (verdict.kind === 'revoked'
          ? 'is marked @revoked in sftp-known-hosts'
          : 'does not match the pinned host key'),
      {
        cause: err,
        hint:
          `if the server's key was changed on purpose, check the new one (${check}) and update {{option:sftp-host-fingerprint}} / {{option:sftp-known-hosts}} ` +
          `(several fingerprints may be given, comma-separated); otherwise someone may be intercepting the connection`,
      },
    );
  }
  if (err.level === 'client-authentication') {
    return new StorageError(
      `${where}: the server rejected the credentials for user '${s.username}'`,
      {
        cause: err,
        reason: 'denied',
        hint: s.privateKey
          ? `check sftp-private-key is the private half of a key listed in ~${s.username}/.ssh/authorized_keys on the server`
          : 'check sftp-password, or use a key (sftp-private-key); the server may not allow password logins',
      },
    );
  }
  if (err.level === 'client-timeout') {
    return new StorageError(`${where}: timed out connecting to ${s.host}:${s.port}`, {
      cause: err,
      transient: true,
      hint: 'check the host and port, and that a firewall lets this runner reach the server',
    });
  }
  if (err.level === 'protocol' || err.level === 'handshake') {
    return new StorageError(`${where}: SSH handshake failed: ${err.message}`, {
      cause: err,
      hint: 'the server may not be an SSH server, or offers no algorithm in common',
    });
  }
  const node = classifyNodeError(err);
  const code = typeof err.code === 'string' ? err.code : '';
  return new StorageError(`${where}: cannot connect to ${s.host}:${s.port}: ${err.message}`, {
    cause: err,
    transient: node.transient,
    reason: node.transient ? 'network' : node.reason,
    hint:
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'check the host name in the destination URL'
        : node.transient
          ? undefined
          : 'check the host and port in the destination URL, and that this runner can reach the server',
  });
}
