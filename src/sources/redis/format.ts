/**
 * Byte formats of the Redis source: Redis's CRC-64 (the "Jones" polynomial, used by RDB files
 * and DUMP payloads), a streaming check of an RDB file, and Lifeboat's logical key stream.
 *
 * Logical key stream (`keys.lbr`), format 1. All integers are big-endian.
 *
 *   magic      8 bytes   "LBREDIS" followed by the format byte 0x01
 *   header     u32 n, then n bytes of UTF-8 JSON ({ redisVersion, createdAt })
 *   records, each starting with a one-byte tag:
 *     'S' 0x53  select    u32 db                   (the keys that follow belong to this db)
 *     'K' 0x4B  key       u32 keyLen, key bytes,
 *                         i64 pttl                  (ms left when dumped; -1 = no expiry)
 *                         u8 typeLen, type (ASCII: string, hash, list, set, zset, stream, …)
 *                         u32 payloadLen, payload   (the server's DUMP output, restored with RESTORE)
 *     'E' 0x45  end       u64 key count            (number of 'K' records; must be the last record)
 *
 * A stream without its 'E' record, or with bytes after it, is truncated or corrupt. Each DUMP
 * payload carries its own RDB version and CRC-64, which a structural check also verifies.
 */

export const LOGICAL_MAGIC = Buffer.from('LBREDIS\x01', 'latin1');
export const TAG_SELECT = 0x53;
export const TAG_KEY = 0x4b;
export const TAG_END = 0x45;

const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);
{
  // Reflected form of 0xad93d23594c935a9.
  const poly = 0x95ac9329ac4bc9b5n;
  for (let i = 0; i < 256; i++) {
    let c = BigInt(i);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    TABLE_LO[i] = Number(c & 0xffffffffn);
    TABLE_HI[i] = Number(c >> 32n);
  }
}

/** Incremental CRC-64/Jones as Redis computes it (init 0, reflected, no final xor). */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  update(data: Uint8Array): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < data.length; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!;
      hi = (hi >>> 8) ^ TABLE_HI[idx]!;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** The checksum as Redis stores it: 8 bytes little-endian. */
  digestLE(): Buffer {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(this.lo, 0);
    b.writeUInt32LE(this.hi, 4);
    return b;
  }
}

/**
 * Checks an RDB file while it streams past: the `REDIS0009`-style magic, the EOF opcode and
 * the CRC-64 trailer (an all-zero trailer means the server runs with `rdbchecksum no`).
 */
export class RdbStreamCheck {
  private readonly crc = new Crc64();
  private tail = Buffer.alloc(0);
  private head = Buffer.alloc(0);
  private lastFed = -1;
  size = 0;

  update(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.head.length < 9)
      this.head = Buffer.concat([this.head, chunk.subarray(0, 9 - this.head.length)]);
    const all = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const feed = all.length - 8;
    if (feed > 0) {
      this.crc.update(all.subarray(0, feed));
      this.lastFed = all[feed - 1]!;
      this.tail = Buffer.from(all.subarray(feed));
    } else this.tail = Buffer.from(all);
  }

  /** RDB format version from the magic, e.g. 10. */
  get version(): number | undefined {
    const m = /^REDIS(\d{4})$/.exec(this.head.toString('latin1'));
    return m ? Number(m[1]) : undefined;
  }

  /** Problems found, empty when the file is whole. `checksummed` is false when rdbchecksum was off. */
  finish(): { problems: string[]; checksummed: boolean } {
    const problems: string[] = [];
    if (this.version === undefined)
      problems.push('it does not start with the RDB magic (REDISnnnn)');
    if (this.tail.length < 8 || this.lastFed !== 0xff)
      problems.push('it does not end with the RDB EOF marker (truncated)');
    const zero = this.tail.length === 8 && this.tail.every((b) => b === 0);
    if (!zero && problems.length === 0 && !this.crc.digestLE().equals(this.tail)) {
      problems.push('its CRC-64 trailer does not match its content');
    }
    return { problems, checksummed: !zero };
  }
}

/** A DUMP payload ends with a 2-byte RDB version and the CRC-64 of everything before it. */
export function dumpPayloadProblem(payload: Buffer): string | undefined {
  if (payload.length < 11) return 'payload too short';
  const body = payload.subarray(0, payload.length - 8);
  const crc = new Crc64().update(body).digestLE();
  const stored = payload.subarray(payload.length - 8);
  if (stored.every((b) => b === 0)) return undefined;
  return crc.equals(stored) ? undefined : 'payload CRC-64 mismatch';
}

export function encodeSelect(db: number): Buffer {
  const b = Buffer.alloc(5);
  b[0] = TAG_SELECT;
  b.writeUInt32BE(db, 1);
  return b;
}

export function encodeKey(key: Buffer, pttl: number, type: string, payload: Buffer): Buffer {
  const typeBuf = Buffer.from(type, 'latin1');
  const head = Buffer.alloc(1 + 4);
  head[0] = TAG_KEY;
  head.writeUInt32BE(key.length, 1);
  const mid = Buffer.alloc(8 + 1);
  mid.writeBigInt64BE(BigInt(pttl), 0);
  mid[8] = typeBuf.length;
  const plen = Buffer.alloc(4);
  plen.writeUInt32BE(payload.length, 0);
  return Buffer.concat([head, key, mid, typeBuf, plen, payload]);
}

export function encodeEnd(count: number): Buffer {
  const b = Buffer.alloc(9);
  b[0] = TAG_END;
  b.writeBigUInt64BE(BigInt(count), 1);
  return b;
}

export function encodeHeader(meta: Record<string, unknown>): Buffer {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length, 0);
  return Buffer.concat([LOGICAL_MAGIC, len, json]);
}

/** Pulls exact byte counts out of a chunked stream. */
export class ByteReader {
  private readonly it: AsyncIterator<Buffer | string>;
  private buf = Buffer.alloc(0);
  private done = false;

  constructor(source: AsyncIterable<Buffer | string>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** Exactly n bytes, or undefined at a clean end of stream before any of them; throws on a partial read. */
  async read(n: number): Promise<Buffer | undefined> {
    while (this.buf.length < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else
        this.buf = this.buf.length
          ? Buffer.concat([this.buf, Buffer.from(r.value)])
          : Buffer.from(r.value);
    }
    if (this.buf.length === 0 && n > 0) return undefined;
    if (this.buf.length < n)
      throw new Error(`stream ends inside a record (${this.buf.length} of ${n} bytes)`);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  async exact(n: number): Promise<Buffer> {
    const b = await this.read(n);
    if (!b) throw new Error(`stream ends where ${n} more bytes were expected`);
    return b;
  }

  async atEnd(): Promise<boolean> {
    return (await this.read(1)) === undefined;
  }
}

export type LogicalRecord =
  | { tag: 'select'; db: number }
  | { tag: 'key'; key: Buffer; pttl: number; type: string; payload: Buffer }
  | { tag: 'end'; count: number };

/** Parse a logical stream: the header, then its records. Throws on any framing problem. */
export async function* readLogical(
  source: AsyncIterable<Buffer | string>,
): AsyncGenerator<LogicalRecord | { tag: 'header'; meta: Record<string, unknown> }> {
  const r = new ByteReader(source);
  const magic = await r.read(8);
  if (!magic || !magic.equals(LOGICAL_MAGIC))
    throw new Error('not a Lifeboat Redis key stream (bad magic)');
  const hlen = (await r.exact(4)).readUInt32BE(0);
  yield {
    tag: 'header',
    meta: JSON.parse((await r.exact(hlen)).toString('utf8')) as Record<string, unknown>,
  };
  let keys = 0;
  for (;;) {
    const tagBuf = await r.read(1);
    if (!tagBuf) throw new Error('stream ends without its end record (truncated)');
    const tag = tagBuf[0];
    if (tag === TAG_SELECT) yield { tag: 'select', db: (await r.exact(4)).readUInt32BE(0) };
    else if (tag === TAG_KEY) {
      const key = Buffer.from(await r.exact((await r.exact(4)).readUInt32BE(0)));
      const mid = await r.exact(9);
      const pttl = Number(mid.readBigInt64BE(0));
      const type = (await r.exact(mid[8]!)).toString('latin1');
      const payload = Buffer.from(await r.exact((await r.exact(4)).readUInt32BE(0)));
      keys++;
      yield { tag: 'key', key, pttl, type, payload };
    } else if (tag === TAG_END) {
      const count = Number((await r.exact(8)).readBigUInt64BE(0));
      if (count !== keys)
        throw new Error(`end record counts ${count} keys but the stream holds ${keys}`);
      if (!(await r.atEnd())) throw new Error('bytes follow the end record');
      yield { tag: 'end', count };
      return;
    } else throw new Error(`unknown record tag 0x${(tag ?? 0).toString(16)}`);
  }
}
