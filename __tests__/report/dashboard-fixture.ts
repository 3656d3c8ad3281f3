import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { DrillRecord } from '../../src/report/html/catalog.ts';
import { runEngine } from '../helpers/engine.ts';

/** The report's clock: noon, so the 03:00 run of this day is still within its grace. */
export const NOW = new Date(Date.UTC(2026, 10, 30, 12));
export const SCHEDULE = '0 3 * * *';
const DAY = 86_400_000;

export interface FixtureStore {
  dir: string;
  store: string;
  destination: string;
  /** Backup ids per set, oldest first. */
  ids: Record<string, string[]>;
  cleanup: () => Promise<void>;
}

/** The drill record `lifeboat drill` stores beside a backup (its published shape). */
export function drillRecord(
  set: string,
  backupId: string,
  ok: boolean,
  rtoMs: number,
): DrillRecord {
  return {
    version: 1,
    backupId,
    set,
    startedAt: '2026-11-30T04:00:00.000Z',
    finishedAt: '2026-11-30T04:00:05.000Z',
    ok,
    rtoMs,
    backupAgeMs: 3_300_000,
    checks: [
      { name: 'restore', ok: true, detail: 'restored into a scratch database' },
      {
        name: 'row counts',
        ok,
        detail: ok ? 'match the inventory' : 't: 1 rows, the backup has 2',
      },
    ],
  };
}

/**
 * A store with one set per state (at NOW; another `now` shifts every backup by whole days), made by real backups of a SQLite database at fixed times,
 * then drilled, damaged or marked the way the other commands would leave it:
 * - orders: daily, drilled and passed → fresh
 * - billing: last backup two days ago, drilled → late (one run missed)
 * - inventory: daily, but its last drill failed → failing
 * - analytics: stopped five days ago → failing (runs missed), never drilled
 * - uploads: newest manifest unreadable → damaged
 * - vault: encrypted and signed (as the encryption work marks them), daily → never drilled
 */
export async function buildFixtureStore(now: Date = NOW): Promise<FixtureStore> {
  // The newest 03:05 at or before now; the plan's days count back from it (30 = that day).
  const anchor = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 3, 5);
  const newest = anchor <= now.getTime() ? anchor : anchor - DAY;
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-dashboard-'));
  const db = join(dir, 'app.sqlite');
  const d = new DatabaseSync(db);
  d.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('a'), ('b');");
  const store = join(dir, 'store');
  const destination = `file:${store}`;
  const ids: Record<string, string[]> = {};
  const plan: Record<string, number[]> = {
    orders: [27, 28, 29, 30],
    billing: [26, 27, 28],
    inventory: [28, 29, 30],
    analytics: [23, 24, 25],
    uploads: [28, 29, 30],
    vault: [29, 30],
  };
  for (const [set, days] of Object.entries(plan)) {
    for (const day of days) {
      // Growing data so the timeline's bars differ.
      d.exec(`INSERT INTO t SELECT hex(randomblob(200)) FROM t LIMIT 20;`);
      const r = await runEngine(
        { source: `sqlite:${db}`, destination, name: set },
        new Date(newest - (30 - day) * DAY),
      );
      assert.equal(r.error, undefined, String(r.error));
      (ids[set] ??= []).push(r.report.backupId!);
    }
  }
  d.close();
  // A fixed clock makes every backup take 0 ms; give them the durations real runs have.
  for (const [set, list] of Object.entries(ids)) {
    for (const [i, id] of list.entries()) {
      const key = join(store, set, `${id}.manifest.json`);
      const m = JSON.parse(await readFile(key, 'utf8')) as { createdAt: string };
      const finishedAt = new Date(
        Date.parse(m.createdAt) + 40_000 + i * 15_000 + set.length * 3000,
      );
      await writeFile(key, JSON.stringify({ ...m, finishedAt: finishedAt.toISOString() }));
    }
  }
  const put = (key: string, body: string) => writeFile(join(store, key), body);
  await put(
    `orders/${ids['orders']!.at(-1)}.drill.json`,
    JSON.stringify(drillRecord('orders', ids['orders']!.at(-1)!, true, 4200)),
  );
  await put(
    `billing/${ids['billing']!.at(-1)}.drill.json`,
    JSON.stringify(drillRecord('billing', ids['billing']!.at(-1)!, true, 3100)),
  );
  await put(
    `inventory/${ids['inventory']!.at(-1)}.drill.json`,
    JSON.stringify(drillRecord('inventory', ids['inventory']!.at(-1)!, false, 9000)),
  );
  await put(`uploads/${ids['uploads']!.at(-1)}.manifest.json`, '{"id": "truncated');
  for (const id of ids['vault']!) {
    const key = join(store, 'vault', `${id}.manifest.json`);
    const m = JSON.parse(await readFile(key, 'utf8')) as Record<string, unknown>;
    await writeFile(key, JSON.stringify({ ...m, encrypted: true }));
    await put(`vault/${id}.sig`, '-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n');
  }
  return { dir, store, destination, ids, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Bytes stored under a set's folder, as the report should count them. */
export async function bytesOnDisk(store: string, set: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(join(store, set), { withFileTypes: true, recursive: true })) {
    if (f.isFile()) total += (await readFile(join(f.parentPath, f.name))).length;
  }
  return total;
}
