/**
 * `npm run bench -- parallel-pg`: parallel streaming PostgreSQL backups and restores (`jobs`)
 * against same-run baselines; writes the section between the parallel-pg markers of
 * BENCHMARKS.md.
 *
 * Environment:
 *   BENCH_PAR_MB   database size to generate, in MB on disk (default 5120; the issue asks ≥ 5 GB)
 *   BENCH_PAR_DB   name of the generated database (default lifeboat_bench_par_<MB>)
 *   BENCH_PG_URL   server (default postgres://postgres@127.0.0.1:5432)
 *   BENCH_PAR_ROUNDS  backup rounds (default 2; each figure is its best round)
 *   BENCH_KEEP_DB  keep the generated database for the next run (reused when its size matches)
 *   BENCH_CLI      the CLI to run (default dist/cli.js: `npm run build` first)
 *   BENCH_OUT      report path (default BENCHMARKS.md)
 *
 * The database: eight tables of mixed types (like the main bench's `orders`, about 3x
 * compressible) whose sizes fall from 20 % to 6 % of the data, and 200 small tables, so the
 * work can be shared out by table the way real schemas allow.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CLI, watchDirPeak } from './lib.ts';

const MB = Number(process.env.BENCH_PAR_MB ?? 5120);
const ROUNDS = Number(process.env.BENCH_PAR_ROUNDS ?? 2);
const BASE_URL = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(
  /\/+$/,
  '',
);
const DB = process.env.BENCH_PAR_DB ?? `lifeboat_bench_par_${MB}`;
/** Shares of the data per big table (sum 1.0). */
const SHARES = [0.2, 0.18, 0.15, 0.13, 0.11, 0.09, 0.08, 0.06];
/**
 * Bytes on disk per generated row, indexes included (measured on PostgreSQL 15: 284 gave a
 * 4.33 GB database for BENCH_PAR_MB=5120, so the ≥ 5 GB run was short of its size).
 */
const BYTES_PER_ROW = 236;
const START = '<!-- parallel-pg:start -->';
const END = '<!-- parallel-pg:end -->';

const rowSql = (table: string, rows: number): string => `
CREATE TABLE ${table} (
  id bigint PRIMARY KEY, customer_id int NOT NULL, created_at timestamptz NOT NULL,
  status text NOT NULL, amount numeric(12,2) NOT NULL, note text, attrs jsonb NOT NULL);
INSERT INTO ${table}
SELECT g, 1 + abs(hashint4(g)) % 200000,
       timestamptz '2020-01-01' + g * interval '17 seconds',
       (ARRAY['new','paid','shipped','delivered','cancelled','refunded'])[1 + abs(hashint4(g * 5)) % 6],
       (abs(hashint4(g * 7)) % 10000000) / 100.0,
       CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || substr(md5(g::text), 1, 6 + abs(hashint4(g)) % 20) END,
       jsonb_build_object('sku', 'SKU-' || (abs(hashint4(g * 17)) % 50000), 'qty', 1 + abs(hashint4(g * 19)) % 9,
         'ref', md5((g * 29)::text), 'score', round(((abs(hashint4(g * 31)) % 100000) / 1000.0)::numeric, 3))
  FROM generate_series(1, ${rows}) g;
CREATE INDEX ${table}_customer ON ${table} (customer_id);
`;

interface Measure {
  ms: number;
  peakRssKb: number;
  /** Peak bytes in the run's private TMPDIR (Lifeboat runs only). */
  peakTmp: number;
  code: number;
  stderr: string;
}

function measure(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  tmp?: string,
): Promise<Measure> {
  return new Promise((done, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
    let peak = 0;
    const tmpPeak = tmp ? watchDirPeak(tmp) : undefined;
    const poll = setInterval(() => {
      readFile(`/proc/${child.pid}/status`, 'utf8')
        .then((s) => {
          const m = /VmHWM:\s+(\d+) kB/.exec(s);
          if (m) peak = Math.max(peak, Number(m[1]));
        })
        .catch(() => {});
    }, 50);
    child.on('error', (err) => {
      clearInterval(poll);
      void tmpPeak?.stop();
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      void (tmpPeak?.stop() ?? Promise.resolve(0)).then((peakTmp) =>
        done({ ms, peakRssKb: peak, peakTmp, code: code ?? -1, stderr }),
      );
    });
  });
}

async function must(label: string, p: Promise<Measure>): Promise<Measure> {
  const m = await p;
  if (m.code !== 0) throw new Error(`${label} failed (exit ${m.code}):\n${m.stderr}`);
  console.log(
    `  ${label}: ${(m.ms / 1000).toFixed(2)} s, peak RSS ${(m.peakRssKb / 1024).toFixed(0)} MiB`,
  );
  return m;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const c = new pg.Client({ connectionString: `${BASE_URL}/${database}` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const dbSize = (name: string): Promise<number> =>
  admin(async (c) => Number((await c.query('SELECT pg_database_size($1) AS s', [name])).rows[0].s));

/** Creates (or reuses) the database; exported so a long run can generate it ahead of time. */
export async function prepare(): Promise<{ bytes: number; reused: boolean }> {
  const exists = await admin(
    async (c) =>
      (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount! > 0,
  );
  if (exists) {
    const done = await admin(
      async (c) =>
        (await c.query(`SELECT 1 FROM pg_class WHERE relname = 'small_199'`)).rowCount! > 0,
      DB,
    );
    // Reused only when it is as large as asked: a database from an older calibration is not.
    const bytes = await dbSize(DB);
    if (done && bytes >= MB * 1e6 * 0.95) return { bytes, reused: true };
    await admin((c) => c.query(`DROP DATABASE ${DB} WITH (FORCE)`));
  }
  console.log(`generating about ${MB} MB in ${DB} …`);
  await admin((c) => c.query(`CREATE DATABASE ${DB}`));
  const totalRows = Math.round((MB * 1e6) / BYTES_PER_ROW);
  await admin(async (c) => {
    for (let i = 0; i < SHARES.length; i++) {
      await c.query(rowSql(`t${i + 1}`, Math.round(totalRows * SHARES[i]!)));
      console.log(`  t${i + 1} done`);
    }
    for (let i = 0; i < 200; i++) await c.query(rowSql(`small_${i}`, 50 + i * 10));
    await c.query('ANALYZE');
  }, DB);
  await admin((c) => c.query('CHECKPOINT'));
  return { bytes: await dbSize(DB), reused: false };
}

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)} ×`;

export async function parallelPgOnly(out: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-bench-par-'));
  const restored: string[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env, PGDATABASE: DB };
  const u = new URL(BASE_URL);
  env.PGHOST = u.hostname;
  env.PGPORT = u.port || '5432';
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  // pipefail: a failing pg_dump in a baseline pipeline fails the run (Debian's sh has none).
  const sh = (script: string): Promise<Measure> =>
    measure('bash', ['-o', 'pipefail', '-c', script], env);
  const settle = () => admin((c) => c.query('CHECKPOINT'));
  try {
    const db = await prepare();
    console.log(`database ${DB}: ${mib(db.bytes)} on disk${db.reused ? ' (reused)' : ''}`);
    const serverVersion = await admin(async (c) =>
      String((await c.query('SHOW server_version')).rows[0].server_version),
    );
    const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
    let runNo = 0;
    const cli = async (args: string[]): Promise<Measure> => {
      const tmp = join(work, `tmp-${runNo++}`);
      await mkdir(tmp);
      return measure(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', CLI, ...args],
        { ...env, TMPDIR: tmp, LIFEBOAT_LOG: 'warn' },
        tmp,
      );
    };
    const store = join(work, 'store');

    console.log('backups:');
    // Rounds alternate the floor and every jobs setting; each figure is its best round, so a
    // burst of load from other jobs on the machine does not decide a ratio.
    const floors: Measure[] = [];
    const backups: Record<number, Measure> = {};
    for (let round = 1; round <= ROUNDS; round++) {
      floors.push(
        await must(
          `round ${round}: pg_dump -Fc -Z0 > /dev/null`,
          sh('pg_dump -Fc -Z0 > /dev/null'),
        ),
      );
      for (const jobs of [1, 2, 4]) {
        await rm(join(store, `j${jobs}`), { recursive: true, force: true });
        const m = await must(
          `round ${round}: lifeboat backup jobs ${jobs}`,
          cli([
            'backup',
            '--source',
            `${BASE_URL}/${DB}`,
            '--destination',
            `file:${store}`,
            '--name',
            `j${jobs}`,
            '--jobs',
            String(jobs),
            '--verify-after-backup',
            'false',
          ]),
        );
        const best = backups[jobs];
        backups[jobs] =
          best && best.ms <= m.ms
            ? {
                ...best,
                peakRssKb: Math.max(best.peakRssKb, m.peakRssKb),
                peakTmp: Math.max(best.peakTmp, m.peakTmp),
              }
            : {
                ...m,
                peakRssKb: Math.max(best?.peakRssKb ?? 0, m.peakRssKb),
                peakTmp: Math.max(best?.peakTmp ?? 0, m.peakTmp),
              };
      }
    }
    const floorMs = Math.min(...floors.map((f) => f.ms));

    console.log('restores:');
    await must(
      'pg_dump -Fc -Z0 > file (not timed)',
      sh(`pg_dump -Fc -Z0 > '${join(work, 'raw.dump')}'`),
    );
    // Written through a pipe, as Lifeboat's single stream is: no data offsets in its TOC.
    await must(
      'pg_dump -Fc -Z0 | cat > file (not timed)',
      sh(`pg_dump -Fc -Z0 | cat > '${join(work, 'piped.dump')}'`),
    );
    const dirDump = await must(
      'pg_dump -Fd -j 2 -Z0 to local disk',
      sh(`pg_dump -Fd -j 2 -Z0 -f '${join(work, 'dir.dump')}'`),
    );
    const target = (s: string): string => {
      const name = `${DB}_r_${s}`;
      restored.push(name);
      return name;
    };
    const drop = (name: string) =>
      admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await settle();
    const t1 = target('pg');
    const pgRestore = await must(
      'createdb + pg_restore',
      sh(`createdb ${t1} && pg_restore --exit-on-error -d ${t1} '${join(work, 'raw.dump')}'`),
    );
    await drop(t1);
    await settle();
    const t2 = target('pgj');
    const pgRestoreJ2 = await must(
      'createdb + pg_restore -j 2 (directory format, local disk)',
      sh(`createdb ${t2} && pg_restore --exit-on-error -j 2 -d ${t2} '${join(work, 'dir.dump')}'`),
    );
    await drop(t2);
    await settle();
    const t3 = target('pgcj');
    const pgRestoreCustomJ2 = await must(
      'createdb + pg_restore -j 2 (custom format with data offsets, local disk)',
      sh(`createdb ${t3} && pg_restore --exit-on-error -j 2 -d ${t3} '${join(work, 'raw.dump')}'`),
    );
    await drop(t3);
    await settle();
    const t4 = target('pgpj');
    const pgRestorePipedJ2 = await must(
      'createdb + pg_restore -j 2 (custom format without data offsets, local disk)',
      sh(
        `createdb ${t4} && pg_restore --exit-on-error -j 2 -d ${t4} '${join(work, 'piped.dump')}'`,
      ),
    );
    await drop(t4);
    const restores: Record<number, Measure> = {};
    for (const jobs of [1, 2, 4]) {
      await settle();
      const t = target(`lb${jobs}`);
      restores[jobs] = await must(
        `lifeboat restore of the jobs ${jobs} backup (jobs ${jobs})`,
        cli([
          'restore',
          '--destination',
          `file:${store}`,
          '--name',
          `j${jobs}`,
          '--target',
          `${BASE_URL}/${t}`,
          '--jobs',
          String(jobs),
        ]),
      );
      await drop(t);
    }
    // The single-stream backup restored with jobs 2: copied to the temporary folder first.
    await settle();
    const tc = target('lbcopy');
    const restoreCopy = await must(
      'lifeboat restore of the jobs 1 backup (jobs 2, temporary copy)',
      cli([
        'restore',
        '--destination',
        `file:${store}`,
        '--name',
        'j1',
        '--target',
        `${BASE_URL}/${tc}`,
        '--jobs',
        '2',
      ]),
    );
    await drop(tc);
    const sizes: Record<number, number> = {};
    for (const jobs of [1, 2, 4]) {
      const files = (await readdir(join(store, `j${jobs}`))).filter((n) =>
        /\.tar(\.zst|\.gz)?$/.test(n),
      );
      sizes[jobs] = files.length ? (await stat(join(store, `j${jobs}`, files[0]!))).size : 0;
    }
    const check = (ok: boolean): string => (ok ? 'met' : '**missed**');
    const rssBudget = (jobs: number): number => (128 + 32 * jobs) * 1024;
    const row = (jobs: number): string =>
      `| Lifeboat backup, \`jobs: ${jobs}\` | ${sec(backups[jobs]!.ms)} | ${ratio(backups[jobs]!.ms, floorMs)} | ${(floorMs / backups[jobs]!.ms).toFixed(2)} × | ${(backups[jobs]!.peakRssKb / 1024).toFixed(0)} MiB | ${mib(backups[jobs]!.peakTmp)} | ${mib(sizes[jobs]!)} |`;
    const rrow = (jobs: number): string =>
      `| Lifeboat restore of the \`jobs: ${jobs}\` backup | ${sec(restores[jobs]!.ms)} | ${ratio(restores[jobs]!.ms, pgRestore.ms)} | ${(restores[jobs]!.peakRssKb / 1024).toFixed(0)} MiB | ${mib(restores[jobs]!.peakTmp)} |`;
    const section = `${START}
## Parallel PostgreSQL backups and restores (\`jobs\`)

Generated by \`npm run bench -- parallel-pg\` (\`bench/parallel-pg.ts\`) on ${new Date().toISOString().slice(0, 16)}Z.

- Database \`${DB}\`: ${mib(db.bytes)} on disk (requested ${MB} MB): eight tables of mixed types
  holding 20 % down to 6 % of the data each, and 200 small tables.
  PostgreSQL ${serverVersion}; ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; load average ${load} when it started
  (other jobs share this machine: the absolute times are noisy, the ratios less so).
- Lifeboat: the bundled CLI, default zstd compression, \`file:\` storage on the same disk,
  \`--verify-after-backup false\` (the read-back is the same at any \`jobs\`). Peak RSS is the
  Lifeboat node process's VmHWM; temp disk is the peak size of the run's private TMPDIR.
- Backups: ${ROUNDS} rounds, each running the floor, then \`jobs\` 1, 2 and 4; every backup figure is its
  best round (peak RSS and temp disk: the highest of any round). Restores: one run each, after a \`CHECKPOINT\`.

| backup | time | vs floor | speedup over floor | peak RSS | temp disk | archive |
|---|---|---|---|---|---|---|
| \`pg_dump -Fc -Z0 > /dev/null\` (floor) | ${sec(floorMs)} | 1.00 × | 1.00 × | — | — | — |
| \`pg_dump -Fd -j 2 -Z0\` to local disk (pg_dump's own parallel dump, needs the whole dump on disk; reference) | ${sec(dirDump.ms)} | ${ratio(dirDump.ms, floorMs)} | ${(floorMs / dirDump.ms).toFixed(2)} × | — | (the dump) | — |
${row(1)}
${row(2)}
${row(4)}

| restore | time | vs \`pg_restore\` | peak RSS | temp disk |
|---|---|---|---|---|
| \`createdb\` + \`pg_restore\` of an uncompressed custom dump from a local file | ${sec(pgRestore.ms)} | 1.00 × | — | — |
| \`createdb\` + \`pg_restore -j 2\` of a directory-format dump on local disk (reference) | ${sec(pgRestoreJ2.ms)} | ${ratio(pgRestoreJ2.ms, pgRestore.ms)} | — | — |
| \`createdb\` + \`pg_restore -j 2\` of the custom dump from the local file (data offsets; reference) | ${sec(pgRestoreCustomJ2.ms)} | ${ratio(pgRestoreCustomJ2.ms, pgRestore.ms)} | — | — |
| \`createdb\` + \`pg_restore -j 2\` of a custom dump written through a pipe (no data offsets, like Lifeboat's copy; reference) | ${sec(pgRestorePipedJ2.ms)} | ${ratio(pgRestorePipedJ2.ms, pgRestore.ms)} | — | — |
${rrow(1)}
| single-stream backup restored with \`jobs: 2\` (temporary copy): Lifeboat restore of the \`jobs: 1\` backup | ${sec(restoreCopy.ms)} | ${ratio(restoreCopy.ms, pgRestore.ms)} | ${(restoreCopy.peakRssKb / 1024).toFixed(0)} MiB | ${mib(restoreCopy.peakTmp)} |
${rrow(2)}
${rrow(4)}

| target | measured | |
|---|---|---|
| backup with \`jobs: 2\` faster than the floor | ${ratio(backups[2]!.ms, floorMs)} | ${check(backups[2]!.ms < floorMs)} |
| restore with \`jobs: 2\` faster than \`createdb\` + \`pg_restore\` | ${ratio(restores[2]!.ms, pgRestore.ms)} | ${check(restores[2]!.ms < pgRestore.ms)} |
| single-stream backup: restore with \`jobs: 2\` (temporary copy) faster than with \`jobs: 1\` (does the copy pay?) | ${ratio(restoreCopy.ms, restores[1]!.ms)} | ${check(restoreCopy.ms < restores[1]!.ms)} |
| peak RSS ≤ 128 MiB + 32 MiB per job | ${[1, 2, 4].map((j) => `${(Math.max(backups[j]!.peakRssKb, restores[j]!.peakRssKb) / 1024).toFixed(0)}/${rssBudget(j) / 1024}`).join(', ')} MiB (jobs 1, 2, 4) | ${check([1, 2, 4].every((j) => Math.max(backups[j]!.peakRssKb, restores[j]!.peakRssKb) <= rssBudget(j)))} |
| temp disk ≤ 64 MiB + the post-data member (not the temporary-copy restore, which copies the whole dump) | ${[1, 2, 4].map((j) => mib(Math.max(backups[j]!.peakTmp, restores[j]!.peakTmp))).join(', ')} | ${check([1, 2, 4].every((j) => Math.max(backups[j]!.peakTmp, restores[j]!.peakTmp) <= 64 * 1048576))} |

NOTES_PLACEHOLDER
${END}`;
    const existing = await readFile(out, 'utf8').catch(() => '# Benchmarks\n');
    const notes = (
      await readFile(join(import.meta.dirname, 'parallel-pg-notes.md'), 'utf8').catch(() => '')
    ).trim();
    const body = section.replace('NOTES_PLACEHOLDER', notes);
    const a = existing.indexOf(START);
    const b = existing.indexOf(END);
    const next =
      a >= 0 && b > a
        ? existing.slice(0, a) + body + existing.slice(b + END.length)
        : `${existing.trimEnd()}\n\n${body}\n`;
    await writeFile(out, next);
    console.log(`wrote the parallel-pg section of ${out}`);
  } finally {
    for (const d of restored)
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`)).catch(() => {});
    if (!process.env.BENCH_KEEP_DB)
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)).catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
}
