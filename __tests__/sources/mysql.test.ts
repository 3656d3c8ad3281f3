import { restoreNow } from '../../src/sources/types.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import mysql from 'mysql2/promise';
import type { ArchiveEntry, SourceManifest } from '../../src/archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../src/core/errors.ts';
import { Redactor } from '../../src/core/log.ts';
import type { Logger } from '../../src/core/log.ts';
import { mysqlDriver } from '../../src/sources/mysql/index.ts';
import { chooseDumpClient, parseClientVersion, serverInfo } from '../../src/sources/mysql/tools.ts';
import { SqlDumpScan } from '../../src/sources/mysql/dump-scan.ts';
import type { DumpResult, SourceContext } from '../../src/sources/types.ts';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import { unavailable } from '../helpers/services.ts';
import { refusedPort } from '../helpers/ports.ts';

const HOST = '127.0.0.1:3306';
const suffix = randomBytes(4).toString('hex');
const DB = `lbt_${suffix}`;
const USER = `lbt_u_${suffix}`;
const PASSWORD = `Pw-${randomBytes(6).toString('hex')}"\\#;`;
const ROWS = 400;

let available = false;
let skipReason = `MariaDB/MySQL is not reachable on ${HOST}`;
let admin: mysql.Connection;
let tmp = '';
const created = new Set<string>([DB]);

function makeCtx(options: Record<string, unknown> = {}): SourceContext & { lines: string[] } {
  const lines: string[] = [];
  const log: Logger = {
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
    debug: (m) => lines.push(m),
  };
  return {
    log,
    redactor: new Redactor(),
    env: { PATH: process.env.PATH },
    tmpDir: tmp,
    options,
    lines,
  };
}

function manifestOf(buffer: MemberBuffer, result: DumpResult, url: string): SourceManifest {
  return {
    name: 'db',
    kind: 'mysql',
    url,
    versions: result.versions,
    inventory: result.inventory,
    members: buffer.records(),
    details: result.details,
    durationMs: 1,
  };
}

async function dump(url: string, options: Record<string, unknown> = {}) {
  const ctx = makeCtx(options);
  const buffer = new MemberBuffer();
  const source = mysqlDriver.open(url, ctx);
  const result = await source.dump(buffer, ctx);
  return { buffer, result, ctx, manifest: manifestOf(buffer, result, source.displayUrl) };
}

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const [rows] = await admin.query(sql, params);
  return rows as T[];
}

async function checksums(db: string): Promise<Record<string, string>> {
  const tables = await q<{ n: string }>(
    "SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
    [db],
  );
  const out: Record<string, string> = {};
  for (const { n } of tables) {
    const [r] = await q<{ Checksum: string }>(`CHECKSUM TABLE \`${db}\`.\`${n}\` EXTENDED`);
    out[n] = String(r!.Checksum);
  }
  return out;
}

async function objects(db: string) {
  const names = async (sql: string) => (await q<{ n: string }>(sql, [db])).map((r) => r.n);
  return {
    views: await names(
      "SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'VIEW'",
    ),
    routines: await names(
      'SELECT ROUTINE_NAME AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?',
    ),
    triggers: await names(
      'SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?',
    ),
  };
}

function newDb(tag: string): string {
  const name = `${DB}_${tag}`;
  created.add(name);
  return name;
}

before(async () => {
  try {
    admin = await mysql.createConnection({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      charset: 'utf8mb4',
      multipleStatements: true,
    });
    available = true;
  } catch (err) {
    skipReason = unavailable(`MariaDB/MySQL on ${HOST}`, err);
    return;
  }
  tmp = await mkdtemp(join(tmpdir(), 'lifeboat-mysql-'));
  await q(`CREATE DATABASE \`${DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.changeUser({ database: DB });
  await q(`
    CREATE TABLE people (
      id INT PRIMARY KEY AUTO_INCREMENT,
      name VARCHAR(100) NOT NULL,
      bio TEXT,
      avatar BLOB,
      balance DECIMAL(30,10),
      prefs JSON,
      created DATETIME(6),
      big BIGINT UNSIGNED
    ) DEFAULT CHARSET=utf8mb4;
    CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, person_id INT, note VARCHAR(200)) DEFAULT CHARSET=utf8mb4;
    CREATE TABLE empty_one (id INT);
    CREATE VIEW rich AS SELECT id, name FROM people WHERE balance > 100;
    CREATE PROCEDURE add_person(IN n VARCHAR(100)) INSERT INTO people(name) VALUES (n);
    CREATE TRIGGER people_ai AFTER INSERT ON people FOR EACH ROW
      INSERT INTO audit(person_id, note) VALUES (NEW.id, CONCAT('added ', NEW.name));
  `);
  const rows: unknown[][] = [];
  for (let i = 0; i < ROWS; i++) {
    rows.push([
      `person ${i} 🛟🚣‍♀️ «${"'\\"[i % 2]}» (${i})`,
      i % 7 === 0 ? null : `line one\nline two; ${'x'.repeat(i)} \\ ' " \0 end`,
      i % 5 === 0
        ? null
        : Buffer.concat([Buffer.from([0, 0x27, 0x5c, 0x0a, 0x0d, 0x1a, 0xff]), randomBytes(i)]),
      `${i * 1000}.${String(i).padStart(10, '0')}`,
      JSON.stringify({ i, tags: ['a', 'ü', '😀'], nested: { ok: i % 2 === 0 } }),
      `2024-02-29 12:34:56.${String(i).padStart(6, '0')}`,
      `${18446744073709551615n - BigInt(i)}`,
    ]);
  }
  await q('INSERT INTO people (name, bio, avatar, balance, prefs, created, big) VALUES ?', [rows]);
  await admin.changeUser({ database: undefined });
});

after(async () => {
  if (!available) return;
  for (const db of created) await q(`DROP DATABASE IF EXISTS \`${db}\``);
  await q(`DROP USER IF EXISTS '${USER}'@'%'`);
  await admin.end();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('mysql source', () => {
  test('round trip into a new database keeps every table bit for bit, views, routines and triggers', async (t) => {
    if (!available) return t.skip(skipReason);
    const { buffer, result, manifest, ctx } = await dump(`mariadb://root@${HOST}/${DB}`);
    assert.deepEqual(
      buffer.records().map((r) => r.path),
      [`${DB}.sql`],
    );
    assert.deepEqual(
      [...(result.inventory.tables ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: `${DB}.audit`, rows: ROWS },
        { name: `${DB}.empty_one`, rows: 0 },
        { name: `${DB}.people`, rows: ROWS },
      ],
    );
    assert.match(Object.keys(result.versions).join(' '), /mariadb-dump|mysqldump/);
    const sql = buffer.file(`${DB}.sql`)!.toString('utf8');
    assert.match(sql, /-- Dump completed/);
    assert.ok(!/CREATE DATABASE|^USE /m.test(sql), 'the dump is not tied to its database name');
    assert.deepEqual(await readdir(tmp), [], 'the option file is gone');
    assert.ok(ctx.lines.some((l) => /dumping/.test(l)));

    await mysqlDriver.verify!(buffer.entries(), manifest, makeCtx());

    const target = newDb('r');
    const res = await restoreNow(
      mysqlDriver,
      buffer.entries(),
      { target: `mysql://root@${HOST}/${target}`, overwrite: false, manifest, backupId: 'b1' },
      makeCtx(),
    );
    assert.equal(res.inventory!.tables!.find((x) => x.name === `${target}.people`)!.rows, ROWS);
    assert.deepEqual(await checksums(target), await checksums(DB));
    assert.deepEqual(await objects(target), await objects(DB));
    const [emoji] = await q<{ name: string }>(`SELECT name FROM \`${target}\`.people WHERE id = 2`);
    assert.equal(emoji!.name, `person 1 🛟🚣‍♀️ «\\» (1)`);
    // The routine and the trigger work in their new home.
    await q(`CALL \`${target}\`.add_person('after restore 🎉')`);
    const [a] = await q<{ note: string }>(
      `SELECT note FROM \`${target}\`.audit ORDER BY id DESC LIMIT 1`,
    );
    assert.equal(a!.note, 'added after restore 🎉');
    const inv = await mysqlDriver.inventory!(`mysql://root@${HOST}/${target}`, makeCtx());
    assert.equal(inv.tables!.find((x) => x.name === `${target}.people`)!.rows, ROWS + 1);
  });

  test('a non-empty target is refused; overwrite takes the safety backup before touching it', async (t) => {
    if (!available) return t.skip(skipReason);
    const { buffer, manifest } = await dump(`mysql://root@${HOST}/${DB}`);
    const target = newDb('busy');
    await q(`CREATE DATABASE \`${target}\``);
    await q(`CREATE TABLE \`${target}\`.keep_me (id INT)`);
    // Objects that cannot change schema: the commit moves the old content aside around them.
    await q(`CREATE VIEW \`${target}\`.keep_v AS SELECT id FROM \`${target}\`.keep_me`);
    await q(
      `CREATE TRIGGER \`${target}\`.keep_t BEFORE INSERT ON \`${target}\`.keep_me FOR EACH ROW SET NEW.id = NEW.id`,
    );
    await assert.rejects(
      restoreNow(
        mysqlDriver,
        buffer.entries(),
        { target: `mysql://root@${HOST}/${target}`, overwrite: false, manifest, backupId: 'b2' },
        makeCtx(),
      ),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.option === 'target' &&
        /not empty/.test(err.message) &&
        /overwrite/.test(err.hint ?? ''),
    );
    assert.deepEqual(Object.keys(await checksums(target)), ['keep_me']);

    const seen: string[] = [];
    const res = await restoreNow(
      mysqlDriver,
      buffer.entries(),
      {
        target: `mysql://root@${HOST}/${target}`,
        overwrite: true,
        manifest,
        backupId: 'b2',
        safetyBackup: async (url) => {
          seen.push(`${url} ${Object.keys(await checksums(target)).join(',')}`);
          return 'safety-7';
        },
      },
      makeCtx(),
    );
    assert.deepEqual(seen, [`mysql://root@${HOST}/${target} keep_me`]);
    assert.match(res.notes!.join('\n'), /safety-7/);
    assert.deepEqual(await checksums(target), await checksums(DB));
    assert.deepEqual(await objects(target), await objects(DB));
    const [left] = await q<{ n: number }>(
      'SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?',
      [`${target}_lifeboat_%`],
    );
    assert.equal(Number(left!.n), 0, 'no staged or set-aside database is left');
  });

  test('a wrong password, an unknown database or a closed port is operational (exit 1) with the server, option and fix, never the password', async (t) => {
    if (!available) return t.skip(skipReason);
    await q(`CREATE USER '${USER}'@'%' IDENTIFIED BY ?`, [PASSWORD]);
    await q(`GRANT ALL ON \`${DB}\`.* TO '${USER}'@'%'`);
    // Reading another definer's routine body needs this on MariaDB before 11.3.
    const [ver] = await q<{ v: string }>('SELECT VERSION() AS v');
    if (/MariaDB/.test(ver!.v))
      await q(`GRANT SELECT ON mysql.proc TO '${USER}'@'%'`).catch(() => {});
    const enc = encodeURIComponent(PASSWORD);
    const good = await dump(`mysql://${USER}:${enc}@${HOST}/${DB}`);
    assert.equal(good.result.inventory.tables!.length, 3);
    assert.ok(
      !JSON.stringify(good.manifest).includes(PASSWORD) &&
        !JSON.stringify(good.manifest).includes(enc),
    );
    assert.ok(!good.ctx.lines.join('\n').includes(PASSWORD));

    // Refusals found by connecting are operational (exit 1), naming server, database and option.
    await assert.rejects(dump(`mysql://${USER}:wrong@${HOST}/${DB}`), (err: unknown) => {
      assert.ok(err instanceof SourceError, String(err));
      assert.match(
        err.message,
        new RegExp(`^source: MySQL/MariaDB at [^ ]+:3306, database '${DB}': access denied`),
      );
      assert.match(err.hint ?? '', /password in the source URL/);
      assert.ok(!`${err.message}${err.hint}`.includes('wrong'));
      return true;
    });
    await assert.rejects(dump(`mysql://root@${HOST}/${DB}_nope`), (err: unknown) => {
      assert.ok(err instanceof SourceError, String(err));
      assert.match(err.message, /does not exist|Unknown database/);
      return true;
    });
    const closed = await refusedPort();
    await assert.rejects(dump(`mysql://root@127.0.0.1:${closed}/${DB}`), (err: unknown) => {
      assert.ok(err instanceof SourceError, String(err));
      assert.match(
        err.message,
        new RegExp(`^source: MySQL/MariaDB at 127\\.0\\.0\\.1:${closed}.*ECONNREFUSED`),
      );
      assert.match(err.hint ?? '', /host and port in the source URL/);
      return true;
    });
    await assert.rejects(
      dump(`mysql://root@${HOST}/`, { databases: [DB, 'nope_' + suffix] }),
      (err: unknown) => {
        assert.ok(err instanceof SourceError && /^databases: /.test(err.message), String(err));
        return true;
      },
    );
  });

  test('the server killing the dump connection mid-dump fails the dump', async (t) => {
    if (!available) return t.skip(skipReason);
    const db = newDb('kill');
    await q(`CREATE DATABASE \`${db}\``);
    await q(`CREATE TABLE \`${db}\`.a_first (id INT PRIMARY KEY, v TEXT)`);
    await q(`INSERT INTO \`${db}\`.a_first VALUES (1, 'dumped before the kill'), (2, 'x')`);
    await q(`CREATE TABLE \`${db}\`.b_blocked (id INT PRIMARY KEY)`);
    await q(`INSERT INTO \`${db}\`.b_blocked VALUES (1), (2), (3)`);
    // Hold a write lock on the second table: the dump stops there, mid-stream, until released.
    const locker = await mysql.createConnection({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      database: db,
    });
    try {
      await locker.query('LOCK TABLES b_blocked WRITE');
      const [[me]] = (await locker.query('SELECT CONNECTION_ID() AS id')) as unknown as [
        [{ id: number }],
      ];
      const running = dump(`mysql://root@${HOST}/${db}`);
      running.catch(() => {});
      let victim: number | undefined;
      while (victim === undefined) {
        const rows = await q<{ ID: number }>(
          "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> ? AND STATE LIKE 'Waiting for table metadata lock%' AND INFO LIKE '%b_blocked%'",
          [db, me!.id],
        );
        victim = rows[0]?.ID;
        if (victim === undefined) await new Promise((r) => setImmediate(r));
      }
      await q(`KILL ${Number(victim)}`);
      await assert.rejects(running, (err: unknown) => {
        assert.ok(err instanceof SourceError, String(err));
        assert.match(err.message, /failed \(exit code \d+\)/);
        return true;
      });
    } finally {
      await locker.query('UNLOCK TABLES').catch(() => {});
      await locker.end();
    }
    assert.deepEqual(await readdir(tmp), [], 'the option file is gone after a failure too');
  });

  test('verify and restore refuse a dump without its completion trailer; restore rolls back', async (t) => {
    if (!available) return t.skip(skipReason);
    const { buffer, manifest } = await dump(`mysql://root@${HOST}/${DB}`);
    const truncated = async function* (): AsyncGenerator<ArchiveEntry> {
      for await (const e of buffer.entries()) {
        const chunks: Buffer[] = [];
        for await (const c of e.body!) chunks.push(c as Buffer);
        const all = Buffer.concat(chunks);
        yield {
          ...e,
          body: Readable.from([all.subarray(0, all.lastIndexOf('-- Dump completed'))]),
        };
      }
    };
    await assert.rejects(mysqlDriver.verify!(truncated(), manifest, makeCtx()), IntegrityError);
    const target = newDb('trunc');
    await assert.rejects(
      restoreNow(
        mysqlDriver,
        truncated(),
        { target: `mysql://root@${HOST}/${target}`, overwrite: false, manifest, backupId: 'b5' },
        makeCtx(),
      ),
      IntegrityError,
    );
    const left = await q('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
      target,
    ]);
    assert.equal(left.length, 0, 'the half-restored database was dropped');
  });
});

describe('mysql client choice', () => {
  const mariadb = {
    path: '/usr/bin/mariadb-dump',
    flavour: 'mariadb' as const,
    version: '10.11.19',
  };
  const mysql8 = { path: '/usr/bin/mysqldump', flavour: 'mysql' as const, version: '8.0.36' };
  const mysql57 = { path: '/opt/mysql57/mysqldump', flavour: 'mysql' as const, version: '5.7.44' };

  test('version strings of both families parse', () => {
    assert.deepEqual(
      parseClientVersion(
        'mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)',
      ),
      { flavour: 'mariadb', version: '10.11.19' },
    );
    assert.deepEqual(
      parseClientVersion('mariadb-dump from 11.4.2-MariaDB, client 10.19 for Linux (x86_64)'),
      { flavour: 'mariadb', version: '11.4.2' },
    );
    assert.deepEqual(
      parseClientVersion(
        'mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)',
      ),
      { flavour: 'mysql', version: '8.0.36' },
    );
    assert.deepEqual(
      parseClientVersion('mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)'),
      { flavour: 'mysql', version: '5.7.44' },
    );
    assert.equal(serverInfo('10.11.19-MariaDB-0+deb12u1', 'Debian 12').flavour, 'mariadb');
    assert.equal(serverInfo('8.0.36', 'MySQL Community Server - GPL').flavour, 'mysql');
  });

  test('a MySQL 8 client is not used against MariaDB; the fix is named', () => {
    assert.throws(
      () => chooseDumpClient(serverInfo('10.11.19-MariaDB'), [mysql8]),
      (err: unknown) =>
        err instanceof ConfigError &&
        /MariaDB client/.test(err.hint ?? '') &&
        /mysqldump \(mysql 8\.0\.36\)|mysql 8\.0\.36/.test(err.message),
    );
    assert.equal(
      chooseDumpClient(serverInfo('10.11.19-MariaDB'), [mysql8, mariadb]).client,
      mariadb,
    );
  });

  test('an older client than the server is refused; mysqldump 8 against MySQL 5.7 skips column statistics', () => {
    assert.throws(
      () => chooseDumpClient(serverInfo('11.4.2-MariaDB'), [mariadb]),
      (err: unknown) =>
        err instanceof ConfigError &&
        /older than the server/.test(err.message) &&
        /11\.4 or newer/.test(err.hint ?? ''),
    );
    assert.throws(() => chooseDumpClient(serverInfo('8.4.0'), [mysql8, mysql57]), ConfigError);
    const old = chooseDumpClient(serverInfo('5.7.44-log'), [mysql8]);
    assert.ok(
      old.args.includes('--column-statistics=0') && old.args.includes('--set-gtid-purged=OFF'),
    );
    assert.ok(
      !chooseDumpClient(serverInfo('8.0.36'), [mysql8]).args.includes('--column-statistics=0'),
    );
    assert.throws(
      () => chooseDumpClient(serverInfo('8.0.36'), [mariadb]),
      (err: unknown) => err instanceof ConfigError && /mysqldump/.test(err.hint ?? ''),
    );
  });
});

describe('dump scanner', () => {
  test('counts rows of both INSERT layouts, whatever the strings hold, across chunk boundaries', () => {
    const sql = [
      '/*M!999999\\- enable the sandbox mode */ ',
      'CREATE TABLE `a``b` (',
      '  `id` int',
      ');',
      "INSERT INTO `a``b` VALUES (1,'it\\'s (a) test; ok'),(2,'\\\\'),(3,0x28293B27);",
      'CREATE TABLE `empty` (',
      ');',
      'INSERT INTO `multi` VALUES',
      "(1,'x\\n(y)'),",
      '(2,NULL);',
      '',
      '-- Dump completed on 2026-01-01 10:00:00',
      '',
    ].join('\n');
    const buf = Buffer.from(sql);
    for (const size of [1, 3, 7, buf.length]) {
      const scan = new SqlDumpScan();
      for (let i = 0; i < buf.length; i += size) scan.update(buf.subarray(i, i + size));
      assert.deepEqual(
        [...scan.rows],
        [
          ['a`b', 3],
          ['empty', 0],
          ['multi', 2],
        ],
        `chunk size ${size}`,
      );
      assert.equal(scan.complete, true);
    }
    const cut = new SqlDumpScan();
    cut.update(buf.subarray(0, buf.indexOf('-- Dump')));
    assert.equal(cut.complete, false);
  });
});
