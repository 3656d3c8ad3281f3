import { restoreNow } from '../../src/sources/types.ts';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { backup, DatabaseSync } from 'node:sqlite';
import type { ArchiveEntry } from '../../src/archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../src/core/errors.ts';
import {
  ALL_PAGES_IN_ONE_STEP,
  isNotADatabase,
  onlineCopy,
  removeWithSidecars,
} from '../../src/sources/sqlite/database.ts';
import { sqliteDriver } from '../../src/sources/sqlite/index.ts';
import { SQLITE_MEMBER, sqlitePath } from '../../src/sources/sqlite/path.ts';
import { replaceDatabase } from '../../src/sources/sqlite/restore.ts';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import { manifestOf, workspace } from './context.ts';

function fillSample(path: string): void {
  const db = new DatabaseSync(path);
  db.exec(`
    CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT, score REAL, photo BLOB);
    CREATE INDEX people_name ON people(name);
    CREATE TABLE "odd ""name""" (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
    CREATE TABLE audit (id INTEGER PRIMARY KEY, person INTEGER, at TEXT);
    CREATE VIEW high_scores AS SELECT name, score FROM people WHERE score > 50;
    CREATE TRIGGER people_audit AFTER INSERT ON people BEGIN
      INSERT INTO audit (person, at) VALUES (NEW.id, 'inserted');
    END;
  `);
  const ins = db.prepare('INSERT INTO people (name, note, score, photo) VALUES (?, ?, ?, ?)');
  const names = ['Zoë', 'Łukasz', '山田太郎', 'Ünal 🚀', "O'Brien", 'plain'];
  db.exec('BEGIN');
  for (let i = 0; i < 600; i++) {
    ins.run(
      `${names[i % names.length]} ${i}`,
      i % 3 === 0 ? null : 'x'.repeat(i % 200),
      i % 5 === 0 ? null : i * 1.25,
      i % 4 === 0 ? null : Buffer.from([i & 0xff, 0, 255, (i * 7) & 0xff]),
    );
  }
  db.exec('COMMIT');
  db.prepare(`INSERT INTO "odd ""name""" VALUES (?, ?), (?, ?)`).run('a', 1, 'b', null);
  db.close();
}

function rowsOf(path: string, sql: string): unknown[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db
      .prepare(sql)
      .all()
      .map((r) => ({ ...r }));
  } finally {
    db.close();
  }
}

function countOf(path: string, table = 't'): number {
  return Number((rowsOf(path, `SELECT count(*) AS n FROM ${table}`)[0] as { n: number }).n);
}

async function* single(entry: ArchiveEntry): AsyncGenerator<ArchiveEntry> {
  yield entry;
}

describe('sqlite source', () => {
  test('URLs: sqlite:<path>, sqlite:///abs, plain paths for targets; hosts refused', async () => {
    assert.equal(sqlitePath('sqlite:/var/db/app.db', 'source'), '/var/db/app.db');
    assert.equal(sqlitePath('sqlite:///var/db/app.db', 'source'), '/var/db/app.db');
    assert.equal(sqlitePath('sqlite:app.db', 'source'), join(process.cwd(), 'app.db'));
    assert.equal(sqlitePath('sqlite://./app.db', 'source'), join(process.cwd(), 'app.db'));
    assert.equal(sqlitePath('/tmp/x.db', 'target'), '/tmp/x.db');
    assert.throws(() => sqlitePath('sqlite:', 'source'), { name: 'ConfigError', option: 'source' });
    assert.throws(() => sqlitePath('sqlite://host/x.db', 'source'), { option: 'source' });
    assert.throws(() => sqlitePath('postgres://h/db', 'target'), { option: 'target' });
    const ws = await workspace();
    const withCwd = { ...ws.ctx, cwd: '/srv/app' };
    assert.equal(
      sqliteDriver.open('sqlite:data/app.db', withCwd).displayUrl,
      'sqlite:/srv/app/data/app.db',
    );
    await ws.cleanup();
  });

  test('round trip: tables, index, view, trigger, text, blobs, reals and NULLs come back equal', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'app.db');
      fillSample(src);
      const buffer = new MemberBuffer();
      const source = sqliteDriver.open(`sqlite:${src}`, w.ctx);
      assert.equal(source.displayUrl, `sqlite:${src}`);
      const result = await source.dump(buffer, w.ctx);

      assert.deepEqual(
        buffer.records().map((r) => [r.path, r.type, r.mode]),
        [[SQLITE_MEMBER, 'file', 0o600]],
      );
      assert.deepEqual(result.inventory.tables, [
        { name: 'audit', rows: 600 },
        { name: 'odd "name"', rows: 2 },
        { name: 'people', rows: 600 },
      ]);
      assert.match(result.versions['sqlite'] ?? '', /^3\.\d+\.\d+/);
      assert.equal(result.details?.['pageSize'], 4096);
      assert.equal(result.details?.['journalMode'], 'delete');
      assert.deepEqual(await readdir(w.ctx.tmpDir), [], 'the temporary copy is removed');

      const manifest = manifestOf(
        'sqlite',
        source.displayUrl,
        buffer,
        result.inventory,
        result.details,
      );
      await sqliteDriver.verify!(buffer.entries(), manifest, w.ctx);

      const target = join(w.dir, 'restored', 'copy.db');
      const restored = await restoreNow(
        sqliteDriver,
        buffer.entries(),
        { target: `sqlite:${target}`, overwrite: false, manifest, backupId: 'b1' },
        w.ctx,
      );
      assert.equal(restored.location, `sqlite:${target}`);
      assert.deepEqual(restored.inventory?.tables, result.inventory.tables);
      assert.equal((await stat(target)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(join(w.dir, 'restored')), ['copy.db']);

      for (const sql of [
        'SELECT * FROM people ORDER BY id',
        'SELECT * FROM audit ORDER BY id',
        'SELECT * FROM "odd ""name""" ORDER BY k',
        'SELECT * FROM high_scores ORDER BY name',
        'SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name',
      ]) {
        assert.deepEqual(rowsOf(target, sql), rowsOf(src, sql), sql);
      }
      const db = new DatabaseSync(target);
      db.prepare('INSERT INTO people (name) VALUES (?)').run('after restore');
      db.close();
      assert.equal(countOf(target, 'audit'), 601, 'the trigger still fires');

      assert.deepEqual(
        await sqliteDriver.inventory!(`sqlite:${src}`, w.ctx),
        result.inventory && {
          tables: result.inventory.tables,
        },
      );
    } finally {
      await w.cleanup();
    }
  });

  // Node 24 rejects SQLite's rate -1 ("all pages"); the largest int32 must still copy in one
  // step on this Node (backup() reports progress only between steps).
  test('the online copy takes every page in one backup() step', async () => {
    const w = await workspace();
    try {
      const db = new DatabaseSync(join(w.dir, 'big.db'));
      db.exec(`CREATE TABLE t (b BLOB);
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 500)
        INSERT INTO t SELECT randomblob(3000) FROM c;`);
      let steps = 0;
      const pages = await backup(db, join(w.dir, 'copy.db'), {
        rate: ALL_PAGES_IN_ONE_STEP,
        progress: () => void steps++,
      });
      db.close();
      assert.ok(pages > 400, `${pages} pages`);
      assert.equal(steps, 0, 'no step boundary, so no restart on a concurrent write');
    } finally {
      await w.cleanup();
    }
  });

  test('WAL database backed up while another process keeps inserting', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'busy.db');
      const db = new DatabaseSync(src);
      db.exec('PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)');
      const ins = db.prepare('INSERT INTO t (payload) VALUES (?)');
      db.exec('BEGIN');
      for (let i = 0; i < 3000; i++) ins.run(`row ${i} ${'p'.repeat(300)}`);
      db.exec('COMMIT');
      db.close();

      const writerScript = join(w.dir, 'writer.mjs');
      await writeFile(
        writerScript,
        `
        import { DatabaseSync } from 'node:sqlite';
        import { setImmediate as tick } from 'node:timers/promises';
        const db = new DatabaseSync(process.argv[2], { timeout: 60000 });
        const ins = db.prepare('INSERT INTO t (payload) VALUES (?)');
        let stop = false;
        let n = 0;
        process.on('message', (m) => { if (m === 'stop') stop = true; });
        while (!stop) {
          ins.run('live ' + n + ' ' + 'q'.repeat(200));
          n++;
          if (n === 100) process.send('running');
          await tick();
        }
        db.close();
        process.send({ inserted: n }, () => process.disconnect());
        `,
      );
      const child = spawn(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', writerScript, src],
        { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      const messages: unknown[] = [];
      child.on('message', (m) => messages.push(m));
      const exited = once(child, 'exit');
      try {
        await new Promise<void>((resolve, reject) => {
          child.on('message', (m) => m === 'running' && resolve());
          child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
        });

        const before = countOf(src);
        const buffer = new MemberBuffer();
        const result = await sqliteDriver.open(`sqlite:${src}`, w.ctx).dump(buffer, w.ctx);
        const after = countOf(src);
        assert.equal(result.details?.['journalMode'], 'wal');

        child.send('stop');
        const [code] = await exited;
        assert.equal(code, 0);
        const inserted = (messages.find((m) => typeof m === 'object') as { inserted: number })
          .inserted;
        assert.ok(inserted >= 100);

        const dumped = result.inventory.tables?.find((t) => t.name === 't')?.rows ?? -1;
        assert.ok(before <= dumped && dumped <= after, `${before} <= ${dumped} <= ${after}`);

        const target = join(w.dir, 'restored.db');
        const manifest = manifestOf('sqlite', `sqlite:${src}`, buffer, result.inventory);
        await restoreNow(
          sqliteDriver,
          buffer.entries(),
          { target, overwrite: false, manifest, backupId: 'b' },
          w.ctx,
        );
        assert.deepEqual(rowsOf(target, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
        assert.equal(countOf(target), dumped);
        assert.equal(
          (rowsOf(target, 'SELECT max(id) AS m FROM t')[0] as { m: number }).m,
          dumped,
          'a prefix of the inserts, with no gaps',
        );
      } finally {
        if (child.exitCode === null) child.kill();
      }
    } finally {
      await w.cleanup();
    }
  });

  test('a corrupt source fails the backup with a SourceError naming it', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'corrupt.db');
      fillSample(src);
      const bytes = await readFile(src);
      assert.ok(bytes.length > 10 * 4096);
      bytes.fill(0x41, 3 * 4096, bytes.length - 3 * 4096);
      await writeFile(src, bytes);
      const buffer = new MemberBuffer();
      await assert.rejects(sqliteDriver.open(`sqlite:${src}`, w.ctx).dump(buffer, w.ctx), (err) => {
        assert.ok(err instanceof SourceError);
        assert.match(err.message, /corrupt\.db/);
        return true;
      });
      assert.deepEqual(buffer.records(), []);
      assert.deepEqual(await readdir(w.ctx.tmpDir), []);
    } finally {
      await w.cleanup();
    }
  });

  test('a file that is not SQLite fails with a clear SourceError', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'notes.txt');
      await writeFile(src, 'just some text, not a database\n'.repeat(200));
      await assert.rejects(
        sqliteDriver.open(`sqlite:${src}`, w.ctx).dump(new MemberBuffer(), w.ctx),
        (err) => err instanceof SourceError && /not a valid SQLite database/.test(err.message),
      );
    } finally {
      await w.cleanup();
    }
  });

  test('a missing source is a ConfigError for option source, and no file is created', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'missing.db');
      await assert.rejects(
        sqliteDriver.open(`sqlite:${src}`, w.ctx).dump(new MemberBuffer(), w.ctx),
        (err) => err instanceof ConfigError && err.option === 'source' && err.message.includes(src),
      );
      assert.equal(existsSync(src), false);
    } finally {
      await w.cleanup();
    }
  });

  test('restore onto an existing file: refused without overwrite, replaced with it', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'app.db');
      fillSample(src);
      const buffer = new MemberBuffer();
      const result = await sqliteDriver.open(`sqlite:${src}`, w.ctx).dump(buffer, w.ctx);
      const manifest = manifestOf('sqlite', `sqlite:${src}`, buffer, result.inventory);

      const target = join(w.dir, 'existing.db');
      const old = new DatabaseSync(target);
      old.exec("PRAGMA journal_mode=WAL; CREATE TABLE old (x); INSERT INTO old VALUES ('keep me')");
      old.close();
      const before = await readFile(target);

      await assert.rejects(
        restoreNow(
          sqliteDriver,
          buffer.entries(),
          { target: `sqlite:${target}`, overwrite: false, manifest, backupId: 'b' },
          w.ctx,
        ),
        (err) =>
          err instanceof ConfigError && err.option === 'target' && /overwrite/.test(err.hint ?? ''),
      );
      assert.deepEqual(await readFile(target), before);
      assert.deepEqual((await readdir(w.dir)).sort(), ['app.db', 'existing.db']);

      const r = await restoreNow(
        sqliteDriver,
        buffer.entries(),
        { target: `sqlite:${target}`, overwrite: true, manifest, backupId: 'b' },
        w.ctx,
      );
      assert.deepEqual(r.inventory?.tables, result.inventory.tables);
      assert.deepEqual(
        rowsOf(target, 'SELECT * FROM people ORDER BY id'),
        rowsOf(src, 'SELECT * FROM people ORDER BY id'),
      );
      assert.deepEqual((await readdir(w.dir)).sort(), ['app.db', 'existing.db']);
    } finally {
      await w.cleanup();
    }
  });

  test('an overwrite restore whose member is not a database leaves the original intact', async () => {
    const w = await workspace();
    try {
      const target = join(w.dir, 'live.db');
      const old = new DatabaseSync(target);
      old.exec("CREATE TABLE old (x); INSERT INTO old VALUES ('keep me')");
      old.close();
      const before = await readFile(target);
      const manifest = manifestOf('sqlite', `sqlite:${target}`, new MemberBuffer(), {
        tables: [{ name: 'old', rows: 1 }],
      });
      const garbage = Buffer.alloc(64 * 1024, 0x5a);
      await assert.rejects(
        restoreNow(
          sqliteDriver,
          single({
            path: SQLITE_MEMBER,
            type: 'file',
            mode: 0o600,
            mtime: new Date(),
            body: Readable.from([garbage]),
          }),
          { target, overwrite: true, manifest, backupId: 'b' },
          w.ctx,
        ),
        IntegrityError,
      );
      assert.deepEqual(await readFile(target), before);
      assert.deepEqual(await readdir(w.dir), ['live.db']);
    } finally {
      await w.cleanup();
    }
  });

  test('a check failing after the swap puts the previous database and its -wal back', async () => {
    const w = await workspace();
    try {
      const target = join(w.dir, 'live.db');
      const old = new DatabaseSync(target);
      old.exec("PRAGMA journal_mode=WAL; CREATE TABLE old (x); INSERT INTO old VALUES ('keep me')");
      // Left open: the -wal holds the committed row, not yet checkpointed into the file.
      const walBefore = await readFile(`${target}-wal`);
      const mainBefore = await readFile(target);
      const tmp = join(w.dir, 'new.tmp');
      await writeFile(tmp, 'replacement');
      await assert.rejects(
        replaceDatabase(tmp, target, () => {
          throw new IntegrityError('check failed');
        }),
        /check failed/,
      );
      assert.deepEqual(await readFile(target), mainBefore);
      assert.deepEqual(await readFile(`${target}-wal`), walBefore);
      assert.equal(existsSync(tmp), false);
      assert.deepEqual((await readdir(w.dir)).sort(), ['live.db', 'live.db-shm', 'live.db-wal']);
      assert.deepEqual(
        old
          .prepare('SELECT x FROM old')
          .all()
          .map((r) => ({ ...r })),
        [{ x: 'keep me' }],
      );
      old.close();
    } finally {
      await w.cleanup();
    }
  });

  test('a restored copy whose row counts differ from the manifest is refused', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'app.db');
      fillSample(src);
      const buffer = new MemberBuffer();
      const result = await sqliteDriver.open(`sqlite:${src}`, w.ctx).dump(buffer, w.ctx);
      const tables = result.inventory.tables!.map((t) =>
        t.name === 'people' ? { ...t, rows: t.rows + 1 } : t,
      );
      const manifest = manifestOf('sqlite', `sqlite:${src}`, buffer, { tables });
      await assert.rejects(sqliteDriver.verify!(buffer.entries(), manifest, w.ctx), IntegrityError);
      const target = join(w.dir, 'r.db');
      await assert.rejects(
        restoreNow(
          sqliteDriver,
          buffer.entries(),
          { target, overwrite: false, manifest, backupId: 'b' },
          w.ctx,
        ),
        /people has 600 rows, the manifest says 601/,
      );
      assert.deepEqual(await readdir(w.dir), ['app.db']);
    } finally {
      await w.cleanup();
    }
  });

  test('unexpected members in a sqlite folder are refused', async () => {
    const w = await workspace();
    try {
      const manifest = manifestOf('sqlite', 'sqlite:x', new MemberBuffer(), {});
      await assert.rejects(
        restoreNow(
          sqliteDriver,
          single({
            path: '../evil',
            type: 'file',
            mode: 0o600,
            mtime: new Date(),
            body: Readable.from([]),
          }),
          { target: join(w.dir, 'x.db'), overwrite: false, manifest, backupId: 'b' },
          w.ctx,
        ),
        IntegrityError,
      );
      assert.deepEqual(await readdir(w.dir), []);
    } finally {
      await w.cleanup();
    }
  });
});

describe('sqlite online copy (the building block sqlite: and chroma+dir: share)', () => {
  const never = (what: string) => () => {
    throw new Error(`${what} should not be called`);
  };

  test('copies a WAL database with its uncheckpointed pages, checked, no sidecars beside the copy', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'live.db');
      const db = new DatabaseSync(src);
      db.exec(`PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
        CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 250)
        INSERT INTO t (v) SELECT 'row ' || i FROM c;`);
      assert.ok(existsSync(`${src}-wal`), 'the rows are still in the -wal file');
      const copy = join(w.ctx.tmpDir, 'copy.sqlite');
      let opened = 0;
      const got = await onlineCopy(src, copy, {
        opened: () => void opened++,
        copyFailed: never('copyFailed'),
        corrupt: never('corrupt'),
      });
      db.close();
      assert.equal(opened, 1);
      assert.equal(got.sourceJournalMode, 'wal');
      assert.deepEqual(got.tables, [{ name: 't', rows: 250 }]);
      assert.deepEqual(await readdir(w.ctx.tmpDir), ['copy.sqlite']);
      assert.equal(countOf(copy), 250);
    } finally {
      await w.cleanup();
    }
  });

  test('a file that is not SQLite goes through copyFailed; nothing is left once the caller cleans up', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'notes.txt');
      await writeFile(src, 'not a database\n'.repeat(500));
      const copy = join(w.ctx.tmpDir, 'copy.sqlite');
      const mine = new Error('mine');
      let seen: unknown;
      await assert.rejects(
        onlineCopy(src, copy, {
          copyFailed: (err) => {
            seen = err;
            return mine;
          },
          corrupt: never('corrupt'),
        }),
        (err) => err === mine,
      );
      assert.ok(isNotADatabase(seen));
      await removeWithSidecars(copy);
      assert.deepEqual(await readdir(w.ctx.tmpDir), []);
      assert.equal(await readFile(src, 'utf8'), 'not a database\n'.repeat(500));
    } finally {
      await w.cleanup();
    }
  });

  test('a corrupt database fails through corrupt(reason) after the copy', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'corrupt.db');
      fillSample(src);
      const bytes = await readFile(src);
      bytes.fill(0x41, 3 * 4096, bytes.length - 3 * 4096);
      await writeFile(src, bytes);
      const copy = join(w.ctx.tmpDir, 'copy.sqlite');
      let reason = '';
      await assert.rejects(
        onlineCopy(src, copy, {
          copyFailed: never('copyFailed'),
          corrupt: (r) => {
            reason = r;
            return new SourceError(`corrupt: ${r}`);
          },
        }),
        SourceError,
      );
      assert.ok(reason.length > 0);
      await removeWithSidecars(copy);
      assert.deepEqual(await readdir(w.ctx.tmpDir), []);
    } finally {
      await w.cleanup();
    }
  });
});
