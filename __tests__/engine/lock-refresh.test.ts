import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { RunContext } from '../../src/core/context.ts';
import { openDestinations } from '../../src/engine/destinations.ts';
import { describeError } from '../../src/core/errors.ts';
import {
  LOCK_NAME,
  LockLostError,
  lockSet,
  type LockRecord,
  type LockSettings,
} from '../../src/engine/lock.ts';
import { Redactor } from '../../src/core/log.ts';
import { parseOptions } from '../../src/options/parse.ts';
import { runEngine } from '../helpers/engine.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-lock-refresh-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const T0 = new Date('2026-11-30T03:00:00Z');
const SETTINGS: LockSettings = { waitMs: 0, ttlMs: 15 * 60_000, breakLock: false };

/** A timer the test ticks by hand, and a clock it moves: no real time passes. */
function handTimer() {
  const ticks: Array<() => Promise<void>> = [];
  const intervals: number[] = [];
  let stopped = 0;
  const repeat: NonNullable<RunContext['repeat']> = (ms, tick) => {
    intervals.push(ms);
    ticks.push(tick);
    return () => void stopped++;
  };
  return {
    repeat,
    intervals,
    tick: () => Promise.all(ticks.map((t) => t())),
    stopped: () => stopped,
  };
}

async function setup(name: string) {
  const store = await mkdtemp(join(dir, `${name}-`));
  let now = T0;
  const logs: string[] = [];
  const timer = handTimer();
  const ctx: RunContext = {
    log: {
      info: (m) => logs.push(m),
      warn: (m) => logs.push(`warning: ${m}`),
      error: (m) => logs.push(`error: ${m}`),
      debug: () => undefined,
    },
    redactor: new Redactor(),
    env: {},
    cwd: process.cwd(),
    now: () => now,
    version: 'test',
    repeat: timer.repeat,
  };
  const destinations = await openDestinations(
    parseOptions({ command: 'backup', destination: [`file:${store}`] }),
    ctx,
  );
  const lockFile = join(store, 'app', LOCK_NAME);
  return {
    store,
    ctx,
    logs,
    timer,
    destinations,
    lockFile,
    readLock: async () => JSON.parse(await readFile(lockFile, 'utf8')) as LockRecord,
    advance: (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000)),
  };
}

describe("the lock's periodic refresh", () => {
  test('a long run refreshes its lock: the expiry moves forward, the holder stays the same', async () => {
    const s = await setup('refresh');
    const locks = await lockSet(s.destinations, 'app', SETTINGS, s.ctx, 'backup');
    try {
      assert.deepEqual(s.timer.intervals, [5 * 60_000], 'refreshed every third of lock-ttl');
      const first = await s.readLock();
      assert.equal(first.expiresAt, '2026-11-30T03:15:00.000Z');
      for (const minute of [5, 10, 15, 20]) {
        s.advance(5);
        await s.timer.tick();
        const now = await s.readLock();
        assert.equal(
          now.expiresAt,
          new Date(T0.getTime() + (minute + 15) * 60_000).toISOString(),
          `after ${minute} min the lock lasts 15 min more`,
        );
        assert.equal(now.token, first.token);
        assert.equal(now.acquiredAt, first.acquiredAt);
      }
      assert.equal(locks.lost.aborted, false);
      locks.assertHeld();
    } finally {
      await locks.release();
    }
    assert.equal(s.timer.stopped(), 1, 'release stops the refresh');
    assert.equal(existsSync(s.lockFile), false, 'the lock is gone after release');
  });

  test('a lock someone broke and took is not overwritten: the run is stopped with a clear error', async () => {
    const s = await setup('lost');
    const locks = await lockSet(s.destinations, 'app', SETTINGS, s.ctx, 'backup');
    const theirs: LockRecord = {
      ...(await s.readLock()),
      owner: 'other-runner',
      host: 'runner-9',
      pid: 777,
      token: 'the-other-run',
    };
    await writeFile(s.lockFile, JSON.stringify(theirs));
    s.advance(5);
    await s.timer.tick();
    assert.equal(locks.lost.aborted, true);
    const reason: unknown = locks.lost.reason;
    assert.ok(reason instanceof LockLostError, String(reason));
    assert.match(
      reason.message,
      /this run's lock of set 'app' was taken over by other-runner on runner-9 \(pid 777, backup\).* while the run held it; stopped/,
    );
    assert.match(describeError(reason), /fix: another run removed it \(break-lock: true\)/);
    assert.throws(() => locks.assertHeld(), LockLostError);
    // Further ticks do nothing; release leaves the other run's lock alone.
    await s.timer.tick();
    await locks.release();
    assert.deepEqual(await s.readLock(), theirs, "the other run's lock is untouched");
  });

  test('a lock someone removed stops the run too, and nothing is written back', async () => {
    const s = await setup('removed');
    const locks = await lockSet(s.destinations, 'app', SETTINGS, s.ctx, 'backup');
    await rm(s.lockFile);
    await s.timer.tick();
    assert.ok(locks.lost.reason instanceof LockLostError);
    assert.match((locks.lost.reason as Error).message, /was removed while the run held it/);
    await locks.release();
    assert.equal(existsSync(s.lockFile), false);
  });

  test('a refresh that fails to write warns and keeps the run going (the lock has time left)', async () => {
    const s = await setup('flaky');
    const [d] = s.destinations;
    const locks = await lockSet(s.destinations, 'app', SETTINGS, s.ctx, 'backup');
    const put = d!.storage.put.bind(d!.storage);
    d!.storage.put = () => Promise.reject(new Error('the store is down'));
    await s.timer.tick();
    d!.storage.put = put;
    assert.equal(locks.lost.aborted, false);
    assert.ok(
      s.logs.some((l) =>
        /^warning: .*could not refresh the lock app\/lifeboat\.lock: the store is down/.test(l),
      ),
      s.logs.join('\n'),
    );
    await locks.release();
  });
});

describe('a backup whose lock is taken while it runs', () => {
  test('fails with the lost-lock error, prunes nothing and leaves the other run’s lock', async () => {
    const store = await mkdtemp(join(dir, 'engine-'));
    const db = join(dir, 'engine.db');
    const d = new DatabaseSync(db);
    d.exec('CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2)');
    d.close();
    const backup = {
      command: 'backup',
      source: [`sqlite:${db}`],
      destination: [`file:${store}`],
      name: 'app',
      'keep-last': '1',
    };
    const first = await runEngine(backup, T0);
    assert.equal(first.error, undefined, String(first.error));
    const before = (await readdir(join(store, 'app'))).sort();

    const timer = handTimer();
    const theirs = JSON.stringify({
      owner: 'other-runner',
      host: 'runner-9',
      pid: 777,
      command: 'backup',
      acquiredAt: T0.toISOString(),
      expiresAt: new Date(T0.getTime() + 3_600_000).toISOString(),
      token: 'the-other-run',
    });
    let broken: Promise<unknown> | undefined;
    const run = await runEngine(
      backup,
      new Date(T0.getTime() + 3_600_000),
      {},
      {
        repeat: timer.repeat,
        // The first long phase is where another run breaks the lock and the refresh comes due.
        progress: {
          start() {
            if (!broken) {
              writeFileSync(join(store, 'app', LOCK_NAME), theirs);
              broken = timer.tick();
            }
            return { add: () => undefined, end: () => undefined };
          },
        },
      },
    );
    await broken;
    assert.ok(run.error instanceof LockLostError, String(run.error));
    assert.match(describeError(run.error), /lock of set 'app' was taken over by other-runner/);
    assert.equal(run.report.outputs['error-kind'], 'operational');
    assert.equal(await readFile(join(store, 'app', LOCK_NAME), 'utf8'), theirs);
    // Retention did not run: the first backup is still there, whatever the stopped run left
    // is complete (an archive with its sidecars) or nothing.
    const after = (await readdir(join(store, 'app'))).sort();
    for (const f of before) assert.ok(after.includes(f), `${f} kept`);
    const ids = (suffix: string) =>
      after.filter((f) => f.endsWith(suffix)).map((f) => f.slice(0, -suffix.length));
    assert.deepEqual(ids('.tar.zst'), ids('.manifest.json'));
  });
});
