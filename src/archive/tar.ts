import { IntegrityError } from '../core/errors.ts';

/**
 * A minimal POSIX pax tar codec: ustar headers plus 'x' extended headers, 512-byte blocks.
 * It writes only what Lifeboat archives need and, when reading, accepts only that: the input
 * comes from storage we do not control, so every field is checked before it is trusted.
 */

export const BLOCK_SIZE = 512;
/** Two zero blocks end a tar archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK_SIZE);

export type TarEntryType = 'file' | 'directory' | 'symlink';

export interface TarHeader {
  /** Full entry name; directories end with '/'. */
  name: string;
  type: TarEntryType;
  size: number;
  mode: number;
  /** Milliseconds since the epoch (integer). */
  mtimeMs: number;
  linkname?: string;
  /** Extra pax records (vendor keywords), written in the given order. */
  records?: Array<[string, string]>;
}

/** Largest value an 11-digit octal ustar field holds. */
const MAX_OCTAL_11 = 0o77777777777;
const TYPE_FLAGS: Record<TarEntryType, string> = { file: '0', directory: '5', symlink: '2' };

export function paddingFor(size: number): number {
  const rest = size % BLOCK_SIZE;
  return rest === 0 ? 0 : BLOCK_SIZE - rest;
}

function isPlainAscii(s: string, maxBytes: number): boolean {
  return s.length <= maxBytes && /^[\x20-\x7e]*$/.test(s);
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  bytes.copy(block, offset, 0, Math.min(bytes.length, length));
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

/** One pax record: "<len> <key>=<value>\n", where len counts the whole record. */
export function paxRecord(key: string, value: string): Buffer {
  const body = Buffer.byteLength(key) + Buffer.byteLength(value) + 3;
  const digits = String(body).length;
  let len = body + digits;
  if (String(len).length !== digits) len = body + String(len).length;
  return Buffer.from(`${len} ${key}=${value}\n`, 'utf8');
}

function formatPaxTime(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const sec = Math.floor(abs / 1000);
  const frac = abs % 1000;
  return frac === 0 ? `${sign}${sec}` : `${sign}${sec}.${String(frac).padStart(3, '0')}`;
}

function ustarBlock(h: {
  name: string;
  flag: string;
  size: number;
  mode: number;
  mtimeSec: number;
  linkname: string;
}): Buffer {
  const block = Buffer.alloc(BLOCK_SIZE);
  writeString(block, 0, 100, h.name);
  writeOctal(block, 100, 8, h.mode & 0o7777);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, h.size);
  writeOctal(block, 136, 12, h.mtimeSec);
  block.write(h.flag, 156, 1, 'ascii');
  writeString(block, 157, 100, h.linkname);
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) sum += block[i]!;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return block;
}

/** A placeholder ustar name for entries whose real name travels in the pax `path` record. */
function fallbackName(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return ascii.length <= 100 ? ascii : ascii.slice(ascii.length - 100);
}

/** Encodes the header blocks of one entry: an optional pax 'x' entry, then the ustar header. */
export function encodeHeader(h: TarHeader): Buffer {
  if (!Number.isSafeInteger(h.mtimeMs)) throw new RangeError(`invalid mtime for ${h.name}`);
  if (!Number.isSafeInteger(h.size) || h.size < 0)
    throw new RangeError(`invalid size for ${h.name}`);
  const records: Buffer[] = [];
  let name = h.name;
  let linkname = h.linkname ?? '';
  if (!isPlainAscii(h.name, 100)) {
    records.push(paxRecord('path', h.name));
    name = fallbackName(h.name);
  }
  if (!isPlainAscii(linkname, 100)) {
    records.push(paxRecord('linkpath', linkname));
    linkname = fallbackName(linkname);
  }
  let size = h.size;
  if (size > MAX_OCTAL_11) {
    records.push(paxRecord('size', String(size)));
    size = 0;
  }
  let mtimeSec = Math.floor(h.mtimeMs / 1000);
  if (h.mtimeMs % 1000 !== 0 || mtimeSec < 0 || mtimeSec > MAX_OCTAL_11) {
    records.push(paxRecord('mtime', formatPaxTime(h.mtimeMs)));
    mtimeSec = Math.min(Math.max(mtimeSec, 0), MAX_OCTAL_11);
  }
  for (const [k, v] of h.records ?? []) records.push(paxRecord(k, v));

  const main = ustarBlock({
    name,
    flag: TYPE_FLAGS[h.type],
    size,
    mode: h.mode,
    mtimeSec,
    linkname,
  });
  if (records.length === 0) return main;
  const pax = Buffer.concat(records);
  const base = h.name.replace(/\/$/, '').split('/').pop() ?? 'entry';
  const paxHeader = ustarBlock({
    name: fallbackName(`PaxHeaders/${base}`),
    flag: 'x',
    size: pax.length,
    mode: 0o644,
    mtimeSec,
    linkname: '',
  });
  return Buffer.concat([paxHeader, pax, Buffer.alloc(paddingFor(pax.length)), main]);
}

// ---- reading ----

export interface ParsedEntry {
  name: string;
  type: TarEntryType;
  size: number;
  mode: number;
  mtimeMs: number;
  linkname: string;
  /** All pax records of the entry (standard and vendor), by keyword. */
  pax: Map<string, string>;
}

export interface TarLimits {
  /** Largest pax extended header accepted. */
  maxPaxSize: number;
}

const DEFAULT_LIMITS: TarLimits = { maxPaxSize: 1024 * 1024 };

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new IntegrityError('archive stream produced something other than bytes');
}

/** Exact-length reads over an async byte stream. */
export class ByteSource {
  readonly #it: AsyncIterator<unknown>;
  #bufs: Buffer[] = [];
  #len = 0;
  #eof = false;
  /** Bytes handed out so far (for error messages). */
  position = 0;

  constructor(input: AsyncIterable<unknown>) {
    this.#it = input[Symbol.asyncIterator]();
  }

  async #pull(): Promise<boolean> {
    if (this.#eof) return false;
    const r = await this.#it.next();
    if (r.done) {
      this.#eof = true;
      return false;
    }
    const b = toBuffer(r.value);
    if (b.length > 0) {
      this.#bufs.push(b);
      this.#len += b.length;
    }
    return true;
  }

  /** Exactly n bytes, or an IntegrityError naming what was cut short. */
  async read(n: number, what: string): Promise<Buffer> {
    while (this.#len < n) {
      if (!(await this.#pull())) {
        throw new IntegrityError(
          `archive is truncated: it ends at byte ${this.position + this.#len} inside ${what}`,
          {
            hint: 'the stored copy is incomplete: restore from another destination or another backup',
          },
        );
      }
    }
    return this.#take(n);
  }

  /**
   * Exactly n bytes as the pieces they arrived in (views, no copy), or an IntegrityError naming
   * what was cut short. For large bodies: a contiguous copy costs an allocation of the body's
   * size, a copy of every byte and the garbage collections that large allocations bring on.
   */
  async readPieces(n: number, what: string): Promise<Buffer[]> {
    const pieces: Buffer[] = [];
    let left = n;
    while (left > 0) {
      if (this.#len === 0 && !(await this.#pull())) {
        throw new IntegrityError(
          `archive is truncated: it ends at byte ${this.position} inside ${what}`,
          {
            hint: 'the stored copy is incomplete: restore from another destination or another backup',
          },
        );
      }
      const piece = this.#take(Math.min(left, this.#bufs[0]!.length));
      pieces.push(piece);
      left -= piece.length;
    }
    return pieces;
  }

  /** Up to n bytes; an empty buffer only at the end of the stream. */
  async readSome(n: number): Promise<Buffer> {
    while (this.#len === 0) if (!(await this.#pull())) return Buffer.alloc(0);
    return this.#take(Math.min(n, this.#len));
  }

  #take(n: number): Buffer {
    this.position += n;
    if (n === 0) return Buffer.alloc(0);
    const first = this.#bufs[0]!;
    if (first.length >= n) {
      this.#len -= n;
      if (first.length === n) this.#bufs.shift();
      else this.#bufs[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const b = this.#bufs[0]!;
      const take = Math.min(b.length, n - filled);
      b.copy(out, filled, 0, take);
      filled += take;
      if (take === b.length) this.#bufs.shift();
      else this.#bufs[0] = b.subarray(take);
    }
    this.#len -= n;
    return out;
  }

  /** Stops reading; destroys the input if it is a stream. */
  async close(): Promise<void> {
    if (!this.#eof) await this.#it.return?.();
  }
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

function fieldText(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? length : nul).toString('utf8');
}

/** An octal (NUL/space terminated) or base-256 numeric field. */
export function parseNumber(block: Buffer, offset: number, length: number, field: string): number {
  const raw = block.subarray(offset, offset + length);
  const first = raw[0]!;
  if (first & 0x80) {
    // base-256: big-endian two's complement, high bit of the first byte set.
    const negative = first === 0xff;
    if (!negative && first !== 0x80)
      throw new IntegrityError(`tar header has a malformed ${field} field`);
    let value = 0;
    for (let i = 1; i < raw.length; i++) {
      value = value * 256 + (negative ? 255 - raw[i]! : raw[i]!);
      if (value > Number.MAX_SAFE_INTEGER)
        throw new IntegrityError(`tar header ${field} field is out of range`);
    }
    return negative ? -(value + 1) : value;
  }
  const text = raw
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new IntegrityError(`tar header has a malformed ${field} field`);
  const value = parseInt(text, 8);
  if (!Number.isSafeInteger(value))
    throw new IntegrityError(`tar header ${field} field is out of range`);
  return value;
}

function checksumOk(block: Buffer): boolean {
  const stored = parseNumber(block, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

interface RawHeader {
  name: string;
  flag: string;
  size: number;
  mode: number;
  mtimeSec: number;
  linkname: string;
}

function parseUstar(block: Buffer, at: number): RawHeader {
  const magic = block.subarray(257, 263).toString('latin1');
  if (magic !== 'ustar\0' && magic !== 'ustar ') {
    throw new IntegrityError(`archive has no valid tar header at byte ${at}`);
  }
  if (!checksumOk(block)) throw new IntegrityError(`tar header checksum mismatch at byte ${at}`);
  const prefix = fieldText(block, 345, 155);
  const name = fieldText(block, 0, 100);
  return {
    name: prefix && magic === 'ustar\0' ? `${prefix}/${name}` : name,
    flag: String.fromCharCode(block[156]!),
    size: parseNumber(block, 124, 12, 'size'),
    mode: parseNumber(block, 100, 8, 'mode'),
    mtimeSec: parseNumber(block, 136, 12, 'mtime'),
    linkname: fieldText(block, 157, 100),
  };
}

/** Parses a pax extended header body into keyword → value (UTF-8). */
export function parsePax(buf: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    if (space === -1 || space - pos > 20) throw new IntegrityError('malformed pax extended header');
    const lenText = buf.subarray(pos, space).toString('latin1');
    if (!/^[1-9][0-9]*$/.test(lenText)) throw new IntegrityError('malformed pax extended header');
    const len = Number(lenText);
    const end = pos + len;
    if (end > buf.length || buf[end - 1] !== 0x0a)
      throw new IntegrityError('malformed pax extended header');
    const record = buf.subarray(space + 1, end - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq <= 0) throw new IntegrityError('malformed pax extended header record');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (value === '') out.delete(key);
    else out.set(key, value);
    pos = end;
  }
  return out;
}

/** Parses a pax time ("sec[.frac]", optionally negative) into whole milliseconds. */
export function parsePaxTime(value: string): number {
  const m = /^(-?)([0-9]{1,15})(?:\.([0-9]+))?$/.exec(value);
  if (!m) throw new IntegrityError(`malformed pax mtime '${value.slice(0, 40)}'`);
  const ms = Number(m[2]) * 1000 + Number((m[3] ?? '').slice(0, 3).padEnd(3, '0'));
  return m[1] ? -ms : ms;
}

function parseDecimal(value: string, field: string): number {
  if (!/^[0-9]{1,16}$/.test(value))
    throw new IntegrityError(`malformed pax ${field} '${value.slice(0, 40)}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new IntegrityError(`pax ${field} is out of range`);
  return n;
}

/**
 * Reads tar entries one at a time. After `next()` returns an entry, its body must be read
 * with `readBody()` (or skipped with `skipBody()`) before `next()` is called again.
 */
export class TarReader {
  readonly #src: ByteSource;
  readonly #limits: TarLimits;
  #pendingBody = 0;

  constructor(input: AsyncIterable<unknown>, limits: Partial<TarLimits> = {}) {
    this.#src = new ByteSource(input);
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get position(): number {
    return this.#src.position;
  }

  /** The next entry's header, or null at the end-of-archive marker (a zero block). */
  async next(): Promise<ParsedEntry | null> {
    if (this.#pendingBody !== 0)
      throw new Error('TarReader.next() called before the previous body was read');
    let pax: Map<string, string> | undefined;
    for (;;) {
      const at = this.#src.position;
      const block = await this.#src.read(BLOCK_SIZE, 'a tar header');
      if (isZeroBlock(block)) {
        if (pax) throw new IntegrityError(`archive ends right after a pax header at byte ${at}`);
        return null;
      }
      const raw = parseUstar(block, at);
      if (raw.flag === 'x') {
        if (pax) throw new IntegrityError(`two pax headers in a row at byte ${at}`);
        if (raw.size > this.#limits.maxPaxSize) {
          throw new IntegrityError(
            `pax header at byte ${at} is ${raw.size} bytes, more than the allowed ${this.#limits.maxPaxSize}`,
          );
        }
        const body = await this.#src.read(raw.size, 'a pax header');
        await this.#readPadding(raw.size, 'a pax header');
        pax = parsePax(body);
        continue;
      }
      return this.#entry(raw, pax ?? new Map(), at);
    }
  }

  #entry(raw: RawHeader, pax: Map<string, string>, at: number): ParsedEntry {
    let type: TarEntryType;
    if (raw.flag === '0' || raw.flag === '\0') type = 'file';
    else if (raw.flag === '5') type = 'directory';
    else if (raw.flag === '2') type = 'symlink';
    else {
      const kinds: Record<string, string> = {
        '1': 'hardlink',
        '3': 'character device',
        '4': 'block device',
        '6': 'fifo',
        '7': 'contiguous file',
        g: 'global pax header',
        L: 'GNU long name',
        K: 'GNU long link',
      };
      throw new IntegrityError(
        `archive holds an unsupported tar entry (${kinds[raw.flag] ?? `type '${raw.flag}'`}) at byte ${at}`,
      );
    }
    const size = pax.has('size') ? parseDecimal(pax.get('size')!, 'size') : raw.size;
    if (size < 0) throw new IntegrityError(`tar entry at byte ${at} has a negative size`);
    if (type !== 'file' && size !== 0) {
      throw new IntegrityError(`tar ${type} entry at byte ${at} has a body (${size} bytes)`);
    }
    const mtimeMs = pax.has('mtime') ? parsePaxTime(pax.get('mtime')!) : raw.mtimeSec * 1000;
    const name = pax.get('path') ?? raw.name;
    if (name === '' || name.includes('\0'))
      throw new IntegrityError(`tar entry at byte ${at} has an invalid name`);
    const linkname = pax.get('linkpath') ?? raw.linkname;
    this.#pendingBody = size;
    return { name, type, size, mode: raw.mode & 0o7777, mtimeMs, linkname, pax };
  }

  /** The whole body of the current entry as the pieces it arrived in (see ByteSource.readPieces). */
  async readBodyPieces(what: string): Promise<Buffer[]> {
    const size = this.#pendingBody;
    const pieces = await this.#src.readPieces(size, what);
    await this.#readPadding(size, what);
    this.#pendingBody = 0;
    return pieces;
  }

  /** The whole body of the current entry (callers bound `size` first). */
  async readBody(what: string): Promise<Buffer> {
    const size = this.#pendingBody;
    const body = await this.#src.read(size, what);
    await this.#readPadding(size, what);
    this.#pendingBody = 0;
    return body;
  }

  /**
   * The zero bytes that fill a body to its 512-byte block. The writer only ever writes zeros
   * there, so anything else means the archive was altered: a changed byte anywhere in an
   * archive is an integrity error, never silently ignored.
   */
  async #readPadding(size: number, what: string): Promise<void> {
    const at = this.#src.position;
    const pad = await this.#src.read(paddingFor(size), what);
    const bad = pad.findIndex((b) => b !== 0);
    if (bad !== -1) {
      throw new IntegrityError(
        `the padding after ${what} has a non-zero byte at byte ${at + bad}: the archive was altered`,
      );
    }
  }

  /**
   * After the end-of-archive block: everything left must be zero blocks (at least one more, so
   * the archive had its two end blocks) up to the end of the stream.
   */
  async expectEnd(): Promise<void> {
    let zeros = BLOCK_SIZE;
    for (;;) {
      const at = this.#src.position;
      const piece = await this.#src.readSome(64 * 1024);
      if (piece.length === 0) break;
      if (!isZeroBlock(piece))
        throw new IntegrityError(`archive has data after its end marker (byte ${at})`);
      zeros += piece.length;
    }
    if (zeros < 2 * BLOCK_SIZE || zeros % BLOCK_SIZE !== 0) {
      throw new IntegrityError('archive is truncated: its end-of-archive blocks are incomplete', {
        hint: 'the stored copy is incomplete: restore from another destination or another backup',
      });
    }
  }

  async close(): Promise<void> {
    await this.#src.close();
  }
}

/** True when a '/'-separated relative path is safe to join under a folder. */
export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.includes('\0') || p.startsWith('/')) return false;
  for (const seg of p.split('/')) if (seg === '' || seg === '.' || seg === '..') return false;
  return true;
}
