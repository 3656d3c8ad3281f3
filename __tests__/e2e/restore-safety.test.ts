/**
 * A failed overwrite restore, through the CLI: the commit cannot swap the restored database in
 * (an application connected to the target while the safety backup was being stored), so the
 * run fails with exit 1, names the safety backup in its message, and the target keeps its data.
 * The safety backup's upload is held by a proxy until the application has connected, so the
 * order of events is fixed without timing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import pg from 'pg';
import { startCli, startHoldingProxy } from '../helpers/cancel.ts';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.ts';
import { unavailable } from '../helpers/services.ts';

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };

let work: string;
let s3: S3rverHandle | undefined;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'lbt-safety-'));
  const started = await startS3rver();
  if ('unavailable' in started) unavailable(started.unavailable);
  else s3 = started;
});

after(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

async function rows(db: string): Promise<string[]> {
  const c = new pg.Client({ ...PG, database: db });
  await c.connect();
  const r = await c.query<{ name: string }>('SELECT name FROM people ORDER BY name');
  await c.end();
  return r.rows.map((x) => x.name);
}

test('postgres overwrite restore whose commit fails names the safety backup; the target keeps its data', async (t) => {
  if (!s3) return t.skip('s3rver is not available');
  const admin = new pg.Client(PG);
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (err) {
    return t.skip(unavailable('PostgreSQL on 127.0.0.1:5432', err));
  }
  const db = `lb_safety_${randomBytes(4).toString('hex')}`;
  const runnerTemp = join(work, 'runner-temp');
  await mkdir(runnerTemp, { recursive: true });
  const bucket = await s3.createBucket();
  // The first archive written during a restore is the safety backup's.
  const proxy = await startHoldingProxy(s3.port, (r) =>
    r.method === 'PUT' && /\.tar\.zst(\?|$)/.test(r.url) ? {} : undefined,
  );
  let app: pg.Client | undefined;
  try {
    await admin.query(`CREATE DATABASE ${db}`);
    const url = `postgres://postgres@127.0.0.1:5432/${db}`;
    const setup = new pg.Client({ ...PG, database: db });
    await setup.connect();
    await setup.query("CREATE TABLE people (name text); INSERT INTO people VALUES ('backed up')");
    await setup.end();
    const env = { ...s3.env, RUNNER_TEMP: runnerTemp };
    const b = startCli(
      [
        'backup',
        '--source',
        url,
        '--destination',
        `s3://${bucket}/b`,
        '--s3-endpoint',
        s3.endpoint,
      ],
      env,
    );
    assert.equal((await b.exit).code, 0, b.stderr());
    const c = new pg.Client({ ...PG, database: db });
    await c.connect();
    await c.query("INSERT INTO people VALUES ('written later')");
    await c.end();

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
      env,
    );
    await proxy.held;
    app = new pg.Client({ ...PG, database: db });
    app.on('error', () => undefined);
    await app.connect();
    proxy.release();
    const { code } = await r.exit;
    const log = r.stderr();
    assert.equal(code, 1, log);
    assert.match(log, /moving the restored database into place failed.*was not changed/);
    const id = /the previous data is in the safety backup (\S+)/.exec(log)?.[1];
    assert.ok(id, log);
    // The safety backup it names is stored, complete.
    const keys = (await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents!.map(
      (o) => o.Key!,
    );
    const base = `b/${id.replace(/[;,.]$/, '')}`;
    for (const ext of ['.tar.zst', '.manifest.json', '.sha256'])
      assert.ok(keys.includes(base + ext), `${base + ext} missing:\n${keys.join('\n')}`);
    assert.deepEqual(await rows(db), ['backed up', 'written later'], 'the target changed');
    const staged = await admin.query(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $1`,
      [db],
    );
    assert.deepEqual(staged.rows, [], 'a staged database was left behind');
    assert.deepEqual(await readdir(runnerTemp), [], 'the run left its temp folder');
  } finally {
    await app?.end().catch(() => undefined);
    await proxy.close();
    await s3.deleteBucket(bucket);
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
});
