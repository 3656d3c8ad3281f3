import { createHash } from 'node:crypto';
import { Readable, addAbortSignal } from 'node:stream';
import { ConfigError, StorageError } from '../core/errors.ts';
import { BodyDigest, checkAnnounced, chunksOf, expectLength } from './body.ts';
import { checkKey, checkPrefix } from './keys.ts';
import { toStorageError } from './retry.ts';
import type {
  GetOptions,
  ObjectInfo,
  PutOptions,
  PutResult,
  Storage,
  StorageCapabilities,
  StorageContext,
  StorageFactory,
} from './types.ts';

interface MemoryObject {
  data: Buffer;
  modified: Date;
  sha256: string;
}

/** Named instances live as long as the process, so two opens of `memory:x` share objects. */
const instances = new Map<string, Map<string, MemoryObject>>();

/** Forget one named instance (or all of them), for test cleanup. */
export function clearMemoryStorage(name?: string): void {
  if (name === undefined) instances.clear();
  else instances.delete(name);
}

const READ_CHUNK = 64 * 1024;

/**
 * `memory:<name>`: an in-process store for tests, with the same semantics as the real ones:
 * an object becomes visible only when its put completed, and it is never mutated in place.
 */
export class MemoryStorage implements Storage {
  readonly displayUrl: string;
  readonly capabilities: StorageCapabilities = {
    atomicPut: true,
    conditionalCreate: true,
    rangeReads: true,
    listing: 'strong',
    maxConnections: 16,
    groupCommit: 'in-order',
  };
  private readonly objects: Map<string, MemoryObject>;

  constructor(name: string) {
    this.displayUrl = `memory:${name}`;
    let objects = instances.get(name);
    if (!objects) {
      objects = new Map();
      instances.set(name, objects);
    }
    this.objects = objects;
  }

  async put(key: string, body: Readable, options?: PutOptions): Promise<PutResult> {
    checkKey(key, this.displayUrl);
    const digest = new BodyDigest();
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of chunksOf(body, options?.signal)) {
        digest.update(chunk);
        chunks.push(Buffer.from(chunk));
      }
    } catch (err) {
      if (options?.signal?.aborted) {
        throw new StorageError(`put ${key} to ${this.displayUrl} was aborted`, {
          cause: options.signal.reason,
        });
      }
      throw toStorageError(err, `put ${key} to ${this.displayUrl} failed`);
    }
    const result = digest.result();
    checkAnnounced(key, this.displayUrl, options, result);
    this.objects.set(key, {
      data: Buffer.concat(chunks),
      modified: new Date(),
      sha256: result.sha256,
    });
    return result;
  }

  async get(key: string, options?: GetOptions): Promise<Readable> {
    checkKey(key, this.displayUrl);
    const object = this.objects.get(key);
    if (!object) throw notFound(key, this.displayUrl);
    const start = options?.offset ?? 0;
    const size = object.data.length;
    // Reads the record's bytes as they are at each chunk: a put replaces the record, so only
    // the test hook `shrinkForTest` changes what a running read sees.
    const stream = expectLength(
      Readable.from(
        (function* () {
          for (let at = start; at < object.data.length; at += READ_CHUNK)
            yield Buffer.from(object.data.subarray(at, at + READ_CHUNK));
        })(),
        { objectMode: false },
      ),
      Math.max(0, size - start),
      `${this.displayUrl} ${key}`,
      (err) => toStorageError(err, `get ${key} from ${this.displayUrl} failed`),
      start,
    );
    return options?.signal ? addAbortSignal(options.signal, stream) : stream;
  }

  /**
   * Tests only: cut the stored bytes of `key` to `bytes`, under reads already running, as a
   * store that loses the rest of an object mid-read would (the conformance suite's truncation).
   */
  shrinkForTest(key: string, bytes: number): void {
    const object = this.objects.get(key);
    if (object) object.data = object.data.subarray(0, bytes);
  }

  async createExclusive(key: string, body: Buffer): Promise<boolean> {
    checkKey(key, this.displayUrl);
    if (this.objects.has(key)) return false;
    this.objects.set(key, {
      data: Buffer.from(body),
      modified: new Date(),
      sha256: createHash('sha256').update(body).digest('hex'),
    });
    return true;
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    checkKey(key, this.displayUrl);
    const object = this.objects.get(key);
    return object && infoOf(key, object);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    checkPrefix(prefix, this.displayUrl);
    return [...this.objects]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, o]) => infoOf(key, o));
  }

  async delete(key: string): Promise<void> {
    checkKey(key, this.displayUrl);
    this.objects.delete(key);
  }
}

function infoOf(key: string, o: MemoryObject): ObjectInfo {
  return { key, size: o.data.length, modified: o.modified, sha256: o.sha256 };
}

function notFound(key: string, where: string): StorageError {
  return new StorageError(`${key} not found on ${where}`, { notFound: true });
}

export const memoryStorage: StorageFactory = {
  schemes: ['memory'],
  create(url: string, _ctx: StorageContext): Storage {
    const name = url.replace(/^memory:(\/\/)?/i, '');
    if (!name) {
      throw new ConfigError('destination', `'${url}' names no memory store`, {
        hint: 'write it as memory:<name>',
      });
    }
    return new MemoryStorage(name);
  },
};
