import type { Readable } from 'node:stream';
import type { ObjectInfo, Storage } from '../storage/types.ts';
import { metered, type ProgressReporter } from '../core/progress.ts';

const ARCHIVE = /\.tar(\.zst|\.gz)?(\.age)?$/;

/**
 * Reports progress on every archive upload and read (backup, read-back, verify, restore) by
 * counting the bytes that pass, so no command has to. Sidecars are small and not reported.
 * Sizes seen in listings and uploads give reads their total, for percent and time left.
 */
export function withProgress(storage: Storage, progress: ProgressReporter): Storage {
  const sizes = new Map<string, number>();
  const remember = (objects: ObjectInfo[]) => {
    for (const o of objects) if (ARCHIVE.test(o.key)) sizes.set(o.key, o.size);
    return objects;
  };
  return {
    ...storage,
    async put(key, body, options) {
      if (!ARCHIVE.test(key)) return storage.put(key, body, options);
      const task = progress.start(`Uploading to ${storage.displayUrl}`, {
        total: options?.size,
      });
      try {
        const result = await storage.put(key, metered(body, task), options);
        sizes.set(key, result.size);
        return result;
      } finally {
        // A put that failed without reading its body to the end leaves the meter running.
        task.end();
      }
    },
    async get(key, options) {
      const stream: Readable = await storage.get(key, options);
      if (!ARCHIVE.test(key)) return stream;
      const task = progress.start(`Reading from ${storage.displayUrl}`, {
        total: sizes.get(key),
      });
      return metered(stream, task);
    },
    async list(prefix) {
      return remember(await storage.list(prefix));
    },
    async stat(key) {
      const info = await storage.stat(key);
      if (info) remember([info]);
      return info;
    },
  };
}
