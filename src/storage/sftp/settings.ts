import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../../core/errors.ts';
import type { OptionName } from '../../options/schema.ts';
import { redactUrl } from '../../core/log.ts';
import { parseUrl } from '../../core/url.ts';
import type { StorageContext } from '../types.ts';
import { type KnownHostEntry, parseKnownHosts } from './host-keys.ts';
import { utils } from './protocol.ts';

export interface SftpSettings {
  host: string;
  port: number;
  username: string;
  /** Absolute remote directory, or a path relative to the login directory when `fromHome`. */
  path: string;
  fromHome: boolean;
  privateKey?: string;
  passphrase?: string;
  password?: string;
  fingerprints: string[];
  knownHosts: KnownHostEntry[];
  acceptUnknownHost: boolean;
}
export function optionString(ctx: StorageContext, name: OptionName): string | undefined {
  const v = ctx.options[name];
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

export function envString(ctx: StorageContext, name: string): string | undefined {
  const v = ctx.env[name];
  return v && v.trim() !== '' ? v : undefined;
}

/** A value that is a single line naming an existing file is read from that file (CLI use). */
export function contentOrFile(value: string): string {
  const v = value.trim();
  if (!v.includes('\n') && !v.includes(' ') && !v.startsWith('-----') && existsSync(v))
    return readFileSync(v, 'utf8');
  return value;
}

export function parseSftpSettings(url: string, ctx: StorageContext): SftpSettings {
  const u = parseUrl('destination', url);
  const display = redactUrl(url);
  const username = decodeURIComponent(u.username);
  if (!username) {
    throw new ConfigError('destination', `'${display}' names no user`, {
      hint: 'write sftp://user@host[:port]/path',
    });
  }
  if (!u.hostname) {
    throw new ConfigError('destination', `'${display}' names no host`, {
      hint: 'write sftp://user@host[:port]/path',
    });
  }
  const urlPassword = u.password ? decodeURIComponent(u.password) : undefined;
  ctx.redactor.add(urlPassword);

  let path = decodeURIComponent(u.pathname);
  let fromHome = false;
  if (path === '/~' || path.startsWith('/~/')) {
    fromHome = true;
    path = path.slice(2);
  }
  path = path.replace(/\/+$/, '').replace(/^\/+/, fromHome ? '' : '/');
  if (!fromHome && path === '') path = '/';

  const rawKey =
    optionString(ctx, 'sftp-private-key') ?? envString(ctx, 'LIFEBOAT_SFTP_PRIVATE_KEY');
  const passphrase =
    optionString(ctx, 'sftp-private-key-passphrase') ??
    envString(ctx, 'LIFEBOAT_SFTP_PRIVATE_KEY_PASSPHRASE');
  const password =
    optionString(ctx, 'sftp-password') ?? envString(ctx, 'LIFEBOAT_SFTP_PASSWORD') ?? urlPassword;
  ctx.redactor.add(passphrase);
  ctx.redactor.add(password);

  let privateKey: string | undefined;
  if (rawKey) {
    privateKey = contentOrFile(rawKey).replace(/\r\n/g, '\n').trim() + '\n';
    ctx.redactor.add(privateKey.trim());
    // Logs are redacted line by line, so mask each line of the key body too.
    for (const line of privateKey.split('\n'))
      if (!line.startsWith('-----') && line.trim().length >= 16) ctx.redactor.add(line.trim());
    const parsed = utils.parseKey(privateKey, passphrase);
    if (parsed instanceof Error) {
      const encrypted = /encrypted|passphrase/i.test(parsed.message);
      throw new ConfigError(
        encrypted ? 'sftp-private-key-passphrase' : 'sftp-private-key',
        encrypted
          ? `the private key needs a passphrase or the one given is wrong (${parsed.message})`
          : `could not be read: ${parsed.message}`,
        {
          hint: encrypted
            ? "set {{option:sftp-private-key-passphrase}} (from a secret) to the key's passphrase"
            : 'pass the whole private key file (OpenSSH or PEM format, from -----BEGIN to -----END) from a secret',
        },
      );
    }
  }
  if (!privateKey && !password) {
    throw new ConfigError('sftp-private-key', `no credentials for ${display}`, {
      hint: 'set {{option:sftp-private-key}} to a private key from a secret, or {{option:sftp-password}}',
    });
  }

  const fingerprints: string[] = [];
  for (const f of (optionString(ctx, 'sftp-host-fingerprint') ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)) {
    const m = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(f);
    if (!m) {
      throw new ConfigError(
        'sftp-host-fingerprint',
        `'${f}' is not a SHA256 host key fingerprint`,
        {
          hint: 'give it as ssh-keygen -lf prints it, e.g. SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s (separate several with commas)',
        },
      );
    }
    fingerprints.push(`SHA256:${m[1]}`);
  }
  const knownHostsText = optionString(ctx, 'sftp-known-hosts');
  const knownHosts = knownHostsText ? parseKnownHosts(contentOrFile(knownHostsText)) : [];
  if (knownHostsText && knownHosts.length === 0) {
    throw new ConfigError('sftp-known-hosts', 'holds no host keys', {
      hint: `give {{option:sftp-known-hosts}} known_hosts lines such as ssh-keyscan -p ${u.port || 22} ${u.hostname} prints them`,
    });
  }
  const accept = ctx.options['sftp-accept-unknown-host'];
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 22,
    username,
    path,
    fromHome,
    ...(privateKey ? { privateKey } : {}),
    ...(passphrase ? { passphrase } : {}),
    ...(password ? { password } : {}),
    fingerprints,
    knownHosts,
    acceptUnknownHost: accept === true,
  };
}
