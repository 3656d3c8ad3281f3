import { ConfigError } from '../core/errors.ts';
import { redactUrl } from '../core/log.ts';
import { schemeOf } from '../core/url.ts';
import type { Storage, StorageContext, StorageFactory } from './types.ts';

/** A backend's schemes, and how to load it: its SDK is imported only when a URL names it. */
export interface StorageEntry {
  schemes: string[];
  load: () => Promise<StorageFactory>;
}

/** Every storage backend. Adding one is one file in src/storage and one line here. */
export const storageEntries: StorageEntry[] = [
  { schemes: ['file'], load: () => import('./file.ts').then((m) => m.fileStorage) },
  { schemes: ['s3', 'gs'], load: () => import('./s3/index.ts').then((m) => m.s3Storage) },
  { schemes: ['azblob'], load: () => import('./azblob.ts').then((m) => m.azblobStorage) },
  { schemes: ['sftp'], load: () => import('./sftp/index.ts').then((m) => m.sftpStorage) },
  {
    schemes: ['artifact'],
    load: () => import('./artifact/index.ts').then((m) => m.artifactStorage),
  },
];

/**
 * `memory:` keeps backups in the process, gone when it exits: for tests only, so a user can
 * never choose it. Test files turn it on with this environment variable.
 */
export const TEST_MEMORY_STORAGE_ENV = 'LIFEBOAT_TEST_MEMORY_STORAGE';
const memoryEntry: StorageEntry = {
  schemes: ['memory'],
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
