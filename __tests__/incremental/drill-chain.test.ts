import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEngine, type EngineRun } from '../helpers/engine.ts';
import { IntegrityError, exitCodeFor } from '../../src/core/errors.ts';
import { mutateDatabase, seedDatabase, TreeMutator } from './helpers.ts';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'incremental_drill-'));
});
after(() => rm(work, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 10, 4, 0, 0, 0);
const at = (i: number) => new Date(T0 + i * 3600_000);

function ok(r: EngineRun): void {
  assert.equal(r.error, undefined, `${String(r.error)}\n${r.logs.join('\n')}`);
}

describe('drills of incremental backups', () => {
  test('a drill of a dir: incremental restores its whole chain into scratch and checks the final state', async () => {
    const name = 'incremental_drilldir';
    const root = join(work, name);
    const src = join(root, 'src');
    const store = join(root, 'store');
    await mkdir(src, { recursive: true });
    let i = 0;
    const m = new TreeMutator(src, () => at(i));
    await m.seed(12);
    const ids: string[] = [];
    for (i = 0; i < 3; i++) {
      if (i > 0) await m.mutate(i);
      const r = await runEngine(
        { source: `dir:${src}`, destination: `file:${store}`, name, mode: 'incremental' },
        at(i),
      );
      ok(r);
      ids.push(r.report.backupId!);
    }
    await writeFile(join(src, 'marker.txt'), 'only in the last state');
    const last = await runEngine(
      { source: `dir:${src}`, destination: `file:${store}`, name, mode: 'incremental' },
      at(3),
    );
    ok(last);
    ids.push(last.report.backupId!);
    const files = (await m.files()).length;

    const drill = await runEngine(
      {
        command: 'drill',
        destination: `file:${store}`,
        name,
        assert: [`files = ${files}`, 'file marker.txt'].join('\n'),
      },
      at(3.5),
    );
    ok(drill);
    assert.equal(drill.report.outputs['drill-ok'], 'true');
    assert.equal(drill.report.outputs['backup-id'], ids.at(-1));
    assert.ok(drill.report.proofs.some((p) => p.includes('every link of the chain')));
    const record = JSON.parse(
      await readFile(join(store, name, `${ids.at(-1)}.drill.json`), 'utf8'),
    ) as { ok: boolean };
    assert.equal(record.ok, true);

    // The dashboard shows each backup's place in its chain.
    const site = join(root, 'site');
    ok(await runEngine({ command: 'report', destination: `file:${store}`, html: site }, at(3.5)));
    const catalog = JSON.parse(await readFile(join(site, 'catalog.json'), 'utf8')) as {
      sets: Array<{ name: string; backups: Array<Record<string, unknown>> }>;
    };
    const rows = catalog.sets.find((s) => s.name === name)!.backups;
    const newest = rows.find((b) => b['id'] === ids.at(-1))!;
    assert.equal(newest['kind'], 'incremental');
    assert.equal(newest['parent'], ids.at(-2));
    assert.equal(newest['chainPosition'], 3);
    const html = await readFile(join(site, 'sets', `${name}.html`), 'utf8');
    assert.ok(html.includes(`incremental 3 of its chain, parent <a href="#b-${ids.at(-2)}">`));
    assert.ok(html.includes('full backup (starts a chain)'));

    // A broken chain: the drill fails as a restore does (exit 3, naming the link).
    await rm(join(store, name, `${ids[1]}.tar.zst`));
    const broken = await runEngine(
      { command: 'drill', destination: `file:${store}`, name, backup: ids.at(-1)! },
      at(3.6),
    );
    assert.ok(broken.error instanceof IntegrityError, String(broken.error));
    assert.equal(exitCodeFor(broken.error), 3);
    assert.match(broken.error.message, new RegExp(ids[1]!));
  });

  test('a drill of a sqlite: incremental checks the rebuilt database (inventory and assertions)', async () => {
    const name = 'incremental_drillsqlite';
    const dir = join(work, name);
    await mkdir(dir, { recursive: true });
    const db = join(dir, 'app.db');
    const store = join(dir, 'store');
    seedDatabase(db, 1000);
    for (let i = 0; i < 3; i++) {
      if (i > 0) mutateDatabase(db, i);
      ok(
        await runEngine(
          { source: `sqlite:${db}`, destination: `file:${store}`, name, mode: 'incremental' },
          at(i),
        ),
      );
    }
    // seed 1000 rows, +50 per round (rounds 1 and 2 delete nothing).
    const drill = await runEngine(
      {
        command: 'drill',
        destination: `file:${store}`,
        name,
        assert: 'SELECT count(*) FROM items = 1100',
      },
      at(2.5),
    );
    ok(drill);
    assert.equal(drill.report.outputs['drill-ok'], 'true');
  });
});
