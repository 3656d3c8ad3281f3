import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatPlan,
  keepChains,
  planRetention,
  type ChainLink,
} from '../../src/retention/policy.ts';

const T0 = Date.UTC(2026, 10, 1);
const hour = (i: number) => new Date(T0 + i * 3600_000);

/** Hourly backups with a full one every `every`: ids b00, b01, … */
function backups(n: number, every: number) {
  const refs = [];
  const links = new Map<string, ChainLink>();
  for (let i = 0; i < n; i++) {
    const id = `b${String(i).padStart(2, '0')}`;
    refs.push({ id, time: hour(i), verified: true });
    const pos = i % every;
    links.set(
      id,
      pos === 0
        ? { kind: 'full', chainPosition: 0 }
        : { kind: 'incremental', chainPosition: pos, parent: `b${String(i - 1).padStart(2, '0')}` },
    );
  }
  return { refs, links };
}

describe('retention keeps chains whole (pure)', () => {
  test('a kept incremental keeps its parents back to the full backup', () => {
    const { refs, links } = backups(10, 4); // fulls b00, b04, b08
    const plan = keepChains(planRetention(refs, { last: 1 }), links);
    assert.deepEqual(
      plan.keep.map((d) => d.id),
      ['b09', 'b08'],
    );
    const b08 = plan.keep.find((d) => d.id === 'b08')!;
    assert.deepEqual(b08.reasons, ['needed by b09']);
    assert.equal(plan.remove.length, 8);
  });

  test('a kept mid-chain backup keeps the chain before it, not after it', () => {
    const { refs, links } = backups(12, 6); // fulls b00, b06
    // Keep the newest and, by hand, the 3rd backup: b02 needs b01 and b00; b03-b05 go.
    const plan = keepChains(planRetention(refs, { last: 1 }, ['b02']), links);
    assert.deepEqual(
      plan.keep.map((d) => d.id),
      ['b11', 'b10', 'b09', 'b08', 'b07', 'b06', 'b02', 'b01', 'b00'],
    );
    assert.deepEqual(
      plan.remove.map((d) => d.id),
      ['b05', 'b04', 'b03'],
    );
    assert.ok(plan.remove.every((d) => d.chain?.includes('of b00')));
  });

  test("the plan shows each backup's chain, and a broken one", () => {
    const { refs, links } = backups(5, 10);
    const withoutB02 = refs.filter((r) => r.id !== 'b02');
    const plan = keepChains(planRetention(withoutB02, { last: 2 }), links);
    const text = formatPlan(plan, 'text');
    assert.match(text, /CHAIN/);
    assert.match(text, /b00\s.*full b00/);
    assert.match(text, /b01\s.*incremental 1 of b00/);
    assert.match(text, /b04\s.*incremental 4, broken: parent b02 missing/);
    const md = formatPlan(plan, 'markdown');
    assert.match(md, /\| action \| backup \| time \(UTC\) \| chain \| reasons \|/);
  });

  test('sets without chains keep their plan as it was (no chain column)', () => {
    const refs = [0, 1, 2].map((i) => ({ id: `x${i}`, time: hour(i), verified: true }));
    const before = planRetention(refs, { last: 1 });
    const after = keepChains(before, new Map(refs.map((r) => [r.id, {}])));
    assert.equal(after, before);
    assert.doesNotMatch(formatPlan(after, 'text'), /CHAIN/);
  });
});
