/**
 * Redis logical mode with values far larger than anything it should hold in memory: the DUMP
 * reply, the structural check and the RESTORE all stream. Runs on a redis-server of its own
 * (started here on a spare port, its data in a temporary folder), so its large keys and every
 * database number it uses are its alone.
 */
import { restoreNow } from '../../src/sources/types.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { ArchiveEntry, SourceManifest } from '../../src/archive/types.ts';
import { IntegrityError } from '../../src/core/errors.ts';
import { Redactor } from '../../src/core/log.ts';
import type { Logger } from '../../src/core/log.ts';
import { readLogical } from '../../src/sources/redis/format.ts';
import { redisDriver } from '../../src/sources/redis/index.ts';
import { RedisConnection, RedisReplyError } from '../../src/sources/redis/protocol.ts';
import { LOGICAL_MEMBER } from '../../src/sources/redis/url.ts';
import type { SourceContext } from '../../src/sources/types.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import { ADDRESS_IN_USE, withSparePort } from '../helpers/ports.ts';
import { unavailable } from '../helpers/services.ts';

const MiB = 1024 * 1024;
const HUGE_MIB = 128;
// Databases of this file's own server: the huge keys, their restore, the medium keys, theirs,
// and one small key (the CLI's own footprint), its restore.
const HUGE = 0;
const HUGE_TARGET = 1;
const MEDIUM = 2;
const MEDIUM_TARGET = 3;
const TINY = 4;
const TINY_TARGET = 5;

let server: { port: number; child: ChildProcess } | undefined;
let skipReason = '';
let tmp = '';

async function startRedis(dir: string): Promise<{ port: number; child: ChildProcess }> {
  return withSparePort(async (port) => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'].concat([
        '--dir',
        dir,
        '--databases',
        '6',
      ]),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new Promise((res, rej) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        if (/ready to accept connections/i.test(out)) res({ server: { port, child } });
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('error', rej);
      child.on('exit', (code) =>
        ADDRESS_IN_USE.test(out)
          ? res({ inUse: out })
          : rej(new Error(`redis-server exited (${code}): ${out}`)),
      );
    });
  });
}

async function withConn<T>(db: number, fn: (c: RedisConnection) => Promise<T>): Promise<T> {
  const c = await RedisConnection.connect({ host: '127.0.0.1', port: server!.port, db });
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

const ok = (r: unknown) => {
  if (r instanceof RedisReplyError) throw r;
  return r;
};

/** sha256 of each key's content (string bytes; hash fields and values, sorted), by key. */
async function picture(db: number): Promise<Record<string, string>> {
  return withConn(db, async (c) => {
    const out: Record<string, string> = {};
    for (const k of (await c.call('KEYS', '*')) as Buffer[]) {
      const type = String(await c.call('TYPE', k));
      const h = createHash('sha256').update(type);
      if (type === 'string') h.update((await c.call('GET', k)) as Buffer);
      else if (type === 'hash') {
        const flat = (await c.call('HGETALL', k)) as Buffer[];
        const pairs: string[] = [];
        for (let i = 0; i < flat.length; i += 2)
          pairs.push(
            `${flat[i]!.toString('hex')}=${createHash('sha256')
              .update(flat[i + 1]!)
              .digest('hex')}`,
          );
        h.update(pairs.sort().join(','));
      } else h.update(JSON.stringify(await c.call('LRANGE', k, 0, -1)));
      const ttl = Number(await c.call('PTTL', k));
      out[k.toString('utf8')] = `${h.digest('hex')} ${ttl > 0 ? 'expires' : 'persistent'}`;
    }
    return out;
  });
}

/** A hash of `fields` random values of `size` bytes each. */
async function bigHash(c: RedisConnection, key: string, fields: number, size: number) {
  for (let i = 0; i < fields; i += 100) {
    const cmd: Array<string | Buffer> = ['HSET', key];
    for (let j = i; j < Math.min(fields, i + 100); j++) cmd.push(`f${j}`, randomBytes(size));
    ok(await c.call(...cmd));
  }
}

const CLI = resolve('src/cli/index.ts');

/**
 * Runs the CLI (the source tree, as `npm run lifeboat` does) in a child process; returns its
 * exit code, output and peak RSS (getrusage maxRSS of that process: zstd and other children
 * are not counted).
 *
 * The CLI is started by a small launcher process, not by this one: Linux keeps the RSS high
 * mark of the process that forks across exec, so a child forked straight from this test
 * (which holds the large values) would report the test's own peak.
 */
async function cliInChild(args: string[]): Promise<{ code: number; rssMiB: number; out: string }> {
  const script = `
    process.argv = [process.argv[0], ${JSON.stringify(CLI)}, ...JSON.parse(process.env.LB_ARGS)];
    process.on('exit', () => process.stderr.write('MAXRSS ' + process.resourceUsage().maxRSS + '\\n'));
    await import(${JSON.stringify(pathToFileURL(CLI).href)});`;
  const launcher = `
    const [node, ...args] = process.argv.slice(1);
    require('node:child_process')
      .spawn(node, args, { stdio: 'inherit' })
      .on('close', (code) => process.exit(code ?? 1));`;
  const child = spawn(
    process.execPath,
    [
      '-e',
      launcher,
      process.execPath,
      '--disable-warning=ExperimentalWarning',
      '--input-type=module',
      '-e',
      script,
    ],
    {
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], LB_ARGS: JSON.stringify(args) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
  const m = /MAXRSS (\d+)/.exec(out);
  return { code, rssMiB: m ? Number(m[1]) / 1024 : Infinity, out };
}

function makeCtx(options: Record<string, unknown> = {}): SourceContext {
  const nop = () => undefined;
  const log: Logger = { info: nop, warn: nop, error: nop, debug: nop };
  return { log, redactor: new Redactor(), env: {}, tmpDir: tmp, options };
}

/**
 * A TCP proxy to the server that passes `cutAfter` bytes of its replies on each connection,
 * then closes that connection: a server that goes away in the middle of a reply.
 */
async function startCutter(cutAfter: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(server!.port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.pipe(upstream);
    let passed = 0;
    upstream.on('data', (chunk: Buffer) => {
      if (passed >= cutAfter) return;
      const room = cutAfter - passed;
      passed += Math.min(room, chunk.length);
      if (chunk.length < room) {
        client.write(chunk);
        return;
      }
      upstream.destroy();
      client.end(chunk.subarray(0, room));
    });
  });
  await new Promise<void>((res) => proxy.listen(0, '127.0.0.1', res));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((res) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => res());
      }),
  };
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'lifeboat-redis-large-'));
  try {
    server = await startRedis(tmp);
  } catch (err) {
    skipReason = unavailable('redis-server', err);
  }
});

after(async () => {
  if (server) {
    server.child.kill();
    await new Promise((r) => server!.child.once('close', r));
  }
  await rm(tmp, { recursive: true, force: true });
});

describe('redis logical mode with large values', () => {
  test('a 128 MiB string and a 24 MiB hash: backup, verify and restore through the CLI never hold a value whole', async (t) => {
    if (!server) return t.skip(skipReason);
    const port = server.port;
    const url = (db: number) => `redis://127.0.0.1:${port}/${db}`;
    /** Backup, verify and restore of one database by the CLI, each in its own process: peak RSS. */
    const roundTrip = async (db: number, target: number, name: string) => {
      const common = ['--destination', `file:${join(tmp, `store-${name}`)}`, '--name', name];
      const backup = await cliInChild([
        'backup',
        '--source',
        url(db),
        '--redis-mode',
        'logical',
        ...common,
      ]);
      assert.equal(backup.code, 0, backup.out);
      const verify = await cliInChild(['verify', ...common]);
      assert.equal(verify.code, 0, verify.out);
      const restore = await cliInChild(['restore', ...common, '--target', url(target)]);
      assert.equal(restore.code, 0, restore.out);
      return { backup: backup.rssMiB, verify: verify.rssMiB, restore: restore.rssMiB };
    };
    await withConn(TINY, (c) => c.call('SET', 'tiny', 'x'));
    const floor = await roundTrip(TINY, TINY_TARGET, 'tiny');
    await withConn(HUGE, async (c) => {
      ok(await c.call('SET', 'huge', randomBytes(HUGE_MIB * MiB)));
      await bigHash(c, 'hash:big', 3072, 8192);
      ok(await c.call('SET', 'small', 'a small value'));
      ok(await c.call('SET', 'small:ttl', 'expires', 'PX', 3_600_000));
    });
    const rss = await roundTrip(HUGE, HUGE_TARGET, 'huge');
    const round = (_k: string, v: unknown) => (typeof v === 'number' ? Math.round(v) : v);
    t.diagnostic(`peak RSS (MiB), one small key: ${JSON.stringify(floor, round)}`);
    t.diagnostic(`peak RSS (MiB), ${HUGE_MIB} MiB value: ${JSON.stringify(rss, round)}`);
    assert.deepEqual(await picture(HUGE_TARGET), await picture(HUGE));
    // Above what the same command needs for one small key, each grows by less than the value's
    // size: holding it whole even once breaks this (the old parser and reader held it 3 to 4
    // times: +476 MiB for a 96 MiB value). What growth there is does not scale with the value:
    // 40 to 85 MiB, the archive pipeline's buffers and the allocator keeping freed memory (a
    // dir: backup of a 96 MiB file grows as much).
    for (const step of ['backup', 'verify', 'restore'] as const) {
      const grew = rss[step] - floor[step];
      assert.ok(
        grew < HUGE_MIB,
        `${step}: peak RSS ${rss[step].toFixed(0)} MiB, ${grew.toFixed(0)} MiB above ${floor[step].toFixed(0)}`,
      );
    }
    await withConn(HUGE, (c) => c.call('FLUSHALL'));
  });

  describe('a few MiB per key (in-process)', () => {
    let manifest: SourceManifest;
    let member: Buffer;
    before(async () => {
      if (!server) return;
      await withConn(MEDIUM, async (c) => {
        ok(await c.call('SET', 'big:4m', randomBytes(4 * MiB)));
        await bigHash(c, 'hash:3m', 300, 10_240);
        ok(await c.call('SET', 'small', 'x'));
      });
      const ctx = makeCtx({ 'redis-mode': 'logical' });
      const buffer = new MemberBuffer();
      const source = redisDriver.open(`redis://127.0.0.1:${server.port}/${MEDIUM}`, ctx);
      const result = await source.dump(buffer, ctx);
      member = buffer.file(LOGICAL_MEMBER)!;
      manifest = {
        name: 'redis',
        kind: 'redis',
        url: source.displayUrl,
        versions: result.versions,
        inventory: result.inventory,
        members: buffer.records(),
        details: result.details,
        durationMs: 1,
      };
    });

    const entries = (body: Buffer) =>
      (async function* (): AsyncGenerator<ArchiveEntry> {
        yield {
          path: LOGICAL_MEMBER,
          type: 'file',
          mode: 0o600,
          mtime: new Date(),
          body: Readable.from([body]),
        };
      })();

    test('the key stream is byte for byte what earlier releases wrote, and such a stream restores', async (t) => {
      if (!server) return t.skip(skipReason);
      // The format laid out by hand from format.ts's description, with the server's own DUMPs.
      const records: Buffer[] = [];
      const hlen = member.readUInt32BE(8);
      const header = member.subarray(0, 12 + hlen);
      const order: string[] = [];
      for await (const rec of readLogical(Readable.from([member])))
        if (rec.tag === 'key') order.push(rec.key.toString());
      assert.deepEqual([...order].sort(), ['big:4m', 'hash:3m', 'small']);
      records.push(Buffer.from([0x53, 0, 0, 0, MEDIUM]));
      await withConn(MEDIUM, async (c) => {
        for (const k of order) {
          const dump = (await c.call('DUMP', k)) as Buffer;
          const type = Buffer.from(String(await c.call('TYPE', k)));
          const u32 = (n: number) =>
            Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
          records.push(Buffer.from([0x4b]), u32(k.length), Buffer.from(k));
          records.push(
            Buffer.from([255, 255, 255, 255, 255, 255, 255, 255]),
            Buffer.from([type.length]),
            type,
          );
          records.push(u32(dump.length), dump);
        }
      });
      records.push(Buffer.from([0x45, 0, 0, 0, 0, 0, 0, 0, order.length]));
      const old = Buffer.concat([header, ...records]);
      assert.ok(member.equals(old), 'the streamed dump writes the same bytes');

      await redisDriver.verify!(entries(old), manifest, makeCtx());
      await restoreNow(
        redisDriver,
        entries(old),
        {
          target: `redis://127.0.0.1:${server.port}/${MEDIUM_TARGET}`,
          overwrite: false,
          manifest,
          backupId: 'old',
        },
        makeCtx(),
      );
      assert.deepEqual(await picture(MEDIUM_TARGET), await picture(MEDIUM));
      await withConn(MEDIUM_TARGET, (c) => c.call('FLUSHDB'));
    });

    test('a payload cut short or changed in keys.lbr fails verify and restore naming the key; nothing is restored', async (t) => {
      if (!server) return t.skip(skipReason);
      const at = member.indexOf(Buffer.from('big:4m'));
      assert.ok(at > 0);
      // Past the key, pttl, type length, type and payload length: 2 MiB into the payload.
      const inside = at + 6 + 8 + 1 + 6 + 4 + 2 * MiB;
      const truncated = member.subarray(0, inside);
      const flipped = Buffer.from(member);
      flipped[inside]! ^= 0x01;
      const target = `redis://127.0.0.1:${server.port}/${MEDIUM_TARGET}`;
      for (const [body, why] of [
        [truncated, /key "big:4m": stream ends inside a record \(\d+ of 4194\d+ bytes\)/],
        [flipped, /key "big:4m": payload CRC-64 mismatch/],
      ] as const) {
        const named = (err: unknown) =>
          err instanceof IntegrityError &&
          /keys\.lbr is damaged/.test(err.message) &&
          why.test(err.message);
        await assert.rejects(redisDriver.verify!(entries(body), manifest, makeCtx()), named);
        await assert.rejects(
          restoreNow(
            redisDriver,
            entries(body),
            { target, overwrite: false, manifest, backupId: 'bad' },
            makeCtx(),
          ),
          named,
        );
        assert.equal(await withConn(MEDIUM_TARGET, (c) => c.call('DBSIZE')), 0);
      }
    });

    test('the connection dropped inside a streamed DUMP reply fails the backup naming the key; nothing is listed', async (t) => {
      if (!server) return t.skip(skipReason);
      // Every reply before the DUMP of the 4 MiB key is small: 2 MiB in, the cut is inside it.
      const cutter = await startCutter(2 * MiB);
      const store = `file:${join(tmp, 'store-cut')}`;
      try {
        // Only the 4 MiB key, so the DUMP in flight when the cut comes is the streamed one.
        await withConn(MEDIUM_TARGET, async (c) => {
          ok(await c.call('FLUSHDB'));
          ok(await c.call('SET', 'big:4m', randomBytes(4 * MiB)));
        });
        const b = await runCli([
          'backup',
          '--source',
          `redis://127.0.0.1:${cutter.port}/${MEDIUM_TARGET}`,
          '--redis-mode',
          'logical',
          '--destination',
          store,
          '--name',
          'cut',
        ]);
        assert.equal(b.code, 1, b.stderr);
        assert.match(
          b.stderr,
          /redis: reading key "big:4m" of db 3 failed after [\d.]+ [KM]i?B of its 4(\.0)? MiB: connection closed by the server/,
        );
        const l = await runCli(['list', '--destination', store, '--json']);
        assert.equal(l.code, 0, l.stderr);
        assert.deepEqual(jsonOf(l)['backups'], []);
      } finally {
        await cutter.close();
        await withConn(MEDIUM_TARGET, (c) => c.call('FLUSHDB'));
      }
    });
  });
});
