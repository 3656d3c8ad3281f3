import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { createHash } from 'node:crypto';
import { crc32, createInflateRaw } from 'node:zlib';
import { IntegrityError } from '../../core/errors.ts';

/**
 * A minimal zip reader for artifact zips (what @actions/artifact uploads): reads the central
 * directory from the end, then one member at a time, so a small sidecar can be read from a
 * multi-gigabyte artifact with a few range requests. Stored and deflated members, ZIP64.
 * Every member is checked against its CRC-32 and size; the zip is treated as hostile.
 */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
  stream(offset: number, length: number): Promise<Readable>;
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
  modified: Date;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_TAIL = 22 + 0xffff + 20;

export async function readZipDirectory(src: ByteSource, label: string): Promise<ZipEntry[]> {
  const bad = (why: string) => new IntegrityError(`${label} is not a readable zip: ${why}`);
  const tailLength = Math.min(src.size, MAX_TAIL);
  const tailStart = src.size - tailLength;
  const tail = await src.read(tailStart, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw bad('no end of central directory record');
  let count = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = at - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== ZIP64_LOCATOR) throw bad('missing ZIP64 locator');
    const z64 = Number(tail.readBigUInt64LE(loc + 8));
    const rec = await src.read(z64, 56);
    if (rec.readUInt32LE(0) !== ZIP64_EOCD) throw bad('bad ZIP64 end record');
    count = Number(rec.readBigUInt64LE(32));
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > src.size) throw bad('central directory outside the file');
  const cd = await src.read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL)
      throw bad('truncated central directory');
    const method = cd.readUInt16LE(p + 10);
    const time = cd.readUInt16LE(p + 12);
    const date = cd.readUInt16LE(p + 14);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        // ZIP64 fields appear in this order, each only when its 32-bit field is saturated.
        if (size === 0xffffffff) {
          size = Number(cd.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(cd.readBigUInt64LE(q));
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    p = extraEnd + commentLength;
    const modified = new Date(
      1980 + (date >> 9),
      ((date >> 5) & 0xf) - 1,
      date & 0x1f,
      time >> 11,
      (time >> 5) & 0x3f,
      (time & 0x1f) * 2,
    );
    if (name.endsWith('/')) continue;
    entries.push({
      name: name.replace(/^\/+/, ''),
      method,
      compressedSize,
      size,
      crc32: crc,
      localHeaderOffset,
      modified,
    });
  }
  return entries;
}

/** The member's bytes, failing with IntegrityError at the end if its CRC-32 or size is wrong. */
export async function openZipEntry(
  src: ByteSource,
  entry: ZipEntry,
  label: string,
): Promise<Readable> {
  if (entry.method !== 0 && entry.method !== 8) {
    throw new IntegrityError(
      `${label}: ${entry.name} uses unsupported zip compression method ${entry.method}`,
    );
  }
  const header = await src.read(entry.localHeaderOffset, 30);
  if (header.readUInt32LE(0) !== LOCAL)
    throw new IntegrityError(`${label}: ${entry.name} has no local header`);
  const dataStart =
    entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (dataStart + entry.compressedSize > src.size) {
    throw new IntegrityError(`${label}: ${entry.name} extends past the end of the zip`);
  }
  const raw = await src.stream(dataStart, entry.compressedSize);
  let crc = 0;
  let seen = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = crc32(chunk, crc);
      seen += chunk.length;
      if (seen > entry.size)
        return done(new IntegrityError(`${label}: ${entry.name} is longer than recorded`));
      done(null, chunk);
    },
    flush(done) {
      if (seen !== entry.size || crc !== entry.crc32) {
        return done(
          new IntegrityError(
            `${label}: ${entry.name} is damaged (${seen} of ${entry.size} bytes, CRC-32 ${crc.toString(16)} instead of ${entry.crc32.toString(16)})`,
          ),
        );
      }
      done();
    },
  });
  const forward = (from: Readable | Transform, to: Transform) =>
    from.on('error', (err) =>
      to.destroy(
        err instanceof IntegrityError
          ? err
          : new IntegrityError(`${label}: ${entry.name} could not be read: ${err.message}`, {
              cause: err,
            }),
      ),
    );
  if (entry.method === 8) {
    const inflate = createInflateRaw();
    forward(raw, inflate as unknown as Transform);
    forward(inflate as unknown as Transform, check);
    raw.pipe(inflate).pipe(check);
  } else {
    forward(raw, check);
    raw.pipe(check);
  }
  return check;
}

/** Reads a whole (small) member into memory. */
export async function readZipEntry(
  src: ByteSource,
  entry: ZipEntry,
  label: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await openZipEntry(src, entry, label)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function fileByteSource(
  path: string,
): Promise<ByteSource & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    },
    async stream(offset, length) {
      if (length === 0) return Readable.from([]);
      return createReadStream(path, { start: offset, end: offset + length - 1 });
    },
    close: () => handle.close(),
  };
}

/** sha256 (hex) of a stream, passing the bytes through; `expected` makes the end fail if different. */
export function sha256Checker(expected: string, label: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const actual = hash.digest('hex');
      if (actual !== expected) {
        return done(
          new IntegrityError(
            `${label}: sha256 is ${actual}, but its .sha256 sidecar says ${expected}`,
          ),
        );
      }
      done();
    },
  });
}
