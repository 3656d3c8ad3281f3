import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { IntegrityError } from '../core/errors.ts';

/** A pass-through that hashes (sha256) and counts the bytes flowing through it. */
export class HashingStream extends Transform {
  readonly #hash: Hash = createHash('sha256');
  #bytes = 0;
  #digest: string | undefined;

  get bytes(): number {
    return this.#bytes;
  }

  /** Hex sha256 of everything that passed; available once the writable side has finished. */
  digest(): string {
    if (this.#digest === undefined)
      throw new Error('HashingStream.digest() called before the stream ended');
    return this.#digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#digest = this.#hash.digest('hex');
    callback();
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** One line in `sha256sum -c` format: "<hex>  <name>\n". */
export function sha256sumLine(sha256: string, fileName: string): string {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
  if (fileName === '' || /[\n\r\\]/.test(fileName))
    throw new Error(`file name cannot go in a sha256sum line: ${fileName}`);
  return `${sha256}  ${fileName}\n`;
}

/** Parses a one-line `sha256sum` file (text or binary mode marker). */
export function parseSha256sum(text: string): { sha256: string; fileName: string } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const m = lines.length === 1 ? /^([0-9a-fA-F]{64}) [ *](.+?)\r?$/.exec(lines[0]!) : null;
  if (!m) {
    throw new IntegrityError('the .sha256 file is not a single `sha256sum` line', {
      hint: 'it should read "<64 hex digits>  <archive file name>"',
    });
  }
  return { sha256: m[1]!.toLowerCase(), fileName: m[2]! };
}
