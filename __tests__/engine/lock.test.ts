import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ConfigError, StorageError } from '../../src/core/errors.ts';
import { LOCK_NAME, type LockRecord } from '../../src/engine/lock.ts';
import { runEngine } from '../helpers/engine.ts';

let dir = '';
let db = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-lock-'));
  db = join(dir, 'app.db');
  const d = new DatabaseSync(db);
  d.exec('CREATE TABLE t (a INTEGER, b TEXT)');
  d.exec("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
  d.close();
});
after(() => rm(dir, { recursive: true, force: true }));

const T0 = new Date('2026-11-30T03:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** A lock as another run would hold it, written by the test straight into the set folder. */
async function holdLock(store: string, expires: Date, owner = 'other-runner'): Promise<LockRecord> {
  const record: LockRecord = {
    owner,
    host: 'runner-7',
    pid: 4242,
    command: 'backup',
    runUrl: 'https://github.com/acme/app/actions/runs/99',
    acquiredAt: T0.toISOString(),
    expiresAt: expires.toISOString(),
    token: 'held-by-the-test',
  };
  await mkdir(join(store, 'app'), { recursive: true });
  await writeFile(join(store, 'app', LOCK_NAME), JSON.stringify(record));
  return record;
}

const backupsIn = async (store: string) =>
  (await readdir(join(store, 'app')).catch(() => [] as string[])).filter((f) =>
    f.endsWith('.manifest.json'),
  );

function backup(store: string, extra: Record<string, string> = {}) {
  return {
    command: 'backup',
    source: [`sqlite:${db}`],
    destination: [`file:${store}`],
    name: 'app',
    ...extra,
  };
}

describe('per-set lock', () => {
  test('a held lock fails a second backup at once, naming the holder; nothing is dumped or left', async () => {
    const store = await mkdtemp(join(dir, 'held-'));
    const held = await holdLock(store, minutes(10));
    const run = await runEngine(backup(store), T0);
    assert.ok(run.error instanceof StorageError, String(run.error));
    assert.match(
      (run.error as Error).message,
      /backup set 'app' is locked by other-runner on runner-7 \(pid 4242, backup, run https:\/\/github\.com\/acme\/app\/actions\/runs\/99\)/,
    );
    assert.match((run.error as StorageError).hint ?? '', /lock-wait.*break-lock/);
    assert.ok(!run.logs.some((l) => /Dump/.test(l)), 'nothing was dumped');
    assert.deepEqual(await readdir(join(store, 'app')), [LOCK_NAME]);
    assert.deepEqual(JSON.parse(await readFile(join(store, 'app', LOCK_NAME), 'utf8')), held);
  });

  test('with lock-wait the second run waits for the holder, then backs up and removes its own lock', async () => {
    const store = await mkdtemp(join(dir, 'wait-'));
    await holdLock(store, minutes(10));
    const sleeps: number[] = [];
    const run = await runEngine(
      backup(store, { 'lock-wait': '10m' }),
      T0,
      {},
      {
        // The holder finishes while we wait: its lock goes away.
        sleep: async (ms) => {
          sleeps.push(ms);
          await rm(join(store, 'app', LOCK_NAME));
        },
      },
    );
    assert.equal(run.error, undefined, String(run.error));
    assert.equal(sleeps.length, 1);
    assert.ok(
      run.logs.some((l) => /Dump/.test(l)),
      'a dump leaves this line (checked elsewhere by its absence)',
    );
    assert.ok(
      run.logs.some((l) => /set 'app' is locked by other-runner .*waiting up to 10 min/.test(l)),
    );
    assert.equal((await backupsIn(store)).length, 1);
    assert.ok(!(await readdir(join(store, 'app'))).includes(LOCK_NAME), 'the lock was released');
  });

  test('a lock that stays held for all of lock-wait fails the run with the holder named', async () => {
    const store = await mkdtemp(join(dir, 'waited-'));
    await holdLock(store, minutes(60));
    let clock = T0;
    const run = await runEngine(
      backup(store, { 'lock-wait': '2m' }),
      () => clock,
      {},
      {
        sleep: async (ms) => {
          clock = new Date(clock.getTime() + ms);
        },
      },
    );
    assert.ok(run.error instanceof StorageError, String(run.error));
    assert.match((run.error as Error).message, /locked by other-runner .*; waited 2 min/);
    assert.equal((await backupsIn(store)).length, 0);
  });

  test('an expired lock (a crashed run) is taken over with a warning', async () => {
    const store = await mkdtemp(join(dir, 'stale-'));
    await holdLock(store, minutes(15));
    const run = await runEngine(backup(store), minutes(16));
    assert.equal(run.error, undefined, String(run.error));
    assert.ok(
      run.logs.some((l) =>
        /warning: .*lock of app held by other-runner .*has expired; taking it over/.test(l),
      ),
    );
    assert.equal((await backupsIn(store)).length, 1);
    assert.ok(!(await readdir(join(store, 'app'))).includes(LOCK_NAME));
  });

  test('a live lock of a process on this host that no longer runs is taken over at once', async () => {
    const store = await mkdtemp(join(dir, 'dead-'));
    const child = spawnSync(process.execPath, ['-e', '0']);
    const record = await holdLock(store, minutes(10));
    await writeFile(
      join(store, 'app', LOCK_NAME),
      JSON.stringify({ ...record, host: hostname(), pid: child.pid }),
    );
    const run = await runEngine(backup(store), T0);
    assert.equal(run.error, undefined, String(run.error));
    assert.ok(
      run.logs.some((l) =>
        /warning: .*belongs to a process of this host that no longer runs; taking it over/.test(l),
      ),
    );
    assert.equal((await backupsIn(store)).length, 1);
  });

  test('break-lock removes a live lock, saying whose', async () => {
    const store = await mkdtemp(join(dir, 'break-'));
    await holdLock(store, minutes(10));
    const run = await runEngine(backup(store, { 'break-lock': 'true' }), T0);
    assert.equal(run.error, undefined, String(run.error));
    assert.ok(
      run.logs.some((l) =>
        /warning: .*break-lock: removing the lock of app held by other-runner/.test(l),
      ),
    );
    assert.equal((await backupsIn(store)).length, 1);
  });

  test('prune takes the lock too: a held lock stops it before anything is removed', async () => {
    const store = await mkdtemp(join(dir, 'prune-'));
    for (const at of [minutes(0), minutes(60)]) {
      const r = await runEngine(backup(store), at);
      assert.equal(r.error, undefined, String(r.error));
    }
    await holdLock(store, minutes(200));
    const run = await runEngine(
      { command: 'prune', destination: [`file:${store}`], name: 'app', 'keep-last': '1' },
      minutes(120),
    );
    assert.ok(run.error instanceof StorageError, String(run.error));
    assert.match((run.error as Error).message, /locked by other-runner/);
    assert.equal((await backupsIn(store)).length, 2, 'nothing was removed');
  });

  test('bad lock options are config errors before any work', async () => {
    const store = await mkdtemp(join(dir, 'opts-'));
    for (const [name, value] of [
      ['lock-wait', '10 parsecs'],
      ['lock-ttl', '10s'],
    ] as const) {
      const run = await runEngine(backup(store, { [name]: value }), T0);
      assert.ok(run.error instanceof ConfigError && run.error.option === name, String(run.error));
      assert.ok(!run.logs.some((l) => /Dump/.test(l)));
    }
    assert.deepEqual(await readdir(store), []);
  });
});

describe('retention and overlapping runs', () => {
  test("a run's keep-last 1 never removes the backup that run made, even when a newer one exists", async () => {
    const store = await mkdtemp(join(dir, 'overlap-'));
    // The longer-running run started first, so its backup id is older than the one an
    // overlapping run stored meanwhile.
    const newer = await runEngine(backup(store), minutes(30));
    assert.equal(newer.error, undefined, String(newer.error));
    const mine = await runEngine(backup(store, { 'keep-last': '1' }), minutes(0));
    assert.equal(mine.error, undefined, String(mine.error));
    const id = mine.report.outputs['backup-id']!;
    const left = await backupsIn(store);
    assert.ok(left.includes(`${id}.manifest.json`), `its own backup ${id} is still there: ${left}`);
    assert.ok(left.includes(`${newer.report.outputs['backup-id']}.manifest.json`));
    assert.ok(mine.logs.some((l) => /made by this run/.test(l)));
  });
});

describe('options are checked before any work', () => {
  for (const [name, value] of [
    ['keep-within', '7 fortnights'],
    ['schedule', '0 3 * *'],
    ['grace', 'soon'],
  ] as const) {
    test(`a bad ${name} is exit 2 before anything is dumped or written`, async () => {
      const store = await mkdtemp(join(dir, 'early-'));
      const run = await runEngine(backup(store, { [name]: value }), T0);
      assert.ok(run.error instanceof ConfigError, String(run.error));
      assert.equal(run.error.option, name);
      assert.ok(!run.logs.some((l) => /Dump/.test(l)), 'nothing was dumped');
      assert.deepEqual(await readdir(store), [], 'nothing was written');
    });
  }
});
