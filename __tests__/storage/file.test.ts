import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { IntegrityError, StorageError } from '../../src/core/errors.ts';
import { Redactor, silentLogger } from '../../src/core/log.ts';
import { fileRoot, fileStorage } from '../../src/storage/file/index.ts';
import { openStorage } from '../../src/storage/registry.ts';
import type { Storage, StorageContext } from '../../src/storage/types.ts';
import { failingBody, readAll, sha256, storageConformanceSuite } from './conformance.ts';

const ctx: StorageContext = { log: silentLogger, redactor: new Redactor(), env: {}, options: {} };

async function tempDir(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-file-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Every file under dir, temporary ones included, as relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

storageConformanceSuite('file: storage', async () => {
  const { dir, cleanup } = await tempDir();
  // A folder that does not exist yet: put must create it.
  return {
    storage: await fileStorage.create(`file:${join(dir, 'store')}`, ctx),
    cleanup,
    faults: { shrink: (key, bytes) => truncate(join(dir, 'store', key), bytes) },
  };
});

test('file: URLs: relative, absolute, file:/// and ~ all name one absolute folder', () => {
  assert.equal(fileRoot('file:./backups', '/work'), '/work/backups');
  assert.equal(fileRoot('file:backups/', '/work'), '/work/backups');
  assert.equal(fileRoot('file:/srv/backups', '/work'), '/srv/backups');
  assert.equal(fileRoot('file:///srv/back%20ups', '/work'), '/srv/back ups');
  assert.equal(fileRoot(pathToFileURL('/srv/x').href, '/work'), '/srv/x');
  assert.match(fileRoot('file:~/b', '/work'), /\/b$/);
  assert.throws(() => fileRoot('file:', '/work'), /names no folder/);
  assert.throws(() => fileRoot('file://otherhost/x', '/work'), /not a local file URL/);
});

test('a failed put leaves no folder it made; deleting the last object removes emptied folders', async () => {
  const root = await mkdtemp(join(tmpdir(), 'lifeboat-file-dirs-'));
  try {
    const s = fileStorage.create(`file:${root}`, ctx) as Storage;
    await assert.rejects(s.put('set/deep/a', failingBody(1000)));
    assert.deepEqual(await readdir(root), []);
    await s.put('set/deep/a', Readable.from(['x']));
    await s.put('other/b', Readable.from(['y']));
    await s.delete('set/deep/a');
    assert.deepEqual(await readdir(root), ['other']);
    await s.delete('other/b');
    assert.deepEqual(await readdir(root), [], 'the root itself stays');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a failed put leaves no temporary file on disk; an interrupted one neither', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const s = await openStorage(`file:${dir}`, ctx);
    await s.put('set/keep.bin', Readable.from(['kept']));
    await assert.rejects(s.put('set/x.tar.zst', failingBody(3 * 1024 * 1024)));
    await assert.rejects(
      s.put('set/y.tar.zst', Readable.from(['abc']), { sha256: sha256(Buffer.from('abd')) }),
      IntegrityError,
    );
    assert.deepEqual(await filesUnder(dir), ['set/keep.bin']);
  } finally {
    await cleanup();
  }
});

test('temporary files of a put in flight are not listed, and stored files are private (0600)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const s = await openStorage(`file:${dir}`, ctx);
    await s.put('set/a.bin', Readable.from(['a']));
    await writeFile(join(dir, 'set', '.b.bin.lifeboat-tmp-0123abcd'), 'partial');
    assert.deepEqual(
      (await s.list('')).map((o) => o.key),
      ['set/a.bin'],
    );
    assert.equal((await stat(join(dir, 'set', 'a.bin'))).mode & 0o777, 0o600);
    await assert.rejects(
      s.put('set/.b.bin.lifeboat-tmp-0123abcd', Readable.from(['x'])),
      StorageError,
    );
  } finally {
    await cleanup();
  }
});

test('keys that try to escape write nothing outside the folder', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const s = await openStorage(`file:${join(dir, 'inner')}`, ctx);
    for (const key of ['../escape', 'a/../../escape', '/tmp/escape', '..']) {
      await assert.rejects(s.put(key, Readable.from(['x'])), StorageError);
    }
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await cleanup();
  }
});

test('a file standing where a folder must be is a permanent error with a hint', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'blocked'), 'a file');
    const s = await openStorage(`file:${join(dir, 'blocked')}/x`, ctx);
    const err = await s.put('set/a', Readable.from(['x'])).catch((e: unknown) => e);
    assert.ok(err instanceof StorageError);
    assert.equal(err.transient, false);
    assert.match(err.hint ?? '', /a file stands where/);
    assert.deepEqual(await s.list(''), []);
    assert.equal(await s.stat('set/a'), undefined);
  } finally {
    await cleanup();
  }
});

test('get streams the file and a read can be aborted', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const s = await openStorage(`file:${dir}`, ctx);
    const data = Buffer.alloc(1024 * 1024, 3);
    await s.put('big', Readable.from([data]));
    assert.ok((await readAll(await s.get('big'))).equals(data));
    const controller = new AbortController();
    const stream = await s.get('big', { signal: controller.signal });
    controller.abort();
    await assert.rejects(readAll(stream), { name: 'AbortError' });
  } finally {
    await cleanup();
  }
});
