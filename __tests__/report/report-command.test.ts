import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunContext } from '../../src/core/context.ts';
import { CancelledError, ConfigError, StorageError } from '../../src/core/errors.ts';
import { Redactor, silentLogger } from '../../src/core/log.ts';
import { runCommand } from '../../src/engine/run.ts';
import { parseOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import type { Catalog } from '../../src/report/html/catalog.ts';
import { runEngine } from '../helpers/engine.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import {
  NOW,
  SCHEDULE,
  buildFixtureStore,
  bytesOnDisk,
  type FixtureStore,
} from './dashboard-fixture.ts';

let f: FixtureStore;
before(async () => {
  f = await buildFixtureStore();
});
after(async () => {
  await f?.cleanup();
});

async function readCatalog(site: string): Promise<Catalog> {
  return JSON.parse(await readFile(join(site, 'catalog.json'), 'utf8')) as Catalog;
}

describe('lifeboat report', () => {
  test('every set gets the state its backups, schedule and drills give it', async () => {
    const site = join(f.dir, 'site-states');
    const r = await runEngine(
      {
        command: 'report',
        destination: f.destination,
        schedule: SCHEDULE,
        html: site,
        repository: 'octo-org/app',
        'backup-workflow': 'backup.yml',
        'restore-workflow': 'restore.yml',
      },
      NOW,
    );
    assert.equal(r.error, undefined, String(r.error));
    const catalog = await readCatalog(site);
    const state = Object.fromEntries(catalog.sets.map((s) => [s.name, s.state]));
    assert.deepEqual(state, {
      analytics: 'failing',
      billing: 'late',
      inventory: 'failing',
      orders: 'fresh',
      uploads: 'damaged',
      vault: 'never-drilled',
    });
    const set = (name: string) => catalog.sets.find((s) => s.name === name)!;
    assert.equal(set('orders').newestGood?.id, f.ids['orders']!.at(-1));
    assert.equal(set('orders').lastDrill?.rtoMs, 4200);
    assert.equal(set('orders').nextExpected, '2026-12-01T03:00:00.000Z');
    assert.match(set('inventory').reason, /last drill .* failed: row counts/);
    assert.equal(set('billing').missedRuns, 1);
    assert.equal(set('analytics').missedRuns, 4);
    assert.match(set('analytics').reason, /4 scheduled runs missed/);
    // The damaged newest backup is not the newest good one: the one before it is.
    assert.equal(set('uploads').newestGood?.id, f.ids['uploads']!.at(-2));
    assert.match(set('uploads').reason, /cannot be used/);
    const damaged = set('uploads').backups.at(-1)!;
    assert.equal(damaged.id, f.ids['uploads']!.at(-1));
    assert.ok(damaged.damaged);
    assert.ok(set('vault').backups.every((b) => b.encrypted && b.signed));
    assert.ok(set('orders').backups.every((b) => !b.encrypted && !b.signed));
    // Gaps: billing's 29th, analytics' 26th to 29th.
    assert.deepEqual(set('billing').gaps, ['2026-11-29T03:00:00.000Z']);
    assert.equal(set('analytics').gaps.length, 4);
    assert.deepEqual(set('orders').gaps, []);
    for (const s of catalog.sets) {
      assert.deepEqual(s.storage, [
        {
          destination: f.destination,
          bytes: await bytesOnDisk(f.store, s.name),
          objects: (await readdir(join(f.store, s.name))).length,
        },
      ]);
      assert.equal(
        s.links.runBackup,
        'https://github.com/octo-org/app/actions/workflows/backup.yml',
      );
      assert.equal(
        s.links.restore,
        'https://github.com/octo-org/app/actions/workflows/restore.yml',
      );
    }
    // The site: an index, a page per set, the catalog.
    assert.deepEqual((await readdir(site)).sort(), ['catalog.json', 'index.html', 'sets']);
    assert.deepEqual(
      (await readdir(join(site, 'sets'))).sort(),
      ['analytics', 'billing', 'inventory', 'orders', 'uploads', 'vault'].map((s) => `${s}.html`),
    );
    // The job summary holds the overview.
    const section = r.report.sections.find((s) => s.title === 'Backup sets')!;
    assert.match(section.markdown, /\| orders \| fresh \|/);
    assert.match(section.markdown, /\| billing \| \*\*late\*\* \|/);
    assert.equal(r.report.outputs['sets'], '6');
    assert.equal(r.report.outputs['healthy'], 'false');
    assert.ok(r.logs.some((l) => l.startsWith('warning: billing is late')));
  });

  test('without --html: the summary only, nothing written; one set with name', async () => {
    const before = (await readdir(f.dir)).sort();
    const r = await runCli(
      [
        'report',
        '--destination',
        f.destination,
        '--name',
        'orders',
        '--schedule',
        SCHEDULE,
        '--json',
      ],
      {},
    );
    assert.equal(r.code, 0, r.stderr);
    const body = jsonOf(r) as { outputs: Record<string, string> };
    assert.equal(body.outputs['sets'], '1');
    assert.deepEqual((await readdir(f.dir)).sort(), before);
    const text = await runCli(['report', '--destination', f.destination, '--name', 'orders'], {});
    assert.equal(text.code, 0, text.stderr);
    // Without a schedule freshness is not judged: a drilled set shows 'no schedule'.
    assert.match(text.stderr, /^orders\s+no schedule\s+\d{8}T/m);
    assert.match(text.stdout, /\| orders \| .* \| no schedule \|/);
  });

  test('per-set schedules: set=cron applies to that set only', async () => {
    const r = await runEngine(
      {
        command: 'report',
        destination: f.destination,
        schedule: `${SCHEDULE}\nanalytics=0 3 * * 1`,
        html: join(f.dir, 'site-perset'),
      },
      NOW,
    );
    assert.equal(r.error, undefined, String(r.error));
    const catalog = await readCatalog(join(f.dir, 'site-perset'));
    const analytics = catalog.sets.find((s) => s.name === 'analytics')!;
    assert.deepEqual(analytics.schedule, ['0 3 * * 1']);
    // Weekly on Mondays: the 23rd (a Monday) was backed up, the 30th is still in its grace.
    assert.equal(analytics.state, 'never-drilled');
  });

  test('the retention preview shows what the next prune would delete, and deletes nothing', async () => {
    const site = join(f.dir, 'site-retention');
    const files = async () => (await readdir(join(f.store, 'orders'))).sort();
    const before = await files();
    const r = await runEngine(
      { command: 'report', destination: f.destination, 'keep-last': '2', html: site },
      NOW,
    );
    assert.equal(r.error, undefined, String(r.error));
    const orders = (await readCatalog(site)).sets.find((s) => s.name === 'orders')!;
    assert.deepEqual(
      orders.retention[0]!.remove.map((x) => x.id),
      f.ids['orders']!.slice(0, 2).reverse(),
    );
    assert.equal(orders.retention[0]!.policy, 'keep-last 2');
    assert.deepEqual(await files(), before);
  });

  test('a drill record that is not one is shown as never drilled, with a warning', async () => {
    const key = join(f.store, 'vault', `${f.ids['vault']!.at(-1)}.drill.json`);
    await writeFile(key, '{"ok": "yes"}');
    try {
      const r = await runEngine(
        {
          command: 'report',
          destination: f.destination,
          name: 'vault',
          html: join(f.dir, 'site-drill'),
        },
        NOW,
      );
      assert.equal(r.error, undefined, String(r.error));
      const vault = (await readCatalog(join(f.dir, 'site-drill'))).sets[0]!;
      assert.equal(vault.lastDrill, undefined);
      assert.equal(vault.state, 'never-drilled');
      assert.ok(
        r.logs.some((l) => /^warning: vault\/.*\.drill\.json .* is not a drill record/.test(l)),
        r.logs.join('\n'),
      );
    } finally {
      await rm(key);
    }
  });

  test('a named set with no backups is failing, not missing from the page', async () => {
    const r = await runEngine(
      {
        command: 'report',
        destination: f.destination,
        name: 'payroll',
        schedule: SCHEDULE,
        html: join(f.dir, 'site-none-yet'),
      },
      NOW,
    );
    assert.equal(r.error, undefined, String(r.error));
    const [payroll, ...others] = (await readCatalog(join(f.dir, 'site-none-yet'))).sets;
    assert.equal(others.length, 0);
    assert.equal(payroll!.name, 'payroll');
    assert.equal(payroll!.state, 'failing');
    assert.match(payroll!.reason, /no good backup/);
    assert.deepEqual(payroll!.storage, []);
  });

  test('two destinations: one backup with a copy on each; a damaged copy does not damage the backup', async () => {
    const second = join(f.dir, 'store-2');
    await cp(join(f.store, 'orders'), join(second, 'orders'), { recursive: true });
    const id = f.ids['orders']!.at(-1)!;
    await writeFile(join(second, 'orders', `${id}.manifest.json`), 'not json');
    const site = join(f.dir, 'site-two');
    const r = await runEngine(
      {
        command: 'report',
        destination: `${f.destination}\nfile:${second}`,
        name: 'orders',
        schedule: SCHEDULE,
        html: site,
      },
      NOW,
    );
    assert.equal(r.error, undefined, String(r.error));
    const orders = (await readCatalog(site)).sets[0]!;
    assert.equal(orders.state, 'fresh');
    assert.equal(orders.backups.length, f.ids['orders']!.length);
    const newest = orders.backups.at(-1)!;
    assert.equal(newest.damaged, undefined);
    assert.deepEqual(
      newest.copies.map((c) => [c.destination, c.key, Boolean(c.damaged)]),
      [
        [f.destination, `orders/${id}.tar.zst`, false],
        [`file:${second}`, `orders/${id}.manifest.json`, true],
      ],
    );
    assert.deepEqual(
      orders.storage.map((u) => u.destination),
      [f.destination, `file:${second}`],
    );
    assert.equal(orders.storage[1]!.bytes, await bytesOnDisk(second, 'orders'));
    const page = await readFile(join(site, 'sets', 'orders.html'), 'utf8');
    assert.match(page, /damaged: orders\/\S+\.manifest\.json on file:\S+store-2 is not valid JSON/);
  });

  test('a set whose manifests are all gone is still listed, with the storage it holds', async () => {
    const store = join(f.dir, 'store-orphans');
    await cp(join(f.store, 'billing'), join(store, 'billing'), { recursive: true });
    for (const name of await readdir(join(store, 'billing')))
      if (name.endsWith('.manifest.json')) await rm(join(store, 'billing', name));
    // Not Lifeboat's: another tool's folder in the same bucket stays off the page.
    await mkdir(join(store, 'other-tool'));
    await writeFile(join(store, 'other-tool', 'notes.txt'), 'x');
    const r = await runEngine(
      {
        command: 'report',
        destination: `file:${store}`,
        schedule: SCHEDULE,
        html: join(f.dir, 'site-orphans'),
      },
      NOW,
    );
    assert.equal(r.error, undefined, String(r.error));
    const catalog = await readCatalog(join(f.dir, 'site-orphans'));
    assert.deepEqual(
      catalog.sets.map((s) => [s.name, s.state]),
      [['billing', 'failing']],
    );
    assert.equal(catalog.sets[0]!.storage[0]!.bytes, await bytesOnDisk(store, 'billing'));
    const left = (await readdir(join(store, 'billing'))).length;
    assert.ok(
      catalog.sets[0]!.reason.startsWith(
        `no backup manifest found, though ${left} objects are stored`,
      ),
      catalog.sets[0]!.reason,
    );
  });

  test('a cancelled report stops reading and writes no site', async () => {
    const controller = new AbortController();
    controller.abort(new CancelledError('SIGTERM'));
    const report = new RunReport('report');
    const site = join(f.dir, 'site-cancelled');
    const ctx: RunContext = {
      log: silentLogger,
      redactor: new Redactor(),
      env: {},
      cwd: process.cwd(),
      now: () => NOW,
      version: 'test',
      signal: controller.signal,
    };
    await assert.rejects(
      runCommand(
        parseOptions({ command: 'report', destination: f.destination, html: site }),
        ctx,
        report,
      ),
      CancelledError,
    );
    assert.equal(report.outputs['error-kind'], 'operational');
    await assert.rejects(readdir(site), { code: 'ENOENT' });
  });

  test('bad options fail before anything is read or written', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ schedule: '0 3 * *' }, 'schedule'],
      [{ schedule: 'orders=61 3 * * *' }, 'schedule'],
      [{ repository: 'not a repo' }, 'repository'],
      [{ 'backup-workflow': '../evil.yml', repository: 'o/r' }, 'backup-workflow'],
      [{ 'restore-workflow': 'restore.yml' }, 'restore-workflow'],
      [{ 'keep-within': 'forever' }, 'keep-within'],
    ];
    for (const [extra, option] of cases) {
      const site = join(f.dir, `site-bad-${option}`);
      const r = await runEngine(
        { command: 'report', destination: f.destination, html: site, ...extra },
        NOW,
      );
      assert.ok(r.error instanceof ConfigError, `${option}: ${String(r.error)}`);
      assert.equal((r.error as ConfigError).option, option);
      assert.equal(r.report.outputs['error-kind'], 'config');
      await assert.rejects(readdir(site), { code: 'ENOENT' });
    }
    // A file where the site's folder should be.
    const file = join(f.dir, 'a-file');
    await writeFile(file, 'keep me');
    const r = await runCli(['report', '--destination', f.destination, '--html', file], {});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--html.*not a folder/);
    assert.equal(await readFile(file, 'utf8'), 'keep me');
  });

  test('an unreadable destination is reported beside the readable one; all unreadable fails', async () => {
    const unreadable = `sftp://backup:hunter2-secret@127.0.0.1:1/backups`;
    const site = join(f.dir, 'site-partial');
    const r = await runEngine(
      {
        command: 'report',
        destination: `${f.destination}\n${unreadable}`,
        html: site,
        'sftp-accept-unknown-host': 'true',
      },
      NOW,
    );
    assert.equal(r.error, undefined, String(r.error));
    const catalog = await readCatalog(site);
    assert.deepEqual(
      catalog.destinations.map((d) => [d.url, Boolean(d.error)]),
      [
        [f.destination, false],
        ['sftp://backup:***@127.0.0.1:1/backups', true],
      ],
    );
    assert.match(catalog.destinations[1]!.error!, /cannot connect/);
    assert.equal(catalog.sets.length, 6);
    assert.equal(r.report.outputs['healthy'], 'false');
    const index = await readFile(join(site, 'index.html'), 'utf8');
    assert.match(index, /could not be read/);
    for (const text of [index, JSON.stringify(catalog), r.logs.join('\n')])
      assert.ok(!text.includes('hunter2'));
    const all = await runEngine(
      {
        command: 'report',
        destination: unreadable,
        html: join(f.dir, 'site-none'),
        'sftp-accept-unknown-host': 'true',
      },
      NOW,
    );
    assert.ok(all.error instanceof StorageError || all.error instanceof Error);
    assert.equal(all.report.outputs['error-kind'], 'operational');
    await assert.rejects(readdir(join(f.dir, 'site-none')), { code: 'ENOENT' });
    assert.ok(!all.logs.join('\n').includes('hunter2'));
  });
});
