import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.ts';
import { checkFreshness, MIN_GRACE_MS } from '../../src/retention/freshness.ts';
import { readWorkflowSchedule } from '../../src/action/workflow-schedule.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const d = (iso: string): Date => new Date(iso);

function configError(fn: () => unknown, option: string, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.option, option);
    assert.match(err.message, pattern);
    assert.ok(err.hint, 'has a fix');
    return true;
  });
}

describe('checkFreshness with a fixed clock', () => {
  const nightly = ['0 3 * * *'];

  test('on time: the newest backup covers the last expected run', () => {
    const r = checkFreshness({
      cron: nightly,
      newest: d('2026-11-22T03:07:00Z'),
      now: d('2026-11-22T10:00:00Z'),
    });
    assert.equal(r.ok, true);
    // Today's 03:00 run is still within its 12 h grace, so yesterday's is the one that must exist.
    assert.deepEqual(r.lastExpected, d('2026-11-21T03:00:00Z'));
    assert.deepEqual(r.lastScheduled, d('2026-11-22T03:00:00Z'));
    assert.deepEqual(r.nextExpected, d('2026-11-23T03:00:00Z'));
    assert.equal(r.expectedIntervalMs, DAY);
    assert.equal(r.graceMs, 12 * HOUR);
    assert.equal(r.ageMs, 6 * HOUR + 53 * MIN);
    assert.match(r.message, /^Fresh: newest verified backup is 6 h 53 min old/);
    assert.match(r.message, /next expected run 2026-11-23T03:00:00Z/);
  });

  test('a run still within its grace period is not yet late', () => {
    const r = checkFreshness({
      cron: nightly,
      newest: d('2026-11-21T03:05:00Z'),
      now: d('2026-11-22T05:00:00Z'),
    });
    assert.equal(r.ok, true);
  });

  test('late: the last expected run produced no backup', () => {
    const r = checkFreshness({
      cron: nightly,
      newest: d('2026-11-21T03:05:00Z'),
      now: d('2026-11-22T16:00:00Z'),
    });
    assert.equal(r.ok, false);
    assert.deepEqual(r.lastExpected, d('2026-11-22T03:00:00Z'));
    assert.equal(r.ageMs, DAY + 12 * HOUR + 55 * MIN);
    assert.match(
      r.message,
      /^Stale: newest verified backup is 1 d 12 h old \(2026-11-21T03:05:00Z\)/,
    );
    assert.match(r.message, /expected at 2026-11-22T03:00:00Z \(expected every 1 d, grace 12 h/);
  });

  test('no backup at all is not fresh', () => {
    const r = checkFreshness({ cron: nightly, now: d('2026-11-22T16:00:00Z') });
    assert.equal(r.ok, false);
    assert.equal(r.ageMs, undefined);
    assert.match(r.message, /^No verified backup found/);
  });

  test('several cron lines: the most recent expected run across lines counts', () => {
    const twice = ['0 3 * * *', '0 15 * * *'];
    const late = checkFreshness({
      cron: twice,
      newest: d('2026-11-22T03:05:00Z'),
      now: d('2026-11-22T22:00:00Z'),
    });
    assert.equal(late.ok, false);
    assert.deepEqual(late.lastExpected, d('2026-11-22T15:00:00Z'));
    assert.equal(late.expectedIntervalMs, 12 * HOUR);
    const early = checkFreshness({
      cron: twice,
      newest: d('2026-11-22T03:05:00Z'),
      now: d('2026-11-22T20:00:00Z'),
    });
    assert.equal(early.ok, true);
    assert.deepEqual(early.nextExpected, d('2026-11-23T03:00:00Z'));

    // Weekly on Mondays plus monthly on the 1st: Tuesday 2026-12-01's monthly run is the latest.
    for (const cron of [
      ['0 3 * * 1', '0 3 1 * *'],
      ['0 3 1 * *', '0 3 * * 1'],
    ]) {
      const input = { cron, now: d('2026-12-02T12:00:00Z'), graceMs: HOUR };
      const missed = checkFreshness({ ...input, newest: d('2026-11-30T03:10:00Z') });
      assert.equal(missed.ok, false);
      assert.deepEqual(missed.lastExpected, d('2026-12-01T03:00:00Z'));
      assert.deepEqual(missed.nextExpected, d('2026-12-07T03:00:00Z'));
      assert.equal(checkFreshness({ ...input, newest: d('2026-12-01T03:10:00Z') }).ok, true);
    }
  });

  test('default grace: half the gap to the next run, at least 15 minutes', () => {
    const hourly = checkFreshness({
      cron: ['0 * * * *'],
      newest: d('2026-11-22T09:02:00Z'),
      now: d('2026-11-22T10:20:00Z'),
    });
    assert.equal(hourly.ok, true);
    assert.equal(hourly.graceMs, 30 * MIN);
    assert.deepEqual(hourly.lastExpected, d('2026-11-22T09:00:00Z'));
    const hourlyLate = checkFreshness({
      cron: ['0 * * * *'],
      newest: d('2026-11-22T09:02:00Z'),
      now: d('2026-11-22T10:31:00Z'),
    });
    assert.equal(hourlyLate.ok, false);

    const often = checkFreshness({
      cron: ['*/5 * * * *'],
      newest: d('2026-11-22T10:05:30Z'),
      now: d('2026-11-22T10:20:30Z'),
    });
    assert.equal(often.graceMs, MIN_GRACE_MS);
    assert.deepEqual(often.lastExpected, d('2026-11-22T10:05:00Z'));
    assert.equal(often.expectedIntervalMs, 5 * MIN);
    assert.equal(often.ok, true);
  });

  test('an irregular schedule gets the grace of the gap after each run', () => {
    // Weekdays only: Friday's run has until halfway to Monday's.
    const weekdays = ['0 3 * * 1-5'];
    const newest = d('2026-11-19T03:05:00Z'); // Thursday
    const saturdayNoon = checkFreshness({ cron: weekdays, newest, now: d('2026-11-21T12:00:00Z') });
    assert.equal(saturdayNoon.ok, true);
    const saturdayEvening = checkFreshness({
      cron: weekdays,
      newest,
      now: d('2026-11-21T16:00:00Z'),
    });
    assert.equal(saturdayEvening.ok, false);
    assert.deepEqual(saturdayEvening.lastExpected, d('2026-11-20T03:00:00Z'));
    assert.equal(saturdayEvening.expectedIntervalMs, 3 * DAY);
    assert.equal(saturdayEvening.graceMs, 36 * HOUR);
  });

  test('an explicit grace', () => {
    const exact = checkFreshness({
      cron: nightly,
      newest: d('2026-11-21T03:00:00Z'),
      now: d('2026-11-22T03:00:00Z'),
      graceMs: 0,
    });
    assert.deepEqual(exact.lastExpected, d('2026-11-22T03:00:00Z'));
    assert.equal(exact.ok, false);
    const twoHours = checkFreshness({
      cron: nightly,
      newest: d('2026-11-21T03:00:00Z'),
      now: d('2026-11-22T04:00:00Z'),
      graceMs: 2 * HOUR,
    });
    assert.deepEqual(twoHours.lastExpected, d('2026-11-21T03:00:00Z'));
    assert.equal(twoHours.ok, true);
    // A long grace on a frequent schedule is computed directly, not run by run.
    const month = checkFreshness({
      cron: ['*/5 * * * *'],
      now: d('2026-11-22T04:00:00Z'),
      graceMs: 30 * DAY,
    });
    assert.deepEqual(month.lastExpected, d('2026-10-23T04:00:00Z'));
  });

  test('bad cron expressions are named, 6-field cron is refused', () => {
    const now = d('2026-11-22T04:00:00Z');
    configError(
      () => checkFreshness({ cron: ['0 0 3 * * *'], now }),
      'schedule',
      /'0 0 3 \* \* \*' has 6 fields .*GitHub only accepts 5-field cron/,
    );
    configError(
      () => checkFreshness({ cron: ['61 * * * *'], now }),
      'schedule',
      /invalid cron expression '61 \* \* \* \*'/,
    );
    configError(
      () => checkFreshness({ cron: ['0 0 30 2 *'], now }),
      'schedule',
      /invalid cron expression '0 0 30 2 \*'/,
    );
    configError(
      () => checkFreshness({ cron: ['0 0 L * *'], now }),
      'schedule',
      /'L' is not supported/,
    );
    configError(
      () => checkFreshness({ cron: ['@daily'], now }),
      'schedule',
      /'@daily' has 1 field, not 5/,
    );
    configError(() => checkFreshness({ cron: ['0 3 * *'], now }), 'schedule', /has 4 fields/);
    configError(
      () => checkFreshness({ cron: ['0 3 * * *', 'nope * * * *'], now }),
      'schedule',
      /'nope \* \* \* \*'/,
    );
    configError(() => checkFreshness({ cron: [' '], now }), 'schedule', /no cron expression/);
    configError(() => checkFreshness({ cron: nightly, now, graceMs: -1 }), 'grace', /negative/);
    assert.throws(
      () => checkFreshness({ cron: ['0 0 3 * * *'], now }),
      (err: unknown) =>
        err instanceof ConfigError && err.hint === "drop the seconds field: '0 3 * * *'",
    );
  });

  test('names of months and days are accepted as GitHub does', () => {
    const r = checkFreshness({
      cron: ['0 3 * * MON-FRI', '30 4 1 JAN,JUL *'],
      now: d('2026-11-22T12:00:00Z'),
    });
    assert.deepEqual(r.nextExpected, d('2026-11-23T03:00:00Z'));
  });
});

describe('readWorkflowSchedule', () => {
  let workspace: string;
  const ref = 'octo/app/.github/workflows/backup.yml@refs/heads/main';
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    GITHUB_WORKFLOW_REF: ref,
    GITHUB_WORKSPACE: workspace,
    ...extra,
  });
  const write = (name: string, text: string): Promise<void> =>
    writeFile(join(workspace, '.github', 'workflows', name), text);

  before(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'lifeboat-retention-'));
    await mkdir(join(workspace, '.github', 'workflows'), { recursive: true });
  });
  after(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  test('reads the cron lines of the calling workflow from the checkout', async () => {
    await write(
      'backup.yml',
      [
        'name: backup',
        'on:',
        '  schedule:',
        "    - cron: '0 3 * * *'",
        '    - cron: "30 15 * * 1-5"',
        '  workflow_dispatch:',
        'jobs:',
        '  backup:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v5',
      ].join('\n'),
    );
    const cron = await readWorkflowSchedule(env());
    assert.deepEqual(cron, ['0 3 * * *', '30 15 * * 1-5']);
    const r = checkFreshness({
      cron,
      newest: d('2026-11-20T15:31:00Z'),
      now: d('2026-11-21T12:00:00Z'),
    });
    assert.equal(r.ok, true);
    assert.deepEqual(r.lastExpected, d('2026-11-20T15:30:00Z'));
  });

  test('a workflow without a schedule gives no cron lines', async () => {
    await write('push.yml', 'on: push\njobs: {}\n');
    await write('list.yml', 'on: [push, workflow_dispatch]\njobs: {}\n');
    await write(
      'dispatch.yml',
      'on:\n  workflow_dispatch:\n  push:\n    branches: [main]\njobs: {}\n',
    );
    for (const name of ['push.yml', 'list.yml', 'dispatch.yml']) {
      const cron = await readWorkflowSchedule(
        env({ GITHUB_WORKFLOW_REF: `octo/app/.github/workflows/${name}@refs/pull/7/merge` }),
      );
      assert.deepEqual(cron, [], name);
    }
  });

  test('a missing checkout tells you to add actions/checkout or set schedule', async () => {
    const ref2 = 'octo/app/.github/workflows/nightly.yaml@refs/heads/main';
    await assert.rejects(
      readWorkflowSchedule(env({ GITHUB_WORKFLOW_REF: ref2 })),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.option, 'schedule');
        assert.match(err.message, /\.github\/workflows\/nightly\.yaml .*not checked out/);
        assert.match(err.hint ?? '', /actions\/checkout/);
        assert.match(err.hint ?? '', /schedule: '0 3 \* \* \*'/);
        return true;
      },
    );
    await assert.rejects(
      readWorkflowSchedule({ GITHUB_WORKFLOW_REF: ref }),
      /GITHUB_WORKSPACE is not set/,
    );
    await assert.rejects(readWorkflowSchedule({}), /GITHUB_WORKFLOW_REF is not set/);
  });

  test('a malformed schedule or workflow path is a clear error', async () => {
    await write('bad.yml', 'on:\n  schedule: "0 3 * * *"\n');
    await assert.rejects(
      readWorkflowSchedule(
        env({ GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/bad.yml@refs/heads/main' }),
      ),
      /on\.schedule in \.github\/workflows\/bad\.yml is not a list/,
    );
    await write('broken.yml', 'on: [push\n');
    await assert.rejects(
      readWorkflowSchedule(
        env({ GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/broken.yml@refs/heads/main' }),
      ),
      /cannot parse the workflow file/,
    );
    await assert.rejects(
      readWorkflowSchedule(
        env({ GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/../../../etc/passwd@x' }),
      ),
      /outside the workspace/,
    );
    await assert.rejects(
      readWorkflowSchedule(env({ GITHUB_WORKFLOW_REF: 'nonsense' })),
      ConfigError,
    );
  });
});
