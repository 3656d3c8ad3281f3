/**
 * SIGINT/SIGTERM sent to the CLI mid-dump, mid-upload and mid-restore. "Mid-" is pinned without
 * timing: a TCP valve stops passing the database's replies after a fixed number of bytes, or an
 * HTTP proxy holds one S3 request, so the run is provably stuck there when the signal goes.
 * Each case asserts the exit code and what is left behind: nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { RedisConnection } from '../../src/sources/redis/protocol.ts';
import {
  childrenOf,
  isRunning,
  startCli,
  startHoldingProxy,
  startValve,
  until,
  type CliProcess,
} from '../helpers/cancel.ts';
import { runAction } from '../helpers/action-harness.ts';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.ts';
import { connectOrSkip, LOCAL_REDIS, unavailable } from '../helpers/services.ts';

const REDIS_DB = 15;
/** Where the Redis restore case restores to (its own number: other tests use 8 and 9). */
const TARGET_DB = 14;
/** A stuck case fails on its own instead of cancelling the rest. */
const EACH = { timeout: 45_000 };

let work: string;
let s3: S3rverHandle | undefined;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'lbt-cancel-'));
  const started = await startS3rver();
  if ('unavailable' in started) unavailable(started.unavailable);
  else s3 = started;
});

after(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

/** A private RUNNER_TEMP and destination folder for one case. */
async function place(name: string) {
  const root = join(work, name);
  const runnerTemp = join(root, 'runner-temp');
  const backups = join(root, 'backups');
  for (const d of [runnerTemp, backups]) await mkdir(d, { recursive: true });
  return { root, runnerTemp, backups };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name));
}

async function objectsIn(bucket: string): Promise<string[]> {
  const page = await s3!.client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? []).map((o) => o.Key!);
}

/**
 * Sends the signal once `tool` (when named) runs under the CLI, then checks the exit code, the
 * log, and that no child the CLI had is still running.
 */
async function cancel(
  cli: CliProcess,
  signal: 'SIGINT' | 'SIGTERM',
  tool?: string,
  inspect?: (pid: number) => void,
  /** A second signal right after the first: it must not cut the cleanup short. */
  again?: 'SIGINT' | 'SIGTERM',
): Promise<void> {
  if (tool) {
    const found = await until(`${tool} to run under the CLI`, () =>
      childrenOf(cli.child.pid!).find((c) => c.comm === tool),
    );
    inspect?.(found.pid);
  }
  const children = childrenOf(cli.child.pid!);
  cli.child.kill(signal);
  if (again) {
    await cli.logged(/Cancelling/);
    cli.child.kill(again);
  }
  const { code } = await cli.exit;
  assert.equal(code, signal === 'SIGINT' ? 130 : 143, cli.stderr());
  assert.match(cli.stderr(), /error: cancelled \(SIG(INT|TERM) received\)/);
  for (const c of children) assert.ok(!isRunning(c.pid), `${c.comm} (pid ${c.pid}) still runs`);
}

async function assertNothingLeft(where: { runnerTemp: string; backups?: string }): Promise<void> {
  assert.deepEqual(await readdir(where.runnerTemp), [], 'the run left its temp folder');
  if (where.backups) assert.deepEqual(await filesUnder(where.backups), [], 'partial objects');
}

/** Every archive in the bucket is a complete backup: its manifest and .sha256 are there. */
async function assertOnlyCompleteBackups(bucket: string, expected?: number): Promise<void> {
  const keys = await objectsIn(bucket);
  const archives = keys.filter((k) => /\.tar(\.zst|\.gz)?$/.test(k));
  for (const a of archives) {
    const base = a.replace(/\.tar(\.zst|\.gz)?$/, '');
    assert.ok(keys.includes(`${base}.manifest.json`), `${a} has no manifest: a partial object`);
    assert.ok(keys.includes(`${base}.sha256`), `${a} has no .sha256`);
  }
  assert.equal(keys.length, archives.length * 3, keys.join('\n'));
  if (expected !== undefined) assert.equal(archives.length, expected, keys.join('\n'));
}

const s3Args = () => ['--s3-endpoint', s3!.endpoint];

/** Holds the n-th GET of an archive once `afterBytes` of it went through. */
function holdArchiveGet(n: number, afterBytes: number) {
  let seen = 0;
  return (r: { method: string; url: string }) => {
    if (r.method !== 'GET' || !/\.tar\.zst(\?|$)/.test(r.url)) return undefined;
    return ++seen === n ? { afterBytes } : undefined;
  };
}

const holdFirstPart = (r: { method: string; url: string }) =>
  r.method === 'PUT' && /[?&]partNumber=/.test(r.url) ? {} : undefined;

async function pgAdmin(): Promise<pg.Client | undefined> {
  const admin = new pg.Client(PG);
  admin.on('error', () => undefined);
  try {
    await admin.connect();
    return admin;
  } catch (err) {
    unavailable('PostgreSQL on 127.0.0.1:5432', err);
    return undefined;
  }
}

/** A connection to the local Redis, or undefined when it is not running (a failure under CI). */
async function redisConn(db: number): Promise<RedisConnection | undefined> {
  return connectOrSkip('Redis on 127.0.0.1:6379', () =>
    RedisConnection.connect({ ...LOCAL_REDIS, db }),
  );
}

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };

async function pgTable(db: string, rows: number): Promise<void> {
  const c = new pg.Client({ ...PG, database: db });
  await c.connect();
  // Random bytes: they do not compress, so the archive is as big as the data.
  await c.query(
    `CREATE TABLE big AS SELECT g AS id,
       decode(md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text), 'hex') AS a
     FROM generate_series(1, ${rows}) g`,
  );
  await c.end();
}

async function pgDigest(db: string): Promise<string> {
  const c = new pg.Client({ ...PG, database: db });
  await c.connect();
  const r = await c.query<{ d: string }>(
    `SELECT count(*) || ':' || md5(string_agg(a::text, '' ORDER BY id)) AS d FROM big`,
  );
  await c.end();
  return r.rows[0]!.d;
}

describe('cancelling the CLI', { concurrency: false }, () => {
  test(
    'PostgreSQL to file: SIGINT mid-dump and mid-upload, with TMPDIR unusable',
    EACH,
    async (t) => {
      const admin = await pgAdmin();
      if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
      const db = `lb_cancel_${randomBytes(4).toString('hex')}`;
      const w = await place('pg');
      // The valve passes 12 MB of the server's replies; the table is bigger, so pg_dump stays
      // stuck mid-table, after enough data for the archive to reach the destination file.
      const valve = await startValve(5432, 12 << 20);
      try {
        await admin.query(`CREATE DATABASE ${db}`);
        await pgTable(db, 250_000);
        const cli = startCli(
          [
            'backup',
            '--source',
            `postgres://postgres@127.0.0.1:${valve.port}/${db}`,
            '--destination',
            `file:${w.backups}`,
          ],
          { RUNNER_TEMP: w.runnerTemp, TMPDIR: '/nonexistent/tmp' },
        );
        await cli.logged(/Dump(ing)? postgres/);
        await valve.held;
        await until(
          'a partial object in the destination',
          () => nonEmptyFiles(w.backups).length > 0,
        );
        await cancel(cli, 'SIGINT', 'pg_dump');
        await assertNothingLeft(w);
      } finally {
        await valve.close();
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        await admin.end();
      }
    },
  );

  test(
    'PostgreSQL overwrite restore from S3: SIGINT mid-restore leaves the target as it was',
    EACH,
    async (t) => {
      if (!s3) return t.skip('s3rver is not available');
      const admin = await pgAdmin();
      if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
      const db = `lb_cancel_${randomBytes(4).toString('hex')}`;
      const w = await place('pg-restore');
      const bucket = await s3.createBucket();
      const proxy = await startHoldingProxy(s3.port, holdArchiveGet(1, 2 << 20));
      try {
        await admin.query(`CREATE DATABASE ${db}`);
        await pgTable(db, 100_000);
        const url = `postgres://postgres@127.0.0.1:5432/${db}`;
        const b = startCli(
          ['backup', '--source', url, '--destination', `s3://${bucket}/b`, ...s3Args()],
          { ...s3.env, RUNNER_TEMP: w.runnerTemp },
        );
        assert.equal((await b.exit).code, 0, b.stderr());
        const before = await pgDigest(db);

        const r = startCli(
          [
            'restore',
            '--destination',
            `s3://${bucket}/b`,
            '--target',
            url,
            '--overwrite',
            '--s3-endpoint',
            proxy.endpoint,
          ],
          { ...s3.env, RUNNER_TEMP: w.runnerTemp },
        );
        await proxy.held;
        await cancel(r, 'SIGINT', 'pg_restore');
        assert.equal(await pgDigest(db), before, 'the target changed');
        const staged = await admin.query(
          `SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $1`,
          [db],
        );
        assert.deepEqual(staged.rows, [], 'a staged database was left behind');
        await assertNothingLeft(w);
        // The backup, and a safety backup if the driver had taken one yet: complete ones only.
        await assertOnlyCompleteBackups(bucket);
      } finally {
        await proxy.close();
        await s3.deleteBucket(bucket);
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        await admin.end();
      }
    },
  );

  test(
    'MariaDB to S3: SIGTERM mid-dump; the options never touch disk; restore cancelled too',
    EACH,
    async (t) => {
      if (!s3) return t.skip('s3rver is not available');
      let admin: mysql.Connection;
      try {
        admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      } catch (err) {
        return t.skip(unavailable('MariaDB on 127.0.0.1:3306', err));
      }
      const db = `lbt_cancel_${randomBytes(4).toString('hex')}`;
      const w = await place('mysql');
      const bucket = await s3.createBucket();
      const valve = await startValve(3306, 4 << 20);
      const proxy = await startHoldingProxy(s3.port, holdArchiveGet(1, 1 << 20));
      try {
        await admin.query(`CREATE DATABASE ${db}`);
        await admin.query(`USE ${db}`);
        await admin.query(`CREATE TABLE ${db}.big (id INT PRIMARY KEY, a VARBINARY(200))`);
        await admin.query(
          `INSERT INTO ${db}.big SELECT seq, CONCAT(UNHEX(SHA2(RAND(), 512)), UNHEX(SHA2(RAND(), 512))) FROM seq_1_to_100000`,
        );
        const cli = startCli(
          [
            'backup',
            '--source',
            `mysql://root@127.0.0.1:${valve.port}/${db}`,
            '--destination',
            `s3://${bucket}/b`,
            ...s3Args(),
          ],
          { ...s3.env, RUNNER_TEMP: w.runnerTemp },
        );
        await valve.held;
        await cancel(cli, 'SIGTERM', 'mariadb-dump', (pid) => {
          // The option file arrives on fd 3 as a pipe, and its text is not left in the environment.
          assert.match(readlinkSync(`/proc/${pid}/fd/3`), /^pipe:/);
          assert.ok(
            !readFileSync(`/proc/${pid}/environ`, 'utf8').includes('LIFEBOAT_MYSQL_OPTIONS'),
          );
          assert.ok(
            readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(
              '--defaults-extra-file=/dev/fd/3',
            ),
          );
        });
        await assertNothingLeft(w);
        await assertOnlyCompleteBackups(bucket, 0);

        // A whole backup, then a restore into a new database cancelled mid-stream.
        const b = startCli(
          [
            'backup',
            '--source',
            `mysql://root@127.0.0.1:3306/${db}`,
            '--destination',
            `s3://${bucket}/b`,
            ...s3Args(),
          ],
          { ...s3.env, RUNNER_TEMP: w.runnerTemp },
        );
        assert.equal((await b.exit).code, 0, b.stderr());
        const r = startCli(
          [
            'restore',
            '--destination',
            `s3://${bucket}/b`,
            '--target',
            `mysql://root@127.0.0.1:3306/${db}_r`,
            '--s3-endpoint',
            proxy.endpoint,
          ],
          { ...s3.env, RUNNER_TEMP: w.runnerTemp },
        );
        await proxy.held;
        await cancel(r, 'SIGTERM', 'mariadb');
        const [rows] = await admin.query(`SHOW DATABASES LIKE '${db}_r'`);
        assert.deepEqual(rows, [], 'the half-restored database was left behind');
        await assertNothingLeft(w);
      } finally {
        await valve.close();
        await proxy.close();
        await s3.deleteBucket(bucket);
        await admin.query(`DROP DATABASE IF EXISTS ${db}`);
        await admin.query(`DROP DATABASE IF EXISTS ${db}_r`);
        await admin.end();
      }
    },
  );

  test('Redis to file: SIGINT mid-dump, then SIGTERM during the cleanup', EACH, async (t) => {
    const conn = await redisConn(REDIS_DB);
    if (!conn) return t.skip('Redis is not running on 127.0.0.1:6379');
    const w = await place('redis');
    const valve = await startValve(6379, 1 << 20);
    try {
      await conn.call('FLUSHDB');
      for (let i = 0; i < 2000; i++) await conn.call('SET', `k${i}`, randomBytes(4096));
      const cli = startCli(
        [
          'backup',
          '--source',
          `redis://127.0.0.1:${valve.port}/${REDIS_DB}`,
          '--redis-mode',
          'logical',
          '--destination',
          `file:${w.backups}`,
        ],
        { RUNNER_TEMP: w.runnerTemp },
      );
      await cli.logged(/Dump(ing)? redis/);
      await valve.held;
      await cancel(cli, 'SIGINT', 'zstd', undefined, 'SIGTERM');
      assert.match(cli.stderr(), /received again: still cleaning up/);
      await assertNothingLeft(w);
    } finally {
      await valve.close();
      await conn.call('FLUSHDB');
      conn.close();
    }
  });

  test(
    'Redis from S3: SIGTERM mid-restore removes the staged spool and writes no key',
    EACH,
    async (t) => {
      if (!s3) return t.skip('s3rver is not available');
      const conn = await redisConn(REDIS_DB);
      if (!conn) return t.skip('Redis is not running on 127.0.0.1:6379');
      const target = (await redisConn(TARGET_DB))!;
      const w = await place('redis-restore');
      const bucket = await s3.createBucket();
      const proxy = await startHoldingProxy(s3.port, holdArchiveGet(1, 1 << 20));
      try {
        await conn.call('FLUSHDB');
        await target.call('FLUSHDB');
        for (let i = 0; i < 1000; i++) await conn.call('SET', `k${i}`, randomBytes(4096));
        const source = `redis://127.0.0.1:6379/${REDIS_DB}`;
        const b = startCli(
          [
            'backup',
            '--source',
            source,
            '--redis-mode',
            'logical',
            '--destination',
            `s3://${bucket}/b`,
            ...s3Args(),
          ],
          { ...s3.env, RUNNER_TEMP: w.runnerTemp },
        );
        assert.equal((await b.exit).code, 0, b.stderr());
        const r = startCli(
          [
            'restore',
            '--destination',
            `s3://${bucket}/b`,
            '--target',
            `redis://127.0.0.1:6379/${TARGET_DB}`,
            '--s3-endpoint',
            proxy.endpoint,
          ],
          { ...s3.env, RUNNER_TEMP: w.runnerTemp },
        );
        await proxy.held;
        // Staging is under way: the key stream is being spooled, nothing applied yet.
        await until('the staged spool', () =>
          readdirSync(w.runnerTemp, { recursive: true }).some((f) => String(f).endsWith('.keys')),
        );
        await cancel(r, 'SIGTERM');
        assert.equal(Number(await target.call('DBSIZE')), 0, 'a key reached the target');
        await assertNothingLeft(w);
        await assertOnlyCompleteBackups(bucket, 1);
      } finally {
        await proxy.close();
        await s3.deleteBucket(bucket);
        await conn.call('FLUSHDB');
        await target.call('FLUSHDB');
        conn.close();
        target.close();
      }
    },
  );

  test(
    'SQLite to S3: SIGINT mid-upload aborts the multipart upload; restore cancelled too',
    EACH,
    async (t) => {
      if (!s3) return t.skip('s3rver is not available');
      const w = await place('sqlite');
      const bucket = await s3.createBucket();
      const dbPath = join(w.root, 'app.sqlite');
      const d = new DatabaseSync(dbPath);
      d.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)');
      const ins = d.prepare('INSERT INTO t (b) VALUES (?)');
      d.exec('BEGIN');
      for (let i = 0; i < 400; i++) ins.run(randomBytes(64 << 10));
      d.exec('COMMIT');
      d.close();
      const upload = await startHoldingProxy(s3.port, holdFirstPart);
      const download = await startHoldingProxy(s3.port, holdArchiveGet(1, 1 << 20));
      try {
        const cli = startCli(
          [
            'backup',
            '--source',
            `sqlite:${dbPath}`,
            '--destination',
            `s3://${bucket}/b`,
            '--s3-endpoint',
            upload.endpoint,
          ],
          { ...s3.env, RUNNER_TEMP: w.runnerTemp },
        );
        await upload.held;
        await cancel(cli, 'SIGINT');
        assert.ok(
          upload.requests.some((r) => r.method === 'DELETE' && /[?&]uploadId=/.test(r.url)),
          'the multipart upload was not aborted',
        );
        await assertNothingLeft(w);
        await assertOnlyCompleteBackups(bucket, 0);

        const b = startCli(
          [
            'backup',
            '--source',
            `sqlite:${dbPath}`,
            '--destination',
            `s3://${bucket}/b`,
            ...s3Args(),
          ],
          { ...s3.env, RUNNER_TEMP: w.runnerTemp },
        );
        assert.equal((await b.exit).code, 0, b.stderr());
        const target = join(w.root, 'restored', 'app.sqlite');
        await mkdir(join(w.root, 'restored'));
        const r = startCli(
          [
            'restore',
            '--destination',
            `s3://${bucket}/b`,
            '--target',
            `sqlite:${target}`,
            '--s3-endpoint',
            download.endpoint,
          ],
          { ...s3.env, RUNNER_TEMP: w.runnerTemp },
        );
        await download.held;
        await cancel(r, 'SIGINT');
        assert.deepEqual(await readdir(join(w.root, 'restored')), [], 'a partial restore was left');
        await assertNothingLeft(w);
      } finally {
        await upload.close();
        await download.close();
        await s3.deleteBucket(bucket);
      }
    },
  );

  test('dir to S3: SIGTERM mid-upload; restore cancelled too', EACH, async (t) => {
    if (!s3) return t.skip('s3rver is not available');
    const w = await place('dir');
    const bucket = await s3.createBucket();
    const src = join(w.root, 'files');
    await mkdir(src);
    for (let i = 0; i < 4; i++) await writeFile(join(src, `f${i}.bin`), randomBytes(6 << 20));
    const upload = await startHoldingProxy(s3.port, holdFirstPart);
    const download = await startHoldingProxy(s3.port, holdArchiveGet(1, 1 << 20));
    try {
      const cli = startCli(
        [
          'backup',
          '--source',
          `dir:${src}`,
          '--destination',
          `s3://${bucket}/b`,
          '--s3-endpoint',
          upload.endpoint,
        ],
        { ...s3.env, RUNNER_TEMP: w.runnerTemp },
      );
      await upload.held;
      await cancel(cli, 'SIGTERM');
      assert.ok(upload.requests.some((r) => r.method === 'DELETE' && /[?&]uploadId=/.test(r.url)));
      await assertNothingLeft(w);
      await assertOnlyCompleteBackups(bucket, 0);

      const b = startCli(
        ['backup', '--source', `dir:${src}`, '--destination', `s3://${bucket}/b`, ...s3Args()],
        { ...s3.env, RUNNER_TEMP: w.runnerTemp },
      );
      assert.equal((await b.exit).code, 0, b.stderr());
      const parent = join(w.root, 'restored');
      await mkdir(parent);
      const r = startCli(
        [
          'restore',
          '--destination',
          `s3://${bucket}/b`,
          '--target',
          `dir:${join(parent, 'files')}`,
          '--s3-endpoint',
          download.endpoint,
        ],
        { ...s3.env, RUNNER_TEMP: w.runnerTemp },
      );
      await download.held;
      await cancel(r, 'SIGTERM');
      assert.deepEqual(await readdir(parent), [], 'a partial restore was left');
      await assertNothingLeft(w);
    } finally {
      await upload.close();
      await download.close();
      await s3.deleteBucket(bucket);
    }
  });
});

/**
 * Mid-dump on every storage: each server-backed source behind a valve, against file: and S3.
 * A case prepares its data and gives the source URL through the valve's port.
 */
interface DumpCase {
  source: string;
  port: number;
  /** The child that must be running (and stopped) when the signal goes, if any. */
  tool?: string;
  holdAfter: number;
  args?: string[];
  prepare(): Promise<{ url: (port: number) => string; drop(): Promise<void> } | undefined>;
}

const dumpCases: DumpCase[] = [
  {
    source: 'PostgreSQL',
    port: 5432,
    tool: 'pg_dump',
    holdAfter: 1 << 20,
    async prepare() {
      const admin = await pgAdmin();
      if (!admin) return undefined;
      const db = `lb_cancel_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${db}`);
      await pgTable(db, 40_000);
      return {
        url: (port) => `postgres://postgres@127.0.0.1:${port}/${db}`,
        async drop() {
          await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
          await admin.end();
        },
      };
    },
  },
  {
    source: 'MariaDB',
    port: 3306,
    tool: 'mariadb-dump',
    holdAfter: 1 << 20,
    async prepare() {
      const admin = await mysql
        .createConnection({ host: '127.0.0.1', port: 3306, user: 'root' })
        .catch((err: unknown) => {
          unavailable('MariaDB on 127.0.0.1:3306', err);
          return undefined;
        });
      if (!admin) return undefined;
      const db = `lbt_cancel_${randomBytes(4).toString('hex')}`;
      const drop = async (): Promise<void> => {
        await admin.query(`DROP DATABASE IF EXISTS ${db}`);
        await admin.end();
      };
      try {
        await admin.query(`CREATE DATABASE ${db}`);
        await admin.query(`USE ${db}`);
        await admin.query(`CREATE TABLE ${db}.big (id INT PRIMARY KEY, a VARBINARY(200))`);
        await admin.query(
          `INSERT INTO ${db}.big SELECT seq, UNHEX(SHA2(RAND(), 512)) FROM seq_1_to_40000`,
        );
      } catch (err) {
        await drop();
        throw err;
      }
      return {
        url: (port) => `mysql://root@127.0.0.1:${port}/${db}`,
        drop,
      };
    },
  },
  {
    source: 'Redis',
    port: 6379,
    holdAfter: 1 << 20,
    args: ['--redis-mode', 'logical'],
    async prepare() {
      const conn = await RedisConnection.connect({
        host: '127.0.0.1',
        port: 6379,
        db: REDIS_DB,
      }).catch((err: unknown) => {
        unavailable('Redis on 127.0.0.1:6379', err);
        return undefined;
      });
      if (!conn) return undefined;
      await conn.call('FLUSHDB');
      for (let i = 0; i < 600; i++) await conn.call('SET', `k${i}`, randomBytes(4096));
      return {
        url: (port) => `redis://127.0.0.1:${port}/${REDIS_DB}`,
        async drop() {
          await conn.call('FLUSHDB');
          conn.close();
        },
      };
    },
  },
];

describe('cancelling mid-dump, on file: and S3', { concurrency: false }, () => {
  for (const c of dumpCases) {
    for (const storage of ['file', 's3'] as const) {
      test(`${c.source} to ${storage}: SIGTERM mid-dump leaves nothing`, EACH, async (t) => {
        if (storage === 's3' && !s3) return t.skip('s3rver is not available');
        const data = await c.prepare();
        if (!data) return t.skip(`${c.source} is not running on 127.0.0.1:${c.port}`);
        const w = await place(`dump-${c.source}-${storage}`);
        const bucket = storage === 's3' ? await s3!.createBucket() : undefined;
        const valve = await startValve(c.port, c.holdAfter);
        try {
          const destination = bucket
            ? ['--destination', `s3://${bucket}/b`, ...s3Args()]
            : ['--destination', `file:${w.backups}`];
          const cli = startCli(
            ['backup', '--source', data.url(valve.port), ...(c.args ?? []), ...destination],
            { ...(bucket ? s3!.env : {}), RUNNER_TEMP: w.runnerTemp },
          );
          await valve.held;
          await cancel(cli, 'SIGTERM', c.tool);
          await assertNothingLeft(w);
          if (bucket) await assertOnlyCompleteBackups(bucket, 0);
        } finally {
          await valve.close();
          if (bucket) await s3!.deleteBucket(bucket);
          await data.drop();
        }
      });
    }
  }
});

describe('cancelling after the backup was stored', () => {
  test(
    'SIGINT during retention: the backup stays, nothing more is deleted, exit 130 says both',
    EACH,
    async (t) => {
      if (!s3) return t.skip('s3rver is not available');
      const w = await place('retention');
      const bucket = await s3.createBucket();
      const dbPath = join(w.root, 'small.sqlite');
      const d = new DatabaseSync(dbPath);
      d.exec('CREATE TABLE t (v TEXT); INSERT INTO t VALUES (1)');
      d.close();
      const backup = (endpoint: string) =>
        startCli(
          [
            'backup',
            '--source',
            `sqlite:${dbPath}`,
            '--destination',
            `s3://${bucket}/b`,
            '--keep-last',
            '1',
            '--s3-endpoint',
            endpoint,
          ],
          { ...s3!.env, RUNNER_TEMP: w.runnerTemp },
        );
      // Retention's first delete is held: the run is provably pruning when the signal goes.
      const proxy = await startHoldingProxy(s3.port, (r) =>
        r.method === 'DELETE' && /\.manifest\.json(\?|$)/.test(r.url) ? {} : undefined,
      );
      try {
        for (let i = 0; i < 2; i++) {
          const b = startCli(
            [
              'backup',
              '--source',
              `sqlite:${dbPath}`,
              '--destination',
              `s3://${bucket}/b`,
              ...s3Args(),
            ],
            { ...s3.env, RUNNER_TEMP: w.runnerTemp },
          );
          assert.equal((await b.exit).code, 0, b.stderr());
        }
        const cli = backup(proxy.endpoint);
        await proxy.held;
        await cancel(cli, 'SIGINT');
        const id =
          /cancelled \(SIGINT received\): backup (\S+) was stored, but retention was cancelled/.exec(
            cli.stderr(),
          )?.[1];
        assert.ok(id, cli.stderr());
        // The held delete never reached the store and no other one was sent after the signal.
        const deletes = proxy.requests.filter((r) => r.method === 'DELETE');
        assert.ok(
          deletes.every((r) => !/\.(sha256|tar\.zst)(\?|$)/.test(r.url)),
          cli.stderr(),
        );
        await assertOnlyCompleteBackups(bucket, 3);
        assert.ok((await objectsIn(bucket)).some((k) => k.endsWith(`${id}.manifest.json`)));
        await assertNothingLeft(w);
      } finally {
        await proxy.close();
        await s3.deleteBucket(bucket);
      }
    },
  );
});

describe('after a kill -9', () => {
  test('the next run removes the temp folder the killed run left, and says so', EACH, async (t) => {
    const conn = await redisConn(REDIS_DB);
    if (!conn) return t.skip('Redis is not running on 127.0.0.1:6379');
    const w = await place('kill9');
    const valve = await startValve(6379, 1 << 20);
    try {
      await conn.call('FLUSHDB');
      for (let i = 0; i < 600; i++) await conn.call('SET', `k${i}`, randomBytes(4096));
      const killed = startCli(
        [
          'backup',
          '--source',
          `redis://127.0.0.1:${valve.port}/${REDIS_DB}`,
          '--redis-mode',
          'logical',
          '--destination',
          `file:${w.backups}`,
        ],
        { RUNNER_TEMP: w.runnerTemp },
      );
      await valve.held;
      killed.child.kill('SIGKILL');
      await killed.exit;
      const left = await readdir(w.runnerTemp);
      assert.equal(left.length, 1, 'a killed run cannot clean up after itself');

      // Also: TMPDIR points nowhere usable, RUNNER_TEMP is enough.
      const dbPath = join(w.root, 'small.sqlite');
      const d = new DatabaseSync(dbPath);
      d.exec('CREATE TABLE t (v TEXT); INSERT INTO t VALUES (1)');
      d.close();
      const next = startCli(
        ['backup', '--source', `sqlite:${dbPath}`, '--destination', `file:${w.backups}`],
        { RUNNER_TEMP: w.runnerTemp, TMPDIR: '/nonexistent/tmp' },
      );
      assert.equal((await next.exit).code, 0, next.stderr());
      assert.match(
        next.stderr(),
        new RegExp(`Removed the stale temporary folder .*${left[0]}.*no longer running`),
      );
      assert.deepEqual(await readdir(w.runnerTemp), []);
    } finally {
      await valve.close();
      await conn.call('FLUSHDB');
      conn.close();
    }
  });
});

describe('cancelling the action', () => {
  test(
    'SIGINT mid-upload: exit 130, "cancelled" in the log, the summary and error-kind',
    EACH,
    async (t) => {
      if (!s3) return t.skip('s3rver is not available');
      const w = await place('action');
      const bucket = await s3.createBucket();
      const dbPath = join(w.root, 'app.sqlite');
      bigSqlite(dbPath);
      // runs.main pointed at the sources: the committed dist/ is rebuilt only on main.
      const actionYml = join(w.root, 'action.yml');
      const yml = await readFile('action.yml', 'utf8');
      await writeFile(
        actionYml,
        yml.replace(/^(\s*main:\s*).*$/m, `$1${join(process.cwd(), 'src/action/index.ts')}`),
      );
      const upload = await startHoldingProxy(s3.port, holdFirstPart);
      try {
        const run = runAction({
          workspace: w.root,
          actionYml,
          inputs: {
            source: `sqlite:${dbPath}`,
            destination: `s3://${bucket}/b`,
            's3-endpoint': upload.endpoint,
          },
          env: {
            ...(s3.env as Record<string, string>),
            NODE_OPTIONS: '--disable-warning=ExperimentalWarning',
          },
          onStart: (child) => void upload.held.then(() => child.kill('SIGINT')),
        });
        const r = await run;
        assert.equal(r.code, 130, r.log);
        assert.ok(
          r.errors.some((e) => /cancelled \(SIGINT received\)/.test(e.message)),
          r.log,
        );
        assert.match(r.summary, /cancelled/);
        assert.equal(r.outputs['error-kind'], 'operational');
        await assertOnlyCompleteBackups(bucket, 0);
      } finally {
        await upload.close();
        await s3.deleteBucket(bucket);
      }
    },
  );
});

function bigSqlite(path: string): void {
  const d = new DatabaseSync(path);
  d.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)');
  const ins = d.prepare('INSERT INTO t (b) VALUES (?)');
  d.exec('BEGIN');
  for (let i = 0; i < 400; i++) ins.run(randomBytes(64 << 10));
  d.exec('COMMIT');
  d.close();
}

function nonEmptyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && statSync(join(e.parentPath, e.name)).size > 0) out.push(e.name);
  }
  return out;
}
