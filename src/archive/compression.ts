import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { Duplex, PassThrough, type Readable, type Writable } from 'node:stream';
import zlib from 'node:zlib';
import { startProcess } from '../core/process.ts';
import { IntegrityError } from '../core/errors.ts';
import type { Compression } from './types.ts';

/**
 * zstd level 1 with the double-fast match finder (level 2's strategy at level 1's tables): on
 * database dumps it costs what plain level 1 costs (about half of level 3's CPU) and compresses
 * slightly better than both level 1 and level 3, about as well as gzip -6. On a 2-core runner
 * the compressor competes with the server and pg_dump for CPU, so the cheapest level that
 * matches gzip's size wins.
 */
export const ZSTD_LEVEL = 1;
/** ZSTD_dfast. */
const ZSTD_STRATEGY = 2;
export const GZIP_LEVEL = 6;

const EXTENSIONS: Record<Compression, '.tar.zst' | '.tar.gz' | '.tar'> = {
  zstd: '.tar.zst',
  gzip: '.tar.gz',
  none: '.tar',
};

export function archiveExtension(c: Compression): '.tar.zst' | '.tar.gz' | '.tar' {
  return EXTENSIONS[c];
}

/** The compression of an archive key, by its extension (an `.age` suffix is looked through). */
export function compressionFromKey(key: string): Compression | undefined {
  const k = key.endsWith('.age') ? key.slice(0, -'.age'.length) : key;
  if (k.endsWith('.tar.zst')) return 'zstd';
  if (k.endsWith('.tar.gz')) return 'gzip';
  if (k.endsWith('.tar')) return 'none';
  return undefined;
}

let pathCache: { path: string; found: string | undefined } | undefined;

function findOnPath(command: string): string | undefined {
  const path = process.env.PATH ?? '';
  if (pathCache?.path === path) return pathCache.found;
  let found: string | undefined;
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, fsConstants.X_OK);
      if (statSync(candidate).isFile()) {
        found = candidate;
        break;
      }
    } catch {
      // not here
    }
  }
  pathCache = { path, found };
  return found;
}

/**
 * Which zstd does the work: the CLI (multi-threaded, much faster) when it is on PATH, else
 * Node's zlib. LIFEBOAT_ZSTD=node forces zlib (Node's own multi-threaded mode is broken:
 * nodejs/node#59899, so zlib runs single-threaded).
 */
export function zstdImplementation(): 'cli' | 'node' {
  if (process.env.LIFEBOAT_ZSTD === 'node') return 'node';
  return findOnPath('zstd') ? 'cli' : 'node';
}

export function compressStream(c: Compression): Duplex {
  switch (c) {
    case 'none':
      return new PassThrough();
    case 'gzip':
      return relay(zlib.createGzip({ level: GZIP_LEVEL }), compressError('gzip'));
    case 'zstd':
      if (zstdImplementation() === 'cli') {
        return childStream(
          findOnPath('zstd')!,
          ['-q', '-c', '-T0', `-${ZSTD_LEVEL}`, `--zstd=strategy=${ZSTD_STRATEGY}`],
          compressError('zstd'),
        );
      }
      return relay(
        zlib.createZstdCompress({
          params: {
            [zlib.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL,
            [zlib.constants.ZSTD_c_strategy]: ZSTD_STRATEGY,
            // Like the CLI: a content checksum in every frame, so corruption is caught on decompression.
            [zlib.constants.ZSTD_c_checksumFlag]: 1,
          },
        }),
        compressError('zstd'),
      );
  }
}

/** Decompression of an archive read from storage: corrupt input fails the stream with an IntegrityError. */
export function decompressStream(c: Compression): Duplex {
  switch (c) {
    case 'none':
      return new PassThrough();
    case 'gzip':
      return relay(zlib.createGunzip(), corruptError('gzip'));
    case 'zstd':
      if (zstdImplementation() === 'cli') {
        return childStream(findOnPath('zstd')!, ['-q', '-d', '-c'], corruptError('zstd'));
      }
      return relay(zlib.createZstdDecompress(), corruptError('zstd'));
  }
}

function compressError(format: string) {
  return (err: Error) => new Error(`${format} compression failed: ${err.message}`, { cause: err });
}

function corruptError(format: string) {
  return (err: Error) =>
    new IntegrityError(`the archive's ${format} stream is corrupt: ${err.message}`, {
      cause: err,
      hint: 'the stored copy is damaged: restore from another destination or another backup',
    });
}

/**
 * One Duplex over a writable end and a readable end (a zlib stream, or a child's stdin and
 * stdout), with backpressure both ways, errors mapped by `mapError`, and the readable side
 * ending only once `settle` says the work succeeded (a child's exit status).
 */
class Relay extends Duplex {
  readonly #input: Writable;
  readonly #output: Readable;
  readonly #mapError: (err: Error) => Error;
  readonly #kill: () => void;
  #pendingWrite: ((err?: Error | null) => void) | undefined;
  #failed = false;

  constructor(
    input: Writable,
    output: Readable,
    mapError: (err: Error) => Error,
    hooks: { settle?: (done: (err?: Error) => void) => void; kill?: () => void } = {},
  ) {
    super();
    this.#input = input;
    this.#output = output;
    this.#mapError = mapError;
    this.#kill = hooks.kill ?? (() => undefined);
    const settle =
      hooks.settle ?? ((done: (err?: Error) => void) => output.once('end', () => done()));

    output.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) output.pause();
    });
    output.on('error', (err: Error) => this.#fail(err));
    if (input !== (output as unknown)) input.on('error', () => this.#releaseWrite());
    input.on('drain', () => this.#releaseWrite());
    input.on('close', () => this.#releaseWrite());
    settle((err) => {
      if (err) this.#fail(err);
      else if (!this.#failed) this.push(null);
    });
  }

  #releaseWrite(): void {
    const cb = this.#pendingWrite;
    this.#pendingWrite = undefined;
    cb?.();
  }

  #fail(err: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#releaseWrite();
    this.destroy(this.#mapError(err));
  }

  override _read(): void {
    this.#output.resume();
  }

  override _write(
    chunk: Buffer,
    _enc: BufferEncoding,
    callback: (err?: Error | null) => void,
  ): void {
    if (this.#input.destroyed || this.#input.writableEnded) {
      // The other end is gone; its exit status (or error) reports why.
      callback();
      return;
    }
    if (this.#input.write(chunk)) callback();
    else this.#pendingWrite = callback;
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (!this.#input.destroyed && !this.#input.writableEnded) this.#input.end();
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.#failed = true;
    this.#releaseWrite();
    this.#kill();
    callback(err);
  }
}

function relay(stream: Duplex, mapError: (err: Error) => Error): Duplex {
  return new Relay(stream, stream, mapError, { kill: () => stream.destroy() });
}

function childStream(command: string, args: string[], mapError: (err: Error) => Error): Duplex {
  const run = startProcess({
    tool: basename(command),
    command,
    args,
    // zstd needs nothing from the environment, and gets none of its secrets.
    env: { PATH: process.env.PATH ?? '' },
    stdin: 'pipe',
    stdout: 'pipe',
    failure: (message, options) => new Error(message, options),
  });
  let stdinError: Error | undefined;
  run.stdin!.on('error', (err: Error) => {
    stdinError = err;
  });
  return new Relay(run.stdin!, run.stdout!, mapError, {
    settle: (done) => {
      void run.exited.then((status) => {
        if (status.code === 0) done(stdinError);
        else done(run.failure(status));
      });
    },
    kill: () => run.stop(),
  });
}
