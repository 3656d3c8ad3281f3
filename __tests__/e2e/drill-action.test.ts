import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { runAction, type ActionRun } from '../helpers/action-harness.ts';
import { unavailable } from '../helpers/services.ts';

const ACTION = resolve('dist/index.js');
const show = (r: ActionRun) => `exit ${r.code}\n${r.log}`;

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drill_action-'));
  const d = new DatabaseSync(join(dir, 'shop.db'));
  d.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)');
  d.exec('INSERT INTO orders (total) VALUES (10), (20), (30)');
  d.close();
  return dir;
}

async function record(
  dir: string,
): Promise<{ ok: boolean; checks: Array<{ name: string; ok: boolean }> }> {
  const files = (await readdir(join(dir, 'backups', 'shop'))).filter((f) =>
    f.endsWith('.drill.json'),
  );
  assert.equal(files.length, 1, files.join(', '));
  return JSON.parse(await readFile(join(dir, 'backups', 'shop', files[0]!), 'utf8'));
}

describe(
  'drill through the action (action.yml → runs.main)',
  { skip: !existsSync(ACTION) && 'dist/index.js not built (npm run build)' },
  () => {
    test('passing, failed assertion (integrity), exceeded RTO (operational), malformed assertion (config); the scratch is always gone', async () => {
      const dir = await workspace();
      try {
        const common = { destination: 'file:./backups' };
        const b = await runAction({
          workspace: dir,
          inputs: { ...common, source: 'sqlite:shop.db' },
        });
        assert.equal(b.code, 0, show(b));

        const ok = await runAction({
          workspace: dir,
          inputs: {
            ...common,
            command: 'drill',
            target: 'sqlite:scratch.db',
            assert: 'SELECT sum(total) FROM orders = 60\nSELECT count(*) FROM orders >= 3',
            'max-rto': '10m',
          },
        });
        assert.equal(ok.code, 0, show(ok));
        assert.deepEqual(ok.errors, []);
        assert.equal(ok.outputs['drill-ok'], 'true');
        assert.equal(ok.outputs['error-kind'], 'none');
        assert.match(ok.summary, /\*\*✅ drill passed\*\*: RTO .*, backup age \(RPO\)/);
        assert.match(
          ok.summary,
          /\| inventory sqlite \| passed \| 1 table, 3 rows: matches the manifest \|/,
        );
        assert.equal(existsSync(join(dir, 'scratch.db')), false);

        const failed = await runAction({
          workspace: dir,
          inputs: {
            ...common,
            command: 'drill',
            target: 'sqlite:scratch.db',
            assert: 'SELECT count(*) FROM orders > 3',
          },
        });
        assert.equal(failed.code, 1, show(failed));
        assert.equal(failed.outputs['error-kind'], 'integrity');
        assert.equal(failed.outputs['drill-ok'], 'false');
        assert.equal(failed.errors.length, 1, show(failed));
        assert.match(
          failed.errors[0]!.message,
          /drill failed: assert SELECT count\(\*\) FROM orders > 3: 3 does not satisfy > 3/,
        );
        assert.match(failed.summary, /\*\*❌ drill failed\*\*/);
        assert.match(
          failed.summary,
          /\| assert SELECT count\(\*\) FROM orders > 3 \| \*\*failed\*\* \| 3 does not satisfy > 3 \|/,
        );
        assert.equal(existsSync(join(dir, 'scratch.db')), false);
        assert.equal((await record(dir)).ok, false);

        const slow = await runAction({
          workspace: dir,
          inputs: { ...common, command: 'drill', 'max-rto': '0s' },
        });
        assert.equal(slow.code, 1, show(slow));
        assert.equal(slow.outputs['error-kind'], 'operational');
        assert.match(slow.errors[0]!.message, /rto: .*limit 0s \(max-rto\)/);
        assert.match(
          slow.errors[0]!.message,
          /fix: recovery takes longer than the max-rto input allows/,
        );
        const r = await record(dir);
        assert.equal(r.checks.find((c) => c.name === 'rto')!.ok, false);

        const malformed = await runAction({
          workspace: dir,
          inputs: { ...common, command: 'drill', assert: 'count orders > 3' },
        });
        assert.equal(malformed.code, 1, show(malformed));
        assert.equal(malformed.outputs['error-kind'], 'config');
        assert.match(malformed.errors[0]!.message, /assert: 'count orders > 3': not an assertion/);
        // Nothing restored, so the last record is still the max-rto one.
        assert.equal((await record(dir)).checks.find((c) => c.name === 'rto')!.ok, false);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('PostgreSQL: drills into a scratch database on the server named by target (a service container in a workflow), which is dropped', async (t) => {
      const admin = new pg.Client({
        host: '127.0.0.1',
        port: 5432,
        user: 'postgres',
        database: 'postgres',
      });
      admin.on('error', () => {});
      try {
        await admin.connect();
      } catch (err) {
        return t.skip(unavailable('PostgreSQL on 127.0.0.1:5432', err));
      }
      const db = `drill_act_${randomBytes(3).toString('hex')}`;
      const dir = await mkdtemp(join(tmpdir(), 'drill_action-'));
      const scratches = async () =>
        (
          await admin.query<{ datname: string }>(
            'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
            [`${db}_`],
          )
        ).rows.map((r) => r.datname);
      try {
        await admin.query(`CREATE DATABASE ${db}`);
        const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db });
        await c.connect();
        await c.query(
          'CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users SELECT generate_series(1, 1500)',
        );
        await c.end();
        const common = { destination: 'file:./backups', name: 'app' };
        const b = await runAction({
          workspace: dir,
          inputs: { ...common, source: `postgres://postgres@127.0.0.1:5432/${db}` },
        });
        assert.equal(b.code, 0, show(b));

        const target = 'postgres://postgres@localhost:5432/postgres';
        const ok = await runAction({
          workspace: dir,
          inputs: {
            ...common,
            command: 'drill',
            target,
            assert: 'SELECT max(id) FROM users > 1000',
          },
        });
        assert.equal(ok.code, 0, show(ok));
        assert.equal(ok.outputs['drill-ok'], 'true');
        assert.match(
          ok.summary,
          /\| inventory postgres \| passed \| 1 table, 1500 rows: matches the manifest \|/,
        );
        assert.match(
          ok.summary,
          /\| assert SELECT max\(id\) FROM users > 1000 \| passed \| 1500 satisfies > 1000 \|/,
        );
        assert.deepEqual(await scratches(), []);

        const failed = await runAction({
          workspace: dir,
          inputs: {
            ...common,
            command: 'drill',
            target,
            assert: 'SELECT count(*) FROM users = 1499',
          },
        });
        assert.equal(failed.code, 1, show(failed));
        assert.equal(failed.outputs['error-kind'], 'integrity');
        assert.match(failed.errors[0]!.message, /1500 does not satisfy = 1499/);
        assert.deepEqual(await scratches(), []);
      } finally {
        for (const d of [db, ...(await scratches())])
          await admin.query(`DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`);
        await admin.end();
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
