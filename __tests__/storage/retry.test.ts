import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { SourceError, StorageError } from '../../src/core/errors.ts';
import type { Logger } from '../../src/core/log.ts';
import { clearMemoryStorage, MemoryStorage } from '../../src/storage/memory.ts';
import { classifyNodeError, withRetry } from '../../src/storage/retry.ts';
import type { ObjectInfo, PutResult, Storage } from '../../src/storage/types.ts';
import { LEAST_CAPABILITIES } from '../../src/storage/types.ts';
import { failingBody, readAll, sha256, storageConformanceSuite } from './conformance.ts';

/** A storage whose operations are function fields the test fills in (litestream's mock client). */
function fakeStorage(overrides: Partial<Storage>): Storage {
  const unused = () => Promise.reject(new Error('not used by this test'));
  return {
    displayUrl: 'fake://bucket/prefix',
    capabilities: LEAST_CAPABILITIES,
    put: unused,
    get: unused,
    stat: unused,
    list: unused,
    delete: unused,
    createExclusive: unused,
    ...overrides,
  };
}

function recorder() {
  const sleeps: number[] = [];
  const warnings: string[] = [];
  const log: Logger = { info() {}, debug() {}, error() {}, warn: (m) => warnings.push(m) };
  return { sleeps, warnings, log, sleep: async (ms: number) => void sleeps.push(ms) };
}

const transient = (what = 'connection reset') => new StorageError(what, { transient: true });

describe('withRetry', () => {
  test('retries transient failures with exponential backoff and full jitter, then succeeds', async () => {
    const r = recorder();
    let calls = 0;
    const inner = fakeStorage({
      list: async () => {
        calls++;
        if (calls < 5) throw transient();
        return [] as ObjectInfo[];
      },
    });
    const s = withRetry(inner, { log: r.log, sleep: r.sleep, random: () => 0.5 });
    assert.deepEqual(await s.list('set/'), []);
    assert.equal(calls, 5);
    assert.deepEqual(r.sleeps, [250, 500, 1000, 2000]);
    assert.equal(r.warnings.length, 4);
    assert.match(
      r.warnings[0]!,
      /fake:\/\/bucket\/prefix: list set\/ failed \(connection reset\); retry 1 of 4/,
    );
  });

  test('the backoff never exceeds maxDelayMs and jitter spans [0, cap)', async () => {
    const r = recorder();
    let calls = 0;
    const s = withRetry(
      fakeStorage({
        stat: async () => {
          if (++calls < 6) throw transient();
          return undefined;
        },
      }),
      { attempts: 6, baseDelayMs: 100, maxDelayMs: 300, sleep: r.sleep, random: () => 0.999 },
    );
    await s.stat('k');
    assert.deepEqual(r.sleeps, [99, 199, 299, 299, 299]);

    const zero = recorder();
    calls = 0;
    await withRetry(
      fakeStorage({
        stat: async () => {
          if (++calls < 3) throw transient();
          return undefined;
        },
      }),
      { sleep: zero.sleep, random: () => 0 },
    ).stat('k');
    assert.deepEqual(zero.sleeps, [0, 0]);
  });

  test('permanent errors and not-found fail at once, unchanged', async () => {
    const r = recorder();
    let calls = 0;
    const denied = new StorageError('access denied', { hint: 'check the credentials' });
    const s = withRetry(
      fakeStorage({
        delete: async () => {
          calls++;
          throw denied;
        },
        get: async () => {
          calls++;
          throw new StorageError('k not found', { notFound: true });
        },
        list: async () => {
          calls++;
          throw new Error('a plain error is not a transient StorageError');
        },
      }),
      { log: r.log, sleep: r.sleep },
    );
    await assert.rejects(s.delete('k'), (err) => err === denied);
    await assert.rejects(s.get('k'), { notFound: true });
    await assert.rejects(s.list(''), /plain error/);
    assert.equal(calls, 3);
    assert.deepEqual(r.sleeps, []);
    assert.deepEqual(r.warnings, []);
  });

  test('gives up after the configured attempts with a transient StorageError saying so', async () => {
    const r = recorder();
    let calls = 0;
    const s = withRetry(
      fakeStorage({
        stat: async () => {
          calls++;
          throw transient('503 Service Unavailable');
        },
      }),
      { attempts: 3, sleep: r.sleep, log: r.log },
    );
    const err = await s.stat('k').catch((e: unknown) => e);
    assert.ok(err instanceof StorageError);
    assert.equal(err.transient, true);
    assert.match(err.message, /503 Service Unavailable \(gave up after 3 attempts\)/);
    assert.equal(calls, 3);
    assert.equal(r.sleeps.length, 2);
  });

  test('retry log lines carry no credentials from URLs in error messages', async () => {
    const r = recorder();
    let calls = 0;
    const s = withRetry(
      fakeStorage({
        list: async () => {
          if (++calls === 1) {
            throw transient(
              'socket hang up at https://AKIAEXAMPLE:hunter2secret@s3.example.com/b?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIAEXAMPLE%2F2026',
            );
          }
          return [];
        },
      }),
      { log: r.log, sleep: r.sleep },
    );
    await s.list('');
    assert.equal(r.warnings.length, 1);
    assert.doesNotMatch(r.warnings[0]!, /hunter2secret|deadbeef|AKIAEXAMPLE%2F2026/);
    assert.match(r.warnings[0]!, /s3\.example\.com/);
  });

  test('does not retry once the caller aborted', async () => {
    const r = recorder();
    let calls = 0;
    const controller = new AbortController();
    const s = withRetry(
      fakeStorage({
        get: async () => {
          calls++;
          controller.abort();
          throw transient();
        },
      }),
      { sleep: r.sleep },
    );
    await assert.rejects(s.get('k', { signal: controller.signal }), { transient: true });
    assert.equal(calls, 1);
  });

  test('put is retried when the failed attempt read nothing, and the retry gets every byte', async () => {
    const r = recorder();
    const received: Buffer[] = [];
    let calls = 0;
    const s = withRetry(
      fakeStorage({
        put: async (_key, body): Promise<PutResult> => {
          calls++;
          if (calls < 3) throw transient('connection refused before the upload started');
          const data = await readAll(body);
          received.push(data);
          return { size: data.length, sha256: sha256(data) };
        },
      }),
      { sleep: r.sleep, log: r.log },
    );
    const parts = [Buffer.from('first '), Buffer.from('second '), 'third'];
    const result = await s.put('set/x', Readable.from(parts));
    assert.equal(calls, 3);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.toString(), 'first second third');
    assert.equal(result.sha256, sha256(Buffer.from('first second third')));
    assert.equal(r.sleeps.length, 2);
  });

  test('put is retried when the failed attempt destroyed the stream it was given without reading', async () => {
    let calls = 0;
    const s = withRetry(
      fakeStorage({
        put: async (_key, body): Promise<PutResult> => {
          if (++calls === 1) {
            body.destroy();
            throw transient();
          }
          const data = await readAll(body);
          return { size: data.length, sha256: sha256(data) };
        },
      }),
      { sleep: async () => undefined },
    );
    const result = await s.put('k', Readable.from([Buffer.alloc(200_000, 9)]));
    assert.equal(calls, 2);
    assert.equal(result.size, 200_000);
  });

  test('put is NOT retried once any byte of the body was consumed', async () => {
    const r = recorder();
    let calls = 0;
    const s = withRetry(
      fakeStorage({
        put: async (_key, body): Promise<PutResult> => {
          calls++;
          for await (const _chunk of body) throw transient('connection reset mid-upload');
          throw new Error('unreachable');
        },
      }),
      { sleep: r.sleep, log: r.log },
    );
    await assert.rejects(
      s.put('k', Readable.from([Buffer.from('abc'), Buffer.from('def')])),
      /mid-upload/,
    );
    assert.equal(calls, 1);
    assert.deepEqual(r.sleeps, []);
  });

  test('a body that fails is the put error, without retries', async () => {
    const r = recorder();
    const name = `retry-${randomUUID()}`;
    try {
      const s = withRetry(new MemoryStorage(name), { sleep: r.sleep });
      await assert.rejects(s.put('k', failingBody(1024 * 1024)), /source died/);
      const failing = Readable.from(
        (async function* () {
          yield Buffer.from('x');
          throw new SourceError('pg_dump exited with code 1');
        })(),
      );
      await assert.rejects(s.put('k', failing), SourceError);
      assert.deepEqual(r.sleeps, []);
      assert.deepEqual(await s.list(''), []);
    } finally {
      clearMemoryStorage(name);
    }
  });

  test('close is passed through when the backend has one', async () => {
    let closed = 0;
    const withClose = withRetry(fakeStorage({ close: async () => void closed++ }));
    await withClose.close?.();
    assert.equal(closed, 1);
    assert.equal(withRetry(fakeStorage({})).close, undefined);
    assert.equal(withClose.displayUrl, 'fake://bucket/prefix');
  });
});

storageConformanceSuite('withRetry(memory:)', async () => {
  const name = `retry-conformance-${randomUUID()}`;
  const memory = new MemoryStorage(name);
  return {
    storage: withRetry(memory, { sleep: async () => undefined }),
    cleanup: async () => clearMemoryStorage(name),
    // A resumed read of an object that shrank must not end quietly short.
    faults: { shrink: async (key: string, bytes: number) => memory.shrinkForTest(key, bytes) },
  };
});

describe('classifyNodeError', () => {
  const cases: Array<[string, unknown, ReturnType<typeof classifyNodeError>]> = [
    [
      'ECONNRESET',
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      { transient: true, notFound: false, reason: 'network' },
    ],
    [
      'ETIMEDOUT',
      Object.assign(new Error('t'), { code: 'ETIMEDOUT' }),
      { transient: true, notFound: false, reason: 'network' },
    ],
    [
      'EPIPE',
      Object.assign(new Error('t'), { code: 'EPIPE' }),
      { transient: true, notFound: false, reason: 'network' },
    ],
    [
      'EAI_AGAIN',
      Object.assign(new Error('t'), { code: 'EAI_AGAIN' }),
      { transient: true, notFound: false, reason: 'network' },
    ],
    [
      'SDK 503',
      { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } },
      { transient: true, notFound: false, reason: 'unavailable' },
    ],
    [
      'HTTP 500 statusCode',
      { statusCode: 500 },
      { transient: true, notFound: false, reason: 'unavailable' },
    ],
    [
      'HTTP 429 status',
      { status: 429 },
      { transient: true, notFound: false, reason: 'unavailable' },
    ],
    [
      'SDK throttling',
      { name: 'SlowDown', $metadata: {} },
      { transient: true, notFound: false, reason: 'unavailable' },
    ],
    [
      'ENOENT',
      Object.assign(new Error('t'), { code: 'ENOENT' }),
      { transient: false, notFound: true, reason: 'not-found' },
    ],
    [
      'HTTP 404',
      { $metadata: { httpStatusCode: 404 } },
      { transient: false, notFound: true, reason: 'not-found' },
    ],
    ['HTTP 401', { statusCode: 401 }, { transient: false, notFound: false, reason: 'denied' }],
    [
      'HTTP 403',
      { $metadata: { httpStatusCode: 403 }, name: 'AccessDenied' },
      { transient: false, notFound: false, reason: 'denied' },
    ],
    ['HTTP 501', { statusCode: 501 }, { transient: false, notFound: false, reason: 'other' }],
    [
      'EACCES',
      Object.assign(new Error('t'), { code: 'EACCES' }),
      { transient: false, notFound: false, reason: 'denied' },
    ],
    ['plain Error', new Error('boom'), { transient: false, notFound: false, reason: 'other' }],
    ['a string', 'boom', { transient: false, notFound: false, reason: 'other' }],
    [
      'AbortError',
      Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ABORT_ERR' }),
      { transient: false, notFound: false, reason: 'other' },
    ],
    [
      'ECONNRESET as the cause of a fetch error',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('socket'), { code: 'ECONNRESET' }),
      }),
      { transient: true, notFound: false, reason: 'network' },
    ],
    [
      'StorageError keeps its flags',
      new StorageError('x', { transient: true }),
      { transient: true, notFound: false, reason: 'network' },
    ],
    [
      'a premature close is a truncated read, worth resuming',
      Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }),
      { transient: true, notFound: false, reason: 'truncated' },
    ],
    [
      'S3 credentials refused',
      { name: 'InvalidAccessKeyId', $metadata: {} },
      { transient: false, notFound: false, reason: 'denied' },
    ],
    [
      'a StorageError keeps its reason',
      new StorageError('x', { transient: true, reason: 'truncated' }),
      { transient: true, notFound: false, reason: 'truncated' },
    ],
  ];
  for (const [label, err, expected] of cases) {
    test(label, () => assert.deepEqual(classifyNodeError(err), expected));
  }
});

describe('withRetry: reads cut off mid-stream', () => {
  const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
  /** Yields data from `offset`, and fails with `err` after `cutAfter` bytes when given. */
  function cutStream(offset: number, cutAfter?: number, err?: Error): Readable {
    return Readable.from(
      (async function* () {
        let sent = 0;
        for (let at = offset; at < data.length; at += 10_000) {
          const chunk = data.subarray(at, Math.min(at + 10_000, data.length));
          if (cutAfter !== undefined && sent + chunk.length > cutAfter) {
            yield chunk.subarray(0, cutAfter - sent);
            throw err;
          }
          sent += chunk.length;
          yield chunk;
        }
      })(),
      { objectMode: false },
    );
  }
  const reset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

  test('a reset connection is resumed with a ranged get; the reader sees every byte once', async () => {
    const r = recorder();
    const offsets: number[] = [];
    const inner = fakeStorage({
      get: async (_key, options) => {
        const offset = options?.offset ?? 0;
        offsets.push(offset);
        // The first two reads are cut off; the third runs to the end.
        return offsets.length <= 2 ? cutStream(offset, 55_555, reset()) : cutStream(offset);
      },
    });
    const s = withRetry(inner, { log: r.log, sleep: r.sleep, random: () => 0.5 });
    const got = await readAll(await s.get('set/a.tar.zst'));
    assert.equal(sha256(got), sha256(data));
    assert.deepEqual(offsets, [0, 55_555, 111_110]);
    assert.equal(r.warnings.length, 2);
    assert.match(
      r.warnings[0]!,
      /reading set\/a\.tar\.zst was cut off at byte 55555 .*ECONNRESET.*resuming/,
    );
  });

  test('a read that keeps failing without progress gives up as a transient StorageError', async () => {
    const r = recorder();
    let calls = 0;
    const inner = fakeStorage({
      get: async (_key, options) => {
        calls++;
        return cutStream(options?.offset ?? 0, calls === 1 ? 1000 : 0, reset());
      },
    });
    const s = withRetry(inner, { log: r.log, sleep: r.sleep, attempts: 3 });
    await assert.rejects(readAll(await s.get('k')), (err: unknown) => {
      assert.ok(err instanceof StorageError, String(err));
      assert.equal(err.transient, true);
      assert.match(
        err.message,
        /reading k failed at byte 1000: read ECONNRESET \(gave up after 3 attempts\)/,
      );
      return true;
    });
  });

  test('a raw stream error that is not transient reaches the reader as a StorageError, unretried', async () => {
    const r = recorder();
    let calls = 0;
    const inner = fakeStorage({
      get: async () => {
        calls++;
        return cutStream(0, 20_000, new Error('EIO: i/o error'));
      },
    });
    const s = withRetry(inner, { log: r.log, sleep: r.sleep });
    await assert.rejects(readAll(await s.get('k')), (err: unknown) => {
      assert.ok(err instanceof StorageError, String(err));
      assert.equal(err.transient, false);
      assert.match(err.message, /fake:\/\/bucket\/prefix: reading k failed at byte 20000: EIO/);
      return true;
    });
    assert.equal(calls, 1);
    assert.deepEqual(r.warnings, []);
  });
});
