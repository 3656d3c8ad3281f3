import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { exitCodeFor } from '../../src/core/errors.ts';
import { RedisConnection } from '../../src/sources/redis/protocol.ts';
import { LOCAL_POSTGRES, unavailable } from '../helpers/services.ts';
import {
  assertRecordShape,
  check,
  drillRecords,
  drillSpace,
  drillWithHook,
  leftovers,
} from './drill-helpers.ts';

const PG = LOCAL_POSTGRES;
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
// Redis databases 2 (source) and 3 (scratch) belong to this file.
const REDIS_SOURCE_DB = 2;
const REDIS_SCRATCH_DB = 3;

async function pgAdmin(): Promise<pg.Client | undefined> {
  const c = new pg.Client({ ...PG, database: 'postgres', connectionTimeoutMillis: 3000 });
  c.on('error', () => {});
  try {
    await c.connect();
    return c;
  } catch {
    return undefined;
  }
}

async function pgQuery(db: string, sql: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ ...PG, database: db });
  c.on('error', () => {});
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

async function pgDatabases(admin: pg.Client, prefix: string): Promise<string[]> {
  const r = await admin.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1',
    [prefix],
  );
  return r.rows.map((x) => x.datname);
}

describe('drill: PostgreSQL', () => {
  let admin: pg.Client | undefined;
  const db = `drill_pg_${randomBytes(3).toString('hex')}`;
  before(async () => {
    admin = await pgAdmin();
    if (!admin) return;
    await admin.query(`CREATE DATABASE ${db}`);
    await pgQuery(
      db,
      `CREATE TABLE orders (id serial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), total numeric);
       INSERT INTO orders (total) SELECT g * 1.5 FROM generate_series(1, 40) g;
       CREATE TABLE users (id bigint PRIMARY KEY, name text);
       INSERT INTO users VALUES (1, 'ada'), (1001, 'grace'), (1002, 'linus');`,
    );
  });
  after(async () => {
    if (!admin) return;
    for (const d of await pgDatabases(admin, db)) {
      await admin.query(`DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`);
    }
    await admin.end();
  });

  test('drills into <db>_drill_<id> on the target server, checks and drops it; failures drop it too', async (t) => {
    if (!admin) return t.skip(unavailable('PostgreSQL on 127.0.0.1:5432'));
    const w = await drillSpace();
    try {
      const b = await w.cli([
        'backup',
        '--source',
        `postgres://postgres@127.0.0.1:5432/${db}`,
        '--destination',
        `file:${w.store}`,
      ]);
      assert.equal(b.code, 0, b.stderr);
      const id = b.json.outputs['backup-id']!;
      const scratch = `${db}_drill_${id.slice(-6)}`;

      // A password in the target (trust auth ignores it) is a secret: never shown or stored.
      const secret = 'Dr1ll-S3cret-pw';
      const ok = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        `postgres://postgres:${secret}@127.0.0.1:5432/postgres`,
        '--assert',
        "SELECT count(*) FROM orders WHERE created_at > now() - interval '2 days' >= 1",
        '--assert',
        'SELECT max(id) FROM users > 1000',
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.doesNotMatch(ok.stdout + ok.stderr, new RegExp(secret));
      const [record] = await drillRecords(w.store, db);
      assert.doesNotMatch(JSON.stringify(record), new RegExp(secret));
      assertRecordShape(record!);
      assert.equal(record!.ok, true);
      assert.match(
        check(record!, `inventory postgres`).detail,
        /2 tables, 43 rows, 1 sequence: matches the manifest/,
      );
      assert.match(check(record!, /interval/).detail, /^40 satisfies >= 1$/);
      assert.match(check(record!, /max\(id\)/).detail, /^1002 satisfies > 1000$/);
      assert.match(
        ok.stderr,
        new RegExp(
          `Removed the scratch copy postgres://postgres(:\\*+)?@127.0.0.1:5432/${scratch}`,
        ),
      );
      assert.deepEqual(
        await pgDatabases(admin, `${db}_`),
        [],
        'scratch and staging databases are gone',
      );

      const failing = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        PG_SERVER,
        '--assert',
        'SELECT count(*) FROM orders = 41',
      ]);
      assert.equal(failing.code, 3, failing.stderr);
      assert.match(String(failing.json['error']), /40 does not satisfy = 41/);
      assert.deepEqual(await pgDatabases(admin, `${db}_`), []);

      const prod = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        `postgresql://postgres@localhost/${db}`,
      ]);
      assert.equal(prod.code, 2, prod.stderr);
      assert.match(String(prod.json['error']), /backed-up source itself/);

      // A scratch server that refuses connections: operational (exit 1), nothing restored, no record.
      const records = (await drillRecords(w.store, db)).length;
      const down = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        'postgres://postgres@127.0.0.1:1/postgres',
      ]);
      assert.equal(down.code, 1, down.stderr);
      assert.equal(down.json['error-kind'], 'operational');
      assert.match(String(down.json['error']), /127\.0\.0\.1:1/);
      assert.equal((await drillRecords(w.store, db)).length, records);

      // A scratch database of that name already there (a kept scratch): refused, left alone.
      await admin.query(`CREATE DATABASE "${scratch}"`);
      await pgQuery(scratch, 'CREATE TABLE mine (x int)');
      const taken = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        PG_SERVER,
      ]);
      assert.equal(taken.code, 2, taken.stderr);
      assert.match(
        String(taken.json['error']),
        new RegExp(`database "${scratch}" already exists; nothing was restored`),
      );
      assert.equal((await pgQuery(scratch, 'SELECT count(*)::int AS n FROM mine')).rows[0].n, 0);
      await admin.query(`DROP DATABASE "${scratch}"`);

      // Wrong row count in the restored copy (changed between restore and checks): exit 3, named.
      const tampered = await drillWithHook(
        { destination: `file:${w.store}`, target: PG_SERVER },
        w.dir,
        w.tmpRoot,
        async ([s]) => {
          await pgQuery(scratch, 'DELETE FROM orders WHERE id <= 2');
          assert.ok(s);
        },
      );
      assert.equal(exitCodeFor(tampered.error), 3, String(tampered.error));
      assert.match(
        String((tampered.error as Error).message),
        /inventory postgres: 1 difference from the manifest: table public\.orders has 38 rows, the backup 40/,
      );
      assert.equal(tampered.report.outputs['drill-ok'], 'false');
      assert.deepEqual(await pgDatabases(admin, `${db}_`), []);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });
});

describe('drill: MariaDB/MySQL', () => {
  let conn: mysql.Connection | undefined;
  const db = `drill_my_${randomBytes(3).toString('hex')}`;
  before(async () => {
    try {
      conn = await mysql.createConnection({
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        password: '',
        connectTimeout: 3000,
      });
    } catch {
      return;
    }
    await conn.query(`CREATE DATABASE \`${db}\``);
    await conn.query(
      `CREATE TABLE \`${db}\`.orders (id INT PRIMARY KEY AUTO_INCREMENT, total DECIMAL(10,2))`,
    );
    await conn.query(`INSERT INTO \`${db}\`.orders (total) VALUES (1.5), (2.5), (3.5), (4.5)`);
  });
  after(async () => {
    if (!conn) return;
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?',
      [`${db}%`],
    );
    for (const r of rows) await conn.query(`DROP DATABASE IF EXISTS \`${r['n']}\``);
    await conn.end();
  });
  const scratchDbs = async () => {
    const [rows] = await conn!.query<mysql.RowDataPacket[]>(
      'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?',
      [`${db}\\_%`],
    );
    return rows.map((r) => String(r['n']));
  };

  test('drills into <db>_drill_<id>, checks and drops it, passing and failing', async (t) => {
    if (!conn) return t.skip(unavailable('MariaDB on 127.0.0.1:3306'));
    const w = await drillSpace();
    try {
      const b = await w.cli([
        'backup',
        '--source',
        `mysql://root@127.0.0.1:3306/${db}`,
        '--destination',
        `file:${w.store}`,
      ]);
      assert.equal(b.code, 0, b.stderr);
      const ok = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        'mysql://root@127.0.0.1:3306',
        '--assert',
        'SELECT SUM(total) FROM orders = 12',
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      const [record] = await drillRecords(w.store, db);
      assertRecordShape(record!);
      assert.match(
        check(record!, 'inventory mysql').detail,
        /1 table, 4 rows: matches the manifest/,
      );
      assert.deepEqual(await scratchDbs(), []);

      const failing = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        'mysql://root@127.0.0.1:3306',
        '--assert',
        'SELECT count(*) FROM orders > 4',
      ]);
      assert.equal(failing.code, 3, failing.stderr);
      assert.match(String(failing.json['error']), /4 does not satisfy > 4/);
      assert.deepEqual(await scratchDbs(), []);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });
});

describe('drill: Redis', () => {
  let c: RedisConnection | undefined;
  before(async () => {
    try {
      c = await RedisConnection.connect({ host: '127.0.0.1', port: 6379, db: REDIS_SOURCE_DB });
    } catch {
      return;
    }
    await c.call('FLUSHDB');
    await c.call('SET', 'drill:user:1', 'ada');
    await c.call('HSET', 'drill:cart:1', 'item', '3');
    await c.call('RPUSH', 'drill:queue', 'a', 'b');
  });
  after(async () => {
    if (!c) return;
    await c.call('FLUSHDB');
    c.close();
  });
  const scratchSize = async () => {
    const s = await RedisConnection.connect({
      host: '127.0.0.1',
      port: 6379,
      db: REDIS_SCRATCH_DB,
    });
    try {
      return Number(await s.call('DBSIZE'));
    } finally {
      s.close();
    }
  };

  test('drills into a spare database index, checks keys, and flushes it afterwards', async (t) => {
    if (!c) return t.skip(unavailable('Redis on 127.0.0.1:6379'));
    const w = await drillSpace();
    try {
      assert.equal(
        await scratchSize(),
        0,
        `redis db ${REDIS_SCRATCH_DB} must be empty for this test`,
      );
      const b = await w.cli([
        'backup',
        '--source',
        `redis://127.0.0.1:6379/${REDIS_SOURCE_DB}`,
        '--destination',
        `file:${w.store}`,
        '--name',
        'drill-redis',
        '--redis-mode',
        'logical',
      ]);
      assert.equal(b.code, 0, b.stderr);
      const target = `redis://127.0.0.1:6379/${REDIS_SCRATCH_DB}`;
      const ok = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        target,
        '--assert',
        'keys >= 3',
        '--assert',
        'exists drill:user:1',
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      const [record] = await drillRecords(w.store, 'drill-redis');
      assertRecordShape(record!);
      assert.match(
        check(record!, 'inventory redis').detail,
        /1 database, 3 keys: matches the manifest/,
      );
      assert.equal(check(record!, 'assert keys >= 3').detail, '3 keys satisfies >= 3');
      assert.equal(
        check(record!, 'assert exists drill:user:1').detail,
        `key found in db ${REDIS_SCRATCH_DB}`,
      );
      assert.equal(await scratchSize(), 0, 'the scratch database was flushed');

      const failing = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        target,
        '--assert',
        'exists drill:user:2',
      ]);
      assert.equal(failing.code, 3, failing.stderr);
      assert.match(String(failing.json['error']), /assert exists drill:user:2: key not found/);
      assert.equal(await scratchSize(), 0);

      const prod = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        `redis://localhost:6379/${REDIS_SOURCE_DB}`,
      ]);
      assert.equal(prod.code, 2, prod.stderr);
      assert.equal(Number(await c.call('DBSIZE')), 3, 'the source is untouched');
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });
});
