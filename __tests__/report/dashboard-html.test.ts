import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CronExpressionParser } from 'cron-parser';
import { reportMarkdown } from '../../src/engine/report-command.ts';
import { assessSet, scheduledBetween } from '../../src/engine/report-state.ts';
import type { Catalog, CatalogBackup, DrillRecord } from '../../src/report/html/catalog.ts';
import { setPagePath } from '../../src/report/html/parts.ts';
import { renderSite } from '../../src/report/html/site.ts';
import { largeCatalog } from './large-catalog.ts';

const NOW = new Date(Date.UTC(2026, 10, 30, 12));

function backup(day: number, extra: Partial<CatalogBackup> = {}): CatalogBackup {
  const created = new Date(Date.UTC(2026, 10, day, 3, 5));
  const stamp = created
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return {
    id: `${stamp}-abcdef`,
    createdAt: created.toISOString(),
    size: 1000,
    sha256: 'a'.repeat(64),
    encrypted: false,
    signed: false,
    confirmed: true,
    tags: [],
    sources: [],
    copies: [],
    ...extra,
  };
}

function drill(ok: boolean, id: string): DrillRecord {
  return {
    version: 1,
    backupId: id,
    set: 's',
    startedAt: '2026-11-30T04:00:00.000Z',
    finishedAt: '2026-11-30T04:01:00.000Z',
    ok,
    rtoMs: 60_000,
    backupAgeMs: 0,
    checks: [{ name: 'assert orders', ok, detail: '' }],
  };
}

const daily = ['0 3 * * *'];

describe('set states', () => {
  test('fresh needs a schedule kept and a passed drill', () => {
    const b = backup(30);
    b.drill = drill(true, b.id);
    const s = assessSet({ name: 's', backups: [backup(29), b], cron: daily, now: NOW });
    assert.equal(s.state, 'fresh');
    assert.equal(s.missedRuns, 0);
    assert.deepEqual(s.gaps, []);
  });

  test('never drilled, late, failing and damaged, worst wins', () => {
    const at = (backups: CatalogBackup[], cron = daily) =>
      assessSet({ name: 's', backups, cron, now: NOW });
    assert.equal(at([backup(30)]).state, 'never-drilled');
    assert.equal(at([backup(28)]).state, 'late');
    assert.equal(at([backup(27)]).state, 'failing');
    assert.equal(at([]).state, 'failing');
    assert.equal(at([backup(30)], []).state, 'never-drilled');
    const drilled = backup(30);
    drilled.drill = drill(true, drilled.id);
    assert.equal(at([drilled], []).state, 'unscheduled');
    const failedDrill = backup(30);
    failedDrill.drill = drill(false, failedDrill.id);
    const failing = at([failedDrill]);
    assert.equal(failing.state, 'failing');
    assert.match(failing.reason, /failed: assert orders/);
    // A damaged backup outranks everything, and is never the newest good one.
    const damaged = at([backup(29), backup(30, { damaged: 'not valid JSON', confirmed: false })]);
    assert.equal(damaged.state, 'damaged');
    assert.equal(damaged.newestGood?.id, backup(29).id);
    // A backup the store never confirmed does not count as good.
    assert.equal(at([backup(30, { confirmed: false })]).state, 'failing');
    // Safety copies made by a restore are not the set's backups.
    assert.equal(at([backup(30, { tags: ['safety'] })]).state, 'failing');
    // A restore's safety set is neither scheduled nor drilled; only damage makes it worse.
    const safety = (backups: CatalogBackup[]) =>
      assessSet({ name: 'app-safety', backups, cron: [], now: NOW, isSafety: true });
    const copy = safety([backup(20, { tags: ['safety'] })]);
    assert.equal(copy.state, 'unscheduled');
    assert.equal(copy.newestGood?.id, backup(20).id);
    assert.equal(safety([backup(20, { damaged: 'x', confirmed: false })]).state, 'damaged');
  });

  test('gaps are scheduled runs without a good backup before the next run', () => {
    const s = assessSet({
      name: 's',
      backups: [backup(24), backup(25), backup(28, { confirmed: false }), backup(29)],
      cron: daily,
      now: NOW,
    });
    assert.deepEqual(s.gaps, [
      '2026-11-26T03:00:00.000Z',
      '2026-11-27T03:00:00.000Z',
      '2026-11-28T03:00:00.000Z',
    ]);
    assert.equal(s.state, 'never-drilled');
  });

  test('scheduled runs are the ones cron-parser finds', () => {
    const from = new Date(Date.UTC(2026, 0, 1));
    const to = new Date(Date.UTC(2026, 3, 1, 7, 30));
    for (const line of [
      '0 3 * * *',
      '*/20 1-3 * * 1-5',
      '5 4 1,15 * *',
      '0 0 13 * 5',
      '30 2 * 2 7',
      '0 */6 * * *',
    ]) {
      const it = CronExpressionParser.parse(line, {
        currentDate: new Date(to.getTime() + 1),
        tz: 'UTC',
      });
      const expected: number[] = [];
      for (;;) {
        const t = it.prev().toDate().getTime();
        if (t <= from.getTime()) break;
        expected.unshift(t);
      }
      assert.deepEqual(
        scheduledBetween([line], from, to).map((t) => t.getTime()),
        expected.slice(-2000),
        line,
      );
    }
  });

  test('scheduled runs: several lines merge, and a frequent cron is capped', () => {
    const from = new Date(Date.UTC(2026, 10, 29));
    const to = new Date(Date.UTC(2026, 10, 30));
    assert.equal(scheduledBetween(['0 3 * * *', '0 15 * * *', '0 3 * * *'], from, to).length, 2);
    const many = scheduledBetween(['* * * * *'], new Date(Date.UTC(2026, 0, 1)), to);
    assert.equal(many.length, 2000);
    assert.equal(many.at(-1)!.getTime(), to.getTime());
  });
});

describe('the site', () => {
  test('everything from storage is escaped: a hostile set or source cannot inject markup', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const b = backup(30, {
      sources: [
        {
          name: evil,
          kind: 'dir',
          url: `dir:/"><script>alert(1)</script>`,
          versions: { '<b>': '"' },
        },
      ],
      copies: [{ destination: 'file:/x', key: `a/<script>.tar`, size: 1 }],
    });
    const set = assessSet({
      name: 'x"><script>alert(1)</script>',
      backups: [b],
      cron: daily,
      now: NOW,
    });
    set.reason = evil;
    const catalog: Catalog = {
      version: 1,
      generatedAt: NOW.toISOString(),
      tool: 'lifeboat test',
      destinations: [{ url: 'file:/x', error: evil }],
      sets: [set],
    };
    const files = renderSite(catalog);
    for (const [path, body] of files) {
      if (path.endsWith('.json')) continue;
      assert.doesNotMatch(body, /<script|<img/i, path);
    }
    assert.equal(setPagePath(set.name), 'sets/x___script_alert_1___script_.html');
    assert.equal(setPagePath('..'), 'sets/_..html');
    assert.match(reportMarkdown(catalog), /x"><script>alert\(1\)<\/script>/);
  });

  test('an empty destination still gets a page that says so', () => {
    const files = renderSite({
      version: 1,
      generatedAt: NOW.toISOString(),
      tool: 't',
      destinations: [{ url: 'file:/empty' }],
      sets: [],
    });
    assert.deepEqual([...files.keys()], ['index.html', 'catalog.json']);
    assert.match(files.get('index.html')!, /No backups found\./);
  });

  test('50 sets × 400 backups: every page stays under 2 MB', () => {
    const catalog = largeCatalog();
    const files = renderSite(catalog);
    assert.equal(files.size, 52);
    for (const [path, body] of files) {
      if (path === 'catalog.json') continue;
      assert.ok(
        Buffer.byteLength(body) < 2 * 1024 * 1024,
        `${path}: ${Buffer.byteLength(body)} bytes`,
      );
    }
    const page = files.get(setPagePath('service-01'))!;
    assert.equal(page.match(/<tr id="b-/g)?.length, catalog.sets[1]!.backups.length);
  });
});
