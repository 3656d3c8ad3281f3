import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.ts';
import {
  describePolicy,
  formatPlan,
  parseDuration,
  parseRetentionPolicy,
  planRetention,
  type RetentionPlan,
} from '../../src/retention/policy.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function configError(fn: () => unknown, option: string, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.option, option);
    assert.match(err.message, pattern);
    assert.ok(err.hint, 'has a fix');
    return true;
  });
}

describe('parseDuration', () => {
  const cases: Array<[string, string, number]> = [
    ['keep-within', '30d', 30 * DAY],
    ['keep-within', '2w', 14 * DAY],
    ['keep-within', '12h', 12 * HOUR],
    ['keep-within', '1y6m', (365 + 6 * 30) * DAY],
    ['keep-within', '1y 2mo 3d', (365 + 60 + 3) * DAY],
    ['keep-within', '2D', 2 * DAY],
    ['grace', '30m', 30 * MIN],
    ['grace', '1h30m', 90 * MIN],
    ['grace', '90 minutes', 90 * MIN],
    ['grace', '2h', 2 * HOUR],
    ['grace', '45s', 45_000],
    ['grace', '0m', 0],
    ['grace', '1mo', 30 * DAY],
  ];
  for (const [option, text, ms] of cases) {
    test(`${option} '${text}' is ${ms} ms`, () => {
      const d = parseDuration(option, text);
      assert.equal(d.ms, ms);
      assert.equal(d.text, text);
    });
  }

  test('bare m means months for keep-within (restic) and minutes elsewhere', () => {
    assert.deepEqual(parseDuration('keep-within', '6m').calendar, {
      years: 0,
      months: 6,
      days: 0,
      ms: 0,
    });
    assert.equal(parseDuration('grace', '6m').ms, 6 * MIN);
  });

  test('bad durations name the option and say how to fix them', () => {
    configError(() => parseDuration('keep-within', ''), 'keep-within', /empty/);
    configError(
      () => parseDuration('keep-within', '7'),
      'keep-within',
      /'7' is not a duration \(no unit\)/,
    );
    configError(() => parseDuration('keep-within', '7x'), 'keep-within', /unknown unit 'x'/);
    configError(() => parseDuration('grace', '1.5h'), 'grace', /not a duration/);
    configError(() => parseDuration('grace', 'soon'), 'grace', /not a duration/);
    configError(() => parseDuration('grace', '-2h'), 'grace', /not a duration/);
  });
});

describe('parseRetentionPolicy', () => {
  test('reads numbers and strings as typed', () => {
    const p = parseRetentionPolicy({
      'keep-last': 3,
      'keep-hourly': ' 24 ',
      'keep-daily': '7',
      'keep-weekly': ['4'],
      'keep-monthly': 'unlimited',
      'keep-yearly': '',
      'keep-within': '30d',
    });
    assert.equal(p.last, 3);
    assert.equal(p.hourly, 24);
    assert.equal(p.daily, 7);
    assert.equal(p.weekly, 4);
    assert.equal(p.monthly, Infinity);
    assert.equal('yearly' in p, false);
    assert.equal(p.within?.ms, 30 * DAY);
    assert.equal(
      describePolicy(p),
      'keep-last 3, keep-hourly 24, keep-daily 7, keep-weekly 4, keep-monthly unlimited, keep-within 30d',
    );
  });

  test('nothing set is an empty policy', () => {
    const p = parseRetentionPolicy({});
    assert.deepEqual(p, {});
    assert.equal(describePolicy(p), 'none');
    assert.deepEqual(parseRetentionPolicy({ 'keep-daily': undefined, 'keep-within': '  ' }), {});
  });

  test('bad values name the option', () => {
    configError(
      () => parseRetentionPolicy({ 'keep-daily': 'seven' }),
      'keep-daily',
      /'seven' is not a whole number/,
    );
    configError(
      () => parseRetentionPolicy({ 'keep-last': '-3' }),
      'keep-last',
      /not a whole number/,
    );
    configError(
      () => parseRetentionPolicy({ 'keep-weekly': 1.5 }),
      'keep-weekly',
      /not a whole number/,
    );
    configError(
      () => parseRetentionPolicy({ 'keep-monthly': ['1', '2'] }),
      'keep-monthly',
      /more than once/,
    );
    configError(() => parseRetentionPolicy({ 'keep-yearly': true }), 'keep-yearly', /whole number/);
    configError(() => parseRetentionPolicy({ 'keep-within': 7 }), 'keep-within', /no unit/);
    configError(() => parseRetentionPolicy({ 'keep-within': '0d' }), 'keep-within', /zero/);
    configError(
      () => parseRetentionPolicy({ 'keep-within': '7 days ago' }),
      'keep-within',
      /unknown unit|not a duration/,
    );
  });
});

describe('formatPlan', () => {
  const backups = [
    { id: '20261120T030000Z-aaaa', time: new Date('2026-11-20T03:00:00Z'), verified: true },
    { id: '20261121T030000Z-bbbb', time: new Date('2026-11-21T03:00:00Z'), verified: true },
    { id: '20261122T030000Z-cccc', time: new Date('2026-11-22T03:00:00Z'), verified: true },
  ];
  const plan = planRetention(backups, parseRetentionPolicy({ 'keep-last': 2 }));

  test('text: a header with the policy and an aligned table, newest first', () => {
    const text = formatPlan(plan, 'text');
    assert.equal(
      text,
      [
        'Retention: keep 2, remove 1 (policy: keep-last 2)',
        'ACTION  BACKUP                 TIME (UTC)            REASONS',
        'keep    20261122T030000Z-cccc  2026-11-22T03:00:00Z  last 1, newest verified',
        'keep    20261121T030000Z-bbbb  2026-11-21T03:00:00Z  last 2',
        'remove  20261120T030000Z-aaaa  2026-11-20T03:00:00Z  -',
      ].join('\n'),
    );
  });

  test('markdown: a table for the job summary, cells escaped', () => {
    const md = formatPlan(plan, 'markdown');
    assert.match(
      md,
      /^\*\*Retention: keep 2, remove 1\*\* \(policy: keep-last 2\)\n\n\| action \| backup \|/,
    );
    assert.match(
      md,
      /\| keep \| `20261122T030000Z-cccc` \| 2026-11-22T03:00:00Z \| last 1, newest verified \|/,
    );
    assert.match(
      md,
      /\| \*\*remove\*\* \| `20261120T030000Z-aaaa` \| 2026-11-20T03:00:00Z \| — \|/,
    );
    const odd: RetentionPlan = {
      keep: [
        {
          id: 'a|b',
          time: new Date('2026-01-01T00:00:00Z'),
          verified: true,
          keep: true,
          reasons: ['x|y'],
        },
      ],
      remove: [],
    };
    const oddMd = formatPlan(odd, 'markdown');
    assert.match(oddMd, /`a\\\|b`/);
    assert.match(oddMd, /x\\\|y/);
  });

  test('an empty plan says so', () => {
    const empty = planRetention([], {});
    assert.equal(
      formatPlan(empty, 'text'),
      'Retention: keep 0, remove 0 (policy: none)\nNo backups.',
    );
    assert.match(formatPlan(empty, 'markdown'), /No backups\.$/);
  });
});
