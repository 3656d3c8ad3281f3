import { spawnSync } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { restoreNow } from '../../src/sources/types.ts';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import type { SourceManifest } from '../../src/archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../src/core/errors.ts';
import { pgDriver } from '../../src/sources/postgres/index.ts';
import type { DumpResult } from '../../src/sources/types.ts';
import { driverForUrl } from '../../src/sources/registry.ts';
import {
  FIXTURE_SQL,
  LOCAL,
  contentDigests,
  databasesLike,
  dropDb,
  localServer,
  localUrl,
  makeCtx,
  query,
  schemaDump,
  uniqueDb,
} from './postgres-fixture.ts';

function manifestOf(buf: MemberBuffer, res: DumpResult, url: string): SourceManifest {
  return {
    name: 'db',
    kind: 'postgres',
    url,
    versions: res.versions,
    inventory: res.inventory,
    members: buf.records(),
    details: res.details,
    durationMs: 0,
  };
}

/** A copy of a buffer whose dump member is replaced (for corrupted or truncated dumps). */
function withDump(buf: MemberBuffer, change: (data: Buffer) => Buffer): MemberBuffer {
  const out = new MemberBuffer();
  for (const s of buf.stored) {
    out.stored.push(
      s.record.path.endsWith('.pgdump') && s.data ? { record: s.record, data: change(s.data) } : s,
    );
  }
  return out;
}

async function backup(
  db: string,
  options: Record<string, unknown> = {},
): Promise<{ buf: MemberBuffer; res: DumpResult; manifest: SourceManifest }> {
  const ctx = await makeCtx(options);
  try {
    const source = pgDriver.open(localUrl(db), ctx);
    const buf = new MemberBuffer();
    const res = await source.dump(buf, ctx);
    return { buf, res, manifest: manifestOf(buf, res, source.displayUrl) };
  } finally {
    await ctx.cleanup();
  }
}

let admin: pg.Client | undefined;
const created: string[] = [];

async function freshDb(prefix: string, sql = FIXTURE_SQL): Promise<string> {
  const db = uniqueDb(prefix);
  created.push(db);
  await admin!.query(`CREATE DATABASE ${db}`);
  if (sql) await query(db, sql);
  return db;
}

before(async () => {
  admin = await localServer();
});

after(async () => {
  if (!admin) return;
  for (const db of created) {
    for (const name of await databasesLike(admin, db)) await dropDb(admin, name);
  }
  await admin.end();
});

describe('postgres driver against the local PostgreSQL', () => {
  test('is registered for postgres: and postgresql:', async () => {
    assert.equal(await driverForUrl('postgres://h/db'), pgDriver);
    assert.equal(await driverForUrl('postgresql://h/db'), pgDriver);
  });

  test('backup → verify → restore into a new database gives the same content and schema', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('rt');
    const lines: string[] = [];
    const log = {
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
      debug: (m: string) => lines.push(m),
    };
    const ctx = await makeCtx({}, {}, log);
    const password = 'not-a-real-secret-7Q';
    try {
      // Trust auth ignores the password, which lets us check it never reaches a command line or a log.
      const source = pgDriver.open(`postgres://postgres:${password}@127.0.0.1:5432/${db}`, ctx);
      assert.ok(!source.displayUrl.includes(password));
      assert.equal(
        ctx.redactor.redact(`x ${password} ${encodeURIComponent(password)}`),
        'x *** ***',
      );
      const buf = new MemberBuffer();
      const res = await source.dump(buf, ctx);
      assert.ok(lines.some((l) => l.startsWith('running ') && l.includes('--format=custom')));
      assert.ok(
        !lines.join('\n').includes(password),
        'the password must not appear in any log line or command line',
      );

      const member = `${db}.pgdump`;
      assert.deepEqual(
        buf.records().map((r) => r.path),
        [member],
      );
      assert.equal(buf.file(member)!.subarray(0, 5).toString(), 'PGDMP');
      assert.match(res.versions.server!, /^15\./);
      assert.match(res.versions.pg_dump!, /^15\./);
      assert.equal(res.details!.format, 'custom');
      assert.equal(res.details!.archiveVersion, '1.14.0');
      const tables = Object.fromEntries(res.inventory.tables!.map((x) => [x.name, x.rows]));
      assert.deepEqual(tables, {
        'app.measurements': 900,
        'app.measurements_2023': 642,
        'app.measurements_2024': 258,
        'app.users': 500,
        'audit.log': 510,
        'public.documents': 2,
        'public.empty_table': 0,
      });
      const extra = res.inventory.extra as {
        schemas: string[];
        sequences: Record<string, string>;
        largeObjects: number;
      };
      assert.deepEqual(extra.schemas, ['app', 'audit', 'public']);
      assert.equal(extra.sequences['app.invoice_no'], '1014');
      assert.equal(extra.largeObjects, 2);

      const manifest = manifestOf(buf, res, source.displayUrl);
      await pgDriver.verify!(buf.entries(), manifest, ctx);

      const target = `${db}_restored`;
      created.push(target);
      const r = await restoreNow(
        pgDriver,
        buf.entries(),
        { target: localUrl(target), overwrite: false, manifest, backupId: 'b1' },
        ctx,
      );
      assert.match(r.location, new RegExp(target));
      assert.deepEqual(await contentDigests(target), await contentDigests(db));
      assert.equal(schemaDump(target), schemaDump(db));
      const inv = await pgDriver.inventory!(localUrl(target), ctx);
      assert.deepEqual(inv.tables, res.inventory.tables);
    } finally {
      await ctx.cleanup();
    }
  });

  test('schema/table filters, estimated counts, globals and a parallel streaming dump', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb(
      'dir',
      `${FIXTURE_SQL}; CREATE SCHEMA scratch; CREATE TABLE scratch.tmp AS SELECT 1 AS x;`,
    );
    await query(db, 'ANALYZE');
    const { buf, res, manifest } = await backup(db, {
      'exclude-schemas': ['scratch'],
      'exclude-tables': ['public.empty*'],
      'row-counts': 'estimate',
      globals: true,
      jobs: 2,
    });
    const paths = buf.records().map((r) => r.path);
    assert.equal(paths[0], 'globals.sql');
    assert.equal(paths[1], `${db}.pgpar/schema.pgdump`);
    assert.ok(paths.includes(`${db}.pgpar/data-1.pgdump.000000`), paths.join(' '));
    assert.match(buf.file('globals.sql')!.toString(), /CREATE ROLE postgres/);
    assert.equal(res.details!.format, 'parallel');
    assert.ok(res.versions.pg_dumpall);
    const names = res.inventory.tables!.map((x) => x.name);
    assert.deepEqual(names, [
      'app.measurements',
      'app.measurements_2023',
      'app.measurements_2024',
      'app.users',
      'audit.log',
      'public.documents',
    ]);
    assert.ok(res.inventory.tables!.every((x) => x.estimated === true));
    assert.equal(res.inventory.tables!.find((x) => x.name === 'app.users')!.rows, 500);

    const ctx = await makeCtx({ jobs: 2 });
    try {
      await pgDriver.verify!(buf.entries(), manifest, ctx);
      const target = `${db}_r`;
      created.push(target);
      await restoreNow(
        pgDriver,
        buf.entries(),
        { target: localUrl(target), overwrite: false, manifest, backupId: 'b' },
        ctx,
      );
      const got = await contentDigests(target);
      const want = await contentDigests(db);
      assert.equal(got['app.users'], want['app.users']);
      assert.equal(got['<large objects>'], want['<large objects>']);
      assert.equal(got['audit.log'], want['audit.log']);
      assert.equal(got['scratch.tmp'], undefined);
      assert.equal(got['public.empty_table'], undefined);
    } finally {
      await ctx.cleanup();
    }
  });

  test('an older directory-format backup (jobs before streaming workers) still restores', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('olddir');
    const { res } = await backup(db);
    const ctx = await makeCtx();
    try {
      // What jobs: 2 wrote before: pg_dump --format=directory, its files as members.
      const out = join(ctx.tmpDir, 'dump');
      const r = spawnSync(
        'pg_dump',
        [
          '--format=directory',
          '--jobs=2',
          '--compress=0',
          `--file=${out}`,
          '-h',
          '127.0.0.1',
          '-U',
          'postgres',
          db,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      const buf = new MemberBuffer();
      const prefix = `${db}.pgdump.d`;
      const files = (await readdir(out)).sort((a, b) =>
        a === 'toc.dat' ? -1 : b === 'toc.dat' ? 1 : a.localeCompare(b),
      );
      for (const f of files) await buf.addFile(`${prefix}/${f}`, await readFile(join(out, f)));
      await rm(out, { recursive: true, force: true });
      const manifest = manifestOf(buf, res, localUrl(db));
      manifest.details = { ...res.details, format: 'directory', member: prefix, jobs: 2 };
      await pgDriver.verify!(buf.entries(), manifest, ctx);
      const target = `${db}_r`;
      created.push(target);
      await restoreNow(
        pgDriver,
        buf.entries(),
        { target: localUrl(target), overwrite: false, manifest, backupId: 'b' },
        ctx,
      );
      assert.deepEqual(await contentDigests(target), await contentDigests(db));
    } finally {
      await ctx.cleanup();
    }
  });

  test('include-tables dumps only the named tables', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('inc');
    const { res } = await backup(db, { 'include-tables': ['app.users', 'documents'] });
    assert.deepEqual(
      res.inventory.tables!.map((x) => x.name),
      ['app.users', 'public.documents'],
    );
  });

  test('a restore over a database that has tables is refused without overwrite, and nothing changes', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('src');
    const target = await freshDb(
      'busy',
      'CREATE TABLE keep (x int); INSERT INTO keep VALUES (42);',
    );
    const { buf, manifest } = await backup(db);
    const ctx = await makeCtx();
    try {
      await assert.rejects(
        restoreNow(
          pgDriver,
          buf.entries(),
          { target: localUrl(target), overwrite: false, manifest, backupId: 'b' },
          ctx,
        ),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.option === 'overwrite' &&
          /already has 1 tables/.test(err.message),
      );
      assert.deepEqual((await query(target, 'SELECT x FROM keep')).rows, [{ x: 42 }]);
    } finally {
      await ctx.cleanup();
    }
  });

  test('overwrite: safety backup, restore into a temporary database, swap by rename', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('src');
    const target = await freshDb(
      'ow',
      'CREATE TABLE old_stuff (x int); INSERT INTO old_stuff VALUES (1);',
    );
    await admin!.query(`ALTER DATABASE ${target} SET work_mem = '7MB'`);
    const { buf, manifest } = await backup(db);
    const ctx = await makeCtx();
    const safety: string[] = [];
    try {
      const r = await restoreNow(
        pgDriver,
        buf.entries(),
        {
          target: localUrl(target),
          overwrite: true,
          manifest,
          backupId: 'b',
          safetyBackup: async (url) => {
            // The old database is still there, untouched, when the safety backup runs.
            assert.deepEqual((await query(target, 'SELECT x FROM old_stuff')).rows, [{ x: 1 }]);
            safety.push(url);
            return 'safety-1';
          },
        },
        ctx,
      );
      assert.deepEqual(safety, [localUrl(target)]);
      assert.ok(r.notes!.some((n) => n.includes('safety-1')));
      assert.deepEqual(await contentDigests(target), await contentDigests(db));
      // The old database was dropped (a safety backup holds it) and no temporary one is left.
      assert.deepEqual(await databasesLike(admin!, target), [target]);
      const s = await admin!.query(
        `SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1`,
        [target],
      );
      assert.deepEqual(s.rows[0]?.setconfig, ['work_mem=7MB']);
    } finally {
      await ctx.cleanup();
    }
  });

  test('overwrite without a safety backup keeps the previous database under another name', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('src');
    const target = await freshDb('keep', 'CREATE TABLE old_stuff (x int);');
    const { buf, manifest } = await backup(db);
    const ctx = await makeCtx();
    try {
      const r = await restoreNow(
        pgDriver,
        buf.entries(),
        { target: localUrl(target), overwrite: true, manifest, backupId: 'b' },
        ctx,
      );
      const all = await databasesLike(admin!, target);
      assert.equal(all.length, 2);
      const old = all.find((n) => n !== target)!;
      assert.match(old, /_lifeboat_old_/);
      assert.ok(r.notes!.some((n) => n.includes(old)));
      assert.equal((await query(old, 'SELECT count(*)::int AS n FROM old_stuff')).rows[0].n, 0);
    } finally {
      await ctx.cleanup();
    }
  });

  test('an overwrite restore that fails midway leaves the original database as it was', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('src');
    const target = await freshDb(
      'intact',
      'CREATE TABLE precious (x int); INSERT INTO precious VALUES (7);',
    );
    const { buf, manifest } = await backup(db);
    const ctx = await makeCtx();
    try {
      // pg_restore dies part-way through a dump cut short.
      const truncated = withDump(buf, (d) => d.subarray(0, Math.floor(d.length * 0.6)));
      await assert.rejects(
        restoreNow(
          pgDriver,
          truncated.entries(),
          {
            target: localUrl(target),
            overwrite: true,
            manifest,
            backupId: 'b',
            safetyBackup: async () => 's',
          },
          ctx,
        ),
        (err: unknown) =>
          err instanceof SourceError && /pg_restore into .* failed/.test(err.message),
      );
      assert.deepEqual((await query(target, 'SELECT x FROM precious')).rows, [{ x: 7 }]);
      assert.deepEqual(
        await databasesLike(admin!, target),
        [target],
        'the temporary database is dropped',
      );

      // The restored copy does not match the manifest's inventory: nothing is swapped in.
      const lying: SourceManifest = {
        ...manifest,
        inventory: {
          ...manifest.inventory,
          tables: manifest.inventory.tables!.map((x) =>
            x.name === 'app.users' ? { ...x, rows: 501 } : x,
          ),
        },
      };
      await assert.rejects(
        restoreNow(
          pgDriver,
          buf.entries(),
          { target: localUrl(target), overwrite: true, manifest: lying, backupId: 'b' },
          ctx,
        ),
        (err: unknown) =>
          err instanceof IntegrityError &&
          /app\.users has 500 rows, the backup 501/.test(err.message),
      );
      assert.deepEqual((await query(target, 'SELECT x FROM precious')).rows, [{ x: 7 }]);
      assert.deepEqual(await databasesLike(admin!, target), [target]);
    } finally {
      await ctx.cleanup();
    }
  });

  test('overwrite with other connections open is refused before anything is touched, naming them', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('src');
    const target = await freshDb('conn', 'CREATE TABLE precious (x int);');
    const { buf, manifest } = await backup(db);
    const other = new pg.Client({ ...LOCAL, database: target, application_name: 'someone-else' });
    await other.connect();
    const ctx = await makeCtx();
    let safetyCalled = false;
    try {
      await assert.rejects(
        restoreNow(
          pgDriver,
          buf.entries(),
          {
            target: localUrl(target),
            overwrite: true,
            manifest,
            backupId: 'b',
            safetyBackup: async () => ((safetyCalled = true), 's'),
          },
          ctx,
        ),
        (err: unknown) =>
          err instanceof SourceError && /1 other connection\(s\).*someone-else/.test(err.message),
      );
      assert.equal(safetyCalled, false);
      assert.deepEqual(await databasesLike(admin!, target), [target]);
    } finally {
      await other.end();
      await ctx.cleanup();
    }
  });

  test('verify rejects a corrupted dump; restore checks the dump format version before touching anything', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('ver');
    const { buf, manifest } = await backup(db);
    const ctx = await makeCtx();
    try {
      const garbage = withDump(buf, (d) =>
        Buffer.concat([d.subarray(0, 8), Buffer.alloc(200, 0xff)]),
      );
      await assert.rejects(pgDriver.verify!(garbage.entries(), manifest, ctx), IntegrityError);
      const notPg = withDump(buf, (d) => Buffer.concat([Buffer.from('NOTPG'), d.subarray(5)]));
      await assert.rejects(pgDriver.verify!(notPg.entries(), manifest, ctx), IntegrityError);

      // A dump from a pg_dump 17 (archive format 1.16): pg_restore 15 cannot read it.
      const newer = withDump(buf, (d) => {
        const c = Buffer.from(d);
        c[6] = 16;
        return c;
      });
      const m17: SourceManifest = {
        ...manifest,
        versions: { ...manifest.versions, pg_dump: '17.2' },
        details: { ...manifest.details, archiveVersion: '1.16.0' },
      };
      const target = `${db}_new`;
      created.push(target);
      await assert.rejects(
        restoreNow(
          pgDriver,
          newer.entries(),
          { target: localUrl(target), overwrite: false, manifest: m17, backupId: 'b' },
          ctx,
        ),
        (err: unknown) =>
          err instanceof ConfigError &&
          /pg_dump 17\.2 \(archive format 1\.16\).*found: 15\.\d+/.test(err.message) &&
          /17 or newer/.test(err.hint ?? ''),
      );
      assert.deepEqual(await databasesLike(admin!, target), [], 'no database was created');
      await assert.rejects(pgDriver.verify!(newer.entries(), m17, ctx), ConfigError);
    } finally {
      await ctx.cleanup();
    }
  });

  test('pg-bin selects the client folder; its version is recorded', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('bin', 'CREATE TABLE t (x int);');
    const lines: string[] = [];
    const ctx = await makeCtx(
      { 'pg-bin': '/usr/lib/postgresql/15/bin' },
      {},
      { info: (m) => lines.push(m), warn() {}, error() {}, debug() {} },
    );
    try {
      const res = await pgDriver.open(localUrl(db), ctx).dump(new MemberBuffer(), ctx);
      assert.match(res.versions.pg_dump!, /^15\./);
      assert.ok(
        lines.some((l) => l.includes('/usr/lib/postgresql/15/bin/pg_dump')),
        lines.join('\n'),
      );
    } finally {
      await ctx.cleanup();
    }
  });
});
