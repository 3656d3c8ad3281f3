import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEngine } from '../helpers/engine.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.ts';
import { unavailable } from '../helpers/services.ts';
import {
  assertSameTree,
  dumpDatabase,
  integrityOk,
  mutateDatabase,
  seedDatabase,
  snapshotTree,
  TreeMutator,
} from './helpers.ts';

let work: string;
let s3: S3rverHandle | undefined;
let s3Skip: string | undefined;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'incremental_cli-'));
  const started = await startS3rver();
  if ('unavailable' in started) s3Skip = unavailable(started.unavailable);
  else s3 = started;
});
after(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 2, 0, 0, 0);
const at = (i: number) => new Date(T0 + i * 3600_000);

/** Hourly dir: backups of a changing folder with a full one every `fullEvery`; ids and trees. */
async function dirChain(
  name: string,
  count: number,
  destination: string | string[],
  extra: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {},
) {
  const root = join(work, name);
  const src = join(root, 'src');
  await mkdir(src, { recursive: true });
  let i = 0;
  const m = new TreeMutator(src, () => at(i));
  await m.seed(12);
  const states: Array<{ id: string; tree: Map<string, string> }> = [];
  for (i = 0; i < count; i++) {
    if (i > 0) await m.mutate(i);
    const r = await runEngine(
      { source: `dir:${src}`, destination, name, mode: 'incremental', ...extra },
      at(i),
      env,
    );
    assert.equal(r.error, undefined, String(r.error));
    states.push({ id: r.report.backupId!, tree: await snapshotTree(src) });
  }
  return { root, src, states };
}

/** Nothing a restore staged, and no target: what a failed restore must leave. */
async function assertNothingLeft(root: string, target: string) {
  await assert.rejects(stat(target), 'the target was not created');
  const left = (await readdir(root)).filter((n) => n.includes('lifeboat'));
  assert.deepEqual(left, []);
}

describe('incremental chains through the CLI on file: storage', () => {
  test('list shows kind and parent; restore and verify walk the chain, proving each link', async () => {
    const store = join(work, 'list-store');
    const { root, states } = await dirChain('incremental_list', 5, `file:${store}`, {
      'full-every': '3',
    });
    const list = await runCli(['list', '--destination', `file:${store}`, '--json']);
    assert.equal(list.code, 0, list.stderr);
    const rows = jsonOf(list)['backups'] as Array<Record<string, unknown>>;
    assert.deepEqual(
      rows.map((r) => [r['kind'], r['parent'] ?? null, r['chainPosition']]),
      [
        ['full', null, 0],
        ['incremental', states[0]!.id, 1],
        ['incremental', states[1]!.id, 2],
        ['full', null, 0],
        ['incremental', states[3]!.id, 1],
      ],
    );
    const text = await runCli(['list', '--destination', `file:${store}`]);
    assert.match(text.stdout, /kind\s+parent/);
    assert.match(text.stdout, new RegExp(`incremental 2\\s+${states[1]!.id}`));

    const target = join(root, 'restored');
    const r = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--backup',
      states[2]!.id,
      '--target',
      `dir:${target}`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assertSameTree(await snapshotTree(target), states[2]!.tree, 'restored state 2');
    const log = r.stdout + r.stderr;
    for (const [k, kind] of ['full', 'incremental', 'incremental'].entries())
      assert.match(log, new RegExp(`chain link ${k + 1} of 3: ${states[k]!.id} \\(${kind}\\)`));
    const v = await runCli(['verify', '--destination', `file:${store}`, '--json']);
    assert.equal(v.code, 0, v.stderr);
    assert.equal(jsonOf(v).outputs['backup-id'] ?? states[4]!.id, states[4]!.id);
  });

  test('a deleted link: restore and verify fail with exit 3 naming it; nothing is restored', async () => {
    const store = join(work, 'deleted-store');
    const name = 'incremental_deleted';
    const { root, states } = await dirChain(name, 4, `file:${store}`);
    // The archive of link 2 (of 4) is gone; its manifest is still listed.
    const gone = states[1]!.id;
    await rm(join(store, name, `${gone}.tar.zst`));
    const target = join(root, 'restored');
    const r = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--target',
      `dir:${target}`,
    ]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`chain link 2 of 4 \\(${name}/${gone}\\).*missing`));
    await assertNothingLeft(root, target);
    const v = await runCli(['verify', '--destination', `file:${store}`]);
    assert.equal(v.code, 3, v.stderr);
    assert.match(v.stderr, new RegExp(gone));
    // The backup before the damaged link still restores.
    const ok = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--backup',
      states[0]!.id,
      '--target',
      `dir:${target}`,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assertSameTree(await snapshotTree(target), states[0]!.tree, 'the full backup');
  });

  test('with two destinations, a link missing on the first is read from the second', async () => {
    const a = join(work, 'two-a');
    const b = join(work, 'two-b');
    const name = 'incremental_two';
    const { root, states } = await dirChain(name, 4, [`file:${a}`, `file:${b}`]);
    await rm(join(a, name, `${states[1]!.id}.tar.zst`));
    const target = join(root, 'restored');
    const r = await runCli([
      'restore',
      '--destination',
      `file:${a}`,
      '--destination',
      `file:${b}`,
      '--target',
      `dir:${target}`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, new RegExp(`${states[1]!.id}.*trying the copy on file:${b}`));
    assertSameTree(await snapshotTree(target), states[3]!.tree, 'from the second destination');
    // Gone from both: exit 3, naming the link.
    await rm(join(b, name, `${states[1]!.id}.tar.zst`));
    const bad = await runCli([
      'verify',
      '--destination',
      `file:${a}`,
      '--destination',
      `file:${b}`,
    ]);
    assert.equal(bad.code, 3, bad.stderr);
    assert.match(bad.stderr, new RegExp(`chain link 2 of 4 \\(${name}/${states[1]!.id}\\)`));
  });

  test('a corrupted link (a flipped byte in its archive) fails the restore with exit 3 naming it', async () => {
    const store = join(work, 'corrupt-store');
    const name = 'incremental_corrupt';
    const dir = join(work, name);
    await mkdir(dir, { recursive: true });
    const db = join(dir, 'app.db');
    seedDatabase(db, 2000);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      if (i > 0) mutateDatabase(db, i);
      const r = await runEngine(
        { source: `sqlite:${db}`, destination: `file:${store}`, name, mode: 'incremental' },
        at(i),
      );
      assert.equal(r.error, undefined, String(r.error));
      ids.push(r.report.backupId!);
    }
    const victim = join(store, name, `${ids[2]}.tar.zst`);
    const bytes = await readFile(victim);
    bytes[Math.floor(bytes.length / 2)] = bytes[Math.floor(bytes.length / 2)]! ^ 0x40;
    await writeFile(victim, bytes);
    const target = join(dir, 'restored.db');
    const r = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--target',
      `sqlite:${target}`,
    ]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`chain link 3 of 4 \\(${name}/${ids[2]}\\)`));
    await assertNothingLeft(dir, target);
    // The chain up to the link before still restores, byte for byte checked.
    const ok = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--backup',
      ids[1]!,
      '--target',
      `sqlite:${target}`,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(integrityOk(target));
  });

  test('a parent pruned by hand: exit 3 naming the missing parent; retention shows the broken chain', async () => {
    const store = join(work, 'pruned-store');
    const name = 'incremental_pruned';
    const { root, states } = await dirChain(name, 4, `file:${store}`);
    const gone = states[2]!.id;
    for (const f of await readdir(join(store, name)))
      if (f.startsWith(gone)) await rm(join(store, name, f));
    const target = join(root, 'restored');
    const r = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--target',
      `dir:${target}`,
    ]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`needs its parent ${gone}, which is missing`));
    await assertNothingLeft(root, target);
    const plan = await runCli([
      'prune',
      '--destination',
      `file:${store}`,
      '--keep-last',
      '1',
      '--dry-run',
    ]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout + plan.stderr, new RegExp(`broken: parent ${gone} missing`));
  });

  test('retention keeps every backup a kept incremental needs, and shows each chain', async () => {
    const store = join(work, 'prune-store');
    const name = 'incremental_prune';
    const { states } = await dirChain(name, 7, `file:${store}`, { 'full-every': '4' });
    // b0 full, b1-b3 incremental; b4 full, b5-b6 incremental. keep-last 1 keeps b6: b4 and b5
    // stay for it, the first chain goes.
    const r = await runCli([
      'prune',
      '--destination',
      `file:${store}`,
      '--keep-last',
      '1',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(jsonOf(r).outputs['kept'], '3');
    assert.equal(jsonOf(r).outputs['removed'], '4');
    const left = (await readdir(join(store, name)))
      .filter((f) => f.endsWith('.manifest.json'))
      .map((f) => f.replace('.manifest.json', ''))
      .sort();
    assert.deepEqual(left, [states[4]!.id, states[5]!.id, states[6]!.id]);
    const text = await runCli([
      'prune',
      '--destination',
      `file:${store}`,
      '--keep-last',
      '1',
      '--dry-run',
    ]);
    const out = text.stdout + text.stderr;
    assert.match(out, /CHAIN/);
    assert.match(out, new RegExp(`needed by ${states[6]!.id}`));
    assert.match(out, new RegExp(`incremental 2 of ${states[4]!.id}`));
    // The newest still restores after the prune.
    const target = join(work, name, 'restored');
    const ok = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--target',
      `dir:${target}`,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assertSameTree(await snapshotTree(target), states[6]!.tree, 'newest after prune');
  });

  test('bad input is refused before anything runs', async () => {
    const dir = join(work, 'bad');
    await mkdir(dir, { recursive: true });
    const db = join(dir, 'x.db');
    seedDatabase(db, 10);
    const bad = await runCli([
      'backup',
      '--source',
      `sqlite:${db}`,
      '--destination',
      `file:${join(dir, 'store')}`,
      '--mode',
      'incremental',
      '--full-every',
      'often',
    ]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /full-every/);
    const pg = await runCli([
      'backup',
      '--source',
      'redis://127.0.0.1:6379/9',
      '--destination',
      `file:${join(dir, 'store')}`,
      '--mode',
      'incremental',
    ]);
    assert.equal(pg.code, 2, pg.stderr);
    assert.match(pg.stderr, /mode.*dir: and sqlite:/);
    await assert.rejects(stat(join(dir, 'store', 'x')));
  });
});

describe('incremental chains on S3 (s3rver)', () => {
  test('dir: and sqlite: chains round-trip through S3', { skip: s3Skip ?? false }, async () => {
    const bucket = await s3!.createBucket();
    try {
      const destination = `s3://${bucket}/lb`;
      const extra = { 's3-endpoint': s3!.endpoint, 'full-every': '1d' };
      const { root, states } = await dirChain('incremental_s3dir', 6, destination, extra, s3!.env);
      for (const k of [2, 5]) {
        const target = join(root, `restored-${k}`);
        const r = await runCli(
          [
            'restore',
            '--destination',
            destination,
            '--s3-endpoint',
            s3!.endpoint,
            '--name',
            'incremental_s3dir',
            '--backup',
            states[k]!.id,
            '--target',
            `dir:${target}`,
          ],
          s3!.env,
        );
        assert.equal(r.code, 0, r.stderr);
        assertSameTree(await snapshotTree(target), states[k]!.tree, `s3 state ${k}`);
      }
      const dir = join(work, 's3sqlite');
      await mkdir(dir, { recursive: true });
      const db = join(dir, 'app.db');
      seedDatabase(db, 2000);
      const rows: string[] = [];
      for (let i = 0; i < 5; i++) {
        if (i > 0) mutateDatabase(db, i);
        const r = await runEngine(
          {
            source: `sqlite:${db}`,
            destination,
            name: 'incremental_s3sqlite',
            mode: 'incremental',
            ...extra,
          },
          at(i),
          s3!.env,
        );
        assert.equal(r.error, undefined, String(r.error));
        rows.push(dumpDatabase(db));
      }
      const target = join(dir, 'restored.db');
      const r = await runCli(
        [
          'restore',
          '--destination',
          destination,
          '--s3-endpoint',
          s3!.endpoint,
          '--name',
          'incremental_s3sqlite',
          '--target',
          `sqlite:${target}`,
        ],
        s3!.env,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(dumpDatabase(target), rows.at(-1));
    } finally {
      await s3!.deleteBucket(bucket);
    }
  });
});
