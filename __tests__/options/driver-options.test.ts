// Each driver declares its own options (src/sources/<kind>/options.ts,
// src/storage/<kind>/options.ts); the registries list them and the schema collects them. An
// option of a kind the run does not use is warned about, naming the kind it is for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { parseOptions, type RawOptions } from '../../src/options/parse.ts';
import type { OptionSpec } from '../../src/core/option-spec.ts';
import { OPTIONS, collectOptions, optionOwner, optionSpec } from '../../src/options/schema.ts';
import { sourceEntries } from '../../src/sources/registry.ts';
import { storageEntries } from '../../src/storage/registry.ts';
import { runAction } from '../helpers/action-harness.ts';
import { runCli } from '../helpers/cli.ts';
import { sourceActionYml } from '../helpers/source-action.ts';

const misplaced = (raw: RawOptions) =>
  (parseOptions(raw).misplaced ?? []).map((m) => `${m.name}@${m.among}`);

test("every registry line's options are in the one schema, each name declared once", () => {
  const names = OPTIONS.map((o) => o.name);
  assert.equal(new Set(names).size, names.length, 'no name twice');
  for (const entry of [...sourceEntries, ...storageEntries]) {
    for (const spec of entry.options) {
      assert.equal(optionSpec(spec.name), spec, `${entry.kind}: ${spec.name}`);
      assert.ok(optionOwner(spec.name)?.kinds.includes(entry.kind), `${spec.name} → ${entry.kind}`);
    }
  }
  assert.deepEqual(optionOwner('jobs'), {
    role: 'source',
    kinds: ['postgres'],
    schemes: ['postgres', 'postgresql'],
  });
  assert.deepEqual(optionOwner('collection-suffix')?.kinds, ['chroma', 'chroma-dir', 'qdrant']);
  assert.deepEqual(optionOwner('s3-region')?.schemes, ['s3', 'gs']);
  // Shared by every run (notifications and keep-alive use it too): no owner, never misplaced.
  assert.equal(optionOwner('github-token'), undefined);
  assert.equal(optionOwner('consistency'), undefined);
});

test('one name declared twice is refused at start-up; one declaration on two lines is shared', () => {
  const spec = (name: string, group: OptionSpec['group'] = 'sources'): OptionSpec => ({
    name,
    type: 'string',
    commands: ['backup'],
    group,
    description: name,
  });
  const shared = spec('suffix');
  const ok = collectOptions(
    [spec('name', 'main')],
    [
      { kind: 'a', schemes: ['a'], options: [spec('a-x'), shared] },
      { kind: 'b', schemes: ['b', 'b+s'], options: [shared] },
    ],
    [{ kind: 'st', schemes: ['st'], options: [spec('st-x', 'storage')] }],
  );
  assert.deepEqual(
    ok.options.map((o) => o.name),
    ['name', 'a-x', 'suffix', 'st-x'],
  );
  assert.deepEqual(ok.owners.get('suffix'), {
    role: 'source',
    kinds: ['a', 'b'],
    schemes: ['a', 'b', 'b+s'],
  });
  assert.throws(
    () =>
      collectOptions(
        [],
        [
          { kind: 'a', schemes: ['a'], options: [spec('jobs')] },
          { kind: 'b', schemes: ['b'], options: [spec('jobs')] },
        ],
        [],
      ),
    /option 'jobs' is declared twice \(again by b\)/,
  );
  assert.throws(
    () =>
      collectOptions([spec('jobs')], [{ kind: 'a', schemes: ['a'], options: [spec('jobs')] }], []),
    /option 'jobs' is declared twice \(shared, and by a driver\)/,
  );
  assert.throws(
    () =>
      collectOptions(
        [],
        [{ kind: 'a', schemes: ['a'], options: [shared] }],
        [{ kind: 's', schemes: ['s'], options: [shared] }],
      ),
    /option 'suffix' is declared twice/,
  );
});

test("loading the schema loads every driver's options.ts and no driver, client library or package", async () => {
  // The schema loads at start-up for every run; pg, mysql2 and the SDKs load only when a URL
  // names their driver. Records every module the import resolves (type imports are erased).
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-schema-load-'));
  try {
    const probe = join(dir, 'probe.mjs');
    await writeFile(
      probe,
      "import { registerHooks } from 'node:module';\n" +
        'const seen = [];\n' +
        'registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.push(r.url); return r; } });\n' +
        'await import(process.argv[2]);\n' +
        'console.log(JSON.stringify(seen));\n',
    );
    const schema = pathToFileURL(resolve('src/options/schema.ts')).href;
    const r = spawnSync(process.execPath, [probe, schema], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const root = pathToFileURL(resolve('.')).href + '/';
    const loaded = [...new Set(JSON.parse(r.stdout) as string[])].map((u) => u.replace(root, ''));
    const allowed =
      /^(node:[\w/]+|src\/core\/[\w-]+\.ts|src\/options\/schema\.ts|src\/(sources|storage)\/registry\.ts|src\/(sources|storage)\/[\w-]+\/options\.ts)$/;
    assert.deepEqual(
      loaded.filter((u) => !allowed.test(u)),
      [],
      loaded.join('\n'),
    );
    const declarations = loaded.filter((u) => u.endsWith('/options.ts'));
    for (const kind of ['postgres', 'mysql', 'sqlite', 'redis', 'dir', 'chroma', 'qdrant'])
      assert.ok(declarations.includes(`src/sources/${kind}/options.ts`), kind);
    for (const kind of ['file', 's3', 'azblob', 'sftp', 'artifact'])
      assert.ok(declarations.includes(`src/storage/${kind}/options.ts`), kind);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a source option with no source of its kind is misplaced; with one it is not', () => {
  const base = { destination: 'file:./b' };
  assert.deepEqual(misplaced({ ...base, source: 'sqlite:a.db', jobs: '4' }), ['jobs@sources']);
  assert.deepEqual(
    misplaced({ ...base, source: 'sqlite:a.db\npostgresql://db/app', jobs: '4' }),
    [],
  );
  assert.deepEqual(
    misplaced({ ...base, source: 'app=mysql://db/app', databases: 'app', exclude: '*.tmp' }),
    ['exclude@sources'],
  );
  // A shared declaration belongs to every kind that lists it.
  assert.deepEqual(
    misplaced({
      ...base,
      command: 'restore',
      target: 'qdrant://q:6333',
      'collection-suffix': '_r',
    }),
    [],
  );
  assert.deepEqual(
    misplaced({
      ...base,
      command: 'restore',
      target: 'sqlite:new.db',
      'collection-suffix': '_r',
      databases: 'app',
    }),
    ['databases@restore targets', 'collection-suffix@restore targets'],
  );
});

test('a storage option with no destination of its kind is misplaced', () => {
  const base = { source: 'sqlite:a.db' };
  assert.deepEqual(
    misplaced({ ...base, destination: 'file:./b', 's3-region': 'eu-west-1', 'sftp-password': 'x' }),
    ['s3-region@destinations', 'sftp-password@destinations'],
  );
  assert.deepEqual(
    misplaced({ ...base, destination: 'file:./b\ngs://bucket/x', 's3-region': 'eu-west-1' }),
    [],
  );
  assert.deepEqual(
    misplaced({ command: 'list', destination: 'azblob://c/p', 'azure-account': 'acct' }),
    [],
  );
});

test('nothing is judged that cannot be told from the options, and a default is not a choice', () => {
  // The action passes every input, defaults included.
  assert.deepEqual(
    misplaced({
      source: 'sqlite:a.db',
      destination: 'file:./b',
      'redis-mode': 'auto',
      'row-counts': 'exact',
      'sftp-accept-unknown-host': 'false',
      'incremental-rehash': 'false',
    }),
    [],
  );
  // verify and drill read their sources' kinds from the backup; a bare restore path and an
  // unknown scheme are the command's to explain.
  assert.deepEqual(misplaced({ command: 'verify', destination: 'file:./b', 'pg-bin': '/x' }), []);
  assert.deepEqual(
    misplaced({ command: 'restore', destination: 'file:./b', target: './new.db', jobs: '2' }),
    [],
  );
  assert.deepEqual(misplaced({ source: 'oracle://db/x', destination: 'file:./b', jobs: '2' }), []);
  assert.deepEqual(
    misplaced({ source: 'sqlite:a.db', destination: 'ftp://h/x', 's3-region': 'x' }),
    [],
  );
  // An option the command does not read gets that warning only, not both.
  const o = parseOptions({ command: 'list', destination: 'file:./b', jobs: '2' });
  assert.deepEqual(o.unread, ['jobs']);
  assert.deepEqual(o.misplaced, []);
});

test('lifeboat backup warns about --jobs with only a sqlite source, naming its kind, and backs up', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-misplaced-'));
  try {
    const db = join(dir, 'app.sqlite');
    const d = new DatabaseSync(db);
    d.exec('CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)');
    d.close();
    const r = await runCli([
      'backup',
      '--source',
      `sqlite:${db}`,
      '--destination',
      `file:${join(dir, 'backups')}`,
      '--jobs',
      '4',
      '--s3-region',
      'eu-west-1',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /--jobs is read only by postgres sources \(postgres: postgresql:\), and none of this run's sources is one; remove it/,
    );
    assert.match(
      r.stderr,
      /--s3-region[^\n]* is read only by s3 destinations \(s3: gs:\), and none of this run's destinations is one/,
    );
    assert.doesNotMatch(r.stderr, /has no effect/);
    // A warning, not a failure: the backup is stored.
    const stored = await readdir(join(dir, 'backups'), { recursive: true });
    assert.ok(
      stored.some((f) => String(f).endsWith('.manifest.json')),
      stored.join(', '),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the action warns once about jobs with only a sqlite source; every other input at its default is quiet', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-misplaced-action-'));
  const action = await sourceActionYml();
  try {
    const d = new DatabaseSync(join(dir, 'app.sqlite'));
    d.exec('CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)');
    d.close();
    const r = await runAction({
      workspace: dir,
      actionYml: action.actionYml,
      inputs: { source: 'sqlite:app.sqlite', destination: 'file:./backups', jobs: '4' },
    });
    assert.equal(r.code, 0, r.log);
    assert.deepEqual(
      r.warnings.map((w) => w.message),
      [
        "the jobs input is read only by postgres sources (postgres: postgresql:), and none of this run's sources is one; remove it from this step",
      ],
    );
    assert.equal(r.outputs['verified'], 'true');
  } finally {
    await action.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
