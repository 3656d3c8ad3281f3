import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { runEngine } from '../helpers/engine.ts';
import { dumpDatabase, integrityOk, mutateDatabase, seedDatabase } from './helpers.ts';
import type { SidecarManifest } from '../../src/archive/types.ts';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'incremental_sqlite-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
const at = (i: number) => new Date(T0 + i * 3600_000);
const sha = async (p: string) =>
  createHash('sha256')
    .update(await readFile(p))
    .digest('hex');

async function sidecar(store: string, set: string, id: string): Promise<SidecarManifest> {
  return JSON.parse(
    await readFile(join(store, set, `${id}.manifest.json`), 'utf8'),
  ) as SidecarManifest;
}

/** What a full backup of this moment restores to: SQLite's own online copy. */
async function onlineCopy(db: string, to: string): Promise<string> {
  const src = new DatabaseSync(db, { readOnly: true });
  try {
    await backup(src, to);
  } finally {
    src.close();
  }
  return sha(to);
}

describe('sqlite: incremental chains (page level) through the engine on file: storage', () => {
  for (const length of [1, 5, 30]) {
    test(
      `a chain of ${length} incrementals: every state restores byte-identical to a full copy`,
      { timeout: 300_000 },
      async () => {
        const name = `incremental_sqlite${length}`;
        const dir = join(work, name);
        await mkdir(dir, { recursive: true });
        const db = join(dir, 'app.db');
        const store = join(dir, 'store');
        seedDatabase(db, 3000);
        const states: Array<{ id: string; sha: string; rows: string }> = [];
        for (let i = 0; i <= length; i++) {
          if (i > 0) mutateDatabase(db, i);
          const r = await runEngine(
            {
              source: `sqlite:${db}`,
              destination: `file:${store}`,
              name,
              mode: 'incremental',
              'full-every': '100',
            },
            at(i),
          );
          assert.equal(r.error, undefined, String(r.error));
          const ref = join(dir, `ref-${i}.db`);
          states.push({
            id: r.report.backupId!,
            sha: await onlineCopy(db, ref),
            rows: dumpDatabase(db),
          });
          await rm(ref);
        }
        let fullSize = 0;
        for (let k = 0; k < states.length; k++) {
          const m = await sidecar(store, name, states[k]!.id);
          assert.equal(m.kind, k === 0 ? 'full' : 'incremental');
          assert.equal(m.chainPosition, k);
          if (k === 0) {
            fullSize = m.archive.size;
            continue;
          }
          assert.equal(m.parent, states[k - 1]!.id);
          const pages = m.sources[0]!.incremental!.pages!;
          assert.ok(pages.changed <= pages.pageCount);
          if (k % 7 !== 0)
            assert.ok(pages.changed < pages.pageCount, `backup ${k} stored every page`);
          assert.equal(pages.sha256, states[k]!.sha, `backup ${k} records the copy's sha256`);
          assert.equal(pages.header.length, 200);
          // Fewer bytes than the full backup (rounds that VACUUM or delete every 50th row rewrite most pages).
          if (k % 7 !== 0 && k % 3 !== 0)
            assert.ok(
              m.archive.size < fullSize / 2,
              `backup ${k}: ${m.archive.size} of ${fullSize}`,
            );
        }
        const check = length === 30 ? [0, 1, 6, 7, 8, 20, 29, 30] : states.map((_, k) => k);
        for (const k of check) {
          const target = join(dir, `restored-${k}.db`);
          const r = await runEngine(
            {
              command: 'restore',
              destination: `file:${store}`,
              name,
              backup: states[k]!.id,
              target: `sqlite:${target}`,
            },
            new Date(),
          );
          assert.equal(r.error, undefined, String(r.error));
          assert.equal(await sha(target), states[k]!.sha, `state ${k} is byte-identical`);
          assert.ok(integrityOk(target));
          assert.equal(dumpDatabase(target), states[k]!.rows);
        }
        // verify walks the chain too, and runs integrity_check on the rebuilt database.
        const v = await runEngine(
          { command: 'verify', destination: `file:${store}`, name, backup: states.at(-1)!.id },
          new Date(),
        );
        assert.equal(v.error, undefined, String(v.error));
        assert.ok(v.report.proofs.some((p) => p.includes('every link of the chain')));
      },
    );
  }
});
