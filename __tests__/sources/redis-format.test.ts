import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  ByteReader,
  Crc64,
  DumpPayloadCheck,
  RdbStreamCheck,
  dumpPayloadProblem,
  encodeEnd,
  encodeHeader,
  encodeKey,
  encodeSelect,
  readLogical,
} from '../../src/sources/redis/format.ts';

/** CRC-64/Jones one bit at a time with BigInt: the definition, independent of the tables. */
function crcReference(data: Uint8Array): Buffer {
  const poly = 0x95ac9329ac4bc9b5n;
  let c = 0n;
  for (const byte of data) {
    c ^= BigInt(byte);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
  }
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(c);
  return out;
}

/** `bytes` cut at the given points (sorted, deduplicated, within range). */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...at, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

async function* from(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

/** A DUMP-shaped payload: body, 2-byte RDB version, CRC-64 of both. */
function payload(body: Buffer, version = 10): Buffer {
  const v = Buffer.alloc(2);
  v.writeUInt16LE(version);
  const head = Buffer.concat([body, v]);
  return Buffer.concat([head, new Crc64().update(head).digestLE()]);
}

test("CRC-64 gives Redis's check value and the bit-by-bit result however the input is cut", () => {
  // redis/src/crc64.c: crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca.
  const check = new Crc64().update(Buffer.from('123456789')).digestLE();
  assert.equal(check.readBigUInt64LE(), 0xe9c6d914c4b8d9can);
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      (data, points) => {
        const crc = new Crc64();
        for (const piece of cut(Buffer.from(data), points)) crc.update(piece);
        assert.deepEqual(crc.digestLE(), crcReference(data));
      },
    ),
    { numRuns: 300, seed: 3 },
  );
  const big = randomBytes(100_003);
  assert.deepEqual(new Crc64().update(big).digestLE(), crcReference(big));
});

test('a DUMP payload checked in pieces gets the same verdict as checked whole', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 80 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      fc.option(fc.nat(), { nil: undefined }),
      (body, points, flip) => {
        const good = payload(Buffer.from(body));
        const p = Buffer.from(good);
        if (flip !== undefined) p[flip % p.length]! ^= 0x10;
        const check = new DumpPayloadCheck();
        for (const piece of cut(p, points)) check.update(piece);
        const verdict = check.finish();
        assert.equal(verdict, dumpPayloadProblem(p));
        assert.equal(verdict, flip === undefined ? undefined : 'payload CRC-64 mismatch');
        if (flip === undefined) assert.equal(check.rdbVersion, 10);
      },
    ),
    { numRuns: 400, seed: 5 },
  );
  assert.equal(dumpPayloadProblem(Buffer.alloc(10)), 'payload too short');
  // `rdbchecksum no`: an all-zero checksum is not checked.
  assert.equal(dumpPayloadProblem(Buffer.concat([randomBytes(30), Buffer.alloc(8)])), undefined);
});

test('readLogical streams payloads above its threshold in pieces, whatever the chunking', async () => {
  const small = payload(randomBytes(100));
  const large = payload(randomBytes(50_000));
  const stream = Buffer.concat([
    encodeHeader({ redisVersion: '7.0.15' }),
    encodeSelect(3),
    encodeKey(Buffer.from('small'), -1, 'string', small),
    encodeKey(Buffer.from('large'), 5000, 'hash', large),
    encodeKey(Buffer.from('skipped'), -1, 'list', large),
    encodeEnd(3),
  ]);
  for (const size of [7, 4096, 65536, stream.length]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
    const seen: string[] = [];
    for await (const rec of readLogical(from(chunks), { streamAbove: 1000 })) {
      if (rec.tag !== 'key') {
        seen.push(rec.tag);
        continue;
      }
      if (rec.key.toString() === 'small') {
        assert.ok(rec.payload?.equals(small));
      } else if (rec.key.toString() === 'large') {
        assert.equal(rec.payload, undefined);
        assert.equal(rec.length, large.length);
        assert.equal(rec.pttl, 5000);
        const pieces: Buffer[] = [];
        for await (const p of rec.pieces) pieces.push(p);
        assert.ok(Buffer.concat(pieces).equals(large));
        if (size >= 65536) assert.equal(pieces.length, 1, 'one view of the chunk, not copies');
      }
      // 'skipped': left unread; the reader skips its bytes.
      seen.push(`key ${rec.key.toString()}`);
    }
    assert.deepEqual(seen, ['header', 'select', 'key small', 'key large', 'key skipped', 'end']);
  }
});

test('a stream cut inside a key record names the key, streamed or whole', async () => {
  const large = payload(randomBytes(50_000));
  const head = Buffer.concat([encodeHeader({}), encodeSelect(0)]);
  const rec = encodeKey(Buffer.from('big:1'), -1, 'string', large);
  for (const streamAbove of [1000, undefined]) {
    for (const keep of [10, 30, 20_000]) {
      const cutStream = Buffer.concat([head, rec.subarray(0, keep)]);
      await assert.rejects(
        (async () => {
          for await (const r of readLogical(from([cutStream]), { streamAbove }))
            if (r.tag === 'key') for await (const _ of r.pieces);
        })(),
        /^Error: key "big:1": stream ends (inside a record|where)/,
      );
    }
  }
});

test('ByteReader copies only reads that span chunks, once', async () => {
  const data = randomBytes(1 << 20);
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += 1000) chunks.push(data.subarray(i, i + 1000));
  const r = new ByteReader(from(chunks));
  // One read of the whole (the old reader re-joined everything read so far per chunk).
  assert.ok((await r.exact(data.length)).equals(data));
  assert.equal(await r.atEnd(), true);
});

test('an RDB file gets the same verdict however it is cut: whole, changed, truncated, unchecksummed', () => {
  const content = Buffer.concat([
    Buffer.from('REDIS0011', 'latin1'),
    // Not random: a truncated file's last byte must not happen to be the 0xff EOF marker.
    Buffer.from('key value '.repeat(300), 'latin1'),
    Buffer.from([0xff]),
  ]);
  const whole = Buffer.concat([content, crcReference(content)]);
  const changed = Buffer.from(whole);
  changed[1500] = changed[1500]! ^ 1;
  const truncated = whole.subarray(0, whole.length - 100);
  const unchecked = Buffer.concat([content, Buffer.alloc(8)]);
  const verdict = (bytes: Buffer, points: number[]) => {
    const check = new RdbStreamCheck();
    for (const piece of cut(bytes, points)) check.update(piece);
    return { version: check.version, size: check.size, ...check.finish() };
  };
  fc.assert(
    fc.property(fc.array(fc.nat(whole.length), { maxLength: 12 }), (points) => {
      assert.deepEqual(verdict(whole, points), {
        version: 11,
        size: whole.length,
        problems: [],
        checksummed: true,
      });
      assert.deepEqual(verdict(changed, points).problems, [
        'its CRC-64 trailer does not match its content',
      ]);
      assert.deepEqual(verdict(truncated, points).problems, [
        'it does not end with the RDB EOF marker (truncated)',
      ]);
      assert.deepEqual(verdict(unchecked, points), {
        version: 11,
        size: unchecked.length,
        problems: [],
        checksummed: false,
      });
    }),
  );
});
