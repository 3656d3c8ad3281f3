import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { dropDb, localServer, localUrl, query, uniqueDb } from '../sources/postgres-fixture.ts';

async function sqliteBackups(count: number) {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-latest-'));
  const db = new DatabaseSync(join(dir, 'app.db'));
  db.exec("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('x')");
  db.close();
  const store = join(dir, 'store');
  for (let i = 0; i < count; i++) {
    const b = await runCli([
      'backup',
      '--source',
      `sqlite:${join(dir, 'app.db')}`,
      '--destination',
      `file:${store}`,
      '--name',
      'app',
    ]);
    assert.equal(b.code, 0, b.stderr);
  }
  const ids = (await readdir(join(store, 'app')))
    .filter((f) => f.endsWith('.manifest.json'))
    .map((f) => f.slice(0, -'.manifest.json'.length))
    .sort();
  return { dir, store, ids };
}

describe('latest never silently becomes an older backup', () => {
  for (const damage of ['unparsable', 'not a manifest'] as const) {
    test(`a ${damage} newest sidecar: restore and verify exit 3 naming it, list shows it damaged, by id it is an integrity error`, async () => {
      const { dir, store, ids } = await sqliteBackups(2);
      try {
        const [older, newest] = ids as [string, string];
        await writeFile(
          join(store, 'app', `${newest}.manifest.json`),
          damage === 'unparsable' ? '{"id": "truncat' : '{"hello": "world"}',
        );
        const dest = ['--destination', `file:${store}`, '--name', 'app'];
        const target = join(dir, 'restored.db');

        const r = await runCli(['restore', ...dest, '--target', `sqlite:${target}`]);
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stderr, new RegExp(`newest backup app/${newest} .* is damaged`));
        assert.deepEqual(
          (await readdir(dir)).filter((f) => f.startsWith('restored')),
          [],
          'nothing restored',
        );

        const v = await runCli(['verify', ...dest]);
        assert.equal(v.code, 3, v.stderr);
        assert.match(v.stderr, new RegExp(newest));

        const byId = await runCli(['verify', ...dest, '--backup', newest]);
        assert.equal(byId.code, 3, byId.stderr);
        assert.match(byId.stderr, /damaged/);
        assert.doesNotMatch(byId.stderr, /not found/);

        const l = await runCli(['list', ...dest, '--json']);
        assert.equal(l.code, 0, l.stderr);
        const rows = jsonOf(l)['backups'] as Array<{ id: string; damaged?: string }>;
        assert.deepEqual(
          rows.map((x) => [x.id, Boolean(x.damaged)]),
          [
            [older, false],
            [newest, true],
          ],
        );
        const text = await runCli(['list', ...dest]);
        assert.match(text.stdout, new RegExp(`${newest}.*DAMAGED`));

        // The older one is still there for whoever asks for it by id.
        const old = await runCli(['verify', ...dest, '--backup', older]);
        assert.equal(old.code, 0, old.stderr);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('an overwrite restore reports the restored backup, and the safety backup apart', () => {
  test('postgres: sha256, size and destination are the restored backup’s; safety-backup-id and its own section', async (t) => {
    const admin = await localServer();
    if (!admin) return t.skip('PostgreSQL not available');
    const base = uniqueDb('rep');
    const [src, used] = [`${base}_src`, `${base}_used`];
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-report-'));
    const store = `file:${join(dir, 'store')}`;
    try {
      for (const db of [src, used]) await admin.query(`CREATE DATABASE ${db}`);
      await query(src, "CREATE TABLE people (name text); INSERT INTO people VALUES ('new')");
      await query(used, "CREATE TABLE people (name text); INSERT INTO people VALUES ('old')");
      const b = await runCli([
        'backup',
        '--source',
        localUrl(src),
        '--destination',
        store,
        '--name',
        'rep',
        '--json',
      ]);
      assert.equal(b.code, 0, b.stderr);
      const made = jsonOf(b).outputs;

      const args = ['restore', '--destination', store, '--name', 'rep'];
      const r = await runCli([...args, '--target', localUrl(used), '--overwrite', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const out = jsonOf(r);
      assert.equal(out.outputs['backup-id'], made['backup-id']);
      assert.equal(out.outputs['sha256'], made['sha256']);
      assert.equal(out.outputs['size'], made['size']);
      assert.equal(out.outputs['verified'], 'true');
      assert.match(out.outputs['safety-backup-id'] ?? '', /^rep-safety\/\d{8}T\d{6}Z-\w+$/);
      const destinations = out['destinations'] as Array<{ key: string; sha256: string }>;
      assert.equal(destinations.length, 1);
      assert.equal(destinations[0]!.sha256, made['sha256']);
      assert.match(destinations[0]!.key, new RegExp(`^rep/${made['backup-id']}`));
      // The safety backup is a run of its own: its report, apart from the restore's.
      const safety = out['safetyBackups'] as Array<Record<string, unknown>>;
      assert.equal(safety.length, 1);
      assert.equal(safety[0]!['ok'], true);
      assert.equal(
        `rep-safety/${String(safety[0]!['backup-id'])}`,
        out.outputs['safety-backup-id'],
      );
      assert.notEqual(safety[0]!['sha256'], made['sha256']);
      const safetyAt = safety[0]!['destinations'] as Array<{ key: string; ok: boolean }>;
      assert.deepEqual(
        safetyAt.map((d) => d.ok),
        [true],
      );
      assert.match(safetyAt[0]!.key, /^rep-safety\//);
      assert.deepEqual((await query(used, 'SELECT name FROM people')).rows, [{ name: 'new' }]);

      // The summary: the restored backup up top, the safety backup in its own section.
      await query(used, "INSERT INTO people VALUES ('newer')");
      const s = await runCli([...args, '--target', localUrl(used), '--overwrite']);
      assert.equal(s.code, 0, s.stderr);
      assert.match(s.stdout, new RegExp(`\\| sha256 \\| \`${made['sha256']}\` \\|`));
      assert.match(s.stdout, /### Safety backup of /);
      assert.match(s.stdout, /\| backup \| `rep-safety\//);

      const l = await runCli(['list', '--destination', store, '--json']);
      const sets = (jsonOf(l)['backups'] as Array<{ set: string }>).map((x) => x.set).sort();
      assert.deepEqual(sets, ['rep', 'rep-safety', 'rep-safety']);
    } finally {
      await rm(dir, { recursive: true, force: true });
      const r = await admin.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${base}%`],
      );
      for (const { datname } of r.rows) await dropDb(admin, datname);
      await admin.end();
    }
  });
});
