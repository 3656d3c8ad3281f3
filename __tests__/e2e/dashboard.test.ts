import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { formatDuration } from '../../src/core/log.ts';
import { STATE_LABELS, type Catalog } from '../../src/report/html/catalog.ts';
import { STATE_COLOURS, setPagePath } from '../../src/report/html/parts.ts';
import { runEngine } from '../helpers/engine.ts';
import {
  NOW,
  SCHEDULE,
  buildFixtureStore,
  type FixtureStore,
} from '../report/dashboard-fixture.ts';

// Code passed to evaluate() runs in the page; these are the browser globals it uses (the
// project's TypeScript has no DOM library).
declare const getComputedStyle: (
  e: unknown,
  pseudo?: string,
) => { backgroundColor: string; content: string };
declare const document: { body: unknown; documentElement: { scrollWidth: number } };

const CHROMIUM = '/usr/bin/chromium';
// Under CI a missing browser is a failure; on a workstation without it the file is skipped.
const skip =
  !existsSync(CHROMIUM) && process.env['CI'] !== 'true' ? `${CHROMIUM} not installed` : false;
/** Screenshots are test artifacts, never committed (except docs/dashboard.png on request). */
const SHOTS = process.env['LIFEBOAT_TEST_ARTIFACTS']
  ? join(process.env['LIFEBOAT_TEST_ARTIFACTS'], 'dashboard')
  : join(tmpdir(), 'lifeboat-dashboard-screenshots');
const README_SHOT = resolve('docs/dashboard.png');

const rgb = (hex: string): string => {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
};

let f: FixtureStore;
let site: string;
let catalog: Catalog;
let browser: Browser;
/** Every request any page made, and every console error or uncaught page error. */
const requests: string[] = [];
const problems: string[] = [];

async function open(
  path: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${path}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${path}: ${e.message}`));
  await page.goto(pathToFileURL(join(site, path)).href);
  return { page, context };
}

describe('the dashboard in Chromium', { skip }, () => {
  before(async () => {
    f = await buildFixtureStore();
    site = join(f.dir, 'site');
    const r = await runEngine(
      {
        command: 'report',
        destination: f.destination,
        schedule: SCHEDULE,
        html: site,
        repository: 'octo-org/app',
        'backup-workflow': 'backup.yml',
        'restore-workflow': 'restore.yml',
        'keep-last': '3',
      },
      NOW,
    );
    assert.equal(r.error, undefined, String(r.error));
    catalog = JSON.parse(await readFile(join(site, 'catalog.json'), 'utf8')) as Catalog;
    await mkdir(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  after(async () => {
    await browser?.close();
    await f?.cleanup();
  });

  test('the overview shows the catalog’s values, states and colours, worst first', async () => {
    const { page, context } = await open('index.html', { viewport: { width: 1000, height: 700 } });
    const rows = page.locator('#sets tbody tr');
    assert.deepEqual(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-set'))),
      ['uploads', 'analytics', 'inventory', 'billing', 'vault', 'orders'],
    );
    for (const s of catalog.sets) {
      const row = page.locator(`tr[data-set="${s.name}"]`);
      const badge = row.locator('[data-state]');
      assert.equal(await badge.getAttribute('data-state'), s.state);
      assert.equal(await badge.textContent(), STATE_LABELS[s.state]);
      assert.equal(
        await badge.evaluate((e) => getComputedStyle(e).backgroundColor),
        rgb(STATE_COLOURS[s.state].light),
        `${s.name} badge colour`,
      );
      assert.equal(await row.locator('[data-field=reason]').textContent(), s.reason);
      assert.equal(
        await row.locator('[data-field=newest]').textContent(),
        s.newestGood?.id ?? 'none',
      );
      assert.equal(
        await row.locator('[data-field=age]').getAttribute('data-ms'),
        String(s.newestGood!.ageMs),
      );
      assert.equal(
        await row.locator('[data-field=next] time').getAttribute('datetime'),
        s.nextExpected,
      );
      const drill = (await row.locator('[data-field=drill]').textContent())!.replace(
        /\u00a0/g,
        ' ',
      );
      if (!s.lastDrill) assert.equal(drill, 'never drilled');
      else {
        assert.match(drill, new RegExp(`^${s.lastDrill.ok ? 'passed' : 'failed'} `));
        assert.ok(drill.endsWith(`RTO ${formatDuration(s.lastDrill.rtoMs)}`), drill);
      }
      assert.deepEqual(
        await row
          .locator('[data-field=used]')
          .evaluateAll((e) => e.map((x) => Number(x.getAttribute('data-bytes')))),
        s.storage.map((u) => u.bytes),
      );
      assert.equal(await row.locator('th a').getAttribute('href'), setPagePath(s.name));
    }
    assert.match(
      (await page.locator('[data-field=verdict]').textContent())!,
      /need attention.*6 sets: 1 damaged, 2 failing, 1 late, 1 never drilled, 1 fresh/,
    );
    assert.equal(
      await page.title(),
      'Lifeboat backups: 1 damaged, 2 failing, 1 late, 1 never drilled, 1 fresh',
    );
    assert.equal(
      await page.locator('a[data-link=run-backup]').getAttribute('href'),
      'https://github.com/octo-org/app/actions/workflows/backup.yml',
    );
    assert.equal(
      await page.locator('a[data-link=restore]').getAttribute('href'),
      'https://github.com/octo-org/app/actions/workflows/restore.yml',
    );
    await page.screenshot({ path: join(SHOTS, 'index.png'), fullPage: true });
    if (process.env['LIFEBOAT_UPDATE_SCREENSHOT'] === '1') {
      await page.screenshot({ path: README_SHOT, clip: { x: 0, y: 0, width: 1000, height: 700 } });
      assert.ok(
        (await stat(README_SHOT)).size < 150 * 1024,
        'docs/dashboard.png stays under 150 KB',
      );
    }
    await context.close();
  });

  test('links lead from the overview to each set and back', async () => {
    const { page, context } = await open('index.html');
    for (const s of catalog.sets) {
      await page.locator(`tr[data-set="${s.name}"] th a`).click();
      assert.equal(await page.locator('h1').count(), 1);
      assert.equal(
        (await page.locator('h1').textContent())!.trim(),
        `${s.name} ${STATE_LABELS[s.state]}`,
      );
      await page.getByRole('link', { name: '← all sets' }).click();
      assert.equal(await page.locator('h1').textContent(), 'Lifeboat backups');
    }
    await page.getByRole('link', { name: 'catalog.json' }).click();
    assert.ok(page.url().endsWith('/catalog.json'));
    await context.close();
  });

  test('each set page shows every backup as the catalog has it, with its timeline', async () => {
    for (const s of catalog.sets) {
      const { page, context } = await open(setPagePath(s.name), {
        viewport: { width: 1000, height: 700 },
      });
      const rows = page.locator('#backups tbody tr');
      assert.deepEqual(
        await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-backup'))),
        s.backups.map((b) => b.id).reverse(),
      );
      for (const b of s.backups) {
        const row = page.locator(`tr[data-backup="${b.id}"]`);
        assert.equal(
          await row.locator('[data-field=size]').getAttribute('data-bytes'),
          String(b.size),
        );
        assert.equal(
          await row.locator('[data-field=encryption]').textContent(),
          b.encrypted ? 'encrypted' : 'not encrypted',
        );
        assert.equal(
          await row.locator('[data-field=signature]').textContent(),
          b.signed ? 'signed' : 'not signed',
        );
        const status = (await row.locator('[data-field=status]').textContent())!;
        assert.equal(status, b.damaged ? 'damaged' : 'read back');
        const restore = row.locator('a[data-link=restore]');
        assert.equal(await restore.count(), b.damaged ? 0 : 1, `${b.id} restore link`);
        if (!b.damaged) {
          assert.equal(await restore.getAttribute('href'), s.links.restore);
          assert.equal(await restore.getAttribute('aria-label'), `restore backup ${b.id}`);
        }
        // The details hold the checksum and where each copy is.
        await row.locator('summary').click();
        const details = (await row.locator('details').textContent())!;
        if (!b.damaged) assert.ok(details.includes(b.sha256));
        for (const c of b.copies) assert.ok(details.includes(c.key), c.key);
      }
      // The chart: an image with a text alternative, one bar per good backup, one line per gap.
      const chart = page.locator('svg');
      // Its accessible name is the title alone (the description is separate); its labels are hidden.
      const snapshot = await chart.ariaSnapshot();
      assert.ok(
        snapshot.includes(`img "Backups of ${s.name} over time: size and duration"`),
        snapshot,
      );
      assert.ok(
        !snapshot.includes('backups from') && !snapshot.includes('duration 2026'),
        snapshot,
      );
      assert.equal(await chart.getAttribute('aria-describedby'), 'tl-desc');
      assert.match(
        (await page.locator('#tl-desc').textContent())!,
        new RegExp(`^${s.backups.length} backups from `),
      );
      assert.equal(
        await page.locator('svg rect.bar').count(),
        s.backups.filter((b) => !b.damaged).length,
      );
      assert.equal(await page.locator('svg line.gap').count(), s.gaps.length);
      assert.equal(
        await page.locator('svg circle.drill-ok').count(),
        s.backups.filter((b) => b.drill?.ok === true).length,
      );
      assert.equal(
        await page.locator('svg circle.drill-failed').count(),
        s.backups.filter((b) => b.drill?.ok === false).length,
      );
      assert.equal(
        await page.locator('svg path.damaged').count(),
        s.backups.filter((b) => b.damaged).length,
      );
      const preview = (await page.locator('[data-field=retention]').textContent())!;
      const plan = s.retention[0]!;
      assert.equal(
        preview,
        `The next prune would keep ${plan.keep.length} and delete ${plan.remove.length} (policy: keep-last 3).`,
      );
      await page.screenshot({ path: join(SHOTS, `set-${s.name}.png`), fullPage: true });
      await context.close();
    }
    // analytics stopped on the 25th: four missed runs listed, and its oldest backup would go.
    const { page, context } = await open(setPagePath('analytics'));
    assert.equal(
      await page.locator('[data-field=gaps]').textContent(),
      '4 scheduled runs left no good backup:',
    );
    await context.close();
  });

  test('dark mode and a phone’s width', async () => {
    const dark = await open('index.html', {
      colorScheme: 'dark',
      viewport: { width: 1000, height: 700 },
    });
    assert.equal(
      await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor),
      'rgb(13, 17, 23)',
    );
    for (const s of catalog.sets) {
      const badge = dark.page.locator(`tr[data-set="${s.name}"] [data-state]`);
      assert.equal(
        await badge.evaluate((e) => getComputedStyle(e).backgroundColor),
        rgb(STATE_COLOURS[s.state].dark),
      );
    }
    await dark.page.screenshot({ path: join(SHOTS, 'index-dark.png'), fullPage: true });
    await dark.context.close();
    for (const path of ['index.html', setPagePath('uploads')]) {
      const phone = await open(path, { viewport: { width: 375, height: 740 }, isMobile: true });
      const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `${path} is ${width}px wide on a 375px screen`);
      // Rows become cards that name each value; the header row moves off screen (screen
      // readers still have it).
      const head = await phone.page.locator('table.cards thead').first().boundingBox();
      assert.ok(head && head.x + head.width <= 0, JSON.stringify(head));
      const label = await phone.page
        .locator('table.cards td[data-label]')
        .first()
        .evaluate((e) => getComputedStyle(e, '::before').content);
      assert.match(label, /: "$/);
      await phone.page.screenshot({
        path: join(SHOTS, `phone-${path.replace(/\W/g, '_')}.png`),
        fullPage: true,
      });
      await phone.context.close();
    }
  });

  test('no request leaves file://, no console errors, no script', async () => {
    // Run last: every page the other tests opened is in these lists.
    assert.ok(requests.length > 0);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file://')),
      [],
    );
    assert.deepEqual(problems, []);
    for (const path of ['index.html', ...catalog.sets.map((s) => setPagePath(s.name))]) {
      const html = await readFile(join(site, path), 'utf8');
      assert.doesNotMatch(html, /<script|<link |@import|url\(|src=/i, path);
      assert.match(html, /<html lang="en">/);
    }
  });
});
