import { createHash, type Hash } from 'node:crypto';
import { addAbortSignal, Transform, type Readable } from 'node:stream';
import { IntegrityError, StorageError } from '../core/errors.ts';
import type { PutOptions, PutResult } from './types.ts';

/**
 * The chunks of a put body as Buffers (bodies built with `Readable.from(['text'])` yield
 * strings). An abort of `signal` destroys the body, which ends the loop with an error.
 */
export async function* chunksOf(body: Readable, signal?: AbortSignal): AsyncGenerator<Buffer> {
  signal?.throwIfAborted();
  if (signal) addAbortSignal(signal, body);
  for await (const chunk of body) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
  }
}

/** sha256 and size of the bytes as they pass, so put can report them without a second read. */
export class BodyDigest {
  private readonly hash: Hash = createHash('sha256');
  size = 0;

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.size += chunk.length;
  }

  result(): PutResult {
    return { size: this.size, sha256: this.hash.digest('hex') };
  }
}

/** A caller that announced the sha256 or size up front gets a failed put, not a wrong object. */
export function checkAnnounced(
  key: string,
  where: string,
  options: PutOptions | undefined,
  got: PutResult,
): void {
  if (options?.sha256 !== undefined && options.sha256.toLowerCase() !== got.sha256) {
    throw new IntegrityError(
      `${key} on ${where}: received bytes have sha256 ${got.sha256}, but ${options.sha256} was announced`,
    );
  }
  if (options?.size !== undefined && options.size !== got.size) {
    throw new IntegrityError(
      `${key} on ${where}: received ${got.size} bytes, but ${options.size} were announced`,
    );
  }
}

/**
 * The object's bytes from `stream`, failing with a classified StorageError (reason
 * 'truncated', transient so a retried read resumes at the byte it reached) when the stream
 * ends before `expected` bytes, and classifying any error the stream itself raises with
 * `classify`. Every backend's get() returns its stream through this once it knows the size, so
 * a cut-off read is never mistaken for a short object.
 */
export function expectLength(
  stream: Readable,
  expected: number | undefined,
  where: string,
  classify: (err: unknown) => Error,
  /** The byte of the object the stream starts at (a ranged read). */
  start = 0,
): Readable {
  let seen = 0;
  const truncated = (message: string) =>
    new TruncatedRead(message, expected === undefined ? undefined : start + expected);
  const out = new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      seen += buf.length;
      done(null, buf);
    },
    flush(done) {
      if (expected !== undefined && seen < expected) {
        done(truncated(`${where}: the read ended after ${seen} of ${expected} bytes (truncated)`));
        return;
      }
      done();
    },
  });
  stream.on('error', (err) => out.destroy(classify(err)));
  // A reader that stops early (or is destroyed) releases the store's stream too.
  out.on('close', () => {
    if (!stream.destroyed) stream.destroy();
  });
  // A source that closes without 'end' and without an error was cut off.
  stream.on('close', () => {
    if (!stream.readableEnded && !out.destroyed && !stream.errored) {
      out.destroy(truncated(`${where}: the read was cut off after ${seen} bytes (truncated)`));
    }
  });
  stream.pipe(out);
  return out;
}

/**
 * A read that ended before the object's end, which it names (`end`, the object's size when the
 * read was opened), so a retry that resumes it can tell a complete resumed read from one that
 * stops at the same place again.
 */
export class TruncatedRead extends StorageError {
  readonly end: number | undefined;
  constructor(message: string, end: number | undefined) {
    super(message, { transient: true, reason: 'truncated' });
    this.end = end;
  }
}
