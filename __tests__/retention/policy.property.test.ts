import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  parseDuration,
  periodLabel,
  planRetention,
  type BackupRef,
  type RetentionPlan,
  type RetentionPolicy,
} from '../../src/retention/policy.ts';

const MINUTE = 60_000;

// Times drawn from spans of a few days, a few months and a few years, so backups share hours
// and days often and cross month, ISO-week and year boundaries (start in late December).
const span = fc.constantFrom(3 * 24 * 60, 120 * 24 * 60, 3 * 366 * 24 * 60);
// Mostly unverified sets too, so the newest verified backup is often one no rule would keep.
const verifiedPercent = fc.constantFrom(5, 50, 95);
const backupsArb: fc.Arbitrary<BackupRef[]> = fc
  .tuple(span, verifiedPercent)
  .chain(([minutes, percent]) =>
    fc
      .uniqueArray(
        fc.record({
          offset: fc.integer({ min: 0, max: minutes }),
          verified: fc.integer({ min: 0, max: 99 }).map((x) => x < percent),
          n: fc.nat(),
        }),
        { maxLength: 80, size: 'max', selector: (r) => r.n },
      )
      .map((rows) =>
        rows.map((r, i) => ({
          id: `id-${String(i).padStart(3, '0')}-${r.n}`,
          time: new Date(Date.UTC(2020, 11, 20) + r.offset * MINUTE),
          verified: r.verified,
        })),
      ),
  );

const count = fc.option(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(Infinity)), {
  nil: undefined,
});
const policyArb: fc.Arbitrary<RetentionPolicy> = fc
  .record({
    last: count,
    hourly: count,
    daily: count,
    weekly: count,
    monthly: count,
    yearly: count,
    within: fc.option(fc.constantFrom('12h', '2d', '2w', '1m', '1y6m'), { nil: undefined }),
  })
  .map(({ within, ...counts }) => {
    const policy: RetentionPolicy = {};
    for (const [k, v] of Object.entries(counts)) if (v !== undefined) policy[k as 'last'] = v;
    if (within !== undefined) policy.within = parseDuration('keep-within', within);
    return policy;
  });

const ids = (ds: RetentionPlan['keep']): string[] => ds.map((d) => d.id).sort();
const byId = (backups: BackupRef[], plan: RetentionPlan['keep']): BackupRef[] =>
  plan.map((d) => backups.find((b) => b.id === d.id)!);

test('every backup is either kept with a reason or removed without one', () => {
  fc.assert(
    fc.property(backupsArb, policyArb, (backups, policy) => {
      const plan = planRetention(backups, policy);
      assert.deepEqual(
        [...ids(plan.keep), ...ids(plan.remove)].sort(),
        backups.map((b) => b.id).sort(),
      );
      assert.ok(plan.keep.every((d) => d.keep && d.reasons.length > 0));
      assert.ok(plan.remove.every((d) => !d.keep && d.reasons.length === 0));
    }),
  );
});

test('never removes the newest verified backup', () => {
  fc.assert(
    fc.property(backupsArb, policyArb, (backups, policy) => {
      const plan = planRetention(backups, policy);
      const verified = backups
        .filter((b) => b.verified)
        .sort((a, b) => b.time.getTime() - a.time.getTime());
      const newest = verified[0];
      if (newest) {
        // Several verified backups may share the newest instant; none of them is the one removed.
        const removed = new Set(plan.remove.map((d) => d.id));
        assert.ok(
          verified.some((b) => b.time.getTime() === newest.time.getTime() && !removed.has(b.id)),
        );
      }
    }),
  );
});

test('the newest backup is always kept', () => {
  fc.assert(
    fc.property(backupsArb, policyArb, (backups, policy) => {
      fc.pre(backups.length > 0);
      const plan = planRetention(backups, policy);
      const newest = Math.max(...backups.map((b) => b.time.getTime()));
      assert.ok(plan.keep.some((d) => d.time.getTime() === newest));
    }),
  );
});

test('idempotent: planning again over what was kept removes nothing more', () => {
  fc.assert(
    fc.property(backupsArb, policyArb, (backups, policy) => {
      const first = planRetention(backups, policy);
      const second = planRetention(byId(backups, first.keep), policy);
      assert.deepEqual(second.remove, []);
    }),
  );
});

test('input order does not matter', () => {
  fc.assert(
    fc.property(
      backupsArb.chain((b) =>
        fc.tuple(fc.constant(b), fc.shuffledSubarray(b, { minLength: b.length })),
      ),
      policyArb,
      ([backups, shuffled], policy) => {
        assert.deepEqual(planRetention(shuffled, policy), planRetention(backups, policy));
      },
    ),
  );
});

test('an empty policy removes nothing', () => {
  fc.assert(
    fc.property(backupsArb, (backups) => {
      assert.deepEqual(planRetention(backups, {}).remove, []);
      assert.deepEqual(planRetention(backups, { last: 0, daily: 0, yearly: 0 }).remove, []);
    }),
  );
});

test('raising a count never removes more', () => {
  const period = fc.constantFrom(
    'last',
    'hourly',
    'daily',
    'weekly',
    'monthly',
    'yearly',
  ) as fc.Arbitrary<'last' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly'>;
  fc.assert(
    fc.property(
      backupsArb,
      policyArb,
      period,
      fc.integer({ min: 1, max: 5 }),
      (backups, policy, p, more) => {
        const bigger = { ...policy, [p]: (policy[p] ?? 0) + more };
        const removedBefore = new Set(planRetention(backups, policy).remove.map((d) => d.id));
        for (const d of planRetention(backups, bigger).remove)
          assert.ok(removedBefore.has(d.id), d.id);
      },
    ),
  );
});

test('keep-<period> N keeps the newest backup of the N newest periods that have one', () => {
  const period = fc.constantFrom('hourly', 'daily', 'weekly', 'monthly', 'yearly') as fc.Arbitrary<
    'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly'
  >;
  fc.assert(
    fc.property(backupsArb, period, fc.integer({ min: 1, max: 10 }), (backups, p, n) => {
      const plan = planRetention(backups, { [p]: n });
      // Reference model: group by period label, take the N newest groups, their newest member.
      const newestFirst = [...backups].sort(
        (a, b) => b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : -1),
      );
      const seen = new Map<string, BackupRef>();
      for (const b of newestFirst)
        if (!seen.has(periodLabel(p, b.time))) seen.set(periodLabel(p, b.time), b);
      const expected = [...seen.values()].slice(0, n).map((b) => b.id);
      const byRule = plan.keep
        .filter((d) => d.reasons.some((r) => r.startsWith(`${p} `)))
        .map((d) => d.id);
      assert.deepEqual(byRule, expected);
    }),
  );
});
