import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { unavailable } from '../helpers/services.ts';

/**
 * Destinations that fail for real: a read-only file system and full disks, made with tmpfs
 * mounts. Mounting needs root (CI runs as root in the container, GitHub's runners via sudo).
 */
let dir = '';
let db = '';
const mounts: string[] = [];
let cannotMount: string | undefined;

function mountTmpfs(path: string, options: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', path], { stdio: 'pipe' });
  mounts.push(path);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-destfail-'));
  db = join(dir, 'app.db');
  const d = new DatabaseSync(db);
  d.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)');
  const ins = d.prepare('INSERT INTO blobs (data) VALUES (?)');
  // About 2 MiB that does not compress: more than the small disks below hold.
  for (let i = 0; i < 32; i++) ins.run(randomBytes(64 * 1024));
  d.close();
  const probe = join(dir, 'probe');
  await mkdir(probe);
  try {
    mountTmpfs(probe, 'size=64k');
  } catch (err) {
    cannotMount = `cannot mount tmpfs here (${(err as Error).message.split('\n')[0]}); run as root`;
  }
});

after(async () => {
  for (const m of mounts.reverse()) {
    try {
      execFileSync('umount', [m], { stdio: 'pipe' });
    } catch {
      // already gone
    }
  }
  await rm(dir, { recursive: true, force: true });
});

function skipUnlessMountable(t: { skip(reason: string): void }): boolean {
  if (!cannotMount) return false;
  t.skip(unavailable(cannotMount));
  return true;
}

describe('destinations that cannot take the backup', () => {
  test('a read-only destination says "read-only file system" and names the option, before dumping', async (t) => {
    if (skipUnlessMountable(t)) return;
    const ro = join(dir, 'ro');
    await mkdir(ro);
    mountTmpfs(ro, 'ro,size=64k');
    const r = await runCli([
      'backup',
      '--source',
      `sqlite:${db}`,
      '--destination',
      `file:${ro}/backups`,
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /EROFS: read-only file system/);
    assert.match(
      r.stderr,
      /fix: .*read-only file system: point the destination option at a writable folder/,
    );
    assert.doesNotMatch(r.stderr, /ENOENT/);
    assert.doesNotMatch(r.stderr, /Dump/, 'nothing was dumped');
    assert.deepEqual(await readdir(ro), []);
  });

  test("every destination filling up mid-upload: each one's own error, exit 1, nothing left on either", async (t) => {
    if (skipUnlessMountable(t)) return;
    const full = [join(dir, 'full-a'), join(dir, 'full-b')];
    for (const f of full) {
      await mkdir(f);
      mountTmpfs(f, 'size=256k');
    }
    const r = await runCli([
      'backup',
      '--source',
      `sqlite:${db}`,
      '--destination',
      `file:${full[0]}`,
      '--destination',
      `file:${full[1]}`,
      '--compression',
      'none',
      '--json',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Dump/, 'the probe passed; the disks filled during the upload');
    const error = String(jsonOf(r)['error'] ?? r.stderr);
    for (const f of full) {
      assert.match(error, new RegExp(`file:${f}: .*ENOSPC`), error);
    }
    assert.doesNotMatch(error, /Premature close/);
    const dests = jsonOf(r)['destinations'] as Array<{ ok: boolean; error?: string }>;
    assert.deepEqual(
      dests.map((d) => [d.ok, /ENOSPC/.test(d.error ?? '')]),
      [
        [false, true],
        [false, true],
      ],
    );
    for (const f of full) assert.deepEqual(await readdir(f), [], `${f} is left empty`);
  });
});
