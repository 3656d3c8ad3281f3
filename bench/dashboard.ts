/**
 * `node bench/dashboard.ts`: how long the dashboard takes for a large catalog (the issue's
 * 50 sets × 400 backups by default) and how large its pages get. Two parts:
 * - render: a catalog built in memory → states, gaps and the site's HTML (no storage);
 * - end to end: the same backups as sidecar manifests (plus the .sha256 and a stand-in archive
 *   object) in a `file:` store, read by `lifeboat report --html` as a user runs it.
 * Prints a markdown table; nothing is asserted (a unit test holds the pages under 2 MB).
 *
 * Environment: BENCH_SETS, BENCH_BACKUPS (defaults 50 and 400); BENCH_STORE=0 skips the end
 * to end part (it writes sets × backups × 3 small files to the temp folder).
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SidecarManifest } from '../src/archive/types.ts';
import { renderSite } from '../src/report/html/site.ts';
import { largeCatalog } from '../__tests__/report/large-catalog.ts';
import { runEngine } from '../__tests__/helpers/engine.ts';

const sets = Number(process.env['BENCH_SETS'] ?? 50);
const backups = Number(process.env['BENCH_BACKUPS'] ?? 400);
const now = new Date(Date.UTC(2026, 10, 30, 12));
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
const ms = (t: number) => `${t.toFixed(0)} ms`;

const t0 = performance.now();
const catalog = largeCatalog(sets, backups, now);
const t1 = performance.now();
const files = renderSite(catalog);
const t2 = performance.now();
const sizes = [...files].map(([path, body]) => [path, Buffer.byteLength(body)] as const);
const pages = sizes.filter(([p]) => p.endsWith('.html'));
const largest = pages.reduce((a, b) => (b[1] > a[1] ? b : a));
const rows: Array<[string, string]> = [
  ['catalog assessed in memory (states, gaps, freshness)', ms(t1 - t0)],
  [`site rendered (${files.size} files)`, ms(t2 - t1)],
  ['index.html', mib(sizes.find(([p]) => p === 'index.html')![1])],
  [`largest set page (${largest[0]})`, mib(largest[1])],
  ['all pages', mib(pages.reduce((n, [, s]) => n + s, 0))],
  ['catalog.json', mib(sizes.find(([p]) => p === 'catalog.json')![1])],
];

if (process.env['BENCH_STORE'] !== '0') {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-bench-dashboard-'));
  try {
    const store = join(dir, 'store');
    for (const s of catalog.sets) {
      await mkdir(join(store, s.name), { recursive: true });
      for (const b of s.backups) {
        if (b.damaged) continue;
        const sidecar: SidecarManifest = {
          format: 1,
          id: b.id,
          name: s.name,
          createdAt: b.createdAt,
          finishedAt: b.finishedAt!,
          tool: { name: 'lifeboat', version: '1.4.0', node: 'v24.11.0' },
          compression: 'zstd',
          encrypted: b.encrypted,
          tags: [],
          chunkSize: 64 << 20,
          sources: b.sources.map((src) => ({
            name: src.name,
            kind: src.kind,
            url: src.url,
            versions: src.versions,
            inventory: { files: src.files ?? 0 },
            members: [],
            durationMs: b.durationMs ?? 0,
          })),
          archive: { key: `${s.name}/${b.id}.tar.zst`, size: b.size, sha256: b.sha256 },
          verifiedAt: b.verifiedAt!,
        };
        await writeFile(
          join(store, s.name, `${b.id}.manifest.json`),
          JSON.stringify(sidecar, null, 2),
        );
        await writeFile(join(store, s.name, `${b.id}.sha256`), `${b.sha256}  ${b.id}.tar.zst\n`);
        await writeFile(join(store, s.name, `${b.id}.tar.zst`), '');
      }
    }
    const site = join(dir, 'site');
    const t3 = performance.now();
    const r = await runEngine(
      {
        command: 'report',
        destination: `file:${store}`,
        schedule: '5 3 * * *',
        html: site,
        'keep-daily': '30',
      },
      now,
    );
    const t4 = performance.now();
    if (r.error) throw r.error;
    rows.push(
      [
        `end to end from a file: store (${catalog.sets.reduce((n, s) => n + s.backups.length, 0)} manifests, keep-daily preview)`,
        ms(t4 - t3),
      ],
      ['its index.html', mib((await stat(join(site, 'index.html'))).size)],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(`| dashboard, ${sets} sets × ${backups} backups | |\n|---|---|`);
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
