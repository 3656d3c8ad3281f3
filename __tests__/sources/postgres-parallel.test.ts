import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import pg from 'pg';
import type {
  ArchiveEntry,
  MemberMeta,
  MemberRecord,
  SourceManifest,
} from '../../src/archive/types.ts';
import { ConfigError, SourceError } from '../../src/core/errors.ts';
import { pgDriver } from '../../src/sources/postgres/index.ts';
import {
  exactPattern,
  parseJobs,
  planWorkers,
  SEGMENT_SIZE,
  type ParallelLayout,
} from '../../src/sources/postgres/parallel.ts';
import { restoreNow, type DumpResult } from '../../src/sources/types.ts';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import { runEngine } from '../helpers/engine.ts';
import {
  FIXTURE_SQL,
  contentDigests,
  databasesLike,
  dropDb,
  localServer,
  localUrl,
  makeCtx,
  query,
  schemaDump,
  uniqueDb,
} from './postgres-fixture.ts';

/** One table of about `mb` MB (several segments) and `small` tiny tables, besides the fixture. */
function bigAndSmallSql(mb: number, small: number): string {
  const rows = Math.round((mb * 1024 * 1024) / 80);
  let sql = `CREATE TABLE public.huge (id bigint PRIMARY KEY, t text, j jsonb);
INSERT INTO public.huge SELECT g, md5(g::text) || md5((g * 7)::text), jsonb_build_object('g', g) FROM generate_series(1, ${rows}) g;
CREATE INDEX huge_t ON public.huge (t);
CREATE TABLE "Mixed Case"."Weird.name*" (id int PRIMARY KEY, v text);
INSERT INTO "Mixed Case"."Weird.name*" SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g;
CREATE TABLE public.medium AS SELECT g AS id, repeat('y', 100) AS v FROM generate_series(1, 60000) g;
ALTER TABLE audit.log ADD CONSTRAINT log_action_check CHECK (action <> '');
`;
  sql = `CREATE SCHEMA "Mixed Case";\n${sql}`;
  for (let i = 0; i < small; i++) {
    sql += `CREATE TABLE public.small_${i} (id serial PRIMARY KEY, v text); INSERT INTO public.small_${i} (v) SELECT 'v' || g FROM generate_series(1, ${i + 1}) g;\n`;
  }
  return sql;
}

function manifestOf(buf: MemberBuffer, res: DumpResult, url: string): SourceManifest {
  return {
    name: 'db',
    kind: 'postgres',
    url,
    versions: res.versions,
    inventory: res.inventory,
    members: buf.records(),
    details: res.details,
    durationMs: 0,
  };
}

/** A MemberBuffer that runs `hook` once, when the first member whose path matches is added. */
class HookedBuffer extends MemberBuffer {
  #hook: ((path: string) => Promise<void>) | undefined;
  readonly #match: RegExp;
  constructor(match: RegExp, hook: (path: string) => Promise<void>) {
    super();
    this.#match = match;
    this.#hook = hook;
  }
  override async addFile(
    path: string,
    body: Readable | Buffer,
    meta?: MemberMeta,
  ): Promise<MemberRecord> {
    if (this.#hook && this.#match.test(path)) {
      const h = this.#hook;
      this.#hook = undefined;
      await h(path);
    }
    return super.addFile(path, body, meta);
  }
}

async function backendOf(db: string, app: string, extra = 'true'): Promise<number> {
  for (;;) {
    const r = await admin!.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND ${extra}`,
      [db, app],
    );
    if (r.rows[0]) return r.rows[0].pid;
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Waits until no backend of Lifeboat's tools is connected to `db` (they end after their client). */
async function noToolBackends(db: string): Promise<void> {
  for (;;) {
    const r = await admin!.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'lifeboat%'`,
      [db],
    );
    if (r.rows[0]!.n === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

let admin: pg.Client | undefined;
const created: string[] = [];

async function freshDb(prefix: string, sql: string): Promise<string> {
  const db = uniqueDb(prefix);
  created.push(db);
  await admin!.query(`CREATE DATABASE ${db}`);
  await query(db, sql);
  await query(db, 'ANALYZE');
  return db;
}

before(async () => {
  admin = await localServer();
});
after(async () => {
  if (!admin) return;
  for (const db of created) await dropDb(admin, db);
  await admin.end();
});

describe('parallel PostgreSQL dumps: planning', () => {
  test('jobs is a whole number or auto', () => {
    assert.equal(parseJobs(undefined, 1), 1);
    assert.equal(parseJobs(3, 1), 3);
    assert.equal(parseJobs('4', 1), 4);
    assert.ok(parseJobs('auto', 1) >= 1);
    assert.throws(() => parseJobs('0', 1), ConfigError);
    assert.throws(() => parseJobs('two', 1), ConfigError);
  });

  test('tables are shared out largest first to the least loaded worker', () => {
    const t = (name: string, mb: number) => ({ schema: 's', name, bytes: mb * 1e6 });
    const { listed } = planWorkers([t('a', 100), t('b', 60), t('c', 50), t('d', 10)], 2);
    assert.deepEqual(
      listed.map((l) => l.map((x) => x.name)),
      [
        ['b', 'c'],
        ['a', 'd'],
      ],
    );
  });

  test('exact patterns quote names so wildcards and dots are literal', () => {
    assert.equal(
      exactPattern({ schema: 'Mixed Case', name: 'we"ird.name*' }),
      '"Mixed Case"."we""ird.name*"',
    );
  });
});

describe('parallel PostgreSQL dumps and restores against the local server', () => {
  test('three workers on one snapshot: exotic schema, one huge table, many small ones, restored in parallel', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('par', `${FIXTURE_SQL};\n${bigAndSmallSql(14, 40)}`);
    const ctx = await makeCtx({ jobs: 3 });
    try {
      const source = pgDriver.open(localUrl(db), ctx);
      const buf = new MemberBuffer();
      const res = await source.dump(buf, ctx);
      const manifest = manifestOf(buf, res, source.displayUrl);
      const layout = res.details!.parallel as ParallelLayout;
      assert.equal(res.details!.format, 'parallel');
      assert.equal(layout.folder, `${db}.pgpar`);
      const paths = buf.records().map((r) => r.path);
      assert.equal(paths[0], `${db}.pgpar/schema.pgdump`);
      assert.equal(layout.workers.length, 3);
      // The huge table has a worker to itself, in several segments of at most SEGMENT_SIZE.
      const hugeWorker = layout.workers.find((w) => w.tables.includes('public.huge'))!;
      assert.deepEqual(hugeWorker.tables, ['public.huge']);
      assert.ok(hugeWorker.segments >= 3, String(hugeWorker.segments));
      for (const w of layout.workers) {
        const segs = paths.filter((p) => p.startsWith(`${db}.pgpar/${w.member}.`));
        assert.equal(segs.length, w.segments);
        assert.ok(
          buf
            .records()
            .filter((r) => segs.includes(r.path))
            .every((r) => r.size! <= SEGMENT_SIZE),
        );
      }
      assert.equal(layout.workers[0]!.rest, true);
      // Names with capitals, spaces, dots and wildcards are dumped by an explicit --table worker.
      assert.ok(
        layout.workers[2]!.tables.includes('Mixed Case.Weird.name*'),
        JSON.stringify(layout),
      );
      // Every table is held by exactly one worker.
      const held = layout.workers.flatMap((w) => w.tables).sort();
      assert.deepEqual(held, [...new Set(held)]);
      assert.deepEqual(
        held,
        res.inventory
          .tables!.filter((x) => x.name !== 'app.measurements')
          .map((x) => x.name)
          .sort(),
      );
      // Segments of different workers are interleaved: they streamed at the same time.
      const order = paths.slice(1).map((p) => /data-(\d+)/.exec(p)![1]);
      const switches = order.filter((w, i) => i > 0 && w !== order[i - 1]).length;
      assert.ok(switches >= 2, order.join(','));
      assert.equal(res.inventory.tables!.find((x) => x.name === 'app.users')!.rows, 500);

      await pgDriver.verify!(buf.entries(), manifest, ctx);
      const target = `${db}_r`;
      created.push(target);
      const result = await restoreNow(
        pgDriver,
        buf.entries(),
        { target: localUrl(target), overwrite: false, manifest, backupId: 'b' },
        ctx,
      );
      assert.ok(result.location.endsWith(target));
      assert.deepEqual(await contentDigests(target), await contentDigests(db));
      assert.equal(schemaDump(target), schemaDump(db));
      assert.deepEqual(await databasesLike(admin, `${target}_lifeboat`), []);
      // Nothing but the private temporary folder's own (now empty) content is left.
      assert.deepEqual(await readdir(ctx.tmpDir), []);
    } finally {
      await ctx.cleanup();
    }
  });

  test('a parallel backup restores by hand with plain pg_restore (the steps in docs/sources.md)', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('parhand', `${FIXTURE_SQL};\n${bigAndSmallSql(6, 3)}`);
    const ctx = await makeCtx({ jobs: 2 });
    const dir = await mkdtemp(join(tmpdir(), 'lb-pghand-'));
    try {
      const buf = new MemberBuffer();
      await pgDriver.open(localUrl(db), ctx).dump(buf, ctx);
      for (const s of buf.stored) {
        await mkdir(join(dir, dirname(s.record.path)), { recursive: true });
        await writeFile(join(dir, s.record.path), s.data!);
      }
      const target = `${db}_hand`;
      created.push(target);
      const script = `set -e
cd '${dir}/${db}.pgpar'
for w in data-*.pgdump.000000; do w=\${w%.000000}; cat "$w".* > "$w"; done
createdb -T template0 ${target}
pg_restore --section=pre-data -d ${target} schema.pgdump
for w in data-*.pgdump; do pg_restore -d ${target} "$w" & done; wait
pg_restore --section=post-data --jobs=4 -d ${target} schema.pgdump
`;
      const r = spawnSync('bash', ['-c', script], {
        encoding: 'utf8',
        env: { ...process.env, PGHOST: '127.0.0.1', PGUSER: 'postgres' },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(await contentDigests(target), await contentDigests(db));
      assert.equal(schemaDump(target), schemaDump(db));
    } finally {
      await rm(dir, { recursive: true, force: true });
      await ctx.cleanup();
    }
  });

  test('verify refuses a parallel backup with a segment missing', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('parmiss', `${FIXTURE_SQL};\n${bigAndSmallSql(6, 3)}`);
    const ctx = await makeCtx({ jobs: 2 });
    try {
      const source = pgDriver.open(localUrl(db), ctx);
      const buf = new MemberBuffer();
      const res = await source.dump(buf, ctx);
      const manifest = manifestOf(buf, res, source.displayUrl);
      const cut = new MemberBuffer();
      const victim = buf.stored.findIndex((s) => /data-1\.pgdump\.000001$/.test(s.record.path));
      assert.ok(victim > 0);
      cut.stored.push(...buf.stored.filter((_, i) => i !== victim));
      await assert.rejects(
        pgDriver.verify!(cut.entries(), manifest, ctx),
        /segment 2 of .* where segment 1|holds \d+ of the \d+ segments/,
      );
      const target = `${db}_r`;
      await assert.rejects(
        restoreNow(
          pgDriver,
          cut.entries(),
          { target: localUrl(target), overwrite: false, manifest, backupId: 'b' },
          ctx,
        ),
        /segment/,
      );
      assert.deepEqual(await databasesLike(admin, target), []);
    } finally {
      await ctx.cleanup();
    }
  });
});

describe('parallel PostgreSQL faults', () => {
  test("a worker's backend terminated mid-COPY fails the run naming the worker and table; the others stop", async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('parterm', `${FIXTURE_SQL};\n${bigAndSmallSql(30, 5)}`);
    const ctx = await makeCtx({ jobs: 2 });
    try {
      let killed: number | undefined;
      const sink = new HookedBuffer(/data-1\.pgdump\.000000$/, async () => {
        killed = await backendOf(db, 'lifeboat pg_dump w1', `query LIKE 'COPY%'`);
        await admin!.query('SELECT pg_terminate_backend($1)', [killed]);
      });
      await assert.rejects(pgDriver.open(localUrl(db), ctx).dump(sink, ctx), (err: unknown) => {
        assert.ok(err instanceof SourceError, String(err));
        assert.match(
          err.message,
          /pg_dump worker 1 of 2 .*failed while dumping table "public\.huge" \(exit code 1\)/,
        );
        assert.match(err.message, /terminating connection|server closed the connection/);
        return true;
      });
      assert.ok(killed);
      await noToolBackends(db);
    } finally {
      await ctx.cleanup();
    }
  });

  test('a worker that dies (killed) fails the run naming it; the others stop', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('pardie', `${FIXTURE_SQL};\n${bigAndSmallSql(20, 5)}`);
    const bin = await dyingPgBin();
    try {
      const ctx = await makeCtx({ jobs: 2, 'pg-bin': bin });
      try {
        const sink = new MemberBuffer();
        await assert.rejects(pgDriver.open(localUrl(db), ctx).dump(sink, ctx), (err: unknown) => {
          assert.ok(err instanceof SourceError, String(err));
          assert.match(
            err.message,
            /pg_dump worker 1 of 2 \(tables public\.huge\).* failed .*\(killed by SIGKILL\)/,
          );
          return true;
        });
        await noToolBackends(db);
      } finally {
        await ctx.cleanup();
      }
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });

  test("losing the coordinator's session (the snapshot's) fails the run and stops the workers", async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('parsnap', `${FIXTURE_SQL};\n${bigAndSmallSql(20, 5)}`);
    const ctx = await makeCtx({ jobs: 2 });
    try {
      const sink = new HookedBuffer(/data-1\.pgdump\.000000$/, async () => {
        const pid = await backendOf(db, 'lifeboat');
        await admin!.query('SELECT pg_terminate_backend($1)', [pid]);
      });
      await assert.rejects(pgDriver.open(localUrl(db), ctx).dump(sink, ctx), (err: unknown) => {
        assert.ok(err instanceof SourceError, String(err));
        assert.match(
          err.message,
          new RegExp(`lost the PostgreSQL session holding the snapshot of database "${db}"`),
        );
        return true;
      });
      await noToolBackends(db);
    } finally {
      await ctx.cleanup();
    }
  });

  test('a cancelled run stops every worker; nothing keeps running', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('parcancel', `${FIXTURE_SQL};\n${bigAndSmallSql(20, 5)}`);
    const abort = new AbortController();
    const ctx = await makeCtx({ jobs: 2 }, { signal: abort.signal });
    try {
      const sink = new HookedBuffer(/data-1\.pgdump\.000000$/, async () => {
        abort.abort(new Error('cancelled by the test'));
      });
      await assert.rejects(pgDriver.open(localUrl(db), ctx).dump(sink, ctx), (err: unknown) => {
        assert.ok(err instanceof Error, String(err));
        assert.match(err.message, /cancelled|killed by SIGTERM|the run was cancelled/);
        return true;
      });
      // No data segment is added after the cancellation (the one being added completes).
      const after = sink.records().filter((r) => /data-1\.pgdump\.0+[1-9]/.test(r.path));
      assert.deepEqual(after, []);
      await noToolBackends(db);
    } finally {
      await ctx.cleanup();
    }
  });

  test("a restore worker's backend terminated fails the restore naming the worker; no staged database is left", async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('parrest', `${FIXTURE_SQL};\n${bigAndSmallSql(20, 5)}`);
    const ctx = await makeCtx({ jobs: 2 });
    try {
      const source = pgDriver.open(localUrl(db), ctx);
      const buf = new MemberBuffer();
      const res = await source.dump(buf, ctx);
      const manifest = manifestOf(buf, res, source.displayUrl);
      const target = `${db}_r`;
      created.push(target);
      // The staged database has a generated name: find the restore worker's backend by name only.
      async function* killing(): AsyncGenerator<ArchiveEntry> {
        for await (const e of buf.entries()) {
          if (/data-1\.pgdump\.000002$/.test(e.path)) {
            for (;;) {
              const r = await admin!.query<{ pid: number }>(
                `SELECT pid FROM pg_stat_activity WHERE application_name = 'lifeboat pg_restore w1' AND starts_with(datname, $1)`,
                [target],
              );
              if (r.rows[0]) {
                await admin!.query('SELECT pg_terminate_backend($1)', [r.rows[0].pid]);
                break;
              }
              await new Promise((res) => setTimeout(res, 20));
            }
          }
          yield e;
        }
      }
      await assert.rejects(
        restoreNow(
          pgDriver,
          killing(),
          { target: localUrl(target), overwrite: false, manifest, backupId: 'b' },
          ctx,
        ),
        (err: unknown) => {
          assert.ok(err instanceof SourceError, String(err));
          assert.match(err.message, /pg_restore of worker 1 \(data-1\.pgdump\) failed/);
          return true;
        },
      );
      assert.deepEqual(await databasesLike(admin, target), []);
      assert.deepEqual(await readdir(ctx.tmpDir), []);
    } finally {
      await ctx.cleanup();
    }
  });
});

/** A pg-bin folder whose pg_dump dies by SIGKILL after 1 MB when it dumps named tables (worker 1 and up). */
async function dyingPgBin(): Promise<string> {
  const bin = await mkdtemp(join(tmpdir(), 'lb-pgbin-'));
  for (const tool of ['pg_restore', 'pg_dumpall', 'psql']) {
    await writeFile(join(bin, tool), `#!/bin/sh\nexec /usr/bin/${tool} "$@"\n`);
    await chmod(join(bin, tool), 0o755);
  }
  await writeFile(
    join(bin, 'pg_dump'),
    `#!/bin/bash
case "$*" in
  *--table=*) /usr/bin/pg_dump "$@" | head -c 1000000; kill -KILL $$ ;;
  *) exec /usr/bin/pg_dump "$@" ;;
esac
`,
  );
  await chmod(join(bin, 'pg_dump'), 0o755);
  return bin;
}

describe('parallel PostgreSQL backups through the engine (archive, zstd, file: storage)', () => {
  test('backup with jobs 2, verify and restore with jobs 2 give the same database', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('pareng', `${FIXTURE_SQL};\n${bigAndSmallSql(10, 10)}`);
    const dir = await mkdtemp(join(tmpdir(), 'lb-pareng-'));
    try {
      const store = `file:${join(dir, 'store')}`;
      const b = await runEngine(
        { command: 'backup', source: [localUrl(db)], destination: [store], name: 'par', jobs: '2' },
        () => new Date(),
      );
      assert.equal(b.error, undefined, String(b.error));
      const v = await runEngine(
        { command: 'verify', destination: [store], name: 'par' },
        () => new Date(),
      );
      assert.equal(v.error, undefined, String(v.error));
      const target = `${db}_r`;
      created.push(target);
      const r = await runEngine(
        {
          command: 'restore',
          destination: [store],
          name: 'par',
          target: localUrl(target),
          jobs: '2',
        },
        () => new Date(),
      );
      assert.equal(r.error, undefined, String(r.error));
      assert.deepEqual(await contentDigests(target), await contentDigests(db));
      assert.deepEqual(await databasesLike(admin, `${target}_lifeboat`), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a worker that dies fails the backup naming it, and nothing is listed in storage', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = await freshDb('pareng2', `${FIXTURE_SQL};\n${bigAndSmallSql(10, 3)}`);
    const dir = await mkdtemp(join(tmpdir(), 'lb-pareng-'));
    const bin = await dyingPgBin();
    try {
      const store = `file:${join(dir, 'store')}`;
      const b = await runEngine(
        {
          command: 'backup',
          source: [localUrl(db)],
          destination: [store],
          name: 'par',
          jobs: '2',
          'pg-bin': bin,
        },
        () => new Date(),
      );
      assert.ok(b.error instanceof SourceError, String(b.error));
      assert.match(b.error.message, /pg_dump worker 1 of 2 \(tables public\.huge\)/);
      const l = await runEngine(
        { command: 'list', destination: [store], name: 'par' },
        () => new Date(),
      );
      assert.equal(l.error, undefined, String(l.error));
      const left = await readdir(join(dir, 'store', 'par')).catch(() => []);
      assert.deepEqual(
        left.filter((f) => /manifest\.json$|\.tar/.test(f)),
        [],
      );
      await noToolBackends(db);
    } finally {
      await rm(bin, { recursive: true, force: true });
      await rm(dir, { recursive: true, force: true });
    }
  });
});
