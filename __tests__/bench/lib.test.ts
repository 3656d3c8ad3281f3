// The bench's own measuring (bench/lib.ts) and the PostgreSQL report's large tier
// (bench/postgres.ts): a figure the report states must be what was measured, and a failed run
// must leave nothing behind.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirBytes, sh, timed, watchDirPeak, type Run } from '../../bench/lib.ts';
import { SHAPES, rowsFor, shapesSection, type LargeResult } from '../../bench/postgres.ts';

const MiB = 2 ** 20;

describe('bench: temporary disk of a run', () => {
  let root: string;
  let savedTmp: string | undefined;
  before(async () => {
    // The runs' own scratch folders go under os.tmpdir(): a private one shows what is left.
    root = await mkdtemp(join(tmpdir(), 'lifeboat-bench-lib-test-'));
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = root;
  });
  after(async () => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    await rm(root, { recursive: true, force: true });
  });

  test('dirBytes sums the files of nested folders, and a missing folder counts 0', async () => {
    const dir = join(root, 'sizes');
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    await writeFile(join(dir, 'one'), Buffer.alloc(1000));
    await writeFile(join(dir, 'a', 'b', 'two'), Buffer.alloc(2345));
    assert.equal(await dirBytes(dir), 3345);
    assert.equal(await dirBytes(join(root, 'missing')), 0);
    const w = watchDirPeak(dir, 5);
    assert.equal(await w.stop(), 3345, 'stop() samples once more');
    await rm(dir, { recursive: true });
  });

  test('privateTmp: a fresh 0700 TMPDIR of its own, RUNNER_TEMP unset, its peak size reported, removed after', async () => {
    const out = join(root, 'seen');
    const env = { ...process.env, RUNNER_TEMP: '/should/not/be/used', OUT: out };
    const before = { ...env };
    // Writes 3 MiB into its TMPDIR and leaves it there: the last sample at exit must see it.
    const run: Run = await timed(
      'bash',
      [
        '-c',
        'head -c 3145728 /dev/zero > "$TMPDIR/blob" && printf "%s\\n%s\\n%s\\n" "$TMPDIR" "${RUNNER_TEMP-unset}" "$(stat -c %a "$TMPDIR")" > "$OUT"',
      ],
      env,
      { privateTmp: true, label: 'writer' },
    );
    const [dir, runnerTemp, mode] = (await readFile(out, 'utf8')).trim().split('\n');
    assert.ok(dir!.startsWith(join(root, 'lifeboat-bench-tmpdir-')), dir);
    assert.equal(runnerTemp, 'unset');
    assert.equal(mode, '700');
    assert.ok(run.peakTmpBytes! >= 3 * MiB, `peak ${run.peakTmpBytes}`);
    await assert.rejects(stat(dir!), { code: 'ENOENT' });
    assert.deepEqual(env, before, "the caller's env is not changed");
    await rm(out);
    assert.deepEqual(await readdir(root), []);
  });

  test('a run without privateTmp gets the caller TMPDIR and reports no temp figure', async () => {
    const run = await sh('true', { ...process.env });
    assert.equal(run.peakTmpBytes, undefined);
    assert.equal(typeof run.treeCpuMs, 'number');
  });

  test('a failing run rejects with its label, exit code and stderr, and leaves nothing behind', async () => {
    await assert.rejects(
      timed(
        'bash',
        ['-c', 'head -c 1000 /dev/zero > "$TMPDIR/partial"; echo broken >&2; exit 3'],
        { ...process.env },
        { privateTmp: true, label: 'the failing run' },
      ),
      (err: Error) => {
        assert.match(err.message, /^the failing run failed \(exit 3\):/);
        assert.match(err.message, /broken/);
        return true;
      },
    );
    assert.deepEqual(await readdir(root), [], 'no run folder and no private TMPDIR remain');
  });
});

describe('bench: row counts per tier', () => {
  test("the defaults are the issue's: orders 24,000,000 and docs 4,500,000 rows at the large tier", () => {
    const [orders, docs] = SHAPES;
    delete process.env.BENCH_LARGE_ORDERS_ROWS;
    delete process.env.BENCH_LARGE_DOCS_ROWS;
    assert.equal(rowsFor(orders!, 'large'), 24_000_000);
    assert.equal(rowsFor(docs!, 'large'), 4_500_000);
    assert.equal(rowsFor(orders!, 'full'), 3_500_000);
  });

  test('BENCH_<TIER>_<SHAPE>_ROWS overrides one tier of one shape; a bad value is refused', () => {
    const [orders, docs] = SHAPES;
    process.env.BENCH_LARGE_ORDERS_ROWS = '1200';
    try {
      assert.equal(rowsFor(orders!, 'large'), 1200);
      assert.equal(rowsFor(docs!, 'large'), 4_500_000);
      assert.equal(rowsFor(orders!, 'full'), 3_500_000);
      for (const bad of ['0', '-5', '1.5', 'many']) {
        process.env.BENCH_LARGE_ORDERS_ROWS = bad;
        assert.throws(() => rowsFor(orders!, 'large'), /BENCH_LARGE_ORDERS_ROWS/);
      }
    } finally {
      delete process.env.BENCH_LARGE_ORDERS_ROWS;
    }
  });
});

describe('bench: the large tier in the PostgreSQL report', () => {
  const GiB = 2 ** 30;
  const run = (ms: number, extra: Partial<Run> = {}): Run => ({ ms, treeCpuMs: ms, ...extra });
  const large = (o: {
    backupMs: number;
    selfCpuMs: number;
    verifyMs: number;
    rssKb: number;
    tmp: number;
  }): LargeResult => ({
    shape: SHAPES[0]!,
    rows: 24_000_000,
    db: 'x',
    dbBytes: 7 * GiB,
    rawDump: 4 * GiB,
    pipeOut: 1.2 * GiB,
    archive: 1.2 * GiB,
    floor: run(40_000),
    pipe: run(44_000),
    backup: run(o.backupMs, {
      selfCpuMs: o.selfCpuMs,
      selfRssKb: o.rssKb,
      peakTmpBytes: o.tmp,
    }),
    verify: run(o.verifyMs, { selfCpuMs: 1000, selfRssKb: 90 * 1024, peakTmpBytes: 0 }),
  });
  const targetRow = (text: string, target: string): string => {
    const row = text.split('\n').find((l) => l.startsWith(`| ${target}`) && l.includes('(large)'));
    assert.ok(row, `no large-tier row for "${target}"`);
    return row;
  };

  test('every target met: the figures and "met"', () => {
    // 50 s backup: 1.25 × the floor, 1.14 × the pipe; 5 s CPU on 4 GiB: 1.25 s/GiB;
    // verify 8 s for 4096 MiB: 512 MiB/s; 100 MiB RSS; 10 MiB temp.
    const text = shapesSection([], false, [
      large({
        backupMs: 50_000,
        selfCpuMs: 5000,
        verifyMs: 8000,
        rssKb: 100 * 1024,
        tmp: 10 * MiB,
      }),
    ]);
    assert.match(text, /^## PostgreSQL: two shapes of data at two sizes$/m);
    assert.match(
      text,
      /### Large tier: `orders`, 24,000,000 rows, 7168\.0 MiB on disk, raw dump 4096\.0 MiB/,
    );
    assert.match(
      text,
      /Not run at this size: `pg_dump -Fc` with its default compression, `pg_dump \| gzip`, the `row-counts: estimate` backup and the restores/,
    );
    assert.match(
      text,
      /\| Lifeboat backup to `file:` \(read-back on\) \| 50\.00 s \| 1\.25 × \| 1\.14 × \|.*\| 1\.25 \| 100 MiB \| 10\.0 MiB \|/,
    );
    assert.match(text, /\| Lifeboat verify \| 8\.00 s \(512 MiB\/s of content\)/);
    assert.match(targetRow(text, 'backup ≤ 1.3 × the floor'), /1\.25 × \| met \|$/);
    assert.match(targetRow(text, 'backup ≤ 1.15 × the bare pipe'), /1\.14 × \| met \|$/);
    assert.match(targetRow(text, 'Lifeboat process ≤ 1.5 s CPU'), /1\.25 s\/GiB \| met \|$/);
    assert.match(targetRow(text, 'verify ≥ 400 MiB/s'), /512 MiB\/s \| met \|$/);
    assert.match(targetRow(text, 'peak RSS ≤ 128 MiB'), /100 MiB \| met \|$/);
    assert.match(targetRow(text, 'temporary disk ≤ 64 MiB'), /10\.0 MiB \| met \|$/);
  });

  test('every target missed: "**missed**" beside the number', () => {
    // 60 s backup: 1.50 × the floor, 1.36 × the pipe; 8 s CPU: 2.00 s/GiB; verify 16 s:
    // 256 MiB/s; 140 MiB RSS; 65 MiB temp.
    const text = shapesSection([], false, [
      large({
        backupMs: 60_000,
        selfCpuMs: 8000,
        verifyMs: 16_000,
        rssKb: 140 * 1024,
        tmp: 65 * MiB,
      }),
    ]);
    assert.match(targetRow(text, 'backup ≤ 1.3 × the floor'), /1\.50 × \| \*\*missed\*\* \|$/);
    assert.match(targetRow(text, 'backup ≤ 1.15 × the bare pipe'), /1\.36 × \| \*\*missed\*\* \|$/);
    assert.match(
      targetRow(text, 'Lifeboat process ≤ 1.5 s CPU'),
      /2\.00 s\/GiB \| \*\*missed\*\* \|$/,
    );
    assert.match(targetRow(text, 'verify ≥ 400 MiB/s'), /256 MiB\/s \| \*\*missed\*\* \|$/);
    assert.match(targetRow(text, 'peak RSS ≤ 128 MiB'), /140 MiB \| \*\*missed\*\* \|$/);
    assert.match(targetRow(text, 'temporary disk ≤ 64 MiB'), /65\.0 MiB \| \*\*missed\*\* \|$/);
  });

  test('the quick mode has no large tier and says so in its title', () => {
    const text = shapesSection([], true);
    assert.match(text, /^## PostgreSQL: two shapes of data \(quick sizes\)$/m);
    assert.doesNotMatch(text, /Large tier|\(large\)/);
  });
});
