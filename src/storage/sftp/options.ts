import { DATA_COMMANDS, type OptionSpec } from '../../core/option-spec.ts';

/** The SFTP storage backend's options. Imports nothing but the spec type: the schema loads this at start-up. */
export const sftpOptions = [
  {
    name: 'sftp-private-key',
    type: 'string',
    secret: true,
    commands: DATA_COMMANDS,
    group: 'storage',
    description: 'SFTP: private key (pass a secret).',
  },
  {
    name: 'sftp-private-key-passphrase',
    type: 'string',
    secret: true,
    commands: DATA_COMMANDS,
    group: 'storage',
    description: 'SFTP: passphrase of the private key.',
  },
  {
    name: 'sftp-password',
    type: 'string',
    secret: true,
    commands: DATA_COMMANDS,
    group: 'storage',
    description: 'SFTP: password (prefer a key).',
  },
  {
    name: 'sftp-host-fingerprint',
    type: 'string',
    commands: DATA_COMMANDS,
    group: 'storage',
    description:
      "SFTP: the server's host key fingerprint (`SHA256:…`, as `ssh-keygen -lf` prints).",
  },
  {
    name: 'sftp-known-hosts',
    type: 'string',
    commands: DATA_COMMANDS,
    group: 'storage',
    description: 'SFTP: known_hosts content to check the server against.',
  },
  {
    name: 'sftp-accept-unknown-host',
    type: 'boolean',
    default: 'false',
    commands: DATA_COMMANDS,
    group: 'storage',
    description: 'SFTP: accept a server whose host key is not pinned (not recommended).',
  },
] as const satisfies readonly OptionSpec[];
