import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatTime } from '../../src/core/log.ts';
import { RunReport } from '../../src/report/report.ts';
import { compareInventory, keyValueTable, renderSummary } from '../../src/report/summary.ts';

test('durations are in human units at every scale', () => {
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(12_340), '12.3 s');
  assert.equal(formatDuration(59_990), '1 min');
  assert.equal(formatDuration(303_000), '5 min 3 s');
  assert.equal(formatDuration(3_600_000), '1 h');
  assert.equal(formatDuration(6 * 3_600_000 + 53 * 60_000 + 20_000), '6 h 53 min');
  assert.equal(formatDuration(1440 * 60_000), '1 d');
  assert.equal(formatDuration(26 * 3_600_000), '1 d 2 h');
  assert.equal(formatDuration(-90_000), '-1 min 30 s');
});

test('one time format: UTC to the second', () => {
  assert.equal(formatTime(new Date('2026-11-30T03:17:05.123Z')), '2026-11-30T03:17:05Z');
  assert.equal(formatTime('2026-11-30T03:17:00.000Z'), '2026-11-30T03:17:00Z');
  assert.equal(formatTime('garbage'), 'garbage');
});

test('key/value tables have no empty header row', () => {
  assert.equal(
    keyValueTable([
      ['set', 'app'],
      ['verdict', 'a | b'],
    ]),
    '| set | app |\n|---|---|\n| verdict | a \\| b |',
  );
  assert.equal(keyValueTable([]), '');
});

function restoreReport(): RunReport {
  const r = new RunReport('restore');
  r.name = 'app';
  r.backupId = '20261130T031700Z-abcdef';
  r.size = 2048;
  r.sha256 = 'a'.repeat(64);
  r.finishedMs = r.startedAt + 86_400_000;
  r.outputs['location'] = 'sqlite:/data/restored.db';
  r.sources.push({
    name: 'app',
    kind: 'sqlite',
    url: 'sqlite:/data/restored.db',
    target: 'sqlite:/data/restored.db',
    expectedInventory: { tables: [{ name: 't', rows: 3 }] },
    inventory: { tables: [{ name: 't', rows: 3 }] },
  });
  r.proofs.push('the stored object matched', 'every chunk matched');
  r.backups.push({
    set: 'app',
    id: r.backupId,
    time: '2026-11-30T03:17:00.456Z',
    size: 2048,
    sources: 'app (sqlite)',
    encrypted: false,
    verified: true,
    tags: [],
    location: 'file:/b app/x.tar.zst',
  });
  return r;
}

test('the restore summary says what was proven and what was restored where', () => {
  const md = renderSummary(restoreReport());
  assert.match(md, /^## Lifeboat restore: ✅ succeeded/);
  assert.doesNotMatch(md, /^\| \| \|$/m, 'no empty header row');
  assert.match(md, /^\| backup set \| app \|\n\|---\|---\|\n\| backup id \|/m);
  assert.match(md, /\| duration \| 1 d \|/);
  assert.match(
    md,
    /### Restored\n\n\| source \| kind \| restored to \| tables \/ files \|\n\|---\|---\|---\|---\|\n\| app \| sqlite \| sqlite:\/data\/restored\.db \| 1 tables, 3 rows; matches the backup's inventory \|/,
  );
  assert.match(md, /### What was proven\n\n- the stored object matched\n- every chunk matched\n/);
  assert.match(md, /\| 2026-11-30T03:17:00Z \|/);
  assert.doesNotMatch(md, /\d\.\d{3}Z/, 'no milliseconds anywhere');
  assert.doesNotMatch(md, /^\| location \|/m, 'a restore states its targets in the Restored table');
});

test('a failed restore says nothing was restored and lists only what was proven before the failure', () => {
  const r = new RunReport('restore');
  r.error = 'sha256 mismatch';
  r.proofs.push('the .sha256 sidecar agrees with the manifest');
  const md = renderSummary(r);
  assert.match(md, /❌ failed/);
  assert.match(md, /Nothing was restored\./);
  assert.match(md, /### What was proven before the failure/);
});

test('inventory comparison names the differences and never claims a match it did not check', () => {
  assert.equal(
    compareInventory({ tables: [{ name: 't', rows: 3 }] }, { tables: [{ name: 't', rows: 2 }] }),
    '1 tables, 2 rows; differs from the backup: t: 2 rows, the backup has 3',
  );
  assert.equal(
    compareInventory(
      {
        tables: [
          { name: 't', rows: 3 },
          { name: 'u', rows: 1 },
        ],
      },
      { tables: [{ name: 't', rows: 3 }] },
    ),
    '1 tables, 3 rows; differs from the backup: u missing',
  );
  assert.equal(
    compareInventory({ files: 2 }, { files: 2 }),
    "2 files; matches the backup's inventory",
  );
  assert.equal(compareInventory({ files: 2 }, undefined), 'not counted after the restore');
  assert.equal(compareInventory(undefined, { files: 2 }), '2 files');
});
