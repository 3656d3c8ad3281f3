import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '..', '..');

/**
 * The package as someone outside a clone gets it: built from this source tree (in a copy, so
 * neither the committed dist/ nor the working tree is used or touched), packed with `npm pack`,
 * installed from the tarball into an empty folder, and run through `npx`.
 */
test('the package installs from its own tarball and runs: --version and a SQLite backup and restore', async () => {
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-pack-'));
  // The project's Node first on PATH: `#!/usr/bin/env node` and npm itself run on it.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${dirname(process.execPath)}:${process.env['PATH']}`,
  };
  delete env['NODE_OPTIONS'];
  const inDir = (cwd: string) => ({ cwd, env, maxBuffer: 64 << 20 });
  try {
    const copy = join(work, 'source');
    await mkdir(copy);
    for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'src'])
      await cp(join(repo, entry), join(copy, entry), { recursive: true });
    await symlink(join(repo, 'node_modules'), join(copy, 'node_modules'), 'dir');
    await run(process.execPath, ['scripts/build.mjs'], inDir(copy));

    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], inDir(copy));
    const [info] = JSON.parse(packed.stdout) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    const files = info!.files.map((f) => f.path);
    for (const needed of [
      'package.json',
      'dist/cli.js',
      'dist/lifeboat/index.js',
      'dist/package.json',
    ])
      assert.ok(files.includes(needed), `${needed} is in the tarball: ${files.join(', ')}`);
    assert.deepEqual(
      files.filter(
        (f) =>
          !f.startsWith('dist/lifeboat/') &&
          !/^(package\.json|dist\/cli\.js|dist\/package\.json|README\.md)$/.test(f),
      ),
      [],
      'nothing but the bundle and the CLI shim (no sources, tests or the action shim)',
    );
    const manifest = JSON.parse(await readFile(join(copy, 'package.json'), 'utf8')) as {
      version: string;
      dependencies?: Record<string, string>;
    };
    assert.deepEqual(manifest.dependencies ?? {}, {}, 'the bundle needs no dependencies');

    const app = join(work, 'app');
    await mkdir(app);
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', join(work, info!.filename)],
      inDir(app),
    );
    const installed = (await readdir(join(app, 'node_modules'))).filter((n) => !n.startsWith('.'));
    assert.deepEqual(installed, ['lifeboat'], 'nothing else was installed');

    // --no: fail rather than fetch a lifeboat from the registry.
    const npx = (...args: string[]) => run('npx', ['--no', '--', 'lifeboat', ...args], inDir(app));
    assert.equal((await npx('--version')).stdout, `${manifest.version}\n`);
    assert.match((await npx('--help')).stdout, /^ {2}restore +\S/m);

    const db = new DatabaseSync(join(app, 'shop.sqlite'));
    db.exec(
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO orders (note) VALUES ('a'), ('b'), ('c')",
    );
    db.close();
    const backup = await npx(
      'backup',
      '--source',
      'sqlite:shop.sqlite',
      '--destination',
      'file:./backups',
      '--json',
    );
    const result = JSON.parse(backup.stdout) as { ok: boolean; outputs: Record<string, string> };
    assert.equal(result.ok, true, backup.stderr);
    assert.equal(result.outputs['verified'], 'true');
    await npx('restore', '--destination', 'file:./backups', '--target', 'sqlite:restored.sqlite');
    const restored = new DatabaseSync(join(app, 'restored.sqlite'), { readOnly: true });
    const rows = restored.prepare('SELECT note FROM orders ORDER BY id').all();
    restored.close();
    assert.deepEqual(
      rows.map((r) => r['note']),
      ['a', 'b', 'c'],
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
