/**
 * `npm run bench [-- --quick]`: issue #18's figures against same-run baselines, written into
 * their sections of BENCHMARKS.md: PostgreSQL on two shapes of data (bench/postgres.ts), the
 * other sources against their native pipelines (bench/sources.ts), S3 and Azure uploads and
 * peak memory (bench/memory.ts), start-up. Machines are noisy, so every Lifeboat figure is
 * reported beside a baseline measured in the same round, with CPU time beside wall time.
 * `--quick` uses small sizes (minutes); the full mode about 0.75 GB databases, and then
 * PostgreSQL's large tier: `orders` at 24,000,000 rows and `docs` at 4,500,000 (≥ 5 GB on
 * disk each), one round of floor, bare pipe, backup (peak RSS and peak temporary disk) and
 * verify, no restores. Elapsed minutes are printed after each section.
 *
 * Time budget of the full mode on this 2-CPU machine, the databases already generated
 * (scaled from the quick run's timings: a 110 MiB dump takes 1–3 s a run): the 0.75 GB tier
 * about 8 min (3 rounds of six runs, 3 verifies, 2 restore pairs per shape), the large tier
 * about 5–6 min (two 4.5 GiB dumps: floor ≈ 45 s, pipe ≈ 45 s, backup ≈ 65 s, verify ≈ 35 s
 * for `orders`; less for `docs`), the other sources about 6 min, memory and start-up about
 * 1.5 min: about 21 min in all, inside the 30 minutes issue #18 allows. Generating the large
 * databases takes far longer: keep them with BENCH_KEEP_DB.
 *
 * Environment:
 *   BENCH_ROUNDS   interleaved rounds per comparison (default 3; the large tier runs one)
 *   BENCH_ROWS     rows of `orders` for `npm run bench -- encryption` (default 3,000,000)
 *   BENCH_<TIER>_<SHAPE>_ROWS  rows of a PostgreSQL shape for a tier, overriding its default,
 *                  e.g. BENCH_LARGE_ORDERS_ROWS, BENCH_LARGE_DOCS_ROWS, BENCH_FULL_ORDERS_ROWS,
 *                  BENCH_QUICK_DOCS_ROWS (tiers QUICK, FULL, LARGE; shapes ORDERS, DOCS): to
 *                  run the full mode's code paths on small databases
 *   BENCH_DB_PREFIX  name prefix of the generated PostgreSQL databases (default
 *                  lifeboat_bench: lifeboat_bench_<rows>, lifeboat_bench_docs_<rows>)
 *   BENCH_PG_URL   server to use (default postgres://postgres@127.0.0.1:5432)
 *   BENCH_KEEP_DB  keep the generated databases (the large tier's too) for the next run (one
 *                  is reused when its row count matches)
 *   BENCH_CLI      the CLI the bench runs (default dist/cli.js: `npm run build` first;
 *                  bench/incremental.ts alone runs the CLI's code from src/ in-process)
 *   BENCH_OUT      report path (default BENCHMARKS.md)
 *
 * `npm run bench -- postgres [--quick]` reruns only the PostgreSQL section (in the full mode
 * with the large tier) and `npm run bench -- sources [--quick]` only the other sources' one.
 * `npm run bench -- startup` measures only the action's start-up (bench/startup.ts) and
 * replaces that section of the existing report; `npm run bench -- encryption` likewise the
 * encrypted/unencrypted ratios (bench/encryption.ts), `npm run bench -- vectors` the Chroma
 * and Qdrant section (bench/vectors.ts), and `npm run bench -- incremental [--quick]`
 * incremental backups (bench/incremental.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { measureStartup, startupSection, withStartupSection } from './startup.ts';
import { incrementalOnly } from './incremental.ts';
import { encryptionSection, measureEncryption, withEncryptionSection } from './encryption.ts';
import { benchVectors, withVectorsSection } from './vectors.ts';
import { withSection, CLI, mib } from './lib.ts';
import {
  BASE_URL,
  SHAPES,
  admin,
  benchLargeShape,
  benchShape,
  dbName,
  pgEnv,
  prepareShape,
  rowsFor,
  shapesSection,
  type LargeResult,
  type ShapeResult,
} from './postgres.ts';
import { benchOtherSources } from './sources.ts';
import { benchMemoryAndClouds } from './memory.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 3_000_000);
const OUT = resolve(process.env.BENCH_OUT ?? 'BENCHMARKS.md');
const DB = dbName(SHAPES[0]!, ROWS);
const QUICK = process.argv.slice(2).includes('--quick');

/** Logs the minutes since the last lap and since the start, so a slow section shows. */
function stopwatch(): (label: string) => void {
  const started = Date.now();
  let last = started;
  const min = (ms: number): string => (ms / 60000).toFixed(1);
  return (label) => {
    const now = Date.now();
    console.log(`[${label}: ${min(now - last)} min; ${min(now - started)} min in all]`);
    last = now;
  };
}

/**
 * The PostgreSQL section: both shapes at the mode's size (quick, or about 0.75 GB), then, in
 * the full mode, both shapes' large tier (≥ 5 GB on disk, one round, no restores).
 */
async function postgres(
  quick: boolean,
  rounds: number,
  lap: (label: string) => void,
): Promise<{ section: string; results: ShapeResult[] }> {
  const results: ShapeResult[] = [];
  for (const shape of SHAPES) {
    const rows = rowsFor(shape, quick ? 'quick' : 'full');
    results.push(await benchShape(shape, rows, rounds, quick ? 1 : 2));
    lap(`PostgreSQL ${shape.name}, ${rows.toLocaleString('en')} rows`);
  }
  const large: LargeResult[] = [];
  if (!quick) {
    for (const shape of SHAPES) {
      const rows = rowsFor(shape, 'large');
      large.push(await benchLargeShape(shape, rows));
      lap(`PostgreSQL ${shape.name}, large tier, ${rows.toLocaleString('en')} rows`);
    }
  }
  return { section: shapesSection(results, quick, large), results };
}

/**
 * `npm run bench [-- --quick]`: issue #18's performance figures (PostgreSQL on two shapes of
 * data, the other sources against their native pipelines, S3 and Azure uploads, memory),
 * written into their sections of BENCHMARKS.md; the other sections are kept as they are.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const lap = stopwatch();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const pgPart = await postgres(QUICK, rounds, lap);
  const results = pgPart.results;
  let doc = await readFile(OUT, 'utf8').catch(() => '# Benchmarks\n');
  // The sections keep their order in a new report: intro, PostgreSQL, sources, memory.
  doc = withSection(doc, 'perf-intro', '(being measured)');
  doc = withSection(doc, 'perf-postgres', pgPart.section, 'perf-intro');
  await writeFile(OUT, doc);
  const others = await benchOtherSources(QUICK, rounds);
  doc = withSection(doc, 'perf-sources', others, 'perf-postgres');
  await writeFile(OUT, doc);
  lap('other sources');
  const memory = await benchMemoryAndClouds(QUICK, rounds, results);
  doc = withSection(doc, 'perf-memory', memory, 'perf-sources');
  lap('memory and cloud uploads');
  console.log('start-up:');
  const startup = await measureStartup();
  doc = withStartupSection(doc, startupSection(startup));
  lap('start-up');
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  doc = withSection(
    doc,
    'perf-intro',
    perfIntro({ quick: QUICK, minutes, rounds, serverVersion: await serverVersion() }),
  );
  await writeFile(OUT, doc);
  console.log(`\nwrote ${OUT} (${minutes} min)`);
}

/** `npm run bench -- postgres [--quick]`: only the PostgreSQL section, into the existing report. */
async function postgresOnly(): Promise<void> {
  const lap = stopwatch();
  const { section } = await postgres(QUICK, Number(process.env.BENCH_ROUNDS ?? 3), lap);
  const existing = await readFile(OUT, 'utf8').catch(() => '# Benchmarks\n');
  await writeFile(OUT, withSection(existing, 'perf-postgres', section, 'perf-intro'));
  console.log(`wrote the PostgreSQL section of ${OUT}`);
}

async function serverVersion(): Promise<string> {
  return admin(async (c) => String((await c.query('SHOW server_version')).rows[0].server_version));
}

function perfIntro(o: {
  quick: boolean;
  minutes: string;
  rounds: number;
  serverVersion: string;
}): string {
  return `## How these figures were taken

Generated by \`npm run bench${o.quick ? ' -- --quick' : ''}\` (\`bench/run.ts\`) on ${new Date().toISOString().slice(0, 10)} in ${o.minutes} minutes; ${o.quick ? 'quick sizes (about 110 MiB dumps)' : 'full sizes (about 0.75 GB databases; PostgreSQL also at ≥ 5 GB, one round)'}.
PostgreSQL ${o.serverVersion}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}.
Machines are noisy, so every Lifeboat figure stands beside a baseline from the same round (rounds
are interleaved, medians of ${o.rounds}), and CPU time (user + sys, from \`/usr/bin/time\` for the
process tree and from \`process.resourceUsage()\` for Lifeboat's own node process) is given beside
wall time because it depends less on the machine's load (under heavy contention it is inflated
too). Load average when this run finished: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs. Lifeboat is the bundled CLI (\`dist/cli.js\`)
with default options (zstd CLI \`-1 --zstd=strategy=2 -T0\`, read-back after backup on).`;
}

async function startupOnly(): Promise<void> {
  const startup = await measureStartup();
  console.log(
    `action list ${startup.actionMs.toFixed(0)} ms vs node -e 0 ${startup.baselineMs.toFixed(0)} ms: ${startup.ratio.toFixed(2)} ×`,
  );
  const existing = await readFile(OUT, 'utf8').catch(() => '# Benchmarks\n');
  await writeFile(OUT, withStartupSection(existing, startupSection(startup)));
  console.log(`wrote the start-up section of ${OUT}`);
}

async function vectorsOnly(): Promise<void> {
  const section = await benchVectors();
  const existing = await readFile(OUT, 'utf8').catch(() => '# Benchmarks\n');
  await writeFile(OUT, withVectorsSection(existing, section));
  console.log(`wrote the vector stores section of ${OUT}`);
}

/** `npm run bench -- encryption`: only the encryption ratios, into the existing report. */
async function encryptionOnly(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-bench-crypto-'));
  try {
    const db = await prepareShape(SHAPES[0]!, ROWS);
    console.log(`database ${DB}: ${mib(db.bytes)} on disk${db.reused ? ' (reused)' : ''}`);
    const encryption = await measureEncryption({
      baseUrl: BASE_URL,
      db: DB,
      cli: CLI,
      work,
      env: pgEnv(DB),
      database: `\`${DB}\` (${mib(db.bytes)} on disk)`,
    });
    const existing = await readFile(OUT, 'utf8').catch(() => '# Benchmarks\n');
    await writeFile(OUT, withEncryptionSection(existing, encryptionSection(encryption)));
    console.log(`wrote the encryption section of ${OUT}`);
  } finally {
    if (!process.env.BENCH_KEEP_DB)
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)).catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
}

/** `npm run bench -- sources [--quick]`: only the other sources, into the existing report. */
async function sourcesOnly(): Promise<void> {
  const section = await benchOtherSources(QUICK, Number(process.env.BENCH_ROUNDS ?? 3));
  const existing = await readFile(OUT, 'utf8').catch(() => '# Benchmarks\n');
  await writeFile(OUT, withSection(existing, 'perf-sources', section));
  console.log(`wrote the other sources section of ${OUT}`);
}

if (process.argv.slice(2).includes('startup')) await startupOnly();
else if (process.argv.slice(2).includes('postgres')) await postgresOnly();
else if (process.argv.slice(2).includes('sources')) await sourcesOnly();
else if (process.argv.slice(2).includes('encryption')) await encryptionOnly();
else if (process.argv.slice(2).includes('vectors')) await vectorsOnly();
else if (process.argv.slice(2).includes('parallel-pg'))
  await (await import('./parallel-pg.ts')).parallelPgOnly(OUT);
else if (process.argv.slice(2).includes('incremental'))
  await incrementalOnly(OUT, process.argv.slice(2).includes('--quick'));
else await main();
