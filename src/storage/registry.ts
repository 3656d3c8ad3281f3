import { ConfigError } from '../core/errors.ts';
import { redactUrl } from '../core/log.ts';
import { schemeOf } from '../core/url.ts';
import type { OptionSpec } from '../core/option-spec.ts';
import { artifactOptions } from './artifact/options.ts';
import { azblobOptions } from './azblob/options.ts';
import { fileOptions } from './file/options.ts';
import { s3Options } from './s3/options.ts';
import { sftpOptions } from './sftp/options.ts';
import type { Storage, StorageContext, StorageFactory } from './types.ts';

/**
 * A backend's kind, its schemes, the options it reads (declared in its own `options.ts`, which
 * imports nothing heavy) and how to load it: its SDK is imported only when a URL names it.
 */
export interface StorageEntry {
  kind: string;
  schemes: string[];
  options: readonly OptionSpec[];
  load: () => Promise<StorageFactory>;
}

/**
 * Every storage backend. Adding one is one folder in src/storage (its code and its
 * `options.ts`) and one line here. Checked against StorageEntry[], not annotated, so each
 * line's option names and types reach the schema's typed OptionValues.
 */
export const storageEntries = [
  {
    kind: 'file',
    schemes: ['file'],
    options: fileOptions,
    load: () => import('./file/index.ts').then((m) => m.fileStorage),
  },
  {
    kind: 's3',
    schemes: ['s3', 'gs'],
    options: s3Options,
    load: () => import('./s3/index.ts').then((m) => m.s3Storage),
  },
  {
    kind: 'azblob',
    schemes: ['azblob'],
    options: azblobOptions,
    load: () => import('./azblob/index.ts').then((m) => m.azblobStorage),
  },
  {
    kind: 'sftp',
    schemes: ['sftp'],
    options: sftpOptions,
    load: () => import('./sftp/index.ts').then((m) => m.sftpStorage),
  },
  {
    kind: 'artifact',
    schemes: ['artifact'],
    options: artifactOptions,
    load: () => import('./artifact/index.ts').then((m) => m.artifactStorage),
  },
] satisfies StorageEntry[];

/**
 * `memory:` keeps backups in the process, gone when it exits: for tests only, so a user can
 * never choose it. Test files turn it on with this environment variable.
 */
export const TEST_MEMORY_STORAGE_ENV = 'LIFEBOAT_TEST_MEMORY_STORAGE';
const memoryEntry: StorageEntry = {
  kind: 'memory',
  schemes: ['memory'],
  options: [],
  load: () => import('./memory.ts').then((m) => m.memoryStorage),
};

export function acceptedStorageSchemes(): string[] {
  return storageEntries.flatMap((f) => f.schemes.map((s) => `${s}:`));
}

export async function openStorage(
  url: string,
  ctx: StorageContext,
  option = 'destination',
): Promise<Storage> {
  const scheme = schemeOf(url);
  const entry =
    scheme === 'memory' && process.env[TEST_MEMORY_STORAGE_ENV] === '1'
      ? memoryEntry
      : scheme
        ? storageEntries.find((f) => f.schemes.includes(scheme))
        : undefined;
  if (!entry) {
    throw new ConfigError(
      option,
      scheme
        ? `unknown scheme '${scheme}:' in '${redactUrl(url)}'`
        : `'${redactUrl(url)}' has no scheme`,
      { hint: `use one of ${acceptedStorageSchemes().join(' ')}` },
    );
  }
  const factory = await entry.load();
  return factory.create(url, ctx);
}
