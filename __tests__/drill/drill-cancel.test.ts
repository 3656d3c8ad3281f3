import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startCli } from '../helpers/cancel.ts';
import { LOCAL_POSTGRES, connectOrSkip } from '../helpers/services.ts';
import { drillRecords, drillSpace, leftovers } from './drill-helpers.ts';

async function client(database: string): Promise<pg.Client> {
  const c = new pg.Client({ ...LOCAL_POSTGRES, database, connectionTimeoutMillis: 3000 });
  c.on('error', () => {});
  await c.connect();
  return c;
}

test(
  'SIGTERM while an assertion runs on the scratch copy: exit 143, the scratch database is dropped, no record',
  { timeout: 60_000 },
  async (t) => {
    const admin = await connectOrSkip('PostgreSQL on 127.0.0.1:5432', () => client('postgres'));
    if (!admin) return t.skip('PostgreSQL is not available');
    const db = `drill_cx_${randomBytes(3).toString('hex')}`;
    const w = await drillSpace();
    const scratches = async () =>
      (
        await admin.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
          [`${db}_`],
        )
      ).rows.map((r) => r.datname);
    try {
      await admin.query(`CREATE DATABASE ${db}`);
      const c = await client(db);
      await c.query('CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1), (2)');
      await c.end();
      const b = await w.cli([
        'backup',
        '--source',
        `postgres://postgres@127.0.0.1:5432/${db}`,
        '--destination',
        `file:${w.store}`,
      ]);
      assert.equal(b.code, 0, b.stderr);

      // An assertion that runs for an hour: the drill is in its checks, with its scratch
      // database committed, when the test sends the signal (it waits for that, not for time).
      const drill = startCli(
        [
          'drill',
          '--destination',
          `file:${w.store}`,
          '--target',
          'postgres://postgres@127.0.0.1:5432/postgres',
          '--assert',
          'SELECT count(*) FROM (SELECT pg_sleep(3600)) AS waiting >= 1',
        ],
        { RUNNER_TEMP: w.tmpRoot },
      );
      await drill.logged(/passed: inventory of postgres/);
      // Polls for an event in another process (the server's activity table), not for time passing.
      for (;;) {
        const r = await admin.query(
          "SELECT 1 FROM pg_stat_activity WHERE starts_with(datname, $1) AND state = 'active' AND query LIKE '%pg_sleep(3600)%'",
          [`${db}_drill_`],
        );
        if (r.rowCount) break;
        assert.equal(drill.child.exitCode, null, `the drill ended early:\n${drill.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal((await scratches()).length, 1, 'the scratch database exists while checking');

      drill.child.kill('SIGTERM');
      const exit = await drill.exit;
      assert.equal(exit.code, 143, drill.stderr());
      assert.match(drill.stderr(), /cancelled \(SIGTERM received\)/);
      assert.deepEqual(await scratches(), [], 'the scratch database was dropped');
      assert.deepEqual(await drillRecords(w.store, db), []);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
      assert.ok(existsSync(join(w.store, db)));
    } finally {
      for (const d of [db, ...(await scratches())])
        await admin.query(`DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`);
      await admin.end();
      await w.cleanup();
    }
  },
);
