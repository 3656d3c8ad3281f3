/**
 * PostgreSQL against its same-run baselines, on two shapes of data: `orders` (mixed types,
 * compresses about 3.3 ×) and `docs` (text and jsonb, compresses about 5.7 ×). Every round
 * runs the floor, the bare pipe, the pipelines most backup actions use (`pg_dump -Fc` with its
 * default compression, `pg_dump | gzip`) and Lifeboat's backups back to back (interleaved), so
 * a busy moment on the machine hits them alike; the report takes medians. The targets table
 * lists DESIGN §6's targets and issue #18's stricter ones side by side. The full mode adds a
 * large tier (benchLargeShape: ≥ 5 GB on disk, one round, peak temporary disk measured).
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  check,
  lifeboat,
  logRun,
  medianRun,
  mib,
  ratio,
  rssMiB,
  sec,
  sh,
  type Run,
} from './lib.ts';

export const BASE_URL = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(
  /\/+$/,
  '',
);

export interface Shape {
  name: 'orders' | 'docs';
  table: string;
  describe: string;
  sql: string;
  /**
   * Rows for a quick run, for about 0.75 GB on disk (full) and for the full mode's large tier
   * (≥ 5 GB on disk). Read them through rowsFor(), which applies the environment's overrides.
   */
  rows: Record<Tier, number>;
}

export type Tier = 'quick' | 'full' | 'large';

/**
 * A shape's row count for a tier; BENCH_<TIER>_<SHAPE>_ROWS (e.g. BENCH_LARGE_ORDERS_ROWS)
 * overrides it, so the full mode's code paths can be run on small databases.
 */
export function rowsFor(shape: Shape, tier: Tier): number {
  const name = `BENCH_${tier.toUpperCase()}_${shape.name.toUpperCase()}_ROWS`;
  const set = process.env[name];
  if (set === undefined || set === '') return shape.rows[tier];
  const n = Number(set);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

const ORDERS_SQL = `
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id int NOT NULL,
  created_at timestamptz NOT NULL,
  status text NOT NULL,
  amount numeric(12,2) NOT NULL,
  currency char(3) NOT NULL,
  note text,
  attrs jsonb NOT NULL
);
INSERT INTO orders
SELECT g,
       1 + abs(hashint4(g)) % 200000,
       timestamptz '2020-01-01' + g * interval '17 seconds' + (abs(hashint4(g * 3)) % 600) * interval '1 second',
       (ARRAY['new','paid','shipped','delivered','cancelled','refunded'])[1 + abs(hashint4(g * 5)) % 6],
       (abs(hashint4(g * 7)) % 10000000) / 100.0,
       (ARRAY['EUR','USD','GBP','JPY'])[1 + abs(hashint4(g * 11)) % 4],
       CASE WHEN g % 3 = 0 THEN NULL ELSE
         (ARRAY['leave at door','call before delivery','gift wrap please','fragile','express',''])[1 + abs(hashint4(g * 13)) % 6]
         || ' ' || substr(md5(g::text), 1, 6 + abs(hashint4(g)) % 20) END,
       jsonb_build_object(
         'sku', 'SKU-' || (abs(hashint4(g * 17)) % 50000),
         'qty', 1 + abs(hashint4(g * 19)) % 9,
         'tags', jsonb_build_array((ARRAY['promo','b2b','mobile','web','retail'])[1 + abs(hashint4(g * 23)) % 5], 'v' || (g % 7)),
         'ref', md5((g * 29)::text),
         'score', round(((abs(hashint4(g * 31)) % 100000) / 1000.0)::numeric, 3))
  FROM generate_series(1, $1::int) g;
CREATE INDEX orders_customer ON orders (customer_id);
ANALYZE orders;
`;

const WORDS = [
  'order',
  'customer',
  'payment',
  'invoice',
  'delivery',
  'warehouse',
  'product',
  'service',
  'account',
  'report',
  'status',
  'update',
  'request',
  'support',
  'ticket',
  'review',
  'price',
  'discount',
  'market',
  'region',
  'team',
  'project',
  'release',
  'feature',
  'issue',
  'backup',
  'restore',
  'database',
  'server',
  'network',
  'storage',
  'archive',
  'schedule',
  'policy',
  'contract',
  'partner',
  'budget',
  'forecast',
  'quarter',
  'meeting',
  'summary',
  'detail',
  'reference',
  'version',
  'history',
  'change',
  'result',
  'metric',
];

/** Documents: prose from a 48-word vocabulary with stock sentences and hex tokens, jsonb meta. */
const DOCS_SQL = `
CREATE TABLE docs (
  id bigint PRIMARY KEY,
  author text NOT NULL,
  published_at timestamptz NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  meta jsonb NOT NULL
);
INSERT INTO docs
SELECT g,
       (ARRAY['alice','bob','carol','dave','erin','frank','grace','heidi'])[1 + abs(hashint4(g)) % 8] || '@example.com',
       timestamptz '2021-01-01' + g * interval '41 seconds',
       initcap(w[1 + abs(hashint4(g * 3)) % 48]) || ' ' || w[1 + abs(hashint4(g * 5)) % 48] || ' ' || w[1 + abs(hashint4(g * 7)) % 48],
       (SELECT string_agg(
          CASE WHEN i % 7 = 0 THEN substr(md5((g * 64 + i)::text), 1, 8)
               WHEN i % 5 = 0 THEN (ARRAY['The quick brown fox jumps over the lazy dog.','Please review the attached report before Friday.','Shipping is free for orders above fifty euros.','All prices include value added tax where applicable.'])[1 + abs(hashint4(g * 64 + i)) % 4]
               ELSE w[1 + abs(hashint4(g * 64 + i)) % 48] END, ' ')
          FROM generate_series(1, 30 + abs(hashint4(g * 11)) % 60) i),
       jsonb_build_object(
         'lang', (ARRAY['en','de','fr','es'])[1 + abs(hashint4(g * 13)) % 4],
         'tags', jsonb_build_array(w[1 + abs(hashint4(g * 17)) % 48], w[1 + abs(hashint4(g * 19)) % 48]),
         'stats', jsonb_build_object('views', abs(hashint4(g * 23)) % 100000, 'likes', abs(hashint4(g * 29)) % 1000),
         'revision', 1 + abs(hashint4(g * 31)) % 12,
         'source', 'import-' || (g % 17))
  FROM generate_series(1, $1::int) g,
       LATERAL (SELECT ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}] AS w) words;
ANALYZE docs;
`;

export const SHAPES: Shape[] = [
  {
    name: 'orders',
    table: 'orders',
    describe:
      'mixed types (bigint, int, timestamptz, text, numeric, char, jsonb), about 190 bytes a row in the dump',
    sql: ORDERS_SQL,
    rows: { quick: 600_000, full: 3_500_000, large: 24_000_000 },
  },
  {
    name: 'docs',
    table: 'docs',
    describe:
      'text-heavy documents (prose of 30–90 words, titles, authors) with jsonb metadata, about 1.1 kB a row in the dump',
    sql: DOCS_SQL,
    rows: { quick: 100_000, full: 650_000, large: 4_500_000 },
  },
];

export async function admin<T>(
  fn: (c: pg.Client) => Promise<T>,
  database = 'postgres',
): Promise<T> {
  const c = new pg.Client({ connectionString: `${BASE_URL}/${database}` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function pgEnv(database: string): NodeJS.ProcessEnv {
  const u = new URL(`${BASE_URL}/${database}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGDATABASE: database,
  };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  return env;
}

/** BENCH_DB_PREFIX: the generated databases' name prefix (default lifeboat_bench). */
const DB_PREFIX = process.env.BENCH_DB_PREFIX || 'lifeboat_bench';
if (!/^[a-z_][a-z0-9_]{0,30}$/.test(DB_PREFIX))
  throw new Error('BENCH_DB_PREFIX must be a lower-case SQL identifier of at most 31 characters');

export const dbName = (shape: Shape, rows: number): string =>
  shape.name === 'orders' ? `${DB_PREFIX}_${rows}` : `${DB_PREFIX}_${shape.name}_${rows}`;

/** Creates the shape's database unless one with the same row count exists (it is reused). */
export async function prepareShape(
  shape: Shape,
  rows: number,
): Promise<{ db: string; bytes: number; reused: boolean }> {
  const db = dbName(shape, rows);
  const size = () =>
    admin(async (c) => Number((await c.query('SELECT pg_database_size($1) AS s', [db])).rows[0].s));
  const exists = await admin(
    async (c) =>
      (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db])).rowCount! > 0,
  );
  if (exists) {
    const n = await admin(async (c) => {
      try {
        return Number((await c.query(`SELECT count(*) AS n FROM ${shape.table}`)).rows[0].n);
      } catch {
        return -1;
      }
    }, db);
    if (n === rows) return { db, bytes: await size(), reused: true };
    await admin((c) => c.query(`DROP DATABASE ${db} WITH (FORCE)`));
  }
  console.log(`generating ${rows.toLocaleString('en')} rows of ${shape.name} in ${db} …`);
  await admin((c) => c.query(`CREATE DATABASE ${db}`));
  await admin(async (c) => {
    for (const stmt of shape.sql
      .split(/;\s*\n/)
      .map((s) => s.trim())
      .filter(Boolean)) {
      await c.query(stmt, stmt.includes('$1') ? [rows] : []);
    }
  }, db);
  await admin((c) => c.query('CHECKPOINT'));
  return { db, bytes: await size(), reused: false };
}

export async function dropDatabase(db: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path)).size;
}

async function archiveIn(store: string, set: string): Promise<number> {
  const names = (await readdir(join(store, set))).filter((n) => /\.tar(\.zst|\.gz)?$/.test(n));
  return names.length ? sizeOf(join(store, set, names[0]!)) : 0;
}

/**
 * The size of the pg_dump member (`pg_dump --format=custom --compress=0`'s output) recorded in
 * the sidecar manifest of a backup in a file: store: the raw dump's size without writing one.
 */
async function dumpMemberIn(store: string, set: string): Promise<number> {
  const sidecar = (await readdir(join(store, set))).find((n) => n.endsWith('.manifest.json'));
  if (!sidecar) throw new Error(`no manifest in ${join(store, set)}`);
  const m = JSON.parse(await readFile(join(store, set, sidecar), 'utf8')) as {
    sources: Array<{ members: Array<{ path: string; size?: number }> }>;
  };
  const dumps = m.sources.flatMap((s) => s.members).filter((x) => x.path.endsWith('.pgdump'));
  if (dumps.length !== 1 || dumps[0]!.size === undefined)
    throw new Error(`expected one .pgdump member with a size in ${sidecar}`);
  return dumps[0]!.size;
}

export interface ShapeResult {
  shape: Shape;
  rows: number;
  db: string;
  dbBytes: number;
  rawDump: number;
  pipeOut: number;
  /** Output of `pg_dump -Fc` (default compression) and of `pg_dump | gzip`, last round. */
  fcOut: number;
  gzipOut: number;
  archive: number;
  rounds: number;
  floor: Run;
  pipe: Run;
  /** `pg_dump -Fc > file` with its default compression (zlib at its default level). */
  fc: Run;
  /** `pg_dump | gzip > file`: plain format, gzip's default level. */
  gzip: Run;
  backup: Run;
  backupEstimate: Run;
  verify: Run;
  pgRestore: Run;
  restore: Run;
}

/**
 * Paired runs on one shape: `rounds` rounds of floor, bare pipe, `pg_dump -Fc` (default
 * compression), `pg_dump | gzip`, Lifeboat backup (read-back on) and Lifeboat backup with
 * estimated row counts; then verify; then `restoreRounds` pairs of
 * createdb + pg_restore against Lifeboat restore, each after a CHECKPOINT.
 */
export async function benchShape(
  shape: Shape,
  rows: number,
  rounds: number,
  restoreRounds: number,
): Promise<ShapeResult> {
  const prepared = await prepareShape(shape, rows);
  const { db } = prepared;
  console.log(
    `${shape.name}: database ${db}, ${mib(prepared.bytes)} on disk${prepared.reused ? ' (reused)' : ''}`,
  );
  const work = await mkdtemp(join(tmpdir(), `lifeboat-bench-${shape.name}-`));
  const env = pgEnv(db);
  const url = `${BASE_URL}/${db}`;
  const f = (n: string): string => join(work, n);
  const restoreBase = `${db}_rst_base`;
  const restoreLb = `${db}_rst_lifeboat`;
  const runs: Record<'floor' | 'pipe' | 'fc' | 'gzip' | 'backup' | 'backupEstimate', Run[]> = {
    floor: [],
    pipe: [],
    fc: [],
    gzip: [],
    backup: [],
    backupEstimate: [],
  };
  try {
    const backupArgs = (store: string, extra: string[] = []): string[] => [
      'backup',
      '--source',
      url,
      '--destination',
      `file:${store}`,
      '--name',
      'bench',
      ...extra,
    ];
    for (let r = 0; r < rounds; r++) {
      console.log(` round ${r + 1}/${rounds}`);
      const last = r === rounds - 1;
      const floor = await sh('pg_dump -Fc -Z0 > /dev/null', env);
      logRun('floor pg_dump -Fc -Z0 > /dev/null', floor);
      runs.floor.push(floor);
      const pipe = await sh(`pg_dump -Fc -Z0 | zstd -q -1 -T2 > '${f('pipe.zst')}'`, env);
      logRun('pipe pg_dump -Fc -Z0 | zstd -1 -T2 > file', pipe);
      runs.pipe.push(pipe);
      const fc = await sh(`pg_dump -Fc > '${f('default.dump')}'`, env, 'pg_dump -Fc > file');
      logRun('pg_dump -Fc > file (default compression)', fc);
      runs.fc.push(fc);
      const gzip = await sh(
        `pg_dump | gzip > '${f('plain.sql.gz')}'`,
        env,
        'pg_dump | gzip > file',
      );
      logRun('pg_dump | gzip > file', gzip);
      runs.gzip.push(gzip);
      await rm(f('store'), { recursive: true, force: true });
      const backup = await lifeboat(backupArgs(f('store')), env);
      logRun('lifeboat backup', backup);
      runs.backup.push(backup);
      const est = await lifeboat(
        backupArgs(f('store-est'), ['--row-counts', 'estimate']),
        env,
        'lifeboat backup --row-counts estimate',
      );
      logRun('lifeboat backup --row-counts estimate', est);
      runs.backupEstimate.push(est);
      await rm(f('store-est'), { recursive: true, force: true });
      if (!last) await rm(f('store'), { recursive: true, force: true });
    }
    const pipeOut = await sizeOf(f('pipe.zst'));
    await rm(f('pipe.zst'), { force: true });
    const fcOut = await sizeOf(f('default.dump'));
    const gzipOut = await sizeOf(f('plain.sql.gz'));
    await rm(f('default.dump'), { force: true });
    await rm(f('plain.sql.gz'), { force: true });
    const archive = await archiveIn(f('store'), 'bench');

    const verifies: Run[] = [];
    for (let r = 0; r < rounds; r++) {
      const v = await lifeboat(
        ['verify', '--destination', `file:${f('store')}`, '--name', 'bench'],
        env,
      );
      logRun('lifeboat verify', v);
      verifies.push(v);
    }

    await sh(`pg_dump -Fc -Z0 > '${f('raw.dump')}'`, env, 'pg_dump -Fc -Z0 > raw.dump');
    const rawDump = await sizeOf(f('raw.dump'));
    const settle = (): Promise<unknown> => admin((c) => c.query('CHECKPOINT'));
    const pgRestores: Run[] = [];
    const restores: Run[] = [];
    for (let r = 0; r < restoreRounds; r++) {
      await dropDatabase(restoreBase);
      await dropDatabase(restoreLb);
      await settle();
      const base = await sh(
        `createdb ${restoreBase} && pg_restore --exit-on-error -d ${restoreBase} '${f('raw.dump')}'`,
        env,
        'createdb + pg_restore',
      );
      logRun('createdb + pg_restore', base);
      pgRestores.push(base);
      await dropDatabase(restoreBase);
      await settle();
      const lb = await lifeboat(
        [
          'restore',
          '--destination',
          `file:${f('store')}`,
          '--name',
          'bench',
          '--target',
          `${BASE_URL}/${restoreLb}`,
        ],
        env,
      );
      logRun('lifeboat restore', lb);
      restores.push(lb);
      const n = await admin(
        async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${shape.table}`)).rows[0].n),
        restoreLb,
      );
      if (n !== rows) throw new Error(`the Lifeboat restore holds ${n} rows, expected ${rows}`);
      await dropDatabase(restoreLb);
    }
    return {
      shape,
      rows,
      db,
      dbBytes: prepared.bytes,
      rawDump,
      pipeOut,
      fcOut,
      gzipOut,
      archive,
      rounds,
      floor: medianRun(runs.floor),
      pipe: medianRun(runs.pipe),
      fc: medianRun(runs.fc),
      gzip: medianRun(runs.gzip),
      backup: medianRun(runs.backup),
      backupEstimate: medianRun(runs.backupEstimate),
      verify: medianRun(verifies),
      pgRestore: medianRun(pgRestores),
      restore: medianRun(restores),
    };
  } finally {
    await dropDatabase(restoreBase).catch(() => undefined);
    await dropDatabase(restoreLb).catch(() => undefined);
    if (!process.env.BENCH_KEEP_DB) await dropDatabase(db).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

export interface LargeResult {
  shape: Shape;
  rows: number;
  db: string;
  dbBytes: number;
  /** The raw dump's size: the pg_dump member recorded in Lifeboat's manifest. */
  rawDump: number;
  pipeOut: number;
  archive: number;
  floor: Run;
  pipe: Run;
  /** Read-back on, with a private TMPDIR whose size was sampled (peakTmpBytes). */
  backup: Run;
  verify: Run;
}

/**
 * The full mode's large tier on one shape (≥ 5 GB on disk): ONE round of the floor, the bare
 * pipe, Lifeboat's backup to `file:` (read-back on) and Lifeboat's verify, each Lifeboat run
 * with a private TMPDIR whose size is sampled while it runs. `pg_dump -Fc`, gzip, the
 * estimate run and the restores are left to the 0.75 GB tier. Every output is deleted as soon
 * as it has been measured (the disk is shared).
 */
export async function benchLargeShape(shape: Shape, rows: number): Promise<LargeResult> {
  const prepared = await prepareShape(shape, rows);
  const { db } = prepared;
  console.log(
    `${shape.name} (large): database ${db}, ${mib(prepared.bytes)} on disk${prepared.reused ? ' (reused)' : ''}`,
  );
  const work = await mkdtemp(join(tmpdir(), `lifeboat-bench-${shape.name}-large-`));
  const env = pgEnv(db);
  const store = join(work, 'store');
  const pipeFile = join(work, 'pipe.zst');
  try {
    const floor = await sh('pg_dump -Fc -Z0 > /dev/null', env);
    logRun('floor pg_dump -Fc -Z0 > /dev/null', floor);
    const pipe = await sh(
      `pg_dump -Fc -Z0 | zstd -q -1 -T2 > '${pipeFile}'`,
      env,
      'pg_dump -Fc -Z0 | zstd -1 -T2 > file',
    );
    logRun('pipe pg_dump -Fc -Z0 | zstd -1 -T2 > file', pipe);
    const pipeOut = await sizeOf(pipeFile);
    await rm(pipeFile, { force: true });
    const backup = await lifeboat(
      [
        'backup',
        '--source',
        `${BASE_URL}/${db}`,
        '--destination',
        `file:${store}`,
        '--name',
        'bench',
      ],
      env,
      'lifeboat backup',
      { privateTmp: true },
    );
    logRun('lifeboat backup', backup);
    const archive = await archiveIn(store, 'bench');
    const rawDump = await dumpMemberIn(store, 'bench');
    const verify = await lifeboat(
      ['verify', '--destination', `file:${store}`, '--name', 'bench'],
      env,
      'lifeboat verify',
      { privateTmp: true },
    );
    logRun('lifeboat verify', verify);
    await rm(store, { recursive: true, force: true });
    return {
      shape,
      rows,
      db,
      dbBytes: prepared.bytes,
      rawDump,
      pipeOut,
      archive,
      floor,
      pipe,
      backup,
      verify,
    };
  } finally {
    if (!process.env.BENCH_KEEP_DB) await dropDatabase(db).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** How many times faster (or slower) Lifeboat (`lb` ms) was than a baseline (`base` ms). */
const faster = (base: number, lb: number): string =>
  base >= lb ? `${(base / lb).toFixed(2)} × faster` : `${(lb / base).toFixed(2)} × slower`;

/** Lifeboat's stored size against another output's, to three places (a close call shows). */
const sizeRatio = (lb: number, other: number): string => `${(lb / other).toFixed(3)} ×`;

/** CPU seconds of the Lifeboat process per GiB of dump. */
export const cpuPerGiB = (r: Run, dumpBytes: number): number =>
  r.selfCpuMs! / 1000 / (dumpBytes / GiB);

/** MiB/s of dump content a verify read. */
const verifyRate = (v: Run, dumpBytes: number): number => dumpBytes / MiB / (v.ms / 1000);

export function shapesSection(
  results: ShapeResult[],
  quick: boolean,
  large: LargeResult[] = [],
): string {
  const rows: string[] = [];
  for (const s of results) {
    const name = `\`${s.shape.name}\``;
    const gib = s.rawDump / GiB;
    rows.push(
      `### ${name}: ${s.rows.toLocaleString('en')} rows, ${mib(s.dbBytes)} on disk, raw dump ${mib(s.rawDump)}\n`,
      `${s.shape.describe}; zstd -1 shrinks it ${(s.rawDump / s.pipeOut).toFixed(1)} ×. Medians of ${s.rounds} interleaved rounds; CPU is user + sys.\n`,
      '| run | wall | vs floor | vs bare pipe | CPU, process tree | CPU, Lifeboat process | Lifeboat s/GiB of dump | peak RSS | output |',
      '|---|---|---|---|---|---|---|---|---|',
      `| \`pg_dump -Fc -Z0 > /dev/null\` (floor) | ${sec(s.floor.ms)} | 1.00 × | | ${sec(s.floor.treeCpuMs)} | | | | |`,
      `| \`pg_dump -Fc -Z0 \\| zstd -1 -T2 > file\` (bare pipe) | ${sec(s.pipe.ms)} | ${ratio(s.pipe.ms, s.floor.ms)} | 1.00 × | ${sec(s.pipe.treeCpuMs)} | | | | ${mib(s.pipeOut)} |`,
      `| \`pg_dump -Fc > file\` (default compression) | ${sec(s.fc.ms)} | ${ratio(s.fc.ms, s.floor.ms)} | ${ratio(s.fc.ms, s.pipe.ms)} | ${sec(s.fc.treeCpuMs)} | | | | ${mib(s.fcOut)} |`,
      `| \`pg_dump \\| gzip > file\` (plain format, default level) | ${sec(s.gzip.ms)} | ${ratio(s.gzip.ms, s.floor.ms)} | ${ratio(s.gzip.ms, s.pipe.ms)} | ${sec(s.gzip.treeCpuMs)} | | | | ${mib(s.gzipOut)} |`,
      `| Lifeboat backup (read-back on) | ${sec(s.backup.ms)} | ${ratio(s.backup.ms, s.floor.ms)} | ${ratio(s.backup.ms, s.pipe.ms)} | ${sec(s.backup.treeCpuMs)} | ${sec(s.backup.selfCpuMs!)} | ${cpuPerGiB(s.backup, s.rawDump).toFixed(2)} | ${rssMiB(s.backup.selfRssKb)} | ${mib(s.archive)} |`,
      `| Lifeboat backup, \`row-counts: estimate\` | ${sec(s.backupEstimate.ms)} | ${ratio(s.backupEstimate.ms, s.floor.ms)} | ${ratio(s.backupEstimate.ms, s.pipe.ms)} | ${sec(s.backupEstimate.treeCpuMs)} | ${sec(s.backupEstimate.selfCpuMs!)} | ${cpuPerGiB(s.backupEstimate, s.rawDump).toFixed(2)} | ${rssMiB(s.backupEstimate.selfRssKb)} | |`,
      `| Lifeboat verify | ${sec(s.verify.ms)} (${(s.rawDump / MiB / (s.verify.ms / 1000)).toFixed(0)} MiB/s of content) | | | ${sec(s.verify.treeCpuMs)} | ${sec(s.verify.selfCpuMs!)} | ${cpuPerGiB(s.verify, s.rawDump).toFixed(2)} | ${rssMiB(s.verify.selfRssKb)} | |`,
      `| \`createdb\` + \`pg_restore\` (uncompressed local dump) | ${sec(s.pgRestore.ms)} | | | ${sec(s.pgRestore.treeCpuMs)} | | | | |`,
      `| Lifeboat restore (into a new database) | ${sec(s.restore.ms)} (${ratio(s.restore.ms, s.pgRestore.ms)} \`pg_restore\`) | | | ${sec(s.restore.treeCpuMs)} | ${sec(s.restore.selfCpuMs!)} | ${cpuPerGiB(s.restore, s.rawDump).toFixed(2)} | ${rssMiB(s.restore.selfRssKb)} | |`,
      '',
      `Lifeboat's backup (read-back on) against the pipelines most backup actions use: ${faster(s.fc.ms, s.backup.ms)} than \`pg_dump -Fc\` and ${faster(s.gzip.ms, s.backup.ms)} than \`pg_dump | gzip\`; its stored archive is ${sizeRatio(s.archive, s.gzipOut)} the size of gzip's output (${mib(s.archive)} vs ${mib(s.gzipOut)}; \`pg_dump -Fc\` wrote ${mib(s.fcOut)}).`,
      '',
      `The inventory's exact row counts cost ${sec(s.backup.ms - s.backupEstimate.ms)} of wall time here (${(((s.backup.ms - s.backupEstimate.ms) / s.backup.ms) * 100).toFixed(0)} % of the backup; a negative figure means the estimate run was the slower one, i.e. noise).`,
      '',
    );
    void gib;
  }
  for (const s of large) {
    const tmp = (r: Run): string => (r.peakTmpBytes === undefined ? '—' : mib(r.peakTmpBytes));
    rows.push(
      `### Large tier: \`${s.shape.name}\`, ${s.rows.toLocaleString('en')} rows, ${mib(s.dbBytes)} on disk, raw dump ${mib(s.rawDump)}\n`,
      `${s.shape.describe}; zstd -1 shrinks it ${(s.rawDump / s.pipeOut).toFixed(1)} ×. One round (no medians); CPU is user + sys. Not run at this size: \`pg_dump -Fc\` with its default compression, \`pg_dump | gzip\`, the \`row-counts: estimate\` backup and the restores (restores are measured on the smaller databases above). The raw dump's size is that of the pg_dump member in Lifeboat's manifest (no uncompressed dump is written at this size). Peak temp disk: the largest total size of the Lifeboat run's own private TMPDIR, sampled every 50 ms while it ran. Each output was deleted as soon as it was measured.\n`,
      '| run | wall | vs floor | vs bare pipe | CPU, process tree | CPU, Lifeboat process | Lifeboat s/GiB of dump | peak RSS | peak temp disk | output |',
      '|---|---|---|---|---|---|---|---|---|---|',
      `| \`pg_dump -Fc -Z0 > /dev/null\` (floor) | ${sec(s.floor.ms)} | 1.00 × | | ${sec(s.floor.treeCpuMs)} | | | | | |`,
      `| \`pg_dump -Fc -Z0 \\| zstd -1 -T2 > file\` (bare pipe) | ${sec(s.pipe.ms)} | ${ratio(s.pipe.ms, s.floor.ms)} | 1.00 × | ${sec(s.pipe.treeCpuMs)} | | | | | ${mib(s.pipeOut)} |`,
      `| Lifeboat backup to \`file:\` (read-back on) | ${sec(s.backup.ms)} | ${ratio(s.backup.ms, s.floor.ms)} | ${ratio(s.backup.ms, s.pipe.ms)} | ${sec(s.backup.treeCpuMs)} | ${sec(s.backup.selfCpuMs!)} | ${cpuPerGiB(s.backup, s.rawDump).toFixed(2)} | ${rssMiB(s.backup.selfRssKb)} | ${tmp(s.backup)} | ${mib(s.archive)} |`,
      `| Lifeboat verify | ${sec(s.verify.ms)} (${verifyRate(s.verify, s.rawDump).toFixed(0)} MiB/s of content) | | | ${sec(s.verify.treeCpuMs)} | ${sec(s.verify.selfCpuMs!)} | ${cpuPerGiB(s.verify, s.rawDump).toFixed(2)} | ${rssMiB(s.verify.selfRssKb)} | ${tmp(s.verify)} | |`,
      '',
    );
  }
  // DESIGN §6's targets and issue #18's stricter ones; where both set a limit on the same
  // figure, both rows are listed, each with its own verdict.
  const targets: string[] = ['| target | from | shape | measured | |', '|---|---|---|---|---|'];
  for (const s of results) {
    const n = `\`${s.shape.name}\``;
    const perGiB = cpuPerGiB(s.backup, s.rawDump);
    const verifyRate = s.rawDump / MiB / (s.verify.ms / 1000);
    const peak = Math.max(s.backup.selfRssKb!, s.verify.selfRssKb!, s.restore.selfRssKb!);
    const restore = ratio(s.restore.ms, s.pgRestore.ms);
    targets.push(
      `| backup ≤ 1.3 × the floor | DESIGN §6 | ${n} | ${ratio(s.backup.ms, s.floor.ms)} | ${check(s.backup.ms <= 1.3 * s.floor.ms)} |`,
      `| backup ≤ 1.15 × the bare pipe | issue #18 | ${n} | ${ratio(s.backup.ms, s.pipe.ms)} | ${check(s.backup.ms <= 1.15 * s.pipe.ms)} |`,
      `| backup ≥ 3 × faster than \`pg_dump -Fc\` (default compression) | DESIGN §6 | ${n} | ${faster(s.fc.ms, s.backup.ms)} | ${check(s.fc.ms >= 3 * s.backup.ms)} |`,
      `| backup ≥ 3 × faster than \`pg_dump \\| gzip\` | DESIGN §6 | ${n} | ${faster(s.gzip.ms, s.backup.ms)} | ${check(s.gzip.ms >= 3 * s.backup.ms)} |`,
      `| output no larger than \`pg_dump \\| gzip\`'s | DESIGN §6 | ${n} | ${mib(s.archive)} vs ${mib(s.gzipOut)} (${sizeRatio(s.archive, s.gzipOut)}) | ${check(s.archive <= s.gzipOut)} |`,
      `| Lifeboat process ≤ 1.5 s CPU per GiB of dump (backup) | issue #18 | ${n} | ${perGiB.toFixed(2)} s/GiB | ${check(perGiB <= 1.5)} |`,
      `| verify ≥ 300 MiB/s of content | DESIGN §6 | ${n} | ${verifyRate.toFixed(0)} MiB/s | ${check(verifyRate >= 300)} |`,
      `| verify ≥ 400 MiB/s of content | issue #18 | ${n} | ${verifyRate.toFixed(0)} MiB/s | ${check(verifyRate >= 400)} |`,
      `| restore from \`file:\` ≤ 1.15 × \`createdb\` + \`pg_restore\` (S3 not measured here) | DESIGN §6 | ${n} | ${restore} | ${check(s.restore.ms <= 1.15 * s.pgRestore.ms)} |`,
      `| restore ≤ 1.05 × \`createdb\` + \`pg_restore\` | issue #18 | ${n} | ${restore} | ${check(s.restore.ms <= 1.05 * s.pgRestore.ms)} |`,
      `| peak RSS ≤ 200 MB (= 191 MiB; backup, verify, restore) | DESIGN §6 | ${n} | ${rssMiB(peak)} | ${check(peak * 1024 <= 200e6)} |`,
      `| peak RSS ≤ 128 MiB (backup, verify, restore) | issue #18 | ${n} | ${rssMiB(peak)} | ${check(peak <= 128 * 1024)} |`,
    );
  }
  // The large tier's targets: issue #18's, on the figures measured at that size.
  for (const s of large) {
    const n = `\`${s.shape.name}\` (large)`;
    const perGiB = cpuPerGiB(s.backup, s.rawDump);
    const rate = verifyRate(s.verify, s.rawDump);
    const peak = Math.max(s.backup.selfRssKb!, s.verify.selfRssKb!);
    const tmp = Math.max(s.backup.peakTmpBytes!, s.verify.peakTmpBytes!);
    targets.push(
      `| backup ≤ 1.3 × the floor | DESIGN §6 | ${n} | ${ratio(s.backup.ms, s.floor.ms)} | ${check(s.backup.ms <= 1.3 * s.floor.ms)} |`,
      `| backup ≤ 1.15 × the bare pipe | issue #18 | ${n} | ${ratio(s.backup.ms, s.pipe.ms)} | ${check(s.backup.ms <= 1.15 * s.pipe.ms)} |`,
      `| Lifeboat process ≤ 1.5 s CPU per GiB of dump (backup) | issue #18 | ${n} | ${perGiB.toFixed(2)} s/GiB | ${check(perGiB <= 1.5)} |`,
      `| verify ≥ 400 MiB/s of content | issue #18 | ${n} | ${rate.toFixed(0)} MiB/s | ${check(rate >= 400)} |`,
      `| peak RSS ≤ 128 MiB (backup, verify; restores are measured on the smaller databases) | issue #18 | ${n} | ${rssMiB(peak)} | ${check(peak <= 128 * 1024)} |`,
      `| temporary disk ≤ 64 MiB, streaming destination (backup, verify) | issue #18 | ${n} | ${mib(tmp)} | ${check(tmp <= 64 * MiB)} |`,
    );
  }
  const sizes = quick ? ' (quick sizes)' : large.length ? ' at two sizes' : '';
  return [
    `## PostgreSQL: two shapes of data${sizes}`,
    '',
    ...rows,
    '### PostgreSQL targets (DESIGN §6 and issue #18)',
    '',
    ...targets,
  ].join('\n');
}
