/**
 * `sftp://`: one folder by concern. settings.ts (URL, credentials, options), host-keys.ts
 * (known_hosts, fingerprints), session.ts (one SSH connection and its SFTP channel),
 * read-stream.ts (pipelined reads), storage.ts (the Storage), protocol.ts (ssh2 and SFTP
 * constants).
 */
export { openSftp, sftpStorage } from './storage.ts';
export { parseSftpSettings, type SftpSettings } from './settings.ts';
export {
  knownHostMatches,
  parseKnownHosts,
  sshFingerprint,
  type KnownHostEntry,
} from './host-keys.ts';
