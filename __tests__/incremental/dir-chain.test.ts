import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEngine } from '../helpers/engine.ts';
import { assertSameTree, snapshotTree, TreeMutator } from './helpers.ts';
import type { SidecarManifest } from '../../src/archive/types.ts';
import { readFile } from 'node:fs/promises';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'incremental_dir-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
const at = (i: number) => new Date(T0 + i * 3600_000);

async function sidecar(store: string, set: string, id: string): Promise<SidecarManifest> {
  return JSON.parse(
    await readFile(join(store, set, `${id}.manifest.json`), 'utf8'),
  ) as SidecarManifest;
}

/** Backs up `length` + 1 states of a changing folder; returns each id with the folder's snapshot. */
async function chain(name: string, length: number, extra: Record<string, string> = {}) {
  const src = join(work, name, 'src');
  const store = join(work, name, 'store');
  await mkdir(src, { recursive: true });
  let i = 0;
  const m = new TreeMutator(src, () => at(i));
  await m.seed(24);
  const states: Array<{ id: string; tree: Map<string, string> }> = [];
  for (i = 0; i <= length; i++) {
    if (i > 0) await m.mutate(i);
    const r = await runEngine(
      {
        source: `dir:${src}`,
        destination: `file:${store}`,
        name,
        mode: 'incremental',
        'full-every': '100',
        ...extra,
      },
      at(i),
    );
    assert.equal(r.error, undefined, String(r.error));
    states.push({ id: r.report.backupId!, tree: await snapshotTree(src) });
  }
  return { src, store, states };
}

async function restore(store: string, name: string, id: string, target: string) {
  return runEngine(
    { command: 'restore', destination: `file:${store}`, name, backup: id, target: `dir:${target}` },
    new Date(),
  );
}

describe('dir: incremental chains through the engine on file: storage', () => {
  for (const length of [1, 5, 30]) {
    test(
      `a chain of ${length} incrementals: every state restores exactly`,
      { timeout: 240_000 },
      async () => {
        const name = `incremental_dir${length}`;
        const { store, states } = await chain(name, length);
        // The format: kind, parent, position, and what was referenced.
        const first = await sidecar(store, name, states[0]!.id);
        assert.equal(first.kind, 'full');
        assert.equal(first.chainPosition, 0);
        for (let k = 1; k < states.length; k++) {
          const m = await sidecar(store, name, states[k]!.id);
          assert.equal(m.kind, 'incremental');
          assert.equal(m.parent, states[k - 1]!.id);
          assert.equal(m.chainPosition, k);
          const inc = m.sources[0]!.incremental!;
          assert.equal(inc.parent, states[k - 1]!.id);
          // Only what changed is stored: a handful of files, the rest referenced.
          const storedFiles = m.sources[0]!.members.filter((x) => x.type === 'file').length;
          assert.ok(storedFiles <= 5, `backup ${k} stored ${storedFiles} files`);
          assert.ok(inc.unchanged!.length >= 20);
          assert.ok(inc.deleted!.length >= 0);
        }
        const check = length === 30 ? [0, 1, 2, 7, 15, 29, 30] : states.map((_, k) => k);
        for (const k of check) {
          const target = join(work, name, `restored-${k}`);
          const r = await restore(store, name, states[k]!.id, target);
          assert.equal(r.error, undefined, String(r.error));
          assertSameTree(await snapshotTree(target), states[k]!.tree, `state ${k}`);
        }
        // Restores leave no scratch or staging behind.
        assert.deepEqual(
          (await readdir(join(work, name))).filter((n) => n.includes('lifeboat')),
          [],
        );
      },
    );
  }

  test('deletions are recorded, and incremental-rehash stores a same-size same-mtime change', async () => {
    const name = 'incremental_rehash';
    const src = join(work, name, 'src');
    const store = join(work, name, 'store');
    await mkdir(src, { recursive: true });
    const { writeFile, utimes, stat } = await import('node:fs/promises');
    const t = new Date(T0);
    await writeFile(join(src, 'a.txt'), 'aaaa');
    await writeFile(join(src, 'b.txt'), 'bbbb');
    await utimes(join(src, 'a.txt'), t, t);
    const opts = { source: `dir:${src}`, destination: `file:${store}`, name, mode: 'incremental' };
    const r0 = await runEngine(opts, at(0));
    assert.equal(r0.error, undefined, String(r0.error));
    // Same size, same mtime, other bytes: invisible without rehash.
    await writeFile(join(src, 'a.txt'), 'AAAA');
    await utimes(join(src, 'a.txt'), t, t);
    await rm(join(src, 'b.txt'));
    const r1 = await runEngine(opts, at(1));
    assert.equal(r1.error, undefined, String(r1.error));
    const m1 = await sidecar(store, name, r1.report.backupId!);
    assert.deepEqual(m1.sources[0]!.incremental!.deleted, ['b.txt']);
    assert.deepEqual(
      m1.sources[0]!.incremental!.unchanged!.map((x) => x.path),
      ['a.txt'],
    );
    const r2 = await runEngine({ ...opts, 'incremental-rehash': 'true' }, at(2));
    assert.equal(r2.error, undefined, String(r2.error));
    const m2 = await sidecar(store, name, r2.report.backupId!);
    assert.deepEqual(
      m2.sources[0]!.members.filter((x) => x.type === 'file').map((x) => x.path),
      ['a.txt'],
    );
    const target = join(work, name, 'restored');
    const r = await restore(store, name, r2.report.backupId!, target);
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(await readFile(join(target, 'a.txt'), 'utf8'), 'AAAA');
    await assert.rejects(stat(join(target, 'b.txt')));
  });
});

describe('chains of a set with several sources, and full-every as a duration', () => {
  test('files and a SQLite database in one set: each source chains, the restore brings both back', async () => {
    const { seedDatabase, mutateDatabase, dumpDatabase } = await import('./helpers.ts');
    const name = 'incremental_multi';
    const root = join(work, name);
    const src = join(root, 'files');
    const db = join(root, 'app.db');
    const store = join(root, 'store');
    await mkdir(src, { recursive: true });
    let i = 0;
    const m = new TreeMutator(src, () => at(i));
    await m.seed(9);
    seedDatabase(db, 1500);
    const states: Array<{ id: string; tree: Map<string, string>; rows: string }> = [];
    for (i = 0; i < 4; i++) {
      if (i > 0) {
        await m.mutate(i);
        mutateDatabase(db, i);
      }
      const r = await runEngine(
        {
          source: [`files=dir:${src}`, `db=sqlite:${db}`],
          destination: `file:${store}`,
          name,
          mode: 'incremental',
        },
        at(i),
      );
      assert.equal(r.error, undefined, String(r.error));
      states.push({
        id: r.report.backupId!,
        tree: await snapshotTree(src),
        rows: dumpDatabase(db),
      });
    }
    const last = await sidecar(store, name, states[3]!.id);
    assert.equal(last.kind, 'incremental');
    assert.ok(last.sources.every((s) => s.incremental?.parent === states[2]!.id));
    for (const k of [1, 3]) {
      const out = join(root, `restored-${k}`);
      const r = await runEngine(
        {
          command: 'restore',
          destination: `file:${store}`,
          name,
          backup: states[k]!.id,
          target: [`files=dir:${join(out, 'files')}`, `db=sqlite:${join(out, 'app.db')}`],
        },
        new Date(),
      );
      assert.equal(r.error, undefined, String(r.error));
      assertSameTree(await snapshotTree(join(out, 'files')), states[k]!.tree, `files ${k}`);
      assert.equal(dumpDatabase(join(out, 'app.db')), states[k]!.rows, `db ${k}`);
    }
  });

  test("full-every 1d: hourly incrementals until the chain's full backup is a day old", async () => {
    const name = 'incremental_daily';
    const src = join(work, name, 'src');
    const store = join(work, name, 'store');
    await mkdir(src, { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    const kinds: Array<[string | undefined, number | undefined]> = [];
    for (const h of [0, 1, 23, 24, 25]) {
      await writeFile(join(src, `h${h}.txt`), String(h));
      const r = await runEngine(
        {
          source: `dir:${src}`,
          destination: `file:${store}`,
          name,
          mode: 'incremental',
          'full-every': '1d',
        },
        at(h),
      );
      assert.equal(r.error, undefined, String(r.error));
      const m = await sidecar(store, name, r.report.backupId!);
      kinds.push([m.kind, m.chainPosition]);
    }
    assert.deepEqual(kinds, [
      ['full', 0],
      ['incremental', 1],
      ['incremental', 2],
      ['full', 0],
      ['incremental', 1],
    ]);
  });
});
