import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ConfigError, StorageError } from '../../src/core/errors.ts';
import { groupNameOf, type ObjectInfo, type Storage } from '../../src/storage/types.ts';

/**
 * The contract every storage backend must keep (restic's backend test suite, for Lifeboat).
 * `open` must return a storage that is EMPTY (a fresh folder, bucket prefix or named
 * instance) and `cleanup` must remove whatever it holds; each test opens its own.
 */
export interface ConformanceTarget {
  storage: Storage;
  cleanup(): Promise<void>;
  /**
   * Ways to make the store fail, where the test can: each one given turns on the test that
   * proves get() classifies that failure (StorageError.reason).
   */
  faults?: {
    /** Cut the stored object to its first `bytes` bytes, under a read already running. */
    shrink?(key: string, bytes: number): Promise<void>;
    /** The same store opened with credentials it refuses. */
    denied?(): Promise<Storage>;
    /** The same store at an address where nothing answers. */
    unreachable?(): Promise<Storage>;
  };
}

const MiB = 1024 * 1024;

export function storageConformanceSuite(
  name: string,
  open: () => Promise<ConformanceTarget>,
  options?: {
    largeObjectBytes?: number;
  },
): void {
  const largeObjectBytes = options?.largeObjectBytes ?? 20 * MiB;

  const withTarget =
    (body: (storage: Storage, target: ConformanceTarget, t: TestContext) => Promise<void>) =>
    async (t: TestContext) => {
      const target = await open();
      try {
        await body(target.storage, target, t);
      } finally {
        await target.storage.close?.();
        await target.cleanup();
      }
    };
  const withStorage = (body: (storage: Storage) => Promise<void>) =>
    withTarget((storage) => body(storage));

  describe(name, () => {
    test(
      'put streams a body; get returns the same bytes; put reports size and sha256',
      withStorage(async (s) => {
        const parts = [
          randomBytes(1000),
          randomBytes(70_000),
          Buffer.from('tail'),
          randomBytes(200_000),
        ];
        const whole = Buffer.concat(parts);
        const result = await s.put('set/obj.bin', Readable.from(parts));
        assert.equal(result.size, whole.length);
        assert.equal(result.sha256, sha256(whole));
        const back = await readAll(await s.get('set/obj.bin'));
        assert.equal(back.length, whole.length);
        assert.ok(back.equals(whole), 'bytes read back differ from bytes written');
      }),
    );

    test(
      'put accepts string chunks and a body passed with its sha256 and size up front',
      withStorage(async (s) => {
        const text = 'abc123  obj.tar.zst\n';
        const result = await s.put('set/obj.sha256', Readable.from([text]), {
          sha256: sha256(Buffer.from(text)),
          size: Buffer.byteLength(text),
          contentType: 'text/plain',
        });
        assert.equal(result.size, Buffer.byteLength(text));
        assert.equal(result.sha256, sha256(Buffer.from(text)));
        assert.equal((await readAll(await s.get('set/obj.sha256'))).toString('utf8'), text);
        const info = await s.stat('set/obj.sha256');
        if (info?.sha256 !== undefined) assert.equal(info.sha256, sha256(Buffer.from(text)));
      }),
    );

    test(
      'put of an empty body stores an empty object',
      withStorage(async (s) => {
        const result = await s.put('set/empty', Readable.from([]));
        assert.equal(result.size, 0);
        assert.equal(result.sha256, sha256(Buffer.alloc(0)));
        assert.equal((await readAll(await s.get('set/empty'))).length, 0);
        assert.equal((await s.stat('set/empty'))?.size, 0);
        assert.deepEqual(keysOf(await s.list('set/')), ['set/empty']);
      }),
    );

    test(
      'nested keys; list(prefix) returns exactly the objects under it, with sizes',
      withStorage(async (s) => {
        const objects: Record<string, number> = {
          'set/a/b.tar.zst': 1234,
          'set/c.manifest.json': 10,
          'set/with space/ünïcode.json': 7,
          'set2/x.tar.zst': 55,
          'other.bin': 3,
        };
        for (const [key, size] of Object.entries(objects))
          await s.put(key, Readable.from([randomBytes(size)]));

        const set = await s.list('set/');
        assert.deepEqual(keysOf(set), [
          'set/a/b.tar.zst',
          'set/c.manifest.json',
          'set/with space/ünïcode.json',
        ]);
        for (const o of set) {
          assert.equal(o.size, objects[o.key], `size of ${o.key}`);
          assertRecent(o.modified, o.key);
        }
        assert.deepEqual(keysOf(await s.list('set/a/')), ['set/a/b.tar.zst']);
        assert.deepEqual(keysOf(await s.list('set2/')), ['set2/x.tar.zst']);
        // A prefix is a plain string prefix, not a folder: 'set' covers 'set/' and 'set2/'.
        assert.deepEqual(keysOf(await s.list('set')), [
          'set/a/b.tar.zst',
          'set/c.manifest.json',
          'set/with space/ünïcode.json',
          'set2/x.tar.zst',
        ]);
        assert.deepEqual(keysOf(await s.list('set/c.')), ['set/c.manifest.json']);
        assert.deepEqual(keysOf(await s.list('')), Object.keys(objects).sort());
        assert.deepEqual(await s.list('missing/'), []);
        assert.deepEqual(await s.list('set/a/b.tar.zst/'), []);
        assert.deepEqual(await s.list('set/none/deeper/'), []);
      }),
    );

    test(
      'list of an empty storage is []',
      withStorage(async (s) => {
        assert.deepEqual(await s.list(''), []);
        assert.deepEqual(await s.list('set/'), []);
      }),
    );

    test(
      'stat returns size and modified time; undefined for a missing key or a "folder"',
      withStorage(async (s) => {
        await s.put('set/a/b.bin', Readable.from([Buffer.alloc(4321, 7)]));
        const info = await s.stat('set/a/b.bin');
        assert.ok(info, 'stat of a stored object returned undefined');
        assert.equal(info.key, 'set/a/b.bin');
        assert.equal(info.size, 4321);
        assertRecent(info.modified, info.key);
        assert.equal(await s.stat('set/a/missing.bin'), undefined);
        assert.equal(await s.stat('nowhere/at/all.bin'), undefined);
        assert.equal(await s.stat('set/a'), undefined);
        assert.equal(await s.stat('set'), undefined);
      }),
    );

    test(
      'get of a missing key rejects with StorageError notFound',
      withStorage(async (s) => {
        await assert.rejects(s.get('set/missing.tar.zst'), isNotFoundError);
        await assert.rejects(s.get('no/such/folder/x'), isNotFoundError);
        await s.put('set/a/b', Readable.from(['x']));
        await assert.rejects(s.get('set/a'), isNotFoundError);
      }),
    );

    test(
      'delete removes an object; deleting a missing key is not an error',
      withStorage(async (s) => {
        await s.put('set/a.bin', Readable.from(['one']));
        await s.put('set/b.bin', Readable.from(['two']));
        await s.delete('set/a.bin');
        assert.equal(await s.stat('set/a.bin'), undefined);
        await assert.rejects(s.get('set/a.bin'), isNotFoundError);
        assert.deepEqual(keysOf(await s.list('')), ['set/b.bin']);
        await s.delete('set/a.bin');
        await s.delete('never/existed.bin');
        assert.equal((await readAll(await s.get('set/b.bin'))).toString(), 'two');
      }),
    );

    test(
      'put over an existing key replaces it whole',
      withStorage(async (s) => {
        await s.put('set/k', Readable.from([Buffer.alloc(100_000, 1)]));
        const second = Buffer.from('the second, shorter version');
        const result = await s.put('set/k', Readable.from([second]));
        assert.equal(result.sha256, sha256(second));
        assert.ok((await readAll(await s.get('set/k'))).equals(second));
        assert.equal((await s.stat('set/k'))?.size, second.length);
        assert.deepEqual(
          (await s.list('set/')).map((o) => [o.key, o.size]),
          [['set/k', second.length]],
        );
      }),
    );

    test(
      'an interrupted put rejects and leaves nothing behind',
      withStorage(async (s) => {
        const key = 'broken/20261122T030000Z-abc.tar.zst';
        const err = await s.put(key, failingBody(4 * MiB)).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err instanceof Error, 'put of a body that errors must reject');
        assert.equal(await s.stat(key), undefined);
        await assert.rejects(s.get(key), isNotFoundError);
        assert.deepEqual(await s.list('broken/'), []);
        assert.deepEqual(await s.list(''), [], 'no stray (temporary or partial) objects anywhere');
      }),
    );

    test(
      'an interrupted overwrite keeps the previous object intact',
      withStorage(async (s) => {
        const first = randomBytes(50_000);
        await s.put('set/k', Readable.from([first]));
        await assert.rejects(s.put('set/k', failingBody(2 * MiB)));
        assert.ok((await readAll(await s.get('set/k'))).equals(first));
        assert.deepEqual(
          (await s.list('')).map((o) => [o.key, o.size]),
          [['set/k', first.length]],
        );
      }),
    );

    test(
      'a put aborted through its signal rejects and leaves nothing behind',
      withStorage(async (s) => {
        const controller = new AbortController();
        const chunk = randomBytes(64 * 1024);
        // The body aborts the put itself once it has been read into, so no timing is involved;
        // it then ends normally, so a backend that ignores the signal would resolve and fail here.
        const body = Readable.from(
          (async function* () {
            for (let i = 0; i < 64; i++) {
              if (i === 16) controller.abort(new Error('cancelled by the test'));
              yield chunk;
            }
          })(),
          { objectMode: false },
        );
        await assert.rejects(s.put('aborted/x.tar.zst', body, { signal: controller.signal }));
        assert.equal(await s.stat('aborted/x.tar.zst'), undefined);
        assert.deepEqual(await s.list(''), []);

        await assert.rejects(
          s.put('aborted/y', Readable.from(['x']), { signal: AbortSignal.abort() }),
        );
        assert.equal(await s.stat('aborted/y'), undefined);
        assert.deepEqual(await s.list(''), []);
      }),
    );

    test(
      `a large object (${largeObjectBytes} bytes) streams through with a matching sha256`,
      withStorage(async (s) => {
        const expected = createHash('sha256');
        const chunkSize = MiB;
        const body = Readable.from(
          (async function* () {
            for (let sent = 0; sent < largeObjectBytes; sent += chunkSize) {
              const chunk = randomBytes(Math.min(chunkSize, largeObjectBytes - sent));
              expected.update(chunk);
              yield chunk;
            }
          })(),
          { objectMode: false },
        );
        const result = await s.put('big/large.tar.zst', body);
        const digest = expected.digest('hex');
        assert.equal(result.size, largeObjectBytes);
        assert.equal(result.sha256, digest);
        assert.equal((await s.stat('big/large.tar.zst'))?.size, largeObjectBytes);
        const got = createHash('sha256');
        let size = 0;
        for await (const chunk of await s.get('big/large.tar.zst')) {
          got.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
        assert.equal(size, largeObjectBytes);
        assert.equal(got.digest('hex'), digest);
      }),
    );

    test(
      'concurrent puts to different keys all land',
      withStorage(async (s) => {
        const bodies = Array.from({ length: 8 }, (_, i) => randomBytes(30_000 + i * 1000));
        const results = await Promise.all(
          bodies.map((b, i) =>
            s.put(`par/${i}.bin`, Readable.from([b.subarray(0, 1000), b.subarray(1000)])),
          ),
        );
        results.forEach((r, i) => assert.equal(r.sha256, sha256(bodies[i]!)));
        assert.deepEqual(
          keysOf(await s.list('par/')),
          bodies.map((_, i) => `par/${i}.bin`),
        );
        for (const [i, b] of bodies.entries()) {
          assert.ok((await readAll(await s.get(`par/${i}.bin`))).equals(b), `par/${i}.bin`);
        }
      }),
    );

    test(
      'createExclusive writes only when the key is free; a second create leaves the first content',
      withStorage(async (s) => {
        const first = Buffer.from('{"owner":"first"}\n');
        assert.equal(await s.createExclusive('set/lifeboat.lock', first), true);
        assert.equal(
          await s.createExclusive('set/lifeboat.lock', Buffer.from('{"owner":"second"}\n')),
          false,
        );
        assert.ok((await readAll(await s.get('set/lifeboat.lock'))).equals(first));
        assert.deepEqual(
          (await s.list('set/')).map((o) => o.key),
          ['set/lifeboat.lock'],
        );
        await s.delete('set/lifeboat.lock');
        assert.equal(await s.stat('set/lifeboat.lock'), undefined);
        assert.equal(await s.createExclusive('set/lifeboat.lock', Buffer.from('again')), true);
        assert.equal((await readAll(await s.get('set/lifeboat.lock'))).toString(), 'again');
        await assert.rejects(s.createExclusive('../escape', first), isKeyError);
      }),
    );

    test(
      'capabilities are declared, and a store that claims none of its own gets none',
      withStorage(async (s) => {
        const c = s.capabilities;
        assert.ok(c, 'every backend declares its capabilities');
        for (const flag of ['atomicPut', 'conditionalCreate', 'rangeReads'] as const)
          assert.equal(typeof c[flag], 'boolean', flag);
        assert.ok(['strong', 'eventual'].includes(c.listing), `listing ${c.listing}`);
        assert.ok(Number.isInteger(c.maxConnections) && c.maxConnections >= 1);
        assert.ok(['in-order', 'on-commit'].includes(c.groupCommit), c.groupCommit);
        // Every backend here publishes objects whole; the interrupted-put tests prove it.
        assert.equal(c.atomicPut, true);
      }),
    );

    test(
      'a group is visible once its commit key is put, and only then on an on-commit store',
      withStorage(async (s) => {
        const group = {
          name: 'set/20261122T030000Z-abcdef',
          members: ['set/20261122T030000Z-abcdef.tar.zst', 'set/20261122T030000Z-abcdef.sha256'],
          commit: 'set/20261122T030000Z-abcdef.manifest.json',
        };
        assert.equal(groupNameOf(group.commit), group.name);
        s.beginGroup?.(group);
        const archive = randomBytes(70_000);
        await s.put(group.members[0]!, Readable.from([archive]));
        await s.put(group.members[1]!, Readable.from([`${sha256(archive)}  x.tar.zst\n`]));
        // The writer reads its own members back before it commits (verify-after-backup).
        assert.ok((await readAll(await s.get(group.members[0]!))).equals(archive));
        await s.put(group.commit, Readable.from(['{"id":"x"}']));
        assert.deepEqual(keysOf(await s.list('set/')), [...group.members, group.commit].sort());
        assert.ok((await readAll(await s.get(group.members[0]!))).equals(archive));
        await s.delete(group.commit);
        await s.delete(group.members[1]!);
        await s.delete(group.members[0]!);
        assert.deepEqual(await s.list('set/'), []);
      }),
    );

    test(
      'createExclusive racing with itself: exactly one caller wins and its content stays',
      withTarget(async (s, _target, t) => {
        if (!s.capabilities.conditionalCreate) {
          t.skip('the store declares no conditional create (capabilities.conditionalCreate)');
          return;
        }
        const bodies = Array.from({ length: 8 }, (_, i) => Buffer.from(`{"owner":"run-${i}"}`));
        const won = await Promise.all(bodies.map((b) => s.createExclusive('set/lifeboat.lock', b)));
        assert.equal(won.filter(Boolean).length, 1, `winners: ${won}`);
        const winner = bodies[won.indexOf(true)]!;
        assert.ok((await readAll(await s.get('set/lifeboat.lock'))).equals(winner));
      }),
    );

    test(
      'get with an offset returns the object from that byte on (resuming a cut-off read)',
      withStorage(async (s) => {
        const whole = randomBytes(300_000);
        await s.put('set/obj.bin', Readable.from([whole]));
        for (const offset of [1, 65_536, 123_457, whole.length - 1]) {
          const tail = await readAll(await s.get('set/obj.bin', { offset }));
          assert.ok(tail.equals(whole.subarray(offset)), `offset ${offset}`);
        }
      }),
    );

    test(
      'get of a missing key is classified not-found; the error says so on every backend',
      withStorage(async (s) => {
        const err = await s.get('set/none.bin').then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err instanceof StorageError, String(err));
        assert.equal(err.reason, 'not-found');
        assert.equal(err.transient, false);
      }),
    );

    test(
      'a read that ends before the object does fails as truncated (transient, so it resumes)',
      withTarget(async (s, target, t) => {
        if (!target.faults?.shrink) {
          t.skip('this target cannot cut an object under a running read');
          return;
        }
        const whole = randomBytes(6 * MiB);
        await s.put('set/cut.bin', Readable.from([whole]));
        const stream = await s.get('set/cut.bin');
        const it = stream[Symbol.asyncIterator]();
        const first = await it.next();
        assert.equal(first.done, false);
        await target.faults.shrink('set/cut.bin', 64 * 1024);
        let received = (first.value as Buffer).length;
        const err = await (async () => {
          for (;;) {
            const r = await it.next();
            if (r.done) return undefined;
            received += (r.value as Buffer).length;
          }
        })().then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(received < whole.length, 'the read ended early');
        assert.ok(err instanceof StorageError, `a short read must fail, got ${String(err)}`);
        assert.equal(err.reason, 'truncated', err.message);
        assert.equal(err.transient, true);
      }),
    );

    test(
      'a read the store refuses is classified denied, and not retried',
      withTarget(async (s, target, t) => {
        if (!target.faults?.denied) {
          t.skip('this target cannot open the store with refused credentials');
          return;
        }
        await s.put('set/secret.bin', Readable.from(['x']));
        const refused = await target.faults.denied();
        try {
          const err = await refused.get('set/secret.bin').then(
            () => undefined,
            (e: unknown) => e,
          );
          assert.ok(err instanceof StorageError, String(err));
          assert.equal(err.reason, 'denied', err.message);
          assert.equal(err.transient, false);
        } finally {
          await refused.close?.();
        }
      }),
    );

    test(
      'a read that cannot reach the store is classified network (transient)',
      withTarget(async (_s, target, t) => {
        if (!target.faults?.unreachable) {
          t.skip('this target has no network to lose');
          return;
        }
        const away = await target.faults.unreachable();
        try {
          const err = await away.get('set/x.bin').then(
            () => undefined,
            (e: unknown) => e,
          );
          assert.ok(err instanceof StorageError, String(err));
          assert.equal(err.reason, 'network', err.message);
          assert.equal(err.transient, true);
        } finally {
          await away.close?.();
        }
      }),
    );

    test(
      "keys with '..' segments or a leading '/' are refused and nothing is written",
      withStorage(async (s) => {
        const badKeys = [
          '../escape',
          'set/../../escape',
          'a/../b',
          '/abs',
          '/',
          '',
          './x',
          'a//b',
          'a/',
          '..',
        ];
        for (const key of badKeys) {
          await assert.rejects(
            s.put(key, Readable.from(['x'])),
            isKeyError,
            `put ${JSON.stringify(key)}`,
          );
          await assert.rejects(s.get(key), isKeyError, `get ${JSON.stringify(key)}`);
          await assert.rejects(s.stat(key), isKeyError, `stat ${JSON.stringify(key)}`);
          await assert.rejects(s.delete(key), isKeyError, `delete ${JSON.stringify(key)}`);
        }
        for (const prefix of ['../', '/', '/set/', 'a/../', '..']) {
          await assert.rejects(s.list(prefix), isKeyError, `list ${JSON.stringify(prefix)}`);
        }
        assert.deepEqual(await s.list(''), []);
      }),
    );
  });
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** A body that sends `bytes` and then fails, as a dump tool dying mid-stream would. */
export function failingBody(bytes: number, chunkSize = 256 * 1024): Readable {
  return Readable.from(
    (async function* () {
      for (let sent = 0; sent < bytes; sent += chunkSize)
        yield randomBytes(Math.min(chunkSize, bytes - sent));
      throw new Error('the source died mid-stream');
    })(),
    { objectMode: false },
  );
}

function keysOf(objects: ObjectInfo[]): string[] {
  return objects.map((o) => o.key).sort();
}

function assertRecent(modified: Date, key: string): void {
  assert.ok(
    modified instanceof Date && !Number.isNaN(modified.getTime()),
    `modified of ${key} is not a Date`,
  );
  // Loose on purpose: clocks of remote stores drift; this only catches unit mistakes.
  assert.ok(
    Math.abs(modified.getTime() - Date.now()) < 24 * 3600 * 1000,
    `modified of ${key} is ${modified.toISOString()}`,
  );
}

function isNotFoundError(err: unknown): boolean {
  assert.ok(err instanceof StorageError, `expected a StorageError, got ${String(err)}`);
  assert.equal(err.notFound, true, `expected notFound on: ${err.message}`);
  assert.equal(err.reason, 'not-found', err.message);
  return true;
}

function isKeyError(err: unknown): boolean {
  assert.ok(
    err instanceof StorageError || err instanceof ConfigError,
    `expected a StorageError or ConfigError, got ${String(err)}`,
  );
  if (err instanceof StorageError)
    assert.equal(err.transient, false, 'a bad key is not worth retrying');
  return true;
}
