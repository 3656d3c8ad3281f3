import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  assertRecordShape,
  check,
  drillRecords,
  drillSpace,
  drillWithHook,
  leftovers,
  tamperInventory,
} from './drill-helpers.ts';
import { CancelledError, exitCodeFor } from '../../src/core/errors.ts';

function makeDb(path: string, rows = 5): void {
  const d = new DatabaseSync(path);
  d.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT, qty INTEGER)');
  const ins = d.prepare('INSERT INTO orders (item, qty) VALUES (?, ?)');
  for (let i = 1; i <= rows; i++) ins.run(`item ${i}`, i * 10);
  d.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
  d.exec("INSERT INTO users (name) VALUES ('ada'), ('grace')");
  d.close();
}

describe('drill: SQLite through the CLI', () => {
  test('passes: proves and restores the latest backup, checks inventory and assertions, records the result, leaves nothing behind', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      const b = await w.cli([
        'backup',
        '--source',
        `sqlite:${db}`,
        '--destination',
        `file:${w.store}`,
      ]);
      assert.equal(b.code, 0, b.stderr);
      const id = b.json.outputs['backup-id']!;

      const r = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--assert',
        'SELECT count(*) FROM orders >= 5',
        '--assert',
        "SELECT item FROM orders WHERE id = 2 = 'item 2'",
        '--assert',
        'SELECT max(qty) FROM orders WHERE qty > 10 = 50',
        '--max-rto',
        '10m',
        '--max-age',
        '1d',
        '--metrics-file',
        join(w.dir, 'lifeboat.prom'),
      ]);
      assert.equal(r.code, 0, r.stderr);
      // The drill's series reach the metrics (the metrics themselves are tested in __tests__/notify).
      const prom = await readFile(join(w.dir, 'lifeboat.prom'), 'utf8');
      assert.match(prom, /^lifeboat_drill_success\{[^}]*command="drill"[^}]*\} 1$/m);
      assert.match(prom, /^lifeboat_drill_rto_seconds\{[^}]*set="app"[^}]*\} [\d.]+$/m);
      assert.equal(r.json.outputs['drill-ok'], 'true');
      assert.equal(r.json.outputs['backup-id'], id);
      assert.equal(r.json.outputs['error-kind'], 'none');
      assert.match(r.json.outputs['rto-ms']!, /^\d+$/);
      assert.match(r.json.outputs['backup-age-ms']!, /^\d+$/);

      const [record] = await drillRecords(w.store, 'app');
      assert.ok(record);
      assertRecordShape(record);
      assert.equal(record.ok, true);
      assert.equal(record.backupId, id);
      assert.equal(record.set, 'app');
      assert.equal(String(record.rtoMs), r.json.outputs['rto-ms']);
      assert.match(
        check(record, 'inventory sqlite').detail,
        /2 tables, 7 rows: matches the manifest/,
      );
      assert.match(
        check(record, 'assert SELECT count(*) FROM orders >= 5').detail,
        /^5 satisfies >= 5$/,
      );
      assert.equal(check(record, /item 2/).ok, true);
      assert.equal(check(record, /max\(qty\)/).ok, true);
      assert.match(check(record, 'rto').detail, /limit 10m \(max-rto\)/);
      assert.equal(check(record, 'backup age').ok, true);
      // The backup's own objects are untouched: only the record was added.
      // (lifeboat-last-run.drill.json is the metrics' own record of the set's last run.)
      const files = (await readdir(join(w.store, 'app'))).filter((f) => f.startsWith(id)).sort();
      assert.deepEqual(
        files.map((f) => f.replace(id, 'ID')),
        ['ID.drill.json', 'ID.manifest.json', 'ID.sha256', 'ID.tar.zst'],
      );
      assert.deepEqual(await leftovers(w.tmpRoot), []);

      // list and status show the last drill.
      const list = await w.cli(['list', '--destination', `file:${w.store}`]);
      const rows = list.json['backups'] as Array<{
        id: string;
        drill?: { ok: boolean; rtoMs: number };
      }>;
      assert.deepEqual(rows[0]!.drill?.ok, true);
      assert.equal(rows[0]!.drill?.rtoMs, record.rtoMs);
      const status = await w.cli([
        'status',
        '--destination',
        `file:${w.store}`,
        '--schedule',
        '* * * * *',
        '--grace',
        '1h',
      ]);
      assert.equal(status.code, 0, status.stderr);
      assert.equal(status.json.outputs['drill-ok'], 'true');
      assert.equal(status.json.outputs['rto-ms'], String(record.rtoMs));
    } finally {
      await w.cleanup();
    }
  });

  test('a failed assertion exits 3, records the failure with its figures, and removes the scratch copy', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      assert.equal(
        (await w.cli(['backup', '--source', `sqlite:${db}`, '--destination', `file:${w.store}`]))
          .code,
        0,
      );
      const scratch = join(w.dir, 'scratch.db');
      const r = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        `sqlite:${scratch}`,
        '--assert',
        'SELECT count(*) FROM orders >= 1000',
      ]);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.json['error-kind'], 'integrity');
      assert.equal(r.json.outputs['drill-ok'], 'false');
      assert.match(
        String(r.json['error']),
        /drill failed: assert SELECT count\(\*\) FROM orders >= 1000: 5 does not satisfy >= 1000/,
      );
      const [record] = await drillRecords(w.store, 'app');
      assertRecordShape(record!);
      assert.equal(record!.ok, false);
      assert.equal(check(record!, 'inventory sqlite').ok, true);
      assert.equal(check(record!, /orders >= 1000/).ok, false);
      assert.equal(existsSync(scratch), false, 'the scratch copy was removed');
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });

  test('max-rto 0s fails deterministically (exit 1, operational), data checks still pass', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      assert.equal(
        (await w.cli(['backup', '--source', `sqlite:${db}`, '--destination', `file:${w.store}`]))
          .code,
        0,
      );
      const r = await w.cli(['drill', '--destination', `file:${w.store}`, '--max-rto', '0s']);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.json['error-kind'], 'operational');
      assert.match(String(r.json['error']), /drill failed: rto: .*limit 0s \(max-rto\)/);
      assert.match(String(r.json['error']), /fix: recovery takes longer than --max-rto allows/);
      const [record] = await drillRecords(w.store, 'app');
      assert.equal(record!.ok, false);
      assert.equal(check(record!, 'rto').ok, false);
      assert.equal(check(record!, 'inventory sqlite').ok, true);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });

  test('max-age: a backup older than allowed fails the drill (exit 1)', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      assert.equal(
        (await w.cli(['backup', '--source', `sqlite:${db}`, '--destination', `file:${w.store}`]))
          .code,
        0,
      );
      const r = await w.cli(['drill', '--destination', `file:${w.store}`, '--max-age', '0s']);
      assert.equal(r.code, 1, r.stderr);
      const [record] = await drillRecords(w.store, 'app');
      assert.equal(check(record!, 'backup age').ok, false);
      assert.match(check(record!, 'backup age').detail, /limit 0s \(max-age\)/);
    } finally {
      await w.cleanup();
    }
  });

  test('wrong row count: a manifest that promises another count than the data restores exits 3 naming the table', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      const b = await w.cli([
        'backup',
        '--source',
        `sqlite:${db}`,
        '--destination',
        `file:${w.store}`,
        '--compression',
        'none',
      ]);
      assert.equal(b.code, 0, b.stderr);
      await tamperInventory(w.store, 'app', (m) => {
        const t = m.sources[0]!.inventory.tables!.find((x) => x.name === 'orders')!;
        t.rows = 6;
      });
      const scratch = join(w.dir, 'scratch.db');
      const r = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        `sqlite:${scratch}`,
      ]);
      assert.equal(r.code, 3, r.stderr);
      assert.match(String(r.json['error']), /orders/);
      assert.match(String(r.json['error']), /\b5\b.*\b6\b|\b6\b.*\b5\b/);
      const [record] = await drillRecords(w.store, 'app');
      assertRecordShape(record!);
      assert.equal(record!.ok, false);
      assert.equal(check(record!, 'restore').ok, false);
      assert.equal(existsSync(scratch), false);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });

  test('refusals before anything is restored (exit 2, no record): malformed assertion, the source as target, a taken scratch', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      assert.equal(
        (await w.cli(['backup', '--source', `sqlite:${db}`, '--destination', `file:${w.store}`]))
          .code,
        0,
      );
      const before = await readFile(db);

      const bad = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--assert',
        'SELECT count(*) FROM orders',
      ]);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(
        String(bad.json['error']),
        /--assert: 'SELECT count\(\*\) FROM orders': a SQL assertion ends with an operator/,
      );

      const unknown = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--assert',
        'rows > 3',
      ]);
      assert.equal(unknown.code, 2);
      const wrongKind = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--assert',
        'keys >= 3',
      ]);
      assert.equal(wrongKind.code, 2);
      assert.match(
        String(wrongKind.json['error']),
        /keys assertion, which cannot run against sqlite \(sqlite\)/,
      );
      const badRto = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--max-rto',
        'soon',
      ]);
      assert.equal(badRto.code, 2);
      assert.match(String(badRto.json['error']), /max-rto/);

      const prod = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        `sqlite:${db}`,
      ]);
      assert.equal(prod.code, 2, prod.stderr);
      assert.match(String(prod.json['error']), /is the backed-up source itself/);

      const taken = join(w.dir, 'taken.db');
      await writeFile(taken, 'somebody else’s file');
      const busy = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        `sqlite:${taken}`,
      ]);
      assert.equal(busy.code, 2, busy.stderr);
      assert.match(
        String(busy.json['error']),
        /is taken: .*taken\.db already exists; nothing was restored/,
      );
      assert.equal(await readFile(taken, 'utf8'), 'somebody else’s file');

      assert.deepEqual(await drillRecords(w.store, 'app'), []);
      assert.deepEqual(await readFile(db), before);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });

  test('keep-scratch leaves the restored copy for inspection', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      assert.equal(
        (await w.cli(['backup', '--source', `sqlite:${db}`, '--destination', `file:${w.store}`]))
          .code,
        0,
      );
      const scratch = join(w.dir, 'kept.db');
      const r = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        `sqlite:${scratch}`,
        '--keep-scratch',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const d = new DatabaseSync(scratch, { readOnly: true });
      assert.deepEqual({ ...d.prepare('SELECT count(*) AS n FROM orders').get() }, { n: 5 });
      d.close();
    } finally {
      await w.cleanup();
    }
  });
});

describe('drill: dir: through the CLI', () => {
  async function tree(root: string): Promise<void> {
    await mkdir(join(root, 'img'), { recursive: true });
    await writeFile(join(root, 'a.txt'), 'alpha');
    await writeFile(join(root, 'img', 'logo.png'), Buffer.alloc(2048, 7));
    await writeFile(join(root, 'b.txt'), 'beta');
  }

  test('passes with files/file assertions into a temporary folder, which is removed', async () => {
    const w = await drillSpace();
    try {
      const src = join(w.dir, 'uploads');
      await tree(src);
      assert.equal(
        (await w.cli(['backup', '--source', `dir:${src}`, '--destination', `file:${w.store}`]))
          .code,
        0,
      );
      const r = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--assert',
        'files >= 3',
        '--assert',
        'file img/logo.png',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const [record] = await drillRecords(w.store, 'uploads');
      assertRecordShape(record!);
      assert.match(
        check(record!, 'inventory dir').detail,
        /3 files, 2057 bytes: matches the manifest/,
      );
      assert.match(check(record!, 'assert file img/logo.png').detail, /2048 bytes/);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });

  test('a missing file fails the drill (exit 3) and the scratch folder is gone', async () => {
    const w = await drillSpace();
    try {
      const src = join(w.dir, 'uploads');
      await tree(src);
      assert.equal(
        (await w.cli(['backup', '--source', `dir:${src}`, '--destination', `file:${w.store}`]))
          .code,
        0,
      );
      const scratch = join(w.dir, 'scratch');
      const r = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        `dir:${scratch}`,
        '--assert',
        'file img/missing.png',
        '--assert',
        'files > 3',
      ]);
      assert.equal(r.code, 3, r.stderr);
      const [record] = await drillRecords(w.store, 'uploads');
      assert.equal(
        check(record!, 'assert file img/missing.png').detail,
        'img/missing.png is missing',
      );
      assert.equal(check(record!, 'assert files > 3').detail, '3 files does not satisfy > 3');
      assert.equal(await stat(scratch).catch(() => undefined), undefined);
    } finally {
      await w.cleanup();
    }
  });
});

describe('drill: cancellation and several sources', () => {
  test('a cancel after the restore removes the scratch copy and writes no record (exit 143)', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      assert.equal(
        (await w.cli(['backup', '--source', `sqlite:${db}`, '--destination', `file:${w.store}`]))
          .code,
        0,
      );
      const scratch = join(w.dir, 'scratch.db');
      const cancel = new AbortController();
      let restored = false;
      const r = await drillWithHook(
        { destination: `file:${w.store}`, target: `sqlite:${scratch}`, assert: 'SELECT 1 = 1' },
        w.dir,
        w.tmpRoot,
        async () => {
          restored = existsSync(scratch);
          cancel.abort(new CancelledError('SIGTERM'));
        },
        cancel.signal,
      );
      assert.equal(restored, true, 'the scratch copy existed when the cancel came');
      assert.ok(r.error instanceof CancelledError, String(r.error));
      assert.equal(exitCodeFor(r.error), 143);
      assert.equal(existsSync(scratch), false, 'the scratch copy was removed');
      assert.deepEqual(await drillRecords(w.store, 'app'), []);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });

  test('a backup of a database and a folder: each source gets its scratch, @source picks an assertion’s source', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      const files = join(w.dir, 'files');
      await mkdir(files);
      await writeFile(join(files, 'x.txt'), 'x');
      const b = await w.cli([
        'backup',
        '--source',
        `db=sqlite:${db}`,
        '--source',
        `files=dir:${files}`,
        '--destination',
        `file:${w.store}`,
        '--name',
        'both',
      ]);
      assert.equal(b.code, 0, b.stderr);
      const ambiguous = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--assert',
        'files >= 1',
        '--assert',
        '@files SELECT 1 = 1',
      ]);
      assert.equal(ambiguous.code, 2, ambiguous.stderr);
      assert.match(
        String(ambiguous.json['error']),
        /'@files SELECT 1 = 1' is a sql assertion, which cannot run against files \(dir\)/,
      );
      const r = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--assert',
        'files >= 1',
        '--assert',
        '@db SELECT count(*) FROM users = 2',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const [record] = await drillRecords(w.store, 'both');
      assert.deepEqual(
        record!.checks.map((c) => [c.name, c.ok]),
        [
          ['restore', true],
          ['inventory db', true],
          ['assert @db SELECT count(*) FROM users = 2', true],
          ['inventory files', true],
          ['assert files >= 1', true],
          ['rto', true],
          ['backup age', true],
        ],
      );
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });
});

describe('drill records and retention', () => {
  test('prune keeps the newest drilled backup, and removes a drill record with its backup', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const b = await w.cli([
          'backup',
          '--source',
          `sqlite:${db}`,
          '--destination',
          `file:${w.store}`,
        ]);
        assert.equal(b.code, 0, b.stderr);
        ids.push(b.json.outputs['backup-id']!);
      }
      const [first, second, third] = ids as [string, string, string];
      assert.equal(
        (await w.cli(['drill', '--destination', `file:${w.store}`, '--backup', first])).code,
        0,
      );
      const keep1 = await w.cli(['prune', '--destination', `file:${w.store}`, '--keep-last', '1']);
      assert.equal(keep1.code, 0, keep1.stderr);
      assert.equal(keep1.json.outputs['removed'], '1');
      let left = await readdir(join(w.store, 'app'));
      assert.ok(left.includes(`${first}.drill.json`) && left.includes(`${first}.manifest.json`));
      assert.ok(!left.some((f) => f.startsWith(second)), left.join(', '));

      // Once the newest is drilled, the older drilled one goes, its record with it.
      assert.equal(
        (await w.cli(['drill', '--destination', `file:${w.store}`, '--backup', third])).code,
        0,
      );
      const keep2 = await w.cli(['prune', '--destination', `file:${w.store}`, '--keep-last', '1']);
      assert.equal(keep2.code, 0, keep2.stderr);
      left = (await readdir(join(w.store, 'app'))).sort();
      assert.deepEqual(
        left.map((f) => f.replace(third, 'ID')),
        ['ID.drill.json', 'ID.manifest.json', 'ID.sha256', 'ID.tar.zst'],
      );
    } finally {
      await w.cleanup();
    }
  });
});

describe('drill: a record that cannot be stored', () => {
  test('every check passed but the record cannot be written: exit 1 saying so, scratch removed', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'app.db');
      makeDb(db);
      const b = await w.cli([
        'backup',
        '--source',
        `sqlite:${db}`,
        '--destination',
        `file:${w.store}`,
      ]);
      assert.equal(b.code, 0, b.stderr);
      const id = b.json.outputs['backup-id']!;
      // A non-empty folder where the record goes: the store cannot put the object there.
      await mkdir(join(w.store, 'app', `${id}.drill.json`, 'blocker'), { recursive: true });
      const scratch = join(w.dir, 'scratch.db');
      const r = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--target',
        `sqlite:${scratch}`,
      ]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.json['error-kind'], 'operational');
      assert.match(
        String(r.json['error']),
        /the drill passed, but its record could not be stored on file:/,
      );
      assert.equal(existsSync(scratch), false);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });
});
