import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDrill, renderDrillSection } from '../../src/report/summary.ts';

test('the summary’s drill section: verdict with RTO and RPO, then every check with its figures', () => {
  const md = renderDrillSection({
    version: 1,
    backupId: '20261207T030000Z-abcdef',
    set: 'app',
    startedAt: '2026-12-07T05:40:00.000Z',
    finishedAt: '2026-12-07T05:41:10.000Z',
    ok: false,
    rtoMs: 70_000,
    backupAgeMs: 2 * 3_600_000,
    checks: [
      { name: 'inventory db', ok: true, detail: '2 tables, 7 rows: matches the manifest' },
      {
        name: 'assert SELECT count(*) FROM t | x >= 9',
        ok: false,
        detail: '7 does not satisfy >= 9',
      },
    ],
  });
  assert.equal(
    md,
    [
      '**❌ drill failed**: RTO 1 min 10 s, backup age (RPO) 2 h at 2026-12-07T05:40:00Z',
      '',
      '| check | result | figures |',
      '|---|---|---|',
      '| inventory db | passed | 2 tables, 7 rows: matches the manifest |',
      '| assert SELECT count(*) FROM t \\| x >= 9 | **failed** | 7 does not satisfy >= 9 |',
    ].join('\n'),
  );
  assert.equal(describeDrill(undefined), 'never drilled');
  assert.equal(
    describeDrill({ ok: true, finishedAt: '2026-12-07T05:41:10.000Z', rtoMs: 900 }),
    'passed 2026-12-07T05:41:10Z, RTO 900 ms',
  );
});
