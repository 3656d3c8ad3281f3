import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isEmptyPolicy,
  isoWeek,
  parseDuration,
  periodLabel,
  planRetention,
  type BackupRef,
  type RetentionPlan,
  type RetentionPolicy,
} from '../../src/retention/policy.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function at(iso: string, verified = true): BackupRef {
  return { id: `b-${iso}`, time: new Date(iso), verified };
}

/** Daily backups at 03:00 UTC from `from` for `days` days. */
function daily(from: string, days: number): BackupRef[] {
  const start = new Date(`${from}T03:00:00Z`).getTime();
  return Array.from({ length: days }, (_, i) => at(new Date(start + i * DAY).toISOString()));
}

const keptIds = (p: RetentionPlan): string[] => p.keep.map((d) => d.id);
const removedIds = (p: RetentionPlan): string[] => p.remove.map((d) => d.id);
const reasonsOf = (p: RetentionPlan, id: string): string[] | undefined =>
  p.keep.find((d) => d.id === id)?.reasons;

describe('ISO weeks in UTC', () => {
  const cases: Array<[string, number, number]> = [
    ['2020-12-31T12:00:00Z', 2020, 53],
    ['2021-01-01T00:00:00Z', 2020, 53],
    ['2021-01-03T23:59:59Z', 2020, 53],
    ['2021-01-04T00:00:00Z', 2021, 1],
    ['2019-12-30T00:00:00Z', 2020, 1],
    ['2024-12-30T08:00:00Z', 2025, 1],
    ['2026-11-21T03:00:00Z', 2026, 47],
    ['2026-01-01T00:00:00Z', 2026, 1],
    ['2027-01-01T00:00:00Z', 2026, 53],
  ];
  for (const [iso, year, week] of cases) {
    test(`${iso} is ${year}-W${week}`, () => {
      assert.deepEqual(isoWeek(new Date(iso)), { year, week });
    });
  }

  test('labels use UTC, not the local time zone', () => {
    // 23:30 on Sunday UTC is still ISO week 53 of 2020, whatever TZ the machine has.
    assert.equal(periodLabel('weekly', new Date('2021-01-03T23:30:00Z')), '2020-W53');
    assert.equal(periodLabel('daily', new Date('2021-01-03T23:30:00Z')), '2021-01-03');
    assert.equal(periodLabel('hourly', new Date('2021-01-03T23:30:00Z')), '2021-01-03T23');
    assert.equal(periodLabel('monthly', new Date('2021-01-03T23:30:00Z')), '2021-01');
    assert.equal(periodLabel('yearly', new Date('2021-01-03T23:30:00Z')), '2021');
  });
});

describe('planRetention', () => {
  test('keep-last keeps the N newest, whatever the input order', () => {
    const backups = daily('2026-11-01', 5).reverse();
    const plan = planRetention(backups, { last: 3 });
    assert.deepEqual(keptIds(plan), [
      'b-2026-11-05T03:00:00.000Z',
      'b-2026-11-04T03:00:00.000Z',
      'b-2026-11-03T03:00:00.000Z',
    ]);
    assert.deepEqual(removedIds(plan), [
      'b-2026-11-02T03:00:00.000Z',
      'b-2026-11-01T03:00:00.000Z',
    ]);
    assert.deepEqual(reasonsOf(plan, 'b-2026-11-05T03:00:00.000Z'), ['last 1', 'newest verified']);
    assert.deepEqual(reasonsOf(plan, 'b-2026-11-03T03:00:00.000Z'), ['last 3']);
    assert.ok(plan.remove.every((d) => !d.keep && d.reasons.length === 0));
  });

  test('keep-daily keeps the newest backup of each day', () => {
    const backups = [
      at('2026-11-21T03:00:00Z'),
      at('2026-11-21T15:00:00Z'),
      at('2026-11-22T03:00:00Z'),
      at('2026-11-22T15:00:00Z'),
      at('2026-11-23T03:00:00Z'),
    ];
    const plan = planRetention(backups, { daily: 2 });
    assert.deepEqual(keptIds(plan), ['b-2026-11-23T03:00:00Z', 'b-2026-11-22T15:00:00Z']);
    assert.deepEqual(reasonsOf(plan, 'b-2026-11-22T15:00:00Z'), ['daily 2026-11-22']);
  });

  test('hourly, monthly and yearly buckets', () => {
    const backups = [
      at('2024-06-01T10:05:00Z'),
      at('2025-03-01T10:05:00Z'),
      at('2025-12-31T23:00:00Z'),
      at('2026-01-15T10:05:00Z'),
      at('2026-02-01T10:05:00Z'),
      at('2026-02-01T10:45:00Z'),
      at('2026-02-01T11:05:00Z'),
    ];
    const hourly = planRetention(backups, { hourly: 2 });
    assert.deepEqual(keptIds(hourly), ['b-2026-02-01T11:05:00Z', 'b-2026-02-01T10:45:00Z']);
    const monthly = planRetention(backups, { monthly: 3 });
    assert.deepEqual(keptIds(monthly), [
      'b-2026-02-01T11:05:00Z',
      'b-2026-01-15T10:05:00Z',
      'b-2025-12-31T23:00:00Z',
    ]);
    assert.deepEqual(reasonsOf(monthly, 'b-2025-12-31T23:00:00Z'), ['monthly 2025-12']);
    const yearly = planRetention(backups, { yearly: 2 });
    assert.deepEqual(keptIds(yearly), ['b-2026-02-01T11:05:00Z', 'b-2025-12-31T23:00:00Z']);
  });

  test('keep-weekly across the 2020/2021 year boundary uses ISO weeks', () => {
    const backups = [
      at('2020-12-21T03:00:00Z'), // 2020-W52
      at('2020-12-28T03:00:00Z'), // 2020-W53
      at('2020-12-31T03:00:00Z'), // 2020-W53
      at('2021-01-03T03:00:00Z'), // 2020-W53 (Sunday)
      at('2021-01-04T03:00:00Z'), // 2021-W01 (Monday)
    ];
    const plan = planRetention(backups, { weekly: 2 });
    assert.deepEqual(keptIds(plan), ['b-2021-01-04T03:00:00Z', 'b-2021-01-03T03:00:00Z']);
    assert.deepEqual(reasonsOf(plan, 'b-2021-01-04T03:00:00Z'), [
      'weekly 2021-W01',
      'newest verified',
    ]);
    assert.deepEqual(reasonsOf(plan, 'b-2021-01-03T03:00:00Z'), ['weekly 2020-W53']);
    assert.deepEqual(removedIds(plan), [
      'b-2020-12-31T03:00:00Z',
      'b-2020-12-28T03:00:00Z',
      'b-2020-12-21T03:00:00Z',
    ]);
  });

  test('a month-long pause: keep-daily 7 keeps the 7 newest days that have backups', () => {
    // Daily backups 2026-09-01 … 2026-10-10, nothing for 30 days, then 2026-11-10 … 2026-11-12.
    const backups = [...daily('2026-09-01', 40), ...daily('2026-11-10', 3)];
    const plan = planRetention(backups, { daily: 7 });
    assert.deepEqual(
      keptIds(plan).map((id) => id.slice(2, 12)),
      [
        '2026-11-12',
        '2026-11-11',
        '2026-11-10',
        '2026-10-10',
        '2026-10-09',
        '2026-10-08',
        '2026-10-07',
      ],
    );
    assert.equal(plan.remove.length, 43 - 7);
  });

  test('keep-within is relative to the newest backup, not to now', () => {
    const backups = daily('2020-03-01', 20);
    const plan = planRetention(backups, { within: parseDuration('keep-within', '7d') });
    // Strictly newer than newest − 7 days: the newest and the 6 before it.
    assert.equal(plan.keep.length, 7);
    assert.deepEqual(reasonsOf(plan, 'b-2020-03-14T03:00:00.000Z'), ['within 7d']);
    assert.equal(plan.keep.at(-1)!.id, 'b-2020-03-14T03:00:00.000Z');
  });

  test('keep-within months and years follow the calendar', () => {
    const backups = [
      at('2024-09-30T12:00:00Z'),
      at('2024-10-01T12:00:01Z'),
      at('2026-03-31T12:00:00Z'),
      at('2026-03-02T12:00:00Z'),
      at('2026-03-04T12:00:00Z'),
    ];
    // 2026-03-31 minus one month is 2026-02-31, which is 2026-03-03 (as restic's AddDate).
    const month = planRetention(backups, { within: parseDuration('keep-within', '1m') });
    assert.deepEqual(keptIds(month), ['b-2026-03-31T12:00:00Z', 'b-2026-03-04T12:00:00Z']);
    const long = planRetention(backups, { within: parseDuration('keep-within', '1y6m') });
    assert.deepEqual(removedIds(long), ['b-2024-09-30T12:00:00Z']);
  });

  test('a bare {ms} duration works too', () => {
    const plan = planRetention(daily('2026-11-01', 5), { within: { ms: 2 * DAY, text: '2d' } });
    assert.equal(plan.keep.length, 2);
  });

  test('rules are ORed and each reason is listed', () => {
    const backups = [...daily('2026-10-01', 40)];
    const plan = planRetention(backups, { last: 2, weekly: 2, monthly: 2 });
    assert.deepEqual(reasonsOf(plan, 'b-2026-11-09T03:00:00.000Z'), [
      'last 1',
      'weekly 2026-W46',
      'monthly 2026-11',
      'newest verified',
    ]);
    assert.deepEqual(reasonsOf(plan, 'b-2026-11-08T03:00:00.000Z'), ['last 2', 'weekly 2026-W45']);
    assert.deepEqual(reasonsOf(plan, 'b-2026-10-31T03:00:00.000Z'), ['monthly 2026-10']);
    assert.equal(plan.keep.length, 3);
  });

  test('a rule with counts left also keeps the oldest backup (restic)', () => {
    const backups = [
      at('2026-11-21T01:00:00Z'),
      at('2026-11-21T02:00:00Z'),
      at('2026-11-21T03:00:00Z'),
    ];
    const plan = planRetention(backups, { daily: 7 });
    assert.deepEqual(keptIds(plan), ['b-2026-11-21T03:00:00Z', 'b-2026-11-21T01:00:00Z']);
    assert.deepEqual(reasonsOf(plan, 'b-2026-11-21T01:00:00Z'), ['oldest daily 2026-11-21']);
  });

  test('never removes the newest verified backup', () => {
    const backups = [
      at('2026-11-20T03:00:00Z', true),
      at('2026-11-21T03:00:00Z', true),
      at('2026-11-22T03:00:00Z', false),
      at('2026-11-23T03:00:00Z', false),
    ];
    const plan = planRetention(backups, { last: 2 });
    assert.deepEqual(keptIds(plan), [
      'b-2026-11-23T03:00:00Z',
      'b-2026-11-22T03:00:00Z',
      'b-2026-11-21T03:00:00Z',
    ]);
    assert.deepEqual(reasonsOf(plan, 'b-2026-11-21T03:00:00Z'), ['newest verified']);
    assert.deepEqual(removedIds(plan), ['b-2026-11-20T03:00:00Z']);
  });

  test('an empty policy removes nothing', () => {
    const backups = daily('2026-01-01', 30);
    for (const policy of [
      {},
      { last: 0, daily: 0 },
      { within: { ms: 0, text: '0d' } },
    ] as RetentionPolicy[]) {
      assert.ok(isEmptyPolicy(policy));
      const plan = planRetention(backups, policy);
      assert.equal(plan.remove.length, 0);
      assert.equal(plan.keep.length, 30);
      assert.ok(plan.keep.every((d) => d.reasons.includes('no retention policy')));
    }
    assert.equal(isEmptyPolicy({ yearly: 1 }), false);
    assert.equal(isEmptyPolicy({ within: parseDuration('keep-within', '1d') }), false);
  });

  test('unlimited keeps the newest of every period', () => {
    const backups = [...daily('2026-11-01', 3), at('2026-11-03T09:00:00Z')];
    const plan = planRetention(backups, { daily: Infinity });
    assert.deepEqual(keptIds(plan), [
      'b-2026-11-03T09:00:00Z',
      'b-2026-11-02T03:00:00.000Z',
      'b-2026-11-01T03:00:00.000Z',
    ]);
  });

  test('a backup without a valid time is kept, and no backups is an empty plan', () => {
    const backups = [
      ...daily('2026-11-01', 3),
      { id: 'odd', time: new Date('nope'), verified: true },
    ];
    const plan = planRetention(backups, { last: 1 });
    assert.deepEqual(reasonsOf(plan, 'odd'), ['unknown time']);
    assert.equal(plan.remove.length, 2);
    assert.deepEqual(planRetention([], { last: 3 }), { keep: [], remove: [], policy: { last: 3 } });
  });

  test('backups at the same instant are ordered by id, so the plan is deterministic', () => {
    const t = new Date('2026-11-21T03:00:00Z');
    const backups: BackupRef[] = ['a', 'c', 'b'].map((id) => ({ id, time: t, verified: true }));
    const plan = planRetention(backups, { last: 1 });
    assert.deepEqual(keptIds(plan), ['c']);
    assert.deepEqual(removedIds(plan), ['b', 'a']);
  });

  test('hours near midnight fall in the UTC day', () => {
    const backups = [
      at('2026-11-21T23:59:59Z'),
      at('2026-11-22T00:00:00Z'),
      at('2026-11-22T00:30:00Z'),
    ];
    const plan = planRetention(backups, { daily: 2 });
    assert.deepEqual(keptIds(plan), ['b-2026-11-22T00:30:00Z', 'b-2026-11-21T23:59:59Z']);
  });
});
