import { ConfigError } from '../engine/errors.ts';
import { redactUrl } from '../engine/log.ts';
import { schemeOf } from '../engine/url.ts';
import { artifactStorage } from './artifact.ts';
import { azblobStorage } from './azblob.ts';
import { fileStorage } from './file.ts';
import { memoryStorage } from './memory.ts';
import { s3Storage } from './s3.ts';
import { sftpStorage } from './sftp.ts';
import type { Storage, StorageContext, StorageFactory } from './types.ts';

/** Every storage backend. Adding one is one file in src/storage and one line here. */
export const storageFactories: StorageFactory[] = [fileStorage, memoryStorage, s3Storage, azblobStorage, sftpStorage, artifactStorage];

export function acceptedStorageSchemes(): string[] {
  return storageFactories.flatMap((f) => f.schemes.map((s) => `${s}:`));
}

export async function openStorage(url: string, ctx: StorageContext, option = 'destination'): Promise<Storage> {
  const scheme = schemeOf(url);
  const factory = scheme ? storageFactories.find((f) => f.schemes.includes(scheme)) : undefined;
  if (!factory) {
    throw new ConfigError(
      option,
      scheme ? `unknown scheme '${scheme}:' in '${redactUrl(url)}'` : `'${redactUrl(url)}' has no scheme`,
      { hint: `use one of ${acceptedStorageSchemes().join(' ')}` },
    );
  }
  return factory.create(url, ctx);
}
