import { restoreNow } from '../../src/sources/types.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ArchiveEntry, SourceManifest } from '../../src/archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../src/core/errors.ts';
import { Redactor } from '../../src/core/log.ts';
import type { Logger } from '../../src/core/log.ts';
import { redisDriver } from '../../src/sources/redis/index.ts';
import { LOGICAL_MEMBER, RDB_MEMBER } from '../../src/sources/redis/url.ts';
import { RedisConnection, RedisReplyError } from '../../src/sources/redis/protocol.ts';
import type { RespValue } from '../../src/sources/redis/protocol.ts';
import type { DumpResult, SourceContext } from '../../src/sources/types.ts';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import { unavailable } from '../helpers/services.ts';
import { refusedPort } from '../helpers/ports.ts';

// This file owns Redis databases 10-14 of the local server; it flushes only those.
const SRC = 10;
const DST_LOGICAL = 11;
const DST_AUTO = 12;
const DST_BUSY = 13;
const DST_BINARY = 14;
const BASE = 'redis://127.0.0.1:6379';

let available = false;
let skipReason = 'Redis is not reachable on 127.0.0.1:6379';
let tmp = '';

function makeCtx(
  options: Record<string, unknown> = {},
): SourceContext & { warnings: string[]; lines: string[] } {
  const warnings: string[] = [];
  const lines: string[] = [];
  const log: Logger = {
    info: (m) => lines.push(m),
    warn: (m) => {
      warnings.push(m);
      lines.push(m);
    },
    error: (m) => lines.push(m),
    debug: (m) => lines.push(m),
  };
  return { log, redactor: new Redactor(), env: process.env, tmpDir: tmp, options, warnings, lines };
}

function manifestOf(
  buffer: MemberBuffer,
  result: DumpResult,
  url = `${BASE}/${SRC}`,
): SourceManifest {
  return {
    name: 'redis',
    kind: 'redis',
    url,
    versions: result.versions,
    inventory: result.inventory,
    members: buffer.records(),
    details: result.details,
    durationMs: 1,
  };
}

async function withConn<T>(
  db: number,
  fn: (c: RedisConnection) => Promise<T>,
  path?: string,
): Promise<T> {
  const c = await RedisConnection.connect(
    path ? { path, db } : { host: '127.0.0.1', port: 6379, db },
  );
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

const hex = (v: RespValue) => (Buffer.isBuffer(v) ? v.toString('hex') : String(v));

/**
 * A canonical picture of one database: every key's type, content and whether it expires.
 * Pipelined per SCAN page (types and TTLs, then contents): one round trip per key per command
 * made a picture of the 2,012-key fixture cost seconds.
 */
async function snapshot(db: number, path?: string): Promise<Record<string, unknown>> {
  return withConn(
    db,
    async (c) => {
      const out: Record<string, unknown> = {};
      const ok = (r: RespValue) => {
        if (r instanceof RedisReplyError) throw r;
        return r;
      };
      let cursor = '0';
      do {
        const [next, keys] = (await c.call('SCAN', cursor, 'COUNT', 500)) as [Buffer, Buffer[]];
        cursor = next.toString();
        const meta = (
          await c.pipeline(
            keys.flatMap((k) => [
              ['TYPE', k],
              ['PTTL', k],
            ]),
          )
        ).map(ok);
        const types = keys.map((_, i) => String(meta[2 * i]));
        const reads = keys.map((k, i): Array<Array<string | number | Buffer>> => {
          switch (types[i]) {
            case 'string':
              return [['GET', k]];
            case 'list':
              return [['LRANGE', k, 0, -1]];
            case 'set':
              return [['SMEMBERS', k]];
            case 'zset':
              return [['ZRANGE', k, 0, -1, 'WITHSCORES']];
            case 'stream':
              return [
                ['XRANGE', k, '-', '+'],
                ['XINFO', 'GROUPS', k],
              ];
            case 'hash':
              return [['HGETALL', k]];
            default:
              return [];
          }
        });
        const replies = (await c.pipeline(reads.flat())).map(ok);
        let at = 0;
        keys.forEach((k, i) => {
          const type = types[i]!;
          const pttl = Number(meta[2 * i + 1]);
          const r = replies.slice(at, at + reads[i]!.length);
          at += reads[i]!.length;
          let value: unknown;
          if (type === 'string') value = hex(r[0]!);
          else if (type === 'list') value = (r[0] as Buffer[]).map(hex);
          else if (type === 'set') value = (r[0] as Buffer[]).map(hex).sort();
          else if (type === 'zset') value = (r[0] as Buffer[]).map(hex);
          else if (type === 'stream') {
            value = {
              entries: JSON.stringify(r[0], (_k, v: unknown) =>
                v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer'
                  ? Buffer.from(v as never).toString('hex')
                  : v,
              ),
              groups: (r[1] as RespValue[][]).map((g) => hex(g[1]!)),
            };
          } else if (type === 'hash') {
            const pairs = (r[0] as Buffer[]).map(hex);
            const map: string[] = [];
            for (let j = 0; j < pairs.length; j += 2) map.push(`${pairs[j]}=${pairs[j + 1]}`);
            value = map.sort();
          }
          out[k.toString('hex')] = { type, value, expires: pttl > 0 };
        });
      } while (cursor !== '0');
      return out;
    },
    path,
  );
}

async function flush(...dbs: number[]): Promise<void> {
  for (const db of dbs) await withConn(db, (c) => c.call('FLUSHDB'));
}

async function populate(): Promise<void> {
  await withConn(SRC, async (c) => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const cmds: Array<Array<string | number | Buffer>> = [
      ['SET', 'str', 'hello 🛟 wörld'],
      ['SET', Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80]), all],
      ['SET', 'bin', Buffer.concat([all, randomBytes(4096)])],
      ['SET', 'counter', 42],
      ['HSET', 'hash:small', 'a', '1', 'b', Buffer.from([0, 1, 2])],
      ['RPUSH', 'list', 'x', 'y', 'z', all],
      ['SADD', 'set', 'm1', 'm2', 'm3'],
      ['ZADD', 'zset', 1.5, 'one', -2, 'two', 1e10, 'three'],
      ['XADD', 'stream', '1-1', 'f', 'v1'],
      ['XADD', 'stream', '2-1', 'f', 'v2', 'g', all],
      ['XGROUP', 'CREATE', 'stream', 'workers', '0'],
      ['SET', 'ttl:str', 'soon', 'PX', 3_600_000],
      ['HSET', 'ttl:hash', 'k', 'v'],
      ['PEXPIRE', 'ttl:hash', 7_200_000],
    ];
    // A hash large enough to leave the compact encoding.
    const big: Array<string | number> = ['HSET', 'hash:big'];
    for (let i = 0; i < 600; i++) big.push(`field${i}`, `value ${i} ${'x'.repeat(i % 50)}`);
    cmds.push(big);
    for (let i = 0; i < 2000; i++) cmds.push(['SET', `bulk:${i}`, `v${i}`]);
    const replies = await c.pipeline(cmds);
    for (const r of replies) assert.ok(!(r instanceof RedisReplyError), String(r));
  });
}

async function dumpWith(url: string, options: Record<string, unknown>) {
  const ctx = makeCtx(options);
  const buffer = new MemberBuffer();
  const source = redisDriver.open(url, ctx);
  const result = await source.dump(buffer, ctx);
  return { buffer, result, ctx, manifest: manifestOf(buffer, result, source.displayUrl) };
}

/** Start a throw-away redis-server on a unix socket with `dir` as its data folder. */
async function startSpareServer(dir: string): Promise<{ socket: string; child: ChildProcess }> {
  const socket = join(dir, 'redis.sock');
  const child = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      socket,
      '--dir',
      dir,
      '--dbfilename',
      'dump.rdb',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ready to accept connections/i.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  return { socket, child };
}

before(async () => {
  try {
    await withConn(0, (c) => c.call('PING'));
    available = true;
  } catch (err) {
    skipReason = unavailable('Redis on 127.0.0.1:6379', err);
    return;
  }
  tmp = await mkdtemp(join(tmpdir(), 'lifeboat-redis-'));
  await flush(SRC, DST_LOGICAL, DST_AUTO, DST_BUSY, DST_BINARY);
  await populate();
});

after(async () => {
  if (available) await flush(SRC, DST_LOGICAL, DST_AUTO, DST_BUSY, DST_BINARY);
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('redis source', () => {
  test('logical mode round trip keeps every type, binary keys and values, and TTLs', async (t) => {
    if (!available) return t.skip(skipReason);
    const { buffer, result, manifest } = await dumpWith(`${BASE}/${SRC}`, {
      'redis-mode': 'logical',
    });
    assert.deepEqual(
      buffer.records().map((r) => r.path),
      [LOGICAL_MEMBER],
    );
    const keysByType = (
      result.inventory.extra!.keysByType as Record<string, Record<string, number>>
    )[`db${SRC}`]!;
    assert.deepEqual(keysByType, { string: 2005, hash: 3, list: 1, set: 1, zset: 1, stream: 1 });
    assert.deepEqual(result.inventory.tables, [{ name: `db${SRC}`, rows: 2012 }]);

    await redisDriver.verify!(buffer.entries(), manifest, makeCtx());

    const ctx = makeCtx();
    const restored = await restoreNow(
      redisDriver,
      buffer.entries(),
      { target: `${BASE}/${DST_LOGICAL}`, overwrite: false, manifest, backupId: 'b1' },
      ctx,
    );
    assert.deepEqual(restored.inventory!.tables, [{ name: `db${DST_LOGICAL}`, rows: 2012 }]);
    assert.deepEqual(await snapshot(DST_LOGICAL), await snapshot(SRC));
    const ttl = await withConn(DST_LOGICAL, async (c) => Number(await c.call('PTTL', 'ttl:str')));
    assert.ok(ttl > 0 && ttl <= 3_600_000, `TTL kept (${ttl})`);
  });

  test('auto mode takes the RDB snapshot and the key stream; each restores its own way', async (t) => {
    if (!available) return t.skip(skipReason);
    const { buffer, result, manifest, ctx } = await dumpWith(`${BASE}/${SRC}`, {});
    assert.deepEqual(
      buffer.records().map((r) => r.path),
      [RDB_MEMBER, LOGICAL_MEMBER],
    );
    assert.equal(ctx.warnings.length, 0, ctx.warnings.join('\n'));
    assert.equal((result.details!.rdb as { member: string }).member, RDB_MEMBER);
    assert.ok(buffer.file(RDB_MEMBER)!.subarray(0, 5).equals(Buffer.from('REDIS')));
    await redisDriver.verify!(buffer.entries(), manifest, makeCtx());

    // Into a live server: the key stream.
    await restoreNow(
      redisDriver,
      buffer.entries(),
      { target: `${BASE}/${DST_AUTO}`, overwrite: false, manifest, backupId: 'b2' },
      makeCtx(),
    );
    assert.deepEqual(await snapshot(DST_AUTO), await snapshot(SRC));

    // Into a file: the snapshot, which a fresh server then loads.
    const dataDir = await mkdtemp(join(tmp, 'rdb-'));
    const res = await restoreNow(
      redisDriver,
      buffer.entries(),
      { target: `file:${dataDir}`, overwrite: false, manifest, backupId: 'b2' },
      makeCtx(),
    );
    assert.equal(res.location, join(dataDir, 'dump.rdb'));
    assert.match(res.notes!.join(' '), /stop Redis/);
    await assert.rejects(
      restoreNow(
        redisDriver,
        buffer.entries(),
        { target: dataDir, overwrite: false, manifest, backupId: 'b2' },
        makeCtx(),
      ),
      (err: unknown) => err instanceof ConfigError && /already exists/.test(err.message),
    );
    const spare = await startSpareServer(dataDir);
    try {
      assert.deepEqual(await snapshot(SRC, spare.socket), await snapshot(SRC));
    } finally {
      spare.child.kill();
    }
  });

  test('rdb mode takes only the snapshot and refuses a live target with the fix', async (t) => {
    if (!available) return t.skip(skipReason);
    const { buffer, result, manifest } = await dumpWith(`${BASE}/${SRC}`, { 'redis-mode': 'rdb' });
    assert.deepEqual(
      buffer.records().map((r) => r.path),
      [RDB_MEMBER],
    );
    assert.ok((result.inventory.tables ?? []).some((x) => x.name === `db${SRC}` && x.rows >= 2012));
    await redisDriver.verify!(buffer.entries(), manifest, makeCtx());
    await assert.rejects(
      restoreNow(
        redisDriver,
        buffer.entries(),
        { target: `${BASE}/${DST_BINARY}`, overwrite: false, manifest, backupId: 'b3' },
        makeCtx(),
      ),
      (err: unknown) => err instanceof ConfigError && /file path/.test(err.hint ?? ''),
    );
  });

  test('a non-empty target is refused; overwrite takes the safety backup first and replaces', async (t) => {
    if (!available) return t.skip(skipReason);
    const { buffer, manifest } = await dumpWith(`${BASE}/${SRC}`, { 'redis-mode': 'logical' });
    await withConn(DST_BUSY, (c) =>
      c.pipeline([
        ['SET', 'str', 'old'],
        ['SET', 'unrelated', 'stays'],
      ]),
    );
    await assert.rejects(
      restoreNow(
        redisDriver,
        buffer.entries(),
        { target: `${BASE}/${DST_BUSY}`, overwrite: false, manifest, backupId: 'b4' },
        makeCtx(),
      ),
      (err: unknown) =>
        err instanceof ConfigError && err.option === 'target' && /not empty/.test(err.message),
    );
    assert.equal(String(await withConn(DST_BUSY, (c) => c.call('GET', 'str'))), 'old');

    const calls: string[] = [];
    const res = await restoreNow(
      redisDriver,
      buffer.entries(),
      {
        target: `${BASE}/${DST_BUSY}`,
        overwrite: true,
        manifest,
        backupId: 'b4',
        safetyBackup: async (url) => {
          // The target must still be untouched when the safety backup is taken.
          calls.push(`${url} ${String(await withConn(DST_BUSY, (c) => c.call('GET', 'str')))}`);
          return 'safety-1';
        },
      },
      makeCtx(),
    );
    assert.deepEqual(calls, [`${BASE}/${DST_BUSY} old`]);
    assert.match(res.notes!.join('\n'), /safety-1/);
    assert.equal(String(await withConn(DST_BUSY, (c) => c.call('GET', 'str'))), 'hello 🛟 wörld');
    assert.equal(String(await withConn(DST_BUSY, (c) => c.call('GET', 'unrelated'))), 'stays');
  });

  test('a server that refuses SYNC: auto falls back with a warning, rdb fails naming the fix', async (t) => {
    if (!available) return t.skip(skipReason);
    const user = `lbtest_${randomBytes(4).toString('hex')}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    await withConn(0, (c) =>
      c.call(
        'ACL',
        'SETUSER',
        user,
        'on',
        `>${password}`,
        '~*',
        '&*',
        '+@all',
        '-sync',
        '-psync',
        '-replconf',
      ),
    );
    try {
      const url = `redis://${user}:${password}@127.0.0.1:6379/${SRC}`;
      const { buffer, result, ctx, manifest } = await dumpWith(url, { 'redis-mode': 'auto' });
      assert.deepEqual(
        buffer.records().map((r) => r.path),
        [LOGICAL_MEMBER],
      );
      assert.equal(ctx.warnings.length, 1);
      assert.match(ctx.warnings[0]!, /refused the RDB snapshot.*logical/);
      assert.ok(!ctx.lines.join('\n').includes(password), 'password never logged');
      assert.ok((result.details!.rdb as { refused: string }).refused);
      assert.ok(!JSON.stringify(manifest).includes(password), 'password not in the manifest');
      await assert.rejects(
        dumpWith(url, { 'redis-mode': 'rdb' }),
        (err: unknown) => err instanceof SourceError && /redis-mode: logical/.test(err.hint ?? ''),
      );
      await assert.rejects(
        dumpWith(`redis://${user}:wrong-password@127.0.0.1:6379/${SRC}`, {
          'redis-mode': 'logical',
        }),
        (err: unknown) =>
          err instanceof SourceError &&
          /^source: Redis at 127\.0\.0\.1:6379, database \d+: the server refused the credentials/.test(
            err.message,
          ) &&
          /password in the source URL/.test(err.hint ?? '') &&
          !`${err.message}${err.hint}`.includes('wrong-password'),
      );
    } finally {
      await withConn(0, (c) => c.call('ACL', 'DELUSER', user));
    }
  });

  test('structural verify catches a damaged key stream and a truncated snapshot', async (t) => {
    if (!available) return t.skip(skipReason);
    const { buffer, manifest } = await dumpWith(`${BASE}/${SRC}`, {});
    const damaged = (path: string, fn: (b: Buffer) => Buffer) =>
      (async function* (): AsyncGenerator<ArchiveEntry> {
        for await (const e of buffer.entries()) {
          if (e.path !== path) {
            yield e;
            continue;
          }
          const chunks: Buffer[] = [];
          for await (const c of e.body!) chunks.push(c as Buffer);
          yield { ...e, body: Readable.from([fn(Buffer.concat(chunks))]) };
        }
      })();
    const isIntegrity = (err: unknown) => err instanceof IntegrityError;
    // Flip one byte inside a value: the DUMP payload's own CRC-64 no longer matches.
    const logical = buffer.file(LOGICAL_MEMBER)!;
    const at = logical.indexOf(Buffer.from('hello 🛟 wörld')) + 2;
    await assert.rejects(
      redisDriver.verify!(
        damaged(LOGICAL_MEMBER, (b) =>
          Buffer.concat([b.subarray(0, at), Buffer.from([b[at]! ^ 1]), b.subarray(at + 1)]),
        ),
        manifest,
        makeCtx(),
      ),
      isIntegrity,
    );
    await assert.rejects(
      redisDriver.verify!(
        damaged(LOGICAL_MEMBER, (b) => b.subarray(0, b.length - 9)),
        manifest,
        makeCtx(),
      ),
      isIntegrity,
    );
    await assert.rejects(
      redisDriver.verify!(
        damaged(RDB_MEMBER, (b) => b.subarray(0, b.length - 100)),
        manifest,
        makeCtx(),
      ),
      isIntegrity,
    );
    await assert.rejects(
      restoreNow(
        redisDriver,
        damaged(LOGICAL_MEMBER, (b) => b.subarray(0, b.length - 9)),
        { target: `${BASE}/${DST_BINARY}`, overwrite: false, manifest, backupId: 'x' },
        makeCtx(),
      ),
      isIntegrity,
    );
    // A live restore checks every payload's CRC-64 before the first RESTORE: nothing is written.
    await assert.rejects(
      restoreNow(
        redisDriver,
        damaged(LOGICAL_MEMBER, (b) =>
          Buffer.concat([b.subarray(0, at), Buffer.from([b[at]! ^ 1]), b.subarray(at + 1)]),
        ),
        { target: `${BASE}/${DST_BINARY}`, overwrite: false, manifest, backupId: 'x' },
        makeCtx(),
      ),
      isIntegrity,
    );
    assert.equal(await withConn(DST_BINARY, (c) => c.call('DBSIZE')), 0);
    await flush(DST_BINARY);
  });

  test('a server that refuses connections is operational (exit 1), naming server, option and fix', async () => {
    const port = await refusedPort();
    const sink = new MemberBuffer();
    const ctx = makeCtx();
    await assert.rejects(
      redisDriver.open(`redis://127.0.0.1:${port}/0`, ctx).dump(sink, ctx),
      (err: unknown) =>
        err instanceof SourceError &&
        new RegExp(
          `^source: Redis at 127\\.0\\.0\\.1:${port}, database 0: cannot connect \\(ECONNREFUSED\\)`,
        ).test(err.message) &&
        /host and port in the source URL/.test(err.hint ?? ''),
    );
    assert.deepEqual(sink.records(), []);
  });

  test('bad URLs fail with the option named', () => {
    assert.throws(
      () => redisDriver.open('redis://127.0.0.1:6379/abc', makeCtx()),
      (e: unknown) => e instanceof ConfigError && e.option === 'source',
    );
    assert.throws(
      () => redisDriver.open('redis://127.0.0.1/1', makeCtx({ 'redis-mode': 'fast' })),
      (e: unknown) => e instanceof ConfigError && e.option === 'redis-mode',
    );
  });
});
