import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  RedisConnection,
  RedisReplyError,
  RespParser,
  type RespValue,
} from '../../src/sources/redis/protocol.ts';
import { connectOrSkip } from '../helpers/services.ts';

/** RESP2 encoding of a reply, as a server writes it. */
function encodeReply(v: RespValue): Buffer {
  if (v === null) return Buffer.from('$-1\r\n');
  if (typeof v === 'number') return Buffer.from(`:${v}\r\n`);
  if (typeof v === 'string') return Buffer.from(`+${v}\r\n`);
  if (v instanceof RedisReplyError) return Buffer.from(`-${v.message}\r\n`);
  if (Buffer.isBuffer(v))
    return Buffer.concat([Buffer.from(`$${v.length}\r\n`), v, Buffer.from('\r\n')]);
  return Buffer.concat([Buffer.from(`*${v.length}\r\n`), ...v.map(encodeReply)]);
}

/** Feeds `bytes` in pieces of `piece` bytes; returns every reply and the parser. */
function parseAll(bytes: Buffer, piece: number): { replies: RespValue[]; parser: RespParser } {
  const parser = new RespParser();
  const replies: RespValue[] = [];
  for (let i = 0; i < bytes.length; i += piece) {
    parser.push(bytes.subarray(i, i + piece));
    for (let r = parser.next(); r; r = parser.next()) replies.push(r.value);
  }
  return { replies, parser };
}

const scalar: fc.Arbitrary<RespValue> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.stringMatching(/^[a-zA-Z0-9 ]{0,20}$/),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
);
const reply: fc.Arbitrary<RespValue> = fc.letrec<{ v: RespValue }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 6 })),
})).v;

test('any sequence of replies parses the same whichever way the socket cuts it', () => {
  fc.assert(
    fc.property(
      fc.array(reply, { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 700 }),
      (replies, piece) => {
        const bytes = Buffer.concat(replies.map(encodeReply));
        assert.deepEqual(parseAll(bytes, piece).replies, replies);
      },
    ),
    { numRuns: 500, seed: 7 },
  );
});

test('a 64 MiB value in 64 KiB socket chunks is joined once, not once per chunk', () => {
  const value = Buffer.alloc(64 * 1024 * 1024, 0x61);
  const bytes = encodeReply(value);
  const { replies, parser } = parseAll(bytes, 64 * 1024);
  assert.equal(replies.length, 1);
  assert.ok(Buffer.isBuffer(replies[0]) && replies[0].equals(value));
  // Before: every chunk re-joined everything so far (~32 GiB copied for this value).
  assert.ok(
    parser.copiedBytes <= 2 * bytes.length,
    `copied ${parser.copiedBytes} bytes for ${bytes.length}`,
  );
});

test('an array of 200,000 elements in small chunks parses each element once', () => {
  const items = Array.from({ length: 200_000 }, (_, i) => Buffer.from(`member-${i}`));
  const bytes = encodeReply(items);
  const { replies, parser } = parseAll(bytes, 1000);
  assert.equal(replies.length, 1);
  assert.deepEqual(replies[0], items);
  // Only the bytes of an element cut by a chunk boundary are carried into the next chunk.
  assert.ok(
    parser.copiedBytes <= 2 * bytes.length,
    `copied ${parser.copiedBytes} bytes for ${bytes.length}`,
  );
});

/**
 * Feeds `bytes` in pieces of `piece` bytes with bulk strings above `streamAbove` streamed:
 * every reply, a streamed one as { streamed: its bytes joined }, and the largest piece handed out.
 */
function parseStreaming(bytes: Buffer, piece: number, streamAbove: number) {
  const parser = new RespParser();
  const replies: Array<RespValue | { streamed: Buffer }> = [];
  let streaming: Buffer[] | undefined;
  let views = 0;
  for (let i = 0; i < bytes.length; i += piece) {
    parser.push(bytes.subarray(i, i + piece));
    for (;;) {
      if (streaming) {
        const p = parser.piece();
        if (p === undefined) break;
        if (p === null) {
          replies.push({ streamed: Buffer.concat(streaming) });
          streaming = undefined;
        } else {
          // A piece is a view of what arrived, never a copy.
          if (p.buffer === bytes.buffer) views++;
          streaming.push(p);
        }
        continue;
      }
      const r = parser.next(streamAbove);
      if (!r) break;
      if ('bulk' in r) streaming = [];
      else replies.push(r.value);
    }
  }
  return { replies, parser, views };
}

test('bulk strings above the threshold stream out in pieces, whatever the cuts; the rest parse whole', () => {
  fc.assert(
    fc.property(
      fc.array(reply, { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 700 }),
      fc.integer({ min: 0, max: 200 }),
      (input, piece, streamAbove) => {
        const bytes = Buffer.concat(input.map(encodeReply));
        const { replies } = parseStreaming(bytes, piece, streamAbove);
        const expected = input.map((v) =>
          Buffer.isBuffer(v) && v.length > streamAbove ? { streamed: v } : v,
        );
        assert.deepEqual(replies, expected);
      },
    ),
    { numRuns: 500, seed: 11 },
  );
});

test('a streamed 64 MiB value is handed out as views of the socket chunks: nothing is joined', () => {
  const value = Buffer.alloc(64 * 1024 * 1024, 0x62);
  const bytes = Buffer.concat([encodeReply(value), encodeReply('OK')]);
  const { replies, parser, views } = parseStreaming(bytes, 64 * 1024, 1024 * 1024);
  assert.equal(replies.length, 2);
  assert.ok((replies[0] as { streamed: Buffer }).streamed.equals(value));
  assert.equal(replies[1], 'OK');
  assert.ok(views >= 1024, `${views} pieces were views`);
  // Only the header line and the bytes around the value's end are ever joined.
  assert.ok(parser.copiedBytes < 256 * 1024, `copied ${parser.copiedBytes} bytes`);
});

test('a malformed reply is an error, not a hang', () => {
  const parser = new RespParser();
  parser.push(Buffer.from('?what\r\n'));
  assert.throws(() => parser.next(), /unexpected RESP type byte '\?'/);
});

test('a 50 MB value round-trips through the local Redis', async (t) => {
  const conn = await connectOrSkip('Redis on 127.0.0.1:6379', () =>
    RedisConnection.connect({ host: '127.0.0.1', port: 6379, db: 13 }),
  );
  if (!conn) return t.skip('Redis on 127.0.0.1:6379 is not running');
  try {
    const value = Buffer.alloc(50 * 1000 * 1000);
    for (let i = 0; i < value.length; i += 4096) value.writeUInt32LE(i, i);
    assert.equal(await conn.call('SET', 'protocol-test:big', value), 'OK');
    const got = await conn.call('GET', 'protocol-test:big');
    assert.ok(Buffer.isBuffer(got) && got.equals(value));
  } finally {
    await conn.call('DEL', 'protocol-test:big');
    conn.close();
  }
});
