/**
 * Parallel streaming PostgreSQL dumps and restores (`jobs` > 1), without a temporary copy.
 *
 * Backup: the coordinating session (dump.ts) holds a REPEATABLE READ transaction and exports
 * its snapshot. From that one snapshot:
 *   - `schema.pgdump`: `pg_dump --section=pre-data --section=post-data` (small);
 *   - `data-<k>.pgdump`, k = 0…N-1: `pg_dump --section=data`, worker k ≥ 1 with `--table` for its
 *     share of the tables (largest first, balanced by size), worker 0 with everything else
 *     (`--exclude-table-data` for the others' tables): the small tables, sequence values and
 *     large objects.
 * Every data stream is cut into segments of SEGMENT_SIZE bytes, each one archive member
 * `data-<k>.pgdump.<nnnnnn>` (one tar entry, never chunked at the default chunk size), written as
 * soon as it is full, so N workers stream into the one archive at the same time and each holds
 * at most one segment in memory. `cat data-<k>.pgdump.* > data-<k>.pgdump` gives back worker k's
 * custom-format dump. The layout (which worker holds which tables, how many segments) is in the
 * manifest's source details (`details.parallel`).
 *
 * Restore: the schema member (the only thing written to disk) gets `pg_restore --section=pre-data`,
 * then every worker's segments are fed, as they come out of the archive, to one `pg_restore` per
 * worker at the same time, then `pg_restore --section=post-data --jobs=N` builds indexes,
 * constraints and triggers in parallel.
 */
import { availableParallelism } from 'node:os';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type { Inventory, MemberSink } from '../../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import type { OptionValues } from '../../options/schema.ts';
import type { SourceContext } from '../types.ts';
import { filterArgs, filterSql, readInventory } from './inventory.ts';
import type { PgFilters, RowCounts } from './inventory.ts';
import {
  dumpStream,
  exitText,
  formatArchiveVersion,
  largeWriter,
  parseDumpHeader,
  startTool,
} from './tools.ts';
import type { PgClient, ToolRun } from './tools.ts';

/** Bytes per data segment: one tar entry at the default 4 MiB chunk size. */
export const SEGMENT_SIZE = 4 * 1024 * 1024;
/** At most this many (the largest) tables are shared out by name; smaller ones stay with worker 0. */
const MAX_LISTED_TABLES = 2000;
export const SCHEMA_MEMBER = 'schema.pgdump';

/** `jobs`: a whole number of 1 or more, or `auto` (this machine's cores). */
export function parseJobs(value: unknown, dflt: number): number {
  if (value === undefined || value === '') return dflt;
  if (value === 'auto') return Math.max(1, availableParallelism());
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 1) {
    throw new ConfigError(
      'jobs',
      `'${String(value)}' is not a whole number of 1 or more, nor auto`,
      {
        hint: 'use jobs: 4, or jobs: auto for one job per core of this machine',
      },
    );
  }
  return n;
}

export function jobsOption(options: Readonly<OptionValues>, dflt: number): number {
  return parseJobs(options.jobs, dflt);
}

export interface ParallelWorker {
  /** Member name of this worker's dump, before the segment number. */
  member: string;
  segments: number;
  bytes: number;
  /** The tables whose data this worker holds (worker 0: those known, see `rest`). */
  tables: string[];
  /** Worker 0: also every other table's data, sequence values and large objects. */
  rest?: boolean;
  /** Worker 0: tables it holds beyond those listed. */
  moreTables?: number;
}

/** `details.parallel` of a parallel backup. */
export interface ParallelLayout {
  /** Folder of the members, relative to the source folder. */
  folder: string;
  schema: string;
  segmentSize: number;
  workers: ParallelWorker[];
}

interface TableSize {
  schema: string;
  name: string;
  bytes: number;
}

/** A pg_dump pattern that matches exactly this table (quoted: no wildcard, case kept). */
export function exactPattern(t: { schema: string; name: string }): string {
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  return `${q(t.schema)}.${q(t.name)}`;
}

/**
 * Share tables out to `jobs` workers, largest first, each to the least loaded worker (ties: the
 * lowest number). Worker 0 starts with the tables beyond MAX_LISTED_TABLES (the smallest).
 */
export function planWorkers(
  tables: TableSize[],
  jobs: number,
): { listed: TableSize[][]; unlisted: TableSize[] } {
  const sorted = [...tables].sort(
    (a, b) => b.bytes - a.bytes || a.schema.localeCompare(b.schema) || a.name.localeCompare(b.name),
  );
  const listedTables = sorted.slice(0, MAX_LISTED_TABLES);
  const unlisted = sorted.slice(MAX_LISTED_TABLES);
  const loads = new Array<number>(jobs).fill(0);
  loads[0] = unlisted.reduce((s, t) => s + t.bytes, 0);
  const listed: TableSize[][] = Array.from({ length: jobs }, () => []);
  for (const t of listedTables) {
    // Worker 0 also dumps sequences and large objects: on a tie, another worker takes the table.
    let best = jobs > 1 ? 1 : 0;
    for (let k = 0; k < jobs; k++) if (loads[k]! < loads[best]!) best = k;
    listed[best]!.push(t);
    loads[best]! += Math.max(t.bytes, 8192);
  }
  return { listed, unlisted };
}

function tableName(t: { schema: string; name: string }): string {
  return `${t.schema}.${t.name}`;
}

/** Writes members one after another whoever calls, so every member is whole and in call order. */
function serialSink(sink: MemberSink): (path: string, body: Readable | Buffer) => Promise<void> {
  let chain: Promise<unknown> = Promise.resolve();
  return (path, body) => {
    const run = chain.then(() => sink.addFile(path, body, { mode: 0o600 }));
    chain = run.catch(() => undefined);
    return run.then(() => undefined);
  };
}

/** The last table pg_dump --verbose (or pg_restore --verbose) said it was working on. */
function lastTable(run: ToolRun): string | undefined {
  const tail = run.process.stderrTail(400);
  const all = [...tail.matchAll(/(?:dumping contents of|processing data for) table "([^"]+)"/g)];
  return all.length ? all[all.length - 1]![1] : undefined;
}

/** The tool's stderr tail without its --verbose progress lines. */
function problemLines(run: ToolRun): string {
  return run.process
    .stderrTail(400)
    .split('\n')
    .filter((l) => !/^pg_(dump|restore): (?!error|warning|detail|hint)/.test(l))
    .slice(-12)
    .join('\n');
}

export interface ParallelDumpInput {
  client: pg.Client;
  dumpClient: PgClient;
  /** Environment of the workers (connection, password); PGAPPNAME is set per worker. */
  env: NodeJS.ProcessEnv;
  snapshot: string;
  jobs: number;
  /** Member folder, e.g. `app.pgpar`. */
  folder: string;
  database: string;
  filters: PgFilters;
  rowCounts: RowCounts;
  details: Record<string, unknown>;
}

/**
 * The parallel dump. Fails (and stops every worker) when any worker fails, the coordinating
 * session is lost, or the sink fails; the error names the worker and the table it was dumping.
 */
export async function dumpParallel(
  sink: MemberSink,
  ctx: SourceContext,
  input: ParallelDumpInput,
): Promise<Inventory> {
  const { client, dumpClient, snapshot, jobs, folder, filters } = input;
  const params: unknown[] = [];
  const where = filterSql(filters, 'tables', params);
  const sizes = await client.query<{ nspname: string; relname: string; bytes: string | null }>(
    `SELECT n.nspname, c.relname, pg_table_size(c.oid) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
            AND d.objid = c.oid AND d.deptype = 'e') AND (${where})`,
    params,
  );
  const tables = sizes.rows.map((r) => ({
    schema: r.nspname,
    name: r.relname,
    bytes: Number(r.bytes ?? 0),
  }));
  const { listed } = planWorkers(tables, jobs);
  const total = tables.reduce((s, t) => s + t.bytes, 0);
  // Workers 1… with no table have nothing to do; worker 0 always runs (sequences, large objects).
  const active = listed
    .map((l, k) => ({ k, tables: l }))
    .filter((w) => w.k === 0 || w.tables.length);
  const others = active.filter((w) => w.k !== 0).flatMap((w) => w.tables);
  ctx.log.info(
    `dumping with ${active.length} parallel pg_dump workers on one snapshot (${tables.length} tables, ${formatBytes(total)} on the server)`,
  );

  const add = serialSink(sink);
  const runs: ToolRun[] = [];
  let failure: Error | undefined;
  const fail = (err: Error): void => {
    if (failure) return;
    failure = err;
    for (const r of runs) r.process.stop();
  };
  const onLost = (err?: Error): void =>
    fail(
      new SourceError(
        `the coordinating session holding the snapshot of "${input.database}" was lost${err ? ` (${ctx.redactor.redact(err.message)})` : ''}; the parallel dump was stopped`,
      ),
    );
  const onError = (err: Error): void => onLost(err);
  const onEnd = (): void => onLost();
  client.on('error', onError);
  client.on('end', onEnd);

  const base = ['--no-password', '--format=custom', '--compress=0', `--snapshot=${snapshot}`];
  const wrapper = await largeWriter(dumpClient, input.env);
  const start = (name: string, args: string[]): ToolRun => {
    const run = startTool(
      dumpClient,
      [...base, ...args],
      { ...input.env, PGAPPNAME: `lifeboat pg_dump ${name}` },
      'ignore',
      'pipe',
      ctx,
      wrapper,
    );
    runs.push(run);
    if (failure) run.process.stop();
    return run;
  };

  let header: Buffer | undefined;
  const workers: ParallelWorker[] = [];
  /** Streams one worker's stdout into the archive, cut into segment members. */
  const pump = async (run: ToolRun, who: string, record: ParallelWorker): Promise<void> => {
    let parts: Buffer[] = [];
    let len = 0;
    let bytes = 0;
    let seq = 0;
    let head = Buffer.alloc(0);
    const segmentName = (): string => `${folder}/${record.member}.${String(seq).padStart(6, '0')}`;
    const flush = async (n: number): Promise<void> => {
      const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      const piece = all.subarray(0, n);
      const rest = all.subarray(n);
      parts = rest.length ? [rest] : [];
      len = rest.length;
      await add(segmentName(), piece);
      seq++;
    };
    try {
      for await (const c of run.child.stdout! as AsyncIterable<Buffer>) {
        if (failure) break;
        if (head.length < 8) head = Buffer.concat([head, c]).subarray(0, 8);
        parts.push(c);
        len += c.length;
        bytes += c.length;
        while (len >= SEGMENT_SIZE && !failure) await flush(SEGMENT_SIZE);
      }
      const r = await run.exited;
      if (failure) return;
      let problem: string | undefined;
      if (ctx.signal?.aborted) problem = 'the run was cancelled';
      else if (r.code !== 0) problem = exitText(r);
      else if (bytes === 0) problem = 'it wrote 0 bytes';
      else if (!parseDumpHeader(head)) problem = 'its output is not a custom-format dump';
      if (problem !== undefined) {
        const table = lastTable(run);
        const tail = problemLines(run);
        throw new SourceError(
          `pg_dump ${who} of database "${input.database}" failed${table ? ` while dumping table "${table}"` : ''} (${problem}) after ${formatBytes(bytes)}${tail ? `:\n${tail}` : ''}`,
          {
            hint: 'the dump is incomplete and was not stored; the other workers were stopped; check the server log and the message above, then run again',
          },
        );
      }
      if (len > 0) await flush(len);
      header ??= head;
      record.segments = seq;
      record.bytes = bytes;
    } catch (err) {
      fail(err as Error);
      throw err;
    }
  };

  try {
    const jobsDone: Promise<void>[] = [];
    // The schema first in the archive (a restore needs its pre-data before any table data).
    const schemaRun = start('schema', [
      '--section=pre-data',
      '--section=post-data',
      ...filterArgs(filters),
    ]);
    const schemaStream = dumpStream(
      schemaRun,
      `pg_dump of the schema of database "${input.database}"`,
      ctx,
      () => {},
    );
    jobsDone.push(
      add(`${folder}/${SCHEMA_MEMBER}`, schemaStream).catch((err: unknown) => {
        fail(err as Error);
        throw err;
      }),
    );
    for (const w of active) {
      const member = `data-${w.k}.pgdump`;
      const args =
        w.k === 0
          ? [
              '--section=data',
              '--verbose',
              ...filterArgs(filters),
              ...others.map((t) => `--exclude-table-data=${exactPattern(t)}`),
            ]
          : ['--section=data', '--verbose', ...w.tables.map((t) => `--table=${exactPattern(t)}`)];
      const record: ParallelWorker = {
        member,
        segments: 0,
        bytes: 0,
        tables: w.tables.map(tableName),
        ...(w.k === 0 ? { rest: true } : {}),
      };
      if (w.k === 0) {
        const known = new Set(others.map(tableName));
        const mine = tables.filter((t) => !known.has(tableName(t))).map(tableName);
        record.tables = mine.slice(0, MAX_LISTED_TABLES).sort();
        if (mine.length > MAX_LISTED_TABLES) record.moreTables = mine.length - MAX_LISTED_TABLES;
      }
      workers.push(record);
      const shown = w.tables.slice(0, 5).map(tableName).join(', ');
      const who = `worker ${w.k} of ${active.length} (${w.k === 0 ? 'sequences, large objects and the other tables' : `tables ${shown}${w.tables.length > 5 ? ` and ${w.tables.length - 5} more` : ''}`})`;
      jobsDone.push(pump(start(`w${w.k}`, args), who, record));
    }
    // The inventory is read in the same snapshot, beside the workers; without parallel query
    // workers of its own, so its count(*) scans leave the cores to the dump workers.
    await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
    const counting = readInventory(client, filters, input.rowCounts).catch((err: unknown) => {
      fail(
        new SourceError(
          `reading the inventory of "${input.database}" failed: ${ctx.redactor.redact((err as Error).message)}`,
          { cause: err },
        ),
      );
      return undefined;
    });
    await Promise.allSettled(jobsDone);
    const inventory = await counting;
    if (failure) throw failure;
    if (!inventory) throw new SourceError('the inventory was not read');
    const layout: ParallelLayout = {
      folder,
      schema: SCHEMA_MEMBER,
      segmentSize: SEGMENT_SIZE,
      workers,
    };
    input.details.format = 'parallel';
    input.details.member = folder;
    input.details.jobs = active.length;
    input.details.parallel = layout;
    const v = header ? parseDumpHeader(header) : undefined;
    if (v) input.details.archiveVersion = formatArchiveVersion(v);
    return inventory;
  } finally {
    for (const r of runs) r.process.stop();
    await Promise.all(runs.map((r) => r.exited));
    client.off('error', onError);
    client.off('end', onEnd);
  }
}

/** The layout of a parallel backup's details, checked enough to use safely. */
export function layoutOf(details: Record<string, unknown>): ParallelLayout {
  const p = details.parallel as ParallelLayout | undefined;
  if (
    !p ||
    typeof p.folder !== 'string' ||
    typeof p.schema !== 'string' ||
    !Array.isArray(p.workers) ||
    p.workers.some((w) => typeof w.member !== 'string' || !Number.isInteger(w.segments))
  ) {
    throw new IntegrityError('the manifest of this parallel PostgreSQL backup has no valid layout');
  }
  return p;
}

/** Which part of a parallel backup a member is. */
export function classify(
  layout: ParallelLayout,
  path: string,
): { kind: 'schema' } | { kind: 'segment'; worker: number; seq: number } | undefined {
  const prefix = `${layout.folder}/`;
  if (!path.startsWith(prefix)) return undefined;
  const rel = path.slice(prefix.length);
  if (rel === layout.schema) return { kind: 'schema' };
  for (let k = 0; k < layout.workers.length; k++) {
    const m = layout.workers[k]!.member;
    if (rel.startsWith(`${m}.`) && /^\d{6,}$/.test(rel.slice(m.length + 1))) {
      return { kind: 'segment', worker: k, seq: Number(rel.slice(m.length + 1)) };
    }
  }
  return undefined;
}

/** Segments queued per worker on restore (each at most SEGMENT_SIZE bytes in memory). */
const QUEUE_DEPTH = 3;

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** Write into a tool's stdin without ending it; a tool that has gone (or stopped reading) is skipped. */
async function writeAll(run: ToolRun, data: Buffer): Promise<void> {
  const stdin = run.child.stdin!;
  if (stdin.destroyed || stdin.writableEnded || run.child.exitCode !== null) return;
  if (stdin.write(data)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      stdin.off('drain', done);
      stdin.off('close', done);
      stdin.off('error', done);
      resolve();
    };
    stdin.on('drain', done);
    stdin.on('close', done);
    stdin.on('error', done);
  });
}

/**
 * One tool per data worker, fed its segments as they come out of the archive (restore: pg_restore
 * into the staged database; verify: pg_restore --list).
 */
export class SegmentFeeder {
  readonly #layout: ParallelLayout;
  readonly #start: (worker: number) => ToolRun;
  readonly #what: string;
  readonly #runs = new Map<number, ToolRun>();
  readonly #next = new Map<number, number>();
  /** Per worker: segments read but not yet written into its tool, and the write chain. */
  readonly #queued = new Map<number, number>();
  readonly #chains = new Map<number, Promise<void>>();
  readonly #freed: Array<() => void> = [];
  #failure: Error | undefined;
  #stopping = false;

  constructor(layout: ParallelLayout, what: string, start: (worker: number) => ToolRun) {
    this.#layout = layout;
    this.#what = what;
    this.#start = start;
  }

  #watch(k: number, run: ToolRun): void {
    run.child.stdin!.on('error', () => {});
    void run.exited.then((r) => {
      if (this.#stopping || r.code === 0 || this.#failure) return;
      this.#failure = this.#error(k, run, r);
      this.stop();
    });
  }

  #error(
    k: number,
    run: ToolRun,
    r: { code: number | null; signal: NodeJS.Signals | null },
  ): Error {
    const w = this.#layout.workers[k]!;
    const table = lastTable(run);
    const tail = problemLines(run);
    return new SourceError(
      `${this.#what} of worker ${k} (${w.member}) failed${table ? ` at table "${table}"` : ''} (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
    );
  }

  async segment(k: number, seq: number, body: Readable): Promise<void> {
    if (this.#failure) throw this.#failure;
    const want = this.#next.get(k) ?? 0;
    const w = this.#layout.workers[k]!;
    if (seq !== want || seq >= w.segments) {
      throw new IntegrityError(
        `segment ${seq} of ${w.member} comes where segment ${want} of ${w.segments} was expected`,
      );
    }
    this.#next.set(k, want + 1);
    let run = this.#runs.get(k);
    if (!run) {
      run = this.#start(k);
      this.#runs.set(k, run);
      this.#watch(k, run);
    }
    // Read the whole segment (its checksums are checked as it is read), then queue it for this
    // worker's tool: the archive reader moves on to other workers' segments while this one loads,
    // so a slow worker does not hold up the others until its queue is full.
    const data = await readAll(body);
    while ((this.#queued.get(k) ?? 0) >= QUEUE_DEPTH && !this.#failure) {
      await new Promise<void>((resolve) => this.#freed.push(resolve));
    }
    if (this.#failure) throw this.#failure;
    this.#queued.set(k, (this.#queued.get(k) ?? 0) + 1);
    const last = seq === w.segments - 1;
    const target = run;
    const next = (this.#chains.get(k) ?? Promise.resolve()).then(async () => {
      try {
        await writeAll(target, data);
        if (last && !target.child.stdin!.destroyed) target.child.stdin!.end();
      } finally {
        this.#queued.set(k, this.#queued.get(k)! - 1);
        for (const wake of this.#freed.splice(0)) wake();
      }
    });
    this.#chains.set(k, next);
  }

  /** Every segment arrived and every tool exited 0; otherwise the first failure. */
  async finish(): Promise<void> {
    for (let k = 0; k < this.#layout.workers.length; k++) {
      const w = this.#layout.workers[k]!;
      const got = this.#next.get(k) ?? 0;
      if (got !== w.segments) {
        this.stop();
        throw new IntegrityError(
          `the archive holds ${got} of the ${w.segments} segments of ${w.member}`,
        );
      }
    }
    await Promise.all(this.#chains.values());
    for (const [k, run] of this.#runs) {
      const r = await run.exited;
      if (this.#failure) break;
      if (r.code !== 0) this.#failure = this.#error(k, run, r);
    }
    if (this.#failure) {
      this.stop();
      throw this.#failure;
    }
  }

  stop(): void {
    this.#stopping = true;
    for (const wake of this.#freed.splice(0)) wake();
    for (const run of this.#runs.values()) {
      run.child.stdin?.destroy();
      run.process.stop();
    }
  }

  async stopped(): Promise<void> {
    this.stop();
    await Promise.all([...this.#runs.values()].map((r) => r.exited));
    await Promise.all(this.#chains.values());
  }
}

/** Spool the schema member (small: no table data) to a private folder; returns the file. */
export async function spoolSchema(
  body: Readable,
  tmpDir: string,
): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpDir, 'pgschema-'));
  const file = join(dir, SCHEMA_MEMBER);
  try {
    await pipeline(body, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, file };
}
