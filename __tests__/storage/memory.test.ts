import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ConfigError, IntegrityError } from '../../src/core/errors.ts';
import { Redactor, silentLogger } from '../../src/core/log.ts';
import { clearMemoryStorage, memoryStorage, MemoryStorage } from '../../src/storage/memory.ts';
import { openStorage, TEST_MEMORY_STORAGE_ENV } from '../../src/storage/registry.ts';
import type { StorageContext } from '../../src/storage/types.ts';
import { readAll, sha256, storageConformanceSuite } from './conformance.ts';

// memory: storage is for tests only: this file turns it on.
process.env[TEST_MEMORY_STORAGE_ENV] = '1';

const ctx: StorageContext = { log: silentLogger, redactor: new Redactor(), env: {}, options: {} };

storageConformanceSuite('memory: storage', async () => {
  const name = `conformance-${randomUUID()}`;
  const storage = (await memoryStorage.create(`memory:${name}`, ctx)) as MemoryStorage;
  return {
    storage,
    cleanup: async () => clearMemoryStorage(name),
    faults: { shrink: async (key, bytes) => storage.shrinkForTest(key, bytes) },
  };
});

test('two opens of the same memory: name share objects; other names do not', async () => {
  const name = `shared-${randomUUID()}`;
  try {
    const a = await openStorage(`memory:${name}`, ctx);
    const b = await openStorage(`memory:${name}`, ctx);
    const other = await openStorage(`memory:${name}-other`, ctx);
    await a.put('set/x', Readable.from(['hello']));
    assert.equal((await readAll(await b.get('set/x'))).toString(), 'hello');
    assert.deepEqual(await other.list(''), []);
    assert.equal(a.displayUrl, `memory:${name}`);
  } finally {
    clearMemoryStorage(name);
    clearMemoryStorage(`${name}-other`);
  }
});

test('a put whose bytes do not match the announced sha256 or size fails and stores nothing', async () => {
  const name = `announced-${randomUUID()}`;
  try {
    const s = await openStorage(`memory:${name}`, ctx);
    await assert.rejects(
      s.put('k', Readable.from(['abc']), { sha256: sha256(Buffer.from('abd')) }),
      IntegrityError,
    );
    await assert.rejects(s.put('k', Readable.from(['abc']), { size: 4 }), IntegrityError);
    assert.deepEqual(await s.list(''), []);
    const ok = await s.put('k', Readable.from(['abc']), {
      sha256: sha256(Buffer.from('abc')),
      size: 3,
    });
    assert.equal((await s.stat('k'))?.sha256, ok.sha256);
  } finally {
    clearMemoryStorage(name);
  }
});

test('memory: without a name is a config error', async () => {
  await assert.rejects(openStorage('memory:', ctx), /names no memory store/);
});

test('memory: cannot be chosen by a user: without the test switch it is an unknown scheme', async () => {
  delete process.env[TEST_MEMORY_STORAGE_ENV];
  try {
    await assert.rejects(openStorage('memory:users-cannot', ctx), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.option, 'destination');
      assert.doesNotMatch(err.hint ?? '', /memory:/);
      return true;
    });
  } finally {
    process.env[TEST_MEMORY_STORAGE_ENV] = '1';
  }
});
