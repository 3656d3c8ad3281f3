import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { RunContext } from '../../src/core/context.ts';
import { Redactor, silentLogger } from '../../src/core/log.ts';
import { findBackup, type OpenDestination } from '../../src/engine/destinations.ts';
import { backupKeys, newBackupId } from '../../src/engine/naming.ts';
import { pruneSet } from '../../src/engine/prune.ts';
import { statusCheck } from '../../src/engine/status.ts';
import { parseOptions, type RawOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import { clearMemoryStorage, MemoryStorage } from '../../src/storage/memory.ts';
import { TEST_MEMORY_STORAGE_ENV } from '../../src/storage/registry.ts';
import type { Storage } from '../../src/storage/types.ts';
import { runEngine } from '../helpers/engine.ts';

// memory: storage is for tests only: this file turns it on.
process.env[TEST_MEMORY_STORAGE_ENV] = '1';

const HOUR = 3600 * 1000;
const COUNT = 300;
const FIRST = Date.UTC(2026, 10, 1, 0, 30);

/** The storage, counting every object it is asked to read (metered-storage.ts, for reads). */
function counting(storage: Storage): { storage: Storage; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    storage: {
      ...storage,
      capabilities: storage.capabilities,
      put: (key, body, o) => storage.put(key, body, o),
      get: (key, o) => {
        reads.push(key);
        return storage.get(key, o);
      },
      createExclusive: (key, body) => storage.createExclusive(key, body),
      stat: (key) => storage.stat(key),
      list: (prefix) => storage.list(prefix),
      delete: (key, o) => storage.delete(key, o),
    },
  };
}

function context(now: Date): RunContext {
  return {
    log: silentLogger,
    redactor: new Redactor(),
    env: { PATH: process.env['PATH'] },
    cwd: process.cwd(),
    now: () => now,
    version: 'test',
  };
}

/**
 * A set of COUNT hourly backups: one made by the engine, the rest its manifest copied under new
 * ids (each with its archive and .sha256), as a year of hourly backups looks to listing.
 */
async function hourlySet(): Promise<{ name: string; ids: string[]; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-reads-'));
  const db = join(dir, 'app.sqlite');
  const d = new DatabaseSync(db);
  d.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('x');");
  d.close();
  const name = `reads-${randomUUID()}`;
  const made = await runEngine(
    { source: `sqlite:${db}`, destination: [`memory:${name}`], name: 'app' },
    new Date(FIRST),
  );
  assert.equal(made.error, undefined, String(made.error));
  const store = new MemoryStorage(name);
  const firstId = made.report.backupId!;
  const manifest = JSON.parse(
    await text(await store.get(`app/${firstId}.manifest.json`)),
  ) as Record<string, unknown> & { archive: { key: string } };
  const ids = [firstId];
  for (let i = 1; i < COUNT; i++) {
    const at = new Date(FIRST + i * HOUR);
    const id = newBackupId(at);
    const keys = backupKeys('app', id, 'zstd');
    const copy = {
      ...manifest,
      id,
      createdAt: at.toISOString(),
      archive: { ...manifest.archive, key: keys.archive },
    };
    await store.put(keys.archive, Readable.from([Buffer.from('archive bytes')]));
    await store.put(keys.sha256, Readable.from([`${'0'.repeat(64)}  ${id}.tar.zst\n`]));
    await store.put(keys.manifest, Readable.from([JSON.stringify(copy)]));
    ids.push(id);
  }
  return {
    name,
    ids,
    cleanup: async () => {
      clearMemoryStorage(name);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function destinationOf(name: string): { d: OpenDestination; reads: string[] } {
  const { storage, reads } = counting(new MemoryStorage(name));
  return { d: { url: `memory:${name}`, displayUrl: `memory:${name}`, storage }, reads };
}

const options = (raw: RawOptions) => parseOptions(raw);

test(`latest reads one manifest of ${COUNT}, not every one`, async () => {
  const set = await hourlySet();
  try {
    const { d, reads } = destinationOf(set.name);
    const now = new Date(FIRST + COUNT * HOUR);
    const entry = await findBackup([d], 'app', 'latest', context(now));
    assert.equal(entry.id, set.ids.at(-1));
    assert.deepEqual(reads, [`app/${set.ids.at(-1)}.manifest.json`]);

    // An id reads its own manifest only.
    reads.length = 0;
    const picked = await findBackup([d], 'app', set.ids[17]!, context(now));
    assert.equal(picked.id, set.ids[17]);
    assert.deepEqual(reads, [`app/${set.ids[17]}.manifest.json`]);
  } finally {
    await set.cleanup();
  }
});

test(`status reads the newest good backup's manifest only, not ${COUNT}`, async () => {
  const set = await hourlySet();
  try {
    const { d, reads } = destinationOf(set.name);
    const now = new Date(FIRST + (COUNT - 1) * HOUR + 10 * 60 * 1000);
    const report = new RunReport('status');
    const result = await statusCheck(
      options({
        command: 'status',
        destination: [d.url],
        name: 'app',
        schedule: ['30 * * * *'],
      }),
      context(now),
      report,
      [d],
    );
    assert.equal(result?.ok, true, result?.message);
    assert.deepEqual(reads, [`app/${set.ids.at(-1)}.manifest.json`]);
  } finally {
    await set.cleanup();
  }
});

test(`prune with keep-last 3 reads the 3 kept manifests, not ${COUNT}, and removes every other backup whole`, async () => {
  const set = await hourlySet();
  try {
    const { d, reads } = destinationOf(set.name);
    const now = new Date(FIRST + COUNT * HOUR);
    const report = new RunReport('prune');
    await pruneSet(
      options({ command: 'prune', destination: [d.url], name: 'app', 'keep-last': '3' }),
      context(now),
      report,
      [d],
    );
    assert.deepEqual(
      reads.sort(),
      set.ids
        .slice(-3)
        .map((id) => `app/${id}.manifest.json`)
        .sort(),
    );
    assert.equal(report.outputs['removed'], String(COUNT - 3));
    assert.equal(report.outputs['kept'], '3');
    // What is left is exactly the three kept backups, each whole: no stray sidecar or archive.
    const left = (await d.storage.list('app/')).map((o) => o.key).sort();
    const expected = set.ids
      .slice(-3)
      .flatMap((id) => [`app/${id}.manifest.json`, `app/${id}.sha256`, `app/${id}.tar.zst`])
      .sort();
    assert.deepEqual(left, expected);
  } finally {
    await set.cleanup();
  }
});

test('two backups in one second: latest is the one created last, whatever their random suffixes', async () => {
  const set = await hourlySet();
  try {
    const store = new MemoryStorage(set.name);
    const manifest = JSON.parse(
      await text(await store.get(`app/${set.ids[0]}.manifest.json`)),
    ) as Record<string, unknown> & { archive: { key: string } };
    // Both start in the same second, after every hourly backup: the one created later gets
    // the suffix that sorts first, so id order alone would pick the wrong one.
    const second = FIRST + COUNT * HOUR;
    const stem = newBackupId(new Date(second)).replace(/-[a-z0-9]+$/, '');
    const made = [
      { id: `${stem}-zzzzzz`, at: new Date(second + 100) },
      { id: `${stem}-aaaaaa`, at: new Date(second + 700) },
    ];
    for (const { id, at } of made) {
      const keys = backupKeys('app', id, 'zstd');
      await store.put(keys.archive, Readable.from([Buffer.from('archive bytes')]));
      await store.put(keys.sha256, Readable.from([`${'0'.repeat(64)}  ${id}.tar.zst\n`]));
      await store.put(
        keys.manifest,
        Readable.from([
          JSON.stringify({
            ...manifest,
            id,
            createdAt: at.toISOString(),
            archive: { ...manifest.archive, key: keys.archive },
          }),
        ]),
      );
    }
    const { d, reads } = destinationOf(set.name);
    const entry = await findBackup([d], 'app', 'latest', context(new Date(second + HOUR)));
    assert.equal(entry.id, `${stem}-aaaaaa`);
    // Only the tied second's manifests are read to break the tie (the chosen one twice).
    assert.deepEqual([...new Set(reads)].sort(), [
      `app/${stem}-aaaaaa.manifest.json`,
      `app/${stem}-zzzzzz.manifest.json`,
    ]);
  } finally {
    await set.cleanup();
  }
});
