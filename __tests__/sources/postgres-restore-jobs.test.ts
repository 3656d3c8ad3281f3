/**
 * Single-stream PostgreSQL backups (one custom-format member) restored with `jobs` > 1: the
 * member is copied to the run's temporary folder and restored with `pg_restore --jobs`, in the
 * same staged restore as ever; without room for the copy, one pg_restore reads the stream.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import type { ArchiveEntry, SourceManifest } from '../../src/archive/types.ts';
import { IntegrityError, SourceError } from '../../src/core/errors.ts';
import type { Logger } from '../../src/core/log.ts';
import { pgDriver } from '../../src/sources/postgres/index.ts';
import { copyMargin, tempSpace } from '../../src/sources/postgres/restore.ts';
import { restoreNow } from '../../src/sources/types.ts';
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

/** Beside the fixture: a table with an index and a foreign key, and one with a marker row last. */
const EXTRA_SQL = `
CREATE TABLE app.orders (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES app.users (id),
  amount numeric(12, 2) NOT NULL,
  note text,
  at timestamptz NOT NULL
);
INSERT INTO app.orders
SELECT g, 1 + g % 500, (g % 100000) / 100.0, md5(g::text), timestamptz '2024-01-01' + g * interval '1 minute'
  FROM generate_series(1, 60000) g;
CREATE INDEX orders_user ON app.orders (user_id);
CREATE TABLE public.events (id int PRIMARY KEY, kind int NOT NULL, payload text);
INSERT INTO public.events SELECT g, g % 13, repeat('e', 40) FROM generate_series(1, 30000) g;
INSERT INTO public.events VALUES (987654321, 1, 'the marker row');
`;
/** The marker row as COPY writes it into an uncompressed custom-format dump. */
const MARKER = Buffer.from('987654321\t1\tthe marker row\n');
/** The same row, no longer valid for the integer column: pg_restore fails on it. */
const BROKEN = Buffer.from('98765432x\t1\tthe marker row\n');

interface Captured {
  logger: Logger;
  info: string[];
  warn: string[];
  debug: string[];
}

function capture(): Captured {
  const c: Captured = {
    info: [],
    warn: [],
    debug: [],
    logger: {
      info: (m) => c.info.push(m),
      warn: (m) => c.warn.push(m),
      error: (m) => c.warn.push(m),
      debug: (m) => c.debug.push(m),
    },
  };
  return c;
}

let admin: pg.Client | undefined;
const created: string[] = [];
let db = '';
let dumped: MemberBuffer | undefined;
let manifest: SourceManifest | undefined;
/** The dump member's path in the backup. */
let member = '';

before(async () => {
  admin = await localServer();
  if (!admin) return;
  db = uniqueDb('pgsingle');
  created.push(db);
  await admin.query(`CREATE DATABASE ${db}`);
  await query(db, `${FIXTURE_SQL};\n${EXTRA_SQL}`);
  await query(db, 'ANALYZE');
  // A single-stream backup: jobs left at its default.
  const ctx = await makeCtx();
  try {
    const source = pgDriver.open(localUrl(db), ctx);
    const buf = new MemberBuffer();
    const res = await source.dump(buf, ctx);
    assert.equal(res.details!.format, 'custom');
    member = res.details!.member as string;
    dumped = buf;
    manifest = {
      name: 'db',
      kind: 'postgres',
      url: source.displayUrl,
      versions: res.versions,
      inventory: res.inventory,
      members: buf.records(),
      details: res.details,
      durationMs: 0,
    };
  } finally {
    await ctx.cleanup();
  }
});

after(async () => {
  if (!admin) return;
  for (const name of created) await dropDb(admin, name);
  await admin.end();
});

function target(suffix: string): string {
  const name = `${db}_${suffix}`;
  created.push(name);
  return name;
}

/** The backup's entries with the dump member's body replaced. */
async function* withDumpBody(body: () => Readable): AsyncGenerator<ArchiveEntry> {
  for await (const e of dumped!.entries()) {
    if (e.path === member) yield { ...e, body: body() };
    else yield e;
  }
}

/** A target that already holds data, to show a failed restore leaves it as it was. */
async function occupiedTarget(suffix: string): Promise<string> {
  const name = target(suffix);
  await admin!.query(`CREATE DATABASE ${name}`);
  await query(
    name,
    `CREATE TABLE keep (id int PRIMARY KEY, v text); INSERT INTO keep VALUES (1, 'before'), (2, 'the restore')`,
  );
  return name;
}

describe('single-stream PostgreSQL backups restored with jobs > 1', () => {
  test('jobs 2: copied to the temporary folder, restored with pg_restore --jobs=2, equal to the source; the copy is gone', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const log = capture();
    const ctx = await makeCtx({ jobs: '2' }, {}, log.logger);
    try {
      const into = target('j2');
      const result = await restoreNow(
        pgDriver,
        dumped!.entries(),
        { target: localUrl(into), overwrite: false, manifest: manifest!, backupId: 'b' },
        ctx,
      );
      assert.ok(result.location.endsWith(into));
      const size = manifest!.members.find((m) => m.path === member)!.size!;
      assert.ok(size > 4 * 1024 * 1024, String(size));
      assert.ok(
        log.info.some((m) =>
          /^copying the \d+\.\d MiB dump to the temporary folder for pg_restore --jobs=2$/.test(m),
        ),
        log.info.join('\n'),
      );
      // pg_restore read the copy in the run's temporary folder with --jobs=2, not stdin.
      const run = log.debug.find((m) => /pg_restore .*--jobs=2/.test(m));
      assert.ok(run, log.debug.join('\n'));
      assert.ok(run.includes(join(ctx.tmpDir, 'pgrestore-')), run);
      assert.deepEqual(log.warn, []);
      assert.deepEqual(await contentDigests(into), await contentDigests(db));
      assert.equal(schemaDump(into), schemaDump(db));
      // The foreign key and the index came through (and the foreign key is enforced).
      await assert.rejects(
        query(into, `INSERT INTO app.orders VALUES (0, 999999, 1, 'x', now())`),
        /foreign key/,
      );
      assert.deepEqual(await databasesLike(admin, `${into}_lifeboat`), []);
      assert.deepEqual(await readdir(ctx.tmpDir), []);
    } finally {
      await ctx.cleanup();
    }
  });

  test('jobs 1 (the default): one pg_restore reads the stream, nothing is copied', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const log = capture();
    const ctx = await makeCtx({}, {}, log.logger);
    let asked = 0;
    const real = tempSpace.free;
    tempSpace.free = async (dir) => {
      asked++;
      return real(dir);
    };
    try {
      const into = target('j1');
      await restoreNow(
        pgDriver,
        dumped!.entries(),
        { target: localUrl(into), overwrite: false, manifest: manifest!, backupId: 'b' },
        ctx,
      );
      assert.equal(asked, 0);
      assert.ok(!log.info.some((m) => /copying/.test(m)), log.info.join('\n'));
      const run = log.debug.find((m) => /pg_restore /.test(m));
      assert.ok(run && !/--jobs/.test(run) && !run.includes(ctx.tmpDir), run);
      assert.deepEqual(await contentDigests(into), await contentDigests(db));
    } finally {
      tempSpace.free = real;
      await ctx.cleanup();
    }
  });

  test('not enough free space for the copy: a warning naming the numbers, then one pg_restore from the stream restores it all', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const log = capture();
    const ctx = await makeCtx({ jobs: 2 }, {}, log.logger);
    const size = manifest!.members.find((m) => m.path === member)!.size!;
    const real = tempSpace.free;
    const asked: string[] = [];
    // One byte short of the dump and its margin.
    tempSpace.free = async (dir) => {
      asked.push(dir);
      return size + copyMargin(size) - 1;
    };
    try {
      const into = target('nospace');
      await restoreNow(
        pgDriver,
        dumped!.entries(),
        { target: localUrl(into), overwrite: false, manifest: manifest!, backupId: 'b' },
        ctx,
      );
      assert.deepEqual(asked, [ctx.tmpDir]);
      assert.equal(log.warn.length, 1, log.warn.join('\n'));
      const w = log.warn[0]!;
      assert.match(w, /not enough free space for a copy of the \d+\.\d MiB dump/);
      assert.ok(w.includes(`the temporary folder ${ctx.tmpDir} has `), w);
      assert.match(
        w,
        /has \d+\.\d MiB free, \d+\.\d MiB needed \(the dump and a margin of 64\.0 MiB\)/,
      );
      assert.match(
        w,
        /restoring from the stream with one pg_restore instead of pg_restore --jobs=2/,
      );
      assert.ok(!log.info.some((m) => /copying/.test(m)), log.info.join('\n'));
      assert.ok(!log.debug.some((m) => /pg_restore .*--jobs/.test(m)), log.debug.join('\n'));
      assert.deepEqual(await contentDigests(into), await contentDigests(db));
      assert.equal(schemaDump(into), schemaDump(db));
      assert.deepEqual(await readdir(ctx.tmpDir), []);
    } finally {
      tempSpace.free = real;
      await ctx.cleanup();
    }
  });

  test('exactly enough free space (the dump and its margin) takes the copy', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const log = capture();
    const ctx = await makeCtx({ jobs: 2 }, {}, log.logger);
    const size = manifest!.members.find((m) => m.path === member)!.size!;
    const real = tempSpace.free;
    tempSpace.free = async () => size + copyMargin(size);
    try {
      const into = target('fits');
      await restoreNow(
        pgDriver,
        dumped!.entries(),
        { target: localUrl(into), overwrite: false, manifest: manifest!, backupId: 'b' },
        ctx,
      );
      assert.deepEqual(log.warn, []);
      assert.ok(
        log.debug.some((m) => /pg_restore .*--jobs=2/.test(m)),
        log.debug.join('\n'),
      );
      assert.deepEqual(await contentDigests(into), await contentDigests(db));
    } finally {
      tempSpace.free = real;
      await ctx.cleanup();
    }
  });

  test('a chunk that fails its check mid-copy: the target is untouched, no staged database, no copy left', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const log = capture();
    const ctx = await makeCtx({ jobs: 2 }, {}, log.logger);
    try {
      const into = await occupiedTarget('badchunk');
      const before = await contentDigests(into);
      const data = dumped!.file(member)!;
      const half = Math.floor(data.length / 2);
      // What the archive reader does when a chunk's sha256 does not match: the good chunks
      // before it pass, then the body fails.
      async function* body(): AsyncGenerator<Buffer> {
        yield data.subarray(0, 1 << 20);
        yield data.subarray(1 << 20, half);
        throw new IntegrityError(`chunk 3 of ${member} does not match its sha256`);
      }
      await assert.rejects(
        restoreNow(
          pgDriver,
          withDumpBody(() => Readable.from(body())),
          { target: localUrl(into), overwrite: true, manifest: manifest!, backupId: 'b' },
          ctx,
        ),
        (err: unknown) => {
          assert.ok(err instanceof IntegrityError, String(err));
          assert.match(err.message, /chunk 3 of .* does not match its sha256/);
          return true;
        },
      );
      assert.ok(
        log.info.some((m) => /^copying the /.test(m)),
        log.info.join('\n'),
      );
      // pg_restore never started: the copy was not complete.
      assert.ok(!log.debug.some((m) => /pg_restore /.test(m)), log.debug.join('\n'));
      assert.deepEqual(await contentDigests(into), before);
      assert.deepEqual(await databasesLike(admin, `${into}_lifeboat`), []);
      assert.deepEqual(await readdir(ctx.tmpDir), []);
    } finally {
      await ctx.cleanup();
    }
  });

  test('a run cancelled mid-copy: the target is untouched, no staged database, no copy left', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const log = capture();
    const abort = new AbortController();
    const ctx = await makeCtx({ jobs: 2 }, { signal: abort.signal }, log.logger);
    try {
      const into = await occupiedTarget('cancel');
      const before = await contentDigests(into);
      const data = dumped!.file(member)!;
      async function* body(): AsyncGenerator<Buffer> {
        yield data.subarray(0, 1 << 20);
        abort.abort(new Error('cancelled by the test'));
        for (let at = 1 << 20; at < data.length; at += 1 << 16) {
          yield data.subarray(at, at + (1 << 16));
        }
      }
      await assert.rejects(
        restoreNow(
          pgDriver,
          withDumpBody(() => Readable.from(body())),
          { target: localUrl(into), overwrite: true, manifest: manifest!, backupId: 'b' },
          ctx,
        ),
        (err: unknown) => {
          assert.ok(err instanceof Error, String(err));
          assert.equal(err.name, 'AbortError', String(err));
          return true;
        },
      );
      assert.ok(
        log.info.some((m) => /^copying the /.test(m)),
        log.info.join('\n'),
      );
      assert.ok(!log.debug.some((m) => /pg_restore /.test(m)), log.debug.join('\n'));
      assert.deepEqual(await contentDigests(into), before);
      assert.deepEqual(await databasesLike(admin, `${into}_lifeboat`), []);
      assert.deepEqual(await readdir(ctx.tmpDir), []);
    } finally {
      await ctx.cleanup();
    }
  });

  test('pg_restore --jobs failing mid-restore (a bad row): the target is untouched, no staged database, no copy left', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const log = capture();
    const ctx = await makeCtx({ jobs: 2 }, {}, log.logger);
    try {
      const into = await occupiedTarget('badrow');
      const before = await contentDigests(into);
      const data = Buffer.from(dumped!.file(member)!);
      const at = data.indexOf(MARKER);
      assert.ok(at > 0, 'the marker row is in the dump');
      BROKEN.copy(data, at);
      await assert.rejects(
        restoreNow(
          pgDriver,
          withDumpBody(() => Readable.from([data])),
          { target: localUrl(into), overwrite: true, manifest: manifest!, backupId: 'b' },
          ctx,
        ),
        (err: unknown) => {
          assert.ok(err instanceof SourceError, String(err));
          assert.match(
            err.message,
            /^pg_restore --jobs=2 into ".*_lifeboat_new_.*" failed \(exit code 1\)/,
          );
          assert.match(err.message, /invalid input syntax for type integer: "98765432x"/);
          return true;
        },
      );
      assert.ok(
        log.debug.some((m) => /pg_restore .*--jobs=2/.test(m)),
        log.debug.join('\n'),
      );
      assert.deepEqual(await contentDigests(into), before);
      assert.deepEqual(await databasesLike(admin, `${into}_lifeboat`), []);
      assert.deepEqual(await readdir(ctx.tmpDir), []);
    } finally {
      await ctx.cleanup();
    }
  });
});

describe('single-stream backups restored with jobs 2 through the engine (archive, file: storage)', () => {
  test('restores equal to the source; a full disk under the copy and a chunk corrupted in the stored archive fail the restore and leave nothing', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const dir = await mkdtemp(join(tmpdir(), 'lb-pgsingle-'));
    try {
      const store = `file:${join(dir, 'store')}`;
      const b = await runEngine(
        {
          command: 'backup',
          source: [localUrl(db)],
          destination: [store],
          name: 'single',
          compression: 'none',
        },
        () => new Date(),
      );
      assert.equal(b.error, undefined, String(b.error));
      const into = target('eng');
      const r = await runEngine(
        {
          command: 'restore',
          destination: [store],
          name: 'single',
          target: localUrl(into),
          jobs: '2',
        },
        () => new Date(),
      );
      assert.equal(r.error, undefined, String(r.error));
      assert.ok(
        r.logs.some((m) =>
          /^copying the .* dump to the temporary folder for pg_restore --jobs=2$/.test(m),
        ),
        r.logs.join('\n'),
      );
      assert.deepEqual(await contentDigests(into), await contentDigests(db));
      assert.deepEqual(await databasesLike(admin, `${into}_lifeboat`), []);

      // A disk too small for the copy although statfs said otherwise (another process filled
      // it): the CLI in a process whose files may not grow past 1 MiB (Node ignores SIGXFSZ,
      // so the write fails with EFBIG). The restore fails naming the copy; nothing is left.
      const tmp = await mkdtemp(join(tmpdir(), 'lb-pgsingle-tmp-'));
      const full = target('engfull');
      const cli = spawnSync(
        'bash',
        [
          '-c',
          'ulimit -f 1024; exec "$0" --disable-warning=ExperimentalWarning "$@"',
          process.execPath,
          join(import.meta.dirname, '../../src/cli/index.ts'),
          'restore',
          '--destination',
          store,
          '--name',
          'single',
          '--target',
          localUrl(full),
          '--jobs',
          '2',
        ],
        { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } },
      );
      try {
        assert.equal(cli.status, 1, cli.stderr);
        assert.match(
          cli.stderr,
          /writing the copy of the dump for pg_restore --jobs=2 to the temporary folder failed: EFBIG/,
        );
        assert.match(cli.stderr, /restore with jobs: 1, which reads the stream without a copy/);
        assert.deepEqual(await databasesLike(admin, full), []);
        assert.deepEqual(await readdir(tmp), []);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }

      // Flip the marker row in the stored (uncompressed) archive: its chunk no longer matches.
      const folder = join(dir, 'store', 'single');
      const tar = (await readdir(folder)).find((f) => f.endsWith('.tar'))!;
      const bytes = await readFile(join(folder, tar));
      const at = bytes.indexOf(MARKER);
      assert.ok(at > 0, 'the marker row is in the archive');
      BROKEN.copy(bytes, at);
      await writeFile(join(folder, tar), bytes);
      const bad = target('engbad');
      const f = await runEngine(
        {
          command: 'restore',
          destination: [store],
          name: 'single',
          target: localUrl(bad),
          jobs: '2',
        },
        () => new Date(),
      );
      assert.ok(f.error instanceof IntegrityError, String(f.error));
      assert.deepEqual(await databasesLike(admin, bad), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
