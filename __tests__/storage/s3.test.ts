import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Readable } from 'node:stream';
import { ConfigError, IntegrityError, StorageError } from '../../src/core/errors.ts';
import { Redactor, silentLogger, type Logger } from '../../src/core/log.ts';
import { openStorage } from '../../src/storage/registry.ts';
import { withRetry } from '../../src/storage/retry.ts';
import { S3Storage, multipartPlan, parseSize, s3Settings } from '../../src/storage/s3/index.ts';
import type { StorageContext } from '../../src/storage/types.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { startFaultProxy, startS3rver, type Fault, type S3rverHandle } from '../helpers/s3rver.ts';
import { failingBody, readAll, sha256, storageConformanceSuite } from './conformance.ts';
import { underCi } from '../helpers/services.ts';

const MiB = 1024 * 1024;

function context(
  env: NodeJS.ProcessEnv = {},
  options: Record<string, unknown> = {},
): StorageContext {
  return { log: silentLogger, redactor: new Redactor(), env, options };
}

describe('s3:// and gs:// settings', () => {
  test('bucket, prefix and defaults for AWS', () => {
    const s = s3Settings('s3://my-backups/prod/db', context({ AWS_REGION: 'eu-west-1' }));
    assert.equal(s.bucket, 'my-backups');
    assert.equal(s.prefix, 'prod/db/');
    assert.equal(s.region, 'eu-west-1');
    assert.equal(s.endpoint, undefined);
    assert.equal(s.isAws, true);
    assert.equal(s.forcePathStyle, false);
    assert.equal(
      s.credentials,
      undefined,
      'no keys in the environment: the SDK default chain decides',
    );
    assert.equal(s3Settings('s3://b', context()).prefix, '');
    assert.equal(s3Settings('s3://b/', context()).region, 'us-east-1');
  });

  test('URL query beats options, options beat the environment', () => {
    const ctx = context(
      { AWS_REGION: 'env-region' },
      {
        's3-endpoint': 'https://option.example.com',
        's3-region': 'option-region',
        's3-force-path-style': false,
      },
    );
    const fromOptions = s3Settings('s3://b/p', ctx);
    assert.equal(fromOptions.endpoint, 'https://option.example.com');
    assert.equal(fromOptions.region, 'option-region');
    assert.equal(fromOptions.forcePathStyle, false);
    assert.equal(fromOptions.isAws, false);
    const fromQuery = s3Settings(
      's3://b/p?endpoint=minio.local:9000&region=q-region&path-style=true',
      ctx,
    );
    assert.equal(fromQuery.endpoint, 'https://minio.local:9000');
    assert.equal(fromQuery.region, 'q-region');
    assert.equal(fromQuery.forcePathStyle, true);
  });

  test('path-style is automatic for IP and localhost endpoints; amazonaws.com endpoints count as AWS', () => {
    assert.equal(
      s3Settings('s3://b?endpoint=http://127.0.0.1:9000', context()).forcePathStyle,
      true,
    );
    assert.equal(
      s3Settings('s3://b?endpoint=http://localhost:9000', context()).forcePathStyle,
      true,
    );
    assert.equal(
      s3Settings('s3://b?endpoint=https://x.r2.cloudflarestorage.com', context()).forcePathStyle,
      false,
    );
    assert.equal(
      s3Settings('s3://b?endpoint=https://s3.eu-west-1.amazonaws.com', context()).isAws,
      true,
    );
    assert.equal(
      s3Settings('s3://b?endpoint=https://s3.eu-central-003.backblazeb2.com', context()).isAws,
      false,
    );
  });

  test('gs:// uses the GCS XML endpoint, region auto and HMAC keys', () => {
    const ctx = context({
      GOOGLE_HMAC_ACCESS_KEY_ID: 'GOOG1EXAMPLE',
      GOOGLE_HMAC_SECRET: 'gcs-hmac-secret-value',
    });
    const s = s3Settings('gs://bucket/x', ctx);
    assert.equal(s.endpoint, 'https://storage.googleapis.com');
    assert.equal(s.region, 'auto');
    assert.equal(s.isAws, false);
    assert.deepEqual(s.credentials, {
      accessKeyId: 'GOOG1EXAMPLE',
      secretAccessKey: 'gcs-hmac-secret-value',
    });
    assert.equal(ctx.redactor.redact('x gcs-hmac-secret-value y'), 'x *** y');
    const viaAws = s3Settings(
      'gs://bucket',
      context({ AWS_ACCESS_KEY_ID: 'GOOG1B', AWS_SECRET_ACCESS_KEY: 's3cr3t-b' }),
    );
    assert.equal(viaAws.credentials?.accessKeyId, 'GOOG1B');
  });

  test('keys in the URL are used, masked and kept out of displayUrl', () => {
    const ctx = context();
    const s = s3Settings('s3://AKIAEXAMPLE:very%2Fsecret@bucket/p', ctx);
    assert.deepEqual(s.credentials, { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'very/secret' });
    assert.equal(s.displayUrl, 's3://bucket/p');
    assert.equal(ctx.redactor.redact('very/secret'), '***');
  });

  test('server-side encryption and storage class come from options', () => {
    const s = s3Settings(
      's3://b',
      context(
        {},
        {
          's3-sse': 'aws:kms',
          's3-sse-kms-key-id': 'alias/backups',
          's3-storage-class': 'STANDARD_IA',
        },
      ),
    );
    assert.equal(s.sse, 'aws:kms');
    assert.equal(s.sseKmsKeyId, 'alias/backups');
    assert.equal(s.storageClass, 'STANDARD_IA');
    assert.equal(s3Settings('s3://b', context({}, { 's3-sse-kms-key-id': 'k' })).sse, 'aws:kms');
    assert.throws(() => s3Settings('s3://b', context({}, { 's3-sse': 'rot13' })), ConfigError);
  });

  test('bad URLs are config errors naming the fix', () => {
    assert.throws(() => s3Settings('s3:///prefix', context()), /names no bucket/);
    assert.throws(
      () => s3Settings('s3://b/p?regoin=x', context()),
      /unknown query parameter 'regoin'/,
    );
    assert.throws(() => s3Settings('s3://b/a//b', context()), ConfigError);
    assert.throws(() => s3Settings('s3://b?path-style=maybe', context()), ConfigError);
    assert.throws(() => s3Settings('s3://KEYONLY@b', context()), /no secret/);
  });

  test('part sizes keep any expected size within 10,000 parts', () => {
    assert.deepEqual(multipartPlan(undefined), { partSize: 8 * MiB, queueSize: 2 });
    assert.deepEqual(multipartPlan(1000), { partSize: 8 * MiB, queueSize: 2 });
    for (const size of [100 * MiB, 200 * 1024 * MiB, 1024 * 1024 * MiB, 5 * 1024 * 1024 * MiB]) {
      const { partSize } = multipartPlan(size);
      assert.ok(Math.ceil(size / partSize) <= 10_000, `${size} bytes in parts of ${partSize}`);
      assert.equal(partSize % MiB, 0);
    }
    assert.equal(parseSize('500GiB'), 500 * 1024 * MiB);
    assert.equal(parseSize('2 TB'), 2 * 1024 * 1024 * MiB);
    assert.equal(parseSize(12345), 12345);
    assert.equal(parseSize(undefined), undefined);
    assert.throws(() => parseSize('lots'), ConfigError);
  });
});

const started = await startS3rver();
const server: S3rverHandle | undefined = 'unavailable' in started ? undefined : started;
if (!server) {
  const reason = 'unavailable' in started ? started.unavailable : '';
  if (underCi) {
    test('s3rver is available', () => assert.fail(reason));
  } else {
    test('S3 against s3rver', (t) => t.skip(reason));
  }
} else {
  after(() => server.close());
  const s3 = server;

  const open = async (url: (bucket: string) => string, partSize?: number) => {
    const bucket = await s3.createBucket();
    const ctx = context(s3.env);
    const storage = partSize
      ? new S3Storage(s3Settings(url(bucket), ctx), silentLogger, () => ({
          partSize,
          queueSize: 2,
        }))
      : await openStorage(url(bucket), ctx);
    return { bucket, storage, cleanup: () => s3.deleteBucket(bucket) };
  };

  // s3rver ignores If-None-Match on PUT: the backend declares conditionalCreate only for AWS.
  storageConformanceSuite('s3:// on s3rver (default part size)', async () => {
    const target = await open(
      (b) => `s3://${b}/backups/prod?endpoint=${s3.endpoint}&path-style=true`,
    );
    return {
      ...target,
      faults: {
        // A port nothing listens on: bound, then closed.
        unreachable: async () => {
          const probe = createServer();
          await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
          const { port } = probe.address() as { port: number };
          await new Promise<void>((resolve) => probe.close(() => resolve()));
          return openStorage(
            `s3://${target.bucket}/backups/prod?endpoint=http://127.0.0.1:${port}&path-style=true`,
            context(s3.env),
          );
        },
      },
    };
  });

  // 5 MiB parts (S3's minimum) so the large object goes through a real multipart upload.
  storageConformanceSuite('s3:// on s3rver (multipart, 5 MiB parts)', () =>
    open((b) => `s3://${b}?endpoint=${s3.endpoint}`, 5 * MiB),
  );

  describe('s3:// specifics on s3rver', () => {
    test('the sha256 given to put is stored as object metadata and returned by stat', async () => {
      const { storage, cleanup } = await open((b) => `s3://${b}/p?endpoint=${s3.endpoint}`);
      try {
        const data = Buffer.from('{"id":"x"}\n');
        await storage.put('set/x.manifest.json', Readable.from([data]), { sha256: sha256(data) });
        assert.equal((await storage.stat('set/x.manifest.json'))?.sha256, sha256(data));
        const head = await s3.client.send(
          new (await import('@aws-sdk/client-s3')).HeadObjectCommand({
            Bucket: (storage as S3Storage).settings.bucket,
            Key: 'p/set/x.manifest.json',
          }),
        );
        assert.equal(head.Metadata?.['lifeboat-sha256'], sha256(data));
        await storage.put('set/plain', Readable.from(['no hash given']));
        assert.equal((await storage.stat('set/plain'))?.sha256, undefined);
      } finally {
        await cleanup();
      }
    });

    test('a put whose bytes do not match the announced sha256 fails and leaves no object', async () => {
      const { storage, cleanup } = await open((b) => `s3://${b}?endpoint=${s3.endpoint}`);
      try {
        await assert.rejects(
          storage.put('k', Readable.from(['abc']), { sha256: sha256(Buffer.from('abd')) }),
          IntegrityError,
        );
        assert.equal(await storage.stat('k'), undefined);
      } finally {
        await cleanup();
      }
    });

    test('a killed multipart upload reports the source error, is aborted, and leaves nothing listed', async () => {
      const bucket = await s3.createBucket();
      const proxy = await startFaultProxy(s3.port, () => 'pass');
      const warnings: string[] = [];
      const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
      try {
        const storage = new S3Storage(
          s3Settings(`s3://${bucket}/p?endpoint=${proxy.endpoint}`, context(s3.env)),
          log,
          () => ({
            partSize: 5 * MiB,
            queueSize: 2,
          }),
        );
        const err = await storage
          .put('set/big.tar.zst', failingBody(12 * MiB))
          .catch((e: unknown) => e);
        assert.ok(err instanceof StorageError, String(err));
        assert.match(err.message, /source died mid-stream/);
        const uploads = proxy.requests.filter((r) => /[?&]partNumber=/.test(r.url));
        assert.ok(
          uploads.length >= 2,
          `parts were uploaded before the source died: ${uploads.length}`,
        );
        assert.ok(
          proxy.requests.some((r) => r.method === 'DELETE' && /[?&]uploadId=/.test(r.url)),
          'AbortMultipartUpload was sent',
        );
        // s3rver does not implement AbortMultipartUpload: the failed abort is logged, not hidden,
        // and the source's error stays the one reported.
        assert.ok(
          warnings.some((w) =>
            /could not abort the incomplete upload of set\/big\.tar\.zst/.test(w),
          ),
          warnings.join('\n'),
        );
        assert.deepEqual(await storage.list(''), []);
        assert.equal(await storage.stat('set/big.tar.zst'), undefined);
        await storage.close();
      } finally {
        await proxy.close();
        await s3.deleteBucket(bucket);
      }
    });

    test('503s and connection resets are retried (SDK first, then withRetry) and the operations succeed', async () => {
      const bucket = await s3.createBucket();
      let plan: Array<Fault> = [];
      const proxy = await startFaultProxy(s3.port, () => plan.shift() ?? 'pass');
      const sleeps: number[] = [];
      const warnings: string[] = [];
      const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
      try {
        const inner = new S3Storage(
          s3Settings(`s3://${bucket}/p?endpoint=${proxy.endpoint}`, context(s3.env)),
          silentLogger,
          () => ({ partSize: 5 * MiB, queueSize: 1 }),
        );
        const storage = withRetry(inner, { log, sleep: async (ms) => void sleeps.push(ms) });
        const unavailable: Fault = {
          status: 503,
          code: 'ServiceUnavailable',
          message: 'Please reduce your request rate.',
        };

        // Four 503s: the SDK's three attempts fail, withRetry tries again, the SDK's next retry wins.
        plan = [unavailable, unavailable, unavailable, unavailable];
        let before = proxy.requests.length;
        assert.deepEqual(await storage.list(''), []);
        assert.equal(proxy.requests.length - before, 5);
        assert.equal(sleeps.length, 1);
        assert.match(warnings[0] ?? '', /list \(all\) failed .*ServiceUnavailable.*retry 1 of 4/);

        // A streamed single-part put: the SDK resends the buffered body after 503 and a reset.
        plan = [unavailable, 'reset'];
        before = proxy.requests.length;
        const small = Buffer.from('small object');
        const put = await storage.put('set/small', Readable.from([small]));
        assert.equal(put.sha256, sha256(small));
        assert.equal(proxy.requests.filter((r, i) => i >= before && r.method === 'PUT').length, 3);

        // A multipart put whose second part fails twice: the SDK resends that part from memory.
        const big = Buffer.alloc(12 * MiB, 5);
        let partTwoFailures = 0;
        plan = [];
        const flaky = await startFaultProxy(s3.port, ({ url }) =>
          /[?&]partNumber=2(&|$)/.test(url) && partTwoFailures++ < 2
            ? partTwoFailures === 1
              ? unavailable
              : 'reset'
            : 'pass',
        );
        try {
          const multi = new S3Storage(
            s3Settings(`s3://${bucket}/p?endpoint=${flaky.endpoint}`, context(s3.env)),
            silentLogger,
            () => ({ partSize: 5 * MiB, queueSize: 1 }),
          );
          const result = await withRetry(multi, { sleep: async () => undefined }).put(
            'set/big',
            Readable.from([big.subarray(0, 3 * MiB), big.subarray(3 * MiB)]),
          );
          assert.equal(result.sha256, sha256(big));
          assert.equal(partTwoFailures, 3);
          assert.equal(flaky.requests.filter((r) => /[?&]partNumber=2(&|$)/.test(r.url)).length, 3);
          await multi.close();
        } finally {
          await flaky.close();
        }

        plan = ['reset', 'reset'];
        assert.ok((await readAll(await storage.get('set/big'))).equals(big));
        assert.ok((await readAll(await storage.get('set/small'))).equals(small));
        await inner.close();
      } finally {
        await proxy.close();
        await s3.deleteBucket(bucket);
      }
    });

    test('a download reset mid-body is resumed with a Range request from the byte it stopped at', async () => {
      const bucket = await s3.createBucket();
      let plan: Array<Fault> = [];
      const proxy = await startFaultProxy(s3.port, () => plan.shift() ?? 'pass');
      const warnings: string[] = [];
      const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
      try {
        const inner = new S3Storage(
          s3Settings(`s3://${bucket}/p?endpoint=${proxy.endpoint}`, context(s3.env)),
          silentLogger,
        );
        const storage = withRetry(inner, { log, sleep: async () => undefined });
        const data = randomBytes(3 * MiB);
        await storage.put('set/a.tar.zst', Readable.from([data]));
        // Two GETs cut off part-way (a real TCP reset), then the rest arrives.
        plan = [{ cutAfter: 1_000_000 }, { cutAfter: 700_000 }];
        const before = proxy.requests.length;
        const got = await readAll(await storage.get('set/a.tar.zst'));
        assert.equal(sha256(got), sha256(data));
        const gets = proxy.requests.slice(before).filter((r) => r.method === 'GET');
        assert.equal(gets.length, 3);
        assert.equal(warnings.length, 2, warnings.join('\n'));
        assert.match(warnings[0]!, /reading set\/a\.tar\.zst was cut off at byte \d+ .*resuming/);
        await inner.close();
      } finally {
        await proxy.close();
        await s3.deleteBucket(bucket);
      }
    });

    test('createExclusive sends If-None-Match: * and reads a 412 from the store as "exists"', async () => {
      const bucket = await s3.createBucket();
      // Stand in for a store that enforces the condition (AWS, R2, GCS, MinIO): the HEAD finds
      // nothing, then the conditional PUT is refused as another writer's create won the race.
      const proxy = await startFaultProxy(s3.port, ({ method }) =>
        method === 'PUT'
          ? {
              status: 412,
              code: 'PreconditionFailed',
              message: 'At least one of the pre-conditions you specified did not hold',
            }
          : 'pass',
      );
      try {
        const storage = new S3Storage(
          s3Settings(`s3://${bucket}/p?endpoint=${proxy.endpoint}`, context(s3.env)),
          silentLogger,
        );
        assert.equal(await storage.createExclusive('set/lifeboat.lock', Buffer.from('{}')), false);
        assert.deepEqual(
          proxy.requests.map((r) => r.method),
          ['HEAD', 'PUT'],
        );
        assert.equal(proxy.requests[1]!.headers['if-none-match'], '*');
        await storage.close();
      } finally {
        await proxy.close();
        await s3.deleteBucket(bucket);
      }
    });

    test('403 is not retried and says to check the credentials', async () => {
      const proxy = await startFaultProxy(s3.port, () => ({
        status: 403,
        code: 'InvalidAccessKeyId',
        message: 'The AWS Access Key Id you provided does not exist in our records.',
      }));
      const sleeps: number[] = [];
      try {
        const inner = new S3Storage(
          s3Settings(`s3://any-bucket/p?endpoint=${proxy.endpoint}`, context(s3.env)),
          silentLogger,
        );
        const storage = withRetry(inner, { sleep: async (ms) => void sleeps.push(ms) });
        for (const [what, op] of [
          ['list', () => storage.list('')],
          ['put', () => storage.put('k', Readable.from(['x']))],
          ['get', () => storage.get('k')],
          ['stat', () => storage.stat('k')],
          ['delete', () => storage.delete('k')],
        ] as const) {
          const before = proxy.requests.length;
          const err = await (op() as Promise<unknown>).then(
            () => assert.fail(`${what} succeeded through a 403 proxy`),
            (e: unknown) => e,
          );
          assert.ok(err instanceof StorageError, `${what}: ${String(err)}`);
          assert.equal(err.transient, false, what);
          assert.equal(err.notFound, false, what);
          assert.match(err.hint ?? '', /check the credentials in AWS_ACCESS_KEY_ID/, what);
          if (what !== 'stat') assert.match(err.message, /InvalidAccessKeyId \(HTTP 403\)/, what);
          assert.equal(proxy.requests.length - before, 1, `${what} was sent exactly once`);
        }
        assert.deepEqual(sleeps, []);
        await inner.close();
      } finally {
        await proxy.close();
      }
    });

    test('an unknown access key is refused by the server with a credentials hint', async () => {
      const bucket = await s3.createBucket();
      try {
        // s3rver checks the access key id but not SigV4 signatures, so the key is what is wrong here.
        const ctx = context({
          AWS_ACCESS_KEY_ID: 'NOT-A-KEY',
          AWS_SECRET_ACCESS_KEY: 'not-the-secret',
        });
        const storage = await openStorage(`s3://${bucket}?endpoint=${s3.endpoint}`, ctx);
        const err = await storage.list('').catch((e: unknown) => e);
        assert.ok(err instanceof StorageError);
        assert.equal(err.transient, false);
        assert.match(err.message, /SignatureDoesNotMatch|InvalidAccessKeyId|AccessDenied/);
        assert.match(err.hint ?? '', /credentials/);
        assert.doesNotMatch(`${err.message} ${err.hint}`, /not-the-secret/);
        await storage.close?.();
      } finally {
        await s3.deleteBucket(bucket);
      }
    });

    test('a missing bucket is a permanent error that names it', async () => {
      const storage = await openStorage(
        `s3://lifeboat-no-such-bucket-x1/p?endpoint=${s3.endpoint}`,
        context(s3.env),
      );
      const err = await storage.list('').catch((e: unknown) => e);
      assert.ok(err instanceof StorageError);
      assert.equal(err.transient, false);
      assert.match(err.message, /NoSuchBucket/);
      assert.match(err.hint ?? '', /bucket 'lifeboat-no-such-bucket-x1' does not exist/);
      await storage.close?.();
    });

    test('objects outside the prefix are invisible to list', async () => {
      const { bucket, storage, cleanup } = await open(
        (b) => `s3://${b}/team-a?endpoint=${s3.endpoint}`,
      );
      try {
        const other = await openStorage(
          `s3://${bucket}/team-ab?endpoint=${s3.endpoint}`,
          context(s3.env),
        );
        await other.put('set/x', Readable.from(['other team']));
        await storage.put('set/x', Readable.from(['mine']));
        assert.deepEqual(
          (await storage.list('')).map((o) => o.key),
          ['set/x'],
        );
        assert.equal((await readAll(await storage.get('set/x'))).toString(), 'mine');
        await other.close?.();
      } finally {
        await cleanup();
      }
    });
  });

  test('the CLI backs up to s3://, lists, verifies and restores from it', async () => {
    const bucket = await s3.createBucket();
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-s3-cli-'));
    try {
      const db = new DatabaseSync(join(dir, 'app.db'));
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
      for (let i = 0; i < 2000; i++) insert.run(`row ${i}`);
      db.close();
      const destination = `s3://${bucket}/lifeboat?endpoint=${s3.endpoint}`;
      const b = await runCli(
        [
          'backup',
          '--source',
          `sqlite:${join(dir, 'app.db')}`,
          '--destination',
          destination,
          '--name',
          'app',
          '--json',
        ],
        s3.env,
      );
      assert.equal(b.code, 0, b.stderr);
      const id = jsonOf(b).outputs['backup-id'];
      const l = await runCli(['list', '--destination', destination, '--json'], s3.env);
      assert.equal(l.code, 0, l.stderr);
      assert.deepEqual(
        (jsonOf(l)['backups'] as Array<{ id: string }>).map((x) => x.id),
        [id],
      );
      const v = await runCli(['verify', '--destination', destination, '--name', 'app'], s3.env);
      assert.equal(v.code, 0, v.stderr);
      const target = join(dir, 'restored.db');
      const r = await runCli(
        ['restore', '--destination', destination, '--name', 'app', '--target', `sqlite:${target}`],
        s3.env,
      );
      assert.equal(r.code, 0, r.stderr);
      const restored = new DatabaseSync(target);
      assert.deepEqual({ ...restored.prepare('SELECT count(*) AS n FROM t').get() }, { n: 2000 });
      restored.close();
      assert.doesNotMatch(b.stderr + b.stdout, /S3RVER/, 'the secret never reaches the output');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await s3.deleteBucket(bucket);
    }
  });
}
