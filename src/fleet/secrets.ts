import { ConfigError } from '../core/errors.ts';
import { schemeOf } from '../core/url.ts';
import { acceptedSourceSchemes, sourceEntries } from '../sources/registry.ts';
import { acceptedStorageSchemes, storageEntries } from '../storage/registry.ts';

/** A source's kind ('postgres', 'sqlite', …) from its URL (`name=URL` allowed); ConfigError otherwise. */
export function sourceKind(line: string, option = 'source'): string {
  const url = withoutName(line);
  const scheme = schemeOf(url);
  const entry = scheme ? sourceEntries.find((e) => e.schemes.includes(scheme)) : undefined;
  if (!entry) {
    throw new ConfigError(option, `'${redact(url)}' is not a source URL`, {
      hint: `use one of ${acceptedSourceSchemes().join(' ')}`,
    });
  }
  return entry.kind;
}

/** A storage URL's scheme ('s3', 'file', …); ConfigError otherwise. */
export function storageScheme(url: string, option = 'destination'): string {
  const scheme = schemeOf(url);
  if (!scheme || !storageEntries.some((e) => e.schemes.includes(scheme))) {
    throw new ConfigError(option, `'${redact(url)}' is not a storage URL`, {
      hint: `use one of ${acceptedStorageSchemes().join(' ')}`,
    });
  }
  return scheme;
}

/** `name=URL` → URL; a bare URL stays as it is. */
export function withoutName(line: string): string {
  const m = /^([\w.-]+)=(.+)$/.exec(line.trim());
  return m && !m[1]!.includes(':') ? m[2]! : line.trim();
}

/** The source's own name when given as `name=URL`. */
export function sourceName(line: string): string | undefined {
  const m = /^([\w.-]+)=(.+)$/.exec(line.trim());
  return m ? m[1] : undefined;
}

/**
 * Refuses a password inside a URL: workflows and fleet configs are committed, so credentials
 * travel as secrets (PGPASSWORD, MYSQL_PWD, …) instead.
 */
export function refuseInlinePassword(url: string, option: string): void {
  let password: string;
  try {
    password = new URL(withoutName(url)).password;
  } catch {
    return;
  }
  if (password) {
    throw new ConfigError(
      option,
      `'${redact(url)}' has a password in it, and this file is committed`,
      {
        hint: 'remove the password from the URL; the workflows pass it from a repository secret (PGPASSWORD, MYSQL_PWD, REDIS_PASSWORD)',
      },
    );
  }
}

const SOURCE_SECRETS: Record<string, string[]> = {
  postgres: ['PGPASSWORD'],
  mysql: ['MYSQL_PWD'],
  redis: ['REDIS_PASSWORD'],
};
const STORAGE_SECRETS: Record<string, string[]> = {
  s3: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  gs: ['GOOGLE_HMAC_ACCESS_KEY_ID', 'GOOGLE_HMAC_SECRET'],
  azblob: ['AZURE_STORAGE_CONNECTION_STRING'],
  sftp: ['SFTP_PRIVATE_KEY'],
};

/** The secrets the reusable workflows need for these sources and destinations, in a stable order. */
export function secretsFor(sources: readonly string[], destinations: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of sources) for (const n of SOURCE_SECRETS[sourceKind(s)] ?? []) out.add(n);
  for (const d of destinations) for (const n of STORAGE_SECRETS[storageScheme(d)] ?? []) out.add(n);
  return [...out];
}

/** Storage secrets only (list, drill and status read the store, not the database). */
export function storageSecretsFor(destinations: readonly string[]): string[] {
  return secretsFor([], destinations);
}

function redact(url: string): string {
  return url.replace(/\/\/([^/@]*)@/, (_, auth: string) => `//${auth.split(':')[0]}@`);
}
