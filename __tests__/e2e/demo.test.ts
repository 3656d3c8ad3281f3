import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';

test('the README quick start: `lifeboat demo` backs up, verifies and restores a demo SQLite database into ./backups', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-demo-'));
  try {
    const r = await runCli(['demo'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Lifeboat backup: ✅ succeeded/);
    assert.match(r.stdout, /Lifeboat verify: ✅ succeeded/);
    assert.match(r.stdout, /Lifeboat restore: ✅ succeeded/);
    assert.match(r.stdout, /has 5000 orders/);
    const files = await readdir(join(dir, 'backups', 'shop'));
    assert.equal(files.filter((f) => f.endsWith('.manifest.json')).length, 1);
    assert.ok(files.some((f) => f.endsWith('.tar.zst')));
    assert.ok(files.some((f) => f.endsWith('.sha256')));
    const restored = (await readdir(join(dir, '.lifeboat-demo'))).filter(
      (f) => f.startsWith('restored-') && f.endsWith('.sqlite'),
    );
    assert.equal(restored.length, 1);
    assert.ok(existsSync(join(dir, '.lifeboat-demo', 'shop.sqlite')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--help lists the commands and exit codes; --version prints the version', async () => {
  const h = await runCli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /usage: lifeboat <command>/);
  assert.match(h.stdout, /^ {2}restore +\S/m);
  assert.match((await runCli(['backup', '--help'])).stdout, /--keep-daily/);
  assert.match(h.stdout, /3 integrity failure/);
  const v = await runCli(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
});
