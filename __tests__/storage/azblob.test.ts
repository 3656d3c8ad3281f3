import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  BlobServiceClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { ConfigError, IntegrityError, StorageError } from '../../src/core/errors.ts';
import { Redactor, silentLogger, type Logger } from '../../src/core/log.ts';
import { azblobStorage, openAzureBlob, SHA256_METADATA } from '../../src/storage/azblob/index.ts';
import { openStorage } from '../../src/storage/registry.ts';
import { withRetry } from '../../src/storage/retry.ts';
import type { StorageContext } from '../../src/storage/types.ts';
import { readAll, sha256, storageConformanceSuite } from './conformance.ts';
import {
  azuriteBlobEntry,
  DEV_ACCOUNT,
  DEV_KEY,
  startAzurite,
  type AzuriteServer,
} from './azurite-server.ts';
import { underCi as ci } from '../helpers/services.ts';
import { refusedPort } from '../helpers/ports.ts';

const available = azuriteBlobEntry() !== undefined;

function context(
  env: NodeJS.ProcessEnv,
  options: Record<string, unknown> = {},
  log: Logger = silentLogger,
): StorageContext {
  return { log, redactor: new Redactor(), env, options };
}

function uniqueContainer(): string {
  return `lifeboat-${randomBytes(6).toString('hex')}`;
}

if (!available && !ci) {
  test(
    'azblob storage',
    { skip: 'azurite is not installed (it is a devDependency: npm ci)' },
    () => {},
  );
} else if (!available) {
  test('azblob storage', () => {
    assert.fail('azurite is not installed but CI=true: run npm ci');
  });
} else {
  const server: AzuriteServer = await startAzurite();
  after(() => server.stop());
  const admin = BlobServiceClient.fromConnectionString(server.connectionString);
  const keyEnv = { AZURE_STORAGE_ACCOUNT: DEV_ACCOUNT, AZURE_STORAGE_KEY: DEV_KEY };

  async function withContainer<T>(body: (container: string) => Promise<T>): Promise<T> {
    const container = uniqueContainer();
    await admin.createContainer(container);
    try {
      return await body(container);
    } finally {
      await admin.getContainerClient(container).deleteIfExists();
    }
  }

  storageConformanceSuite(
    'azblob: storage (Azurite, account key, 1 MiB blocks)',
    async () => {
      const container = uniqueContainer();
      await admin.createContainer(container);
      const storage = openAzureBlob(
        `azblob://${container}/backups/nightly`,
        context(keyEnv, { 'azure-endpoint': server.endpoint }),
        { blockBytes: 1024 * 1024, concurrency: 3 },
      );
      return {
        storage,
        cleanup: async () => void (await admin.getContainerClient(container).deleteIfExists()),
        faults: {
          // A well-formed account key that is not the account's.
          denied: async () =>
            openAzureBlob(
              `azblob://${container}/backups/nightly`,
              context(
                { ...keyEnv, AZURE_STORAGE_KEY: randomBytes(64).toString('base64') },
                { 'azure-endpoint': server.endpoint },
              ),
            ),
        },
      };
    },
    { largeObjectBytes: 12 * 1024 * 1024 + 12345 },
  );

  storageConformanceSuite(
    'azblob: storage (Azurite, connection string, no prefix, default blocks)',
    async () => {
      const container = uniqueContainer();
      await admin.createContainer(container);
      const storage = await azblobStorage.create(
        `azblob://${container}`,
        context({ AZURE_STORAGE_CONNECTION_STRING: server.connectionString }),
      );
      return {
        storage,
        cleanup: async () => void (await admin.getContainerClient(container).deleteIfExists()),
      };
    },
  );

  describe('azblob: credentials and options', () => {
    test('the registry opens azblob:// with a SAS token, and the token is registered for redaction', async () => {
      await withContainer(async (container) => {
        const sas = generateBlobSASQueryParameters(
          {
            containerName: container,
            permissions: ContainerSASPermissions.parse('racwdl'),
            expiresOn: new Date(Date.now() + 3600_000),
          },
          new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY),
        ).toString();
        const ctx = context(
          { AZURE_STORAGE_SAS_TOKEN: `?${sas}` },
          { 'azure-endpoint': server.endpoint },
        );
        const storage = await openStorage(`azblob://${container}/p`, ctx);
        const put = await storage.put('set/a.txt', Readable.from(['hello']));
        assert.equal(put.sha256, sha256(Buffer.from('hello')));
        assert.deepEqual(
          (await storage.list('')).map((o) => o.key),
          ['set/a.txt'],
        );
        assert.equal((await readAll(await storage.get('set/a.txt'))).toString(), 'hello');
        const sig = new URLSearchParams(sas).get('sig')!;
        assert.equal(ctx.redactor.redact(`token ${sas} sig ${sig}`).includes(sig), false);
      });
    });

    test('azure-account overrides AZURE_STORAGE_ACCOUNT; the account key is registered for redaction', async () => {
      await withContainer(async (container) => {
        const ctx = context(
          { AZURE_STORAGE_ACCOUNT: 'someotheraccount', AZURE_STORAGE_KEY: DEV_KEY },
          { 'azure-account': DEV_ACCOUNT, 'azure-endpoint': server.endpoint },
        );
        const storage = await openStorage(`azblob://${container}`, ctx);
        await storage.put('x', Readable.from(['1']));
        assert.equal((await storage.stat('x'))?.size, 1);
        assert.equal(ctx.redactor.redact(`key=${DEV_KEY}`), 'key=***');
      });
    });

    test('the archive sha256 is stored as blob metadata and exposed by stat and list', async () => {
      await withContainer(async (container) => {
        const storage = openAzureBlob(
          `azblob://${container}/pre`,
          context(keyEnv, { 'azure-endpoint': server.endpoint }),
          {
            blockBytes: 64 * 1024,
          },
        );
        const data = randomBytes(300_000);
        const put = await storage.put('set/20261122T030000Z-abc.tar.zst', Readable.from([data]));
        assert.equal(put.sha256, sha256(data));
        const props = await admin
          .getContainerClient(container)
          .getBlockBlobClient('pre/set/20261122T030000Z-abc.tar.zst')
          .getProperties();
        assert.equal(props.metadata?.[SHA256_METADATA], sha256(data));
        assert.equal(
          (await storage.stat('set/20261122T030000Z-abc.tar.zst'))?.sha256,
          sha256(data),
        );
        assert.equal((await storage.list('set/'))[0]?.sha256, sha256(data));
      });
    });

    test('get fails with IntegrityError after the stream ends when the bytes do not match lifeboat_sha256', async () => {
      await withContainer(async (container) => {
        const storage = openAzureBlob(
          `azblob://${container}`,
          context(keyEnv, { 'azure-endpoint': server.endpoint }),
        );
        const original = Buffer.from('the real archive bytes');
        await storage.put('set/a.tar.zst', Readable.from([original]));
        // Someone rewrites the blob behind our back but leaves the recorded sha256 in place.
        const forged = Buffer.from('tampered archive bytes');
        await admin
          .getContainerClient(container)
          .getBlockBlobClient('set/a.tar.zst')
          .upload(forged, forged.length, { metadata: { [SHA256_METADATA]: sha256(original) } });
        const stream = await storage.get('set/a.tar.zst');
        await assert.rejects(readAll(stream), (err: unknown) => {
          assert.ok(err instanceof IntegrityError, `expected IntegrityError, got ${String(err)}`);
          assert.match(err.message, /lifeboat_sha256/);
          return true;
        });
        // A blob without our metadata (written by another tool) is passed through unchecked.
        await admin
          .getContainerClient(container)
          .getBlockBlobClient('set/plain')
          .upload(forged, forged.length);
        assert.ok((await readAll(await storage.get('set/plain'))).equals(forged));
      });
    });

    test('missing credentials, credentials in the URL and a bad container name are ConfigErrors naming the fix', () => {
      assert.throws(
        () => openAzureBlob('azblob://backups/x', context({})),
        (err: unknown) =>
          err instanceof ConfigError && /AZURE_STORAGE_CONNECTION_STRING/.test(err.hint ?? ''),
      );
      assert.throws(
        () => openAzureBlob('azblob://Bad_Container/x', context(keyEnv)),
        (err: unknown) => err instanceof ConfigError && err.option === 'destination',
      );
      assert.throws(
        () => openAzureBlob('azblob://me:secret@backups/x', context(keyEnv)),
        (err: unknown) => err instanceof ConfigError && !err.message.includes('secret'),
      );
      assert.throws(
        () => openAzureBlob('azblob://backups/x', context({ AZURE_STORAGE_ACCOUNT: DEV_ACCOUNT })),
        (err: unknown) =>
          err instanceof ConfigError && /AZURE_STORAGE_KEY/.test(err.message + (err.hint ?? '')),
      );
    });
  });

  describe('azblob: errors', () => {
    test('a wrong account key is a permanent StorageError, not retried, with a clear message and no key in it', async () => {
      await withContainer(async (container) => {
        const wrongKey = randomBytes(64).toString('base64');
        const ctx = context(
          { AZURE_STORAGE_ACCOUNT: DEV_ACCOUNT, AZURE_STORAGE_KEY: wrongKey },
          {
            'azure-endpoint': server.endpoint,
          },
        );
        const sleeps: number[] = [];
        const storage = withRetry(openAzureBlob(`azblob://${container}/p`, ctx), {
          sleep: async (ms) => void sleeps.push(ms),
        });
        for (const attempt of [
          () => storage.list(''),
          () => storage.put('set/a', Readable.from(['data'])),
          () => storage.get('set/a'),
        ]) {
          await assert.rejects(attempt(), (err: unknown) => {
            assert.ok(err instanceof StorageError, String(err));
            assert.equal(err.transient, false);
            assert.match(err.message, new RegExp(`azblob://${container}/p`));
            assert.match(err.message, /access denied \(403/);
            assert.match(err.hint ?? '', /AZURE_STORAGE_KEY/);
            assert.equal(`${err.message} ${err.hint}`.includes(wrongKey), false);
            return true;
          });
        }
        assert.deepEqual(sleeps, [], 'a permanent error must not be retried');
      });
    });

    test('a missing container is a permanent error that says how to create it', async () => {
      const container = uniqueContainer();
      const storage = openAzureBlob(
        `azblob://${container}`,
        context(keyEnv, { 'azure-endpoint': server.endpoint }),
      );
      await assert.rejects(storage.put('a', Readable.from(['x'])), (err: unknown) => {
        assert.ok(err instanceof StorageError && !err.transient && !err.notFound, String(err));
        assert.match(err.message, new RegExp(`container '${container}' does not exist`));
        assert.match(err.hint ?? '', /az storage container create/);
        return true;
      });
      await assert.rejects(
        storage.list(''),
        (err: unknown) => err instanceof StorageError && !err.notFound,
      );
    });

    test('an unreachable endpoint is transient, so withRetry tries again and then gives up', async () => {
      const port = await refusedPort();
      const storage = openAzureBlob(
        'azblob://backups',
        context(keyEnv, { 'azure-endpoint': `http://127.0.0.1:${port}/${DEV_ACCOUNT}` }),
      );
      let sleeps = 0;
      await assert.rejects(
        withRetry(storage, { attempts: 3, sleep: async () => void sleeps++ }).list(''),
        (err: unknown) =>
          err instanceof StorageError &&
          err.transient &&
          /gave up after 3 attempts/.test(err.message),
      );
      assert.equal(sleeps, 2);
    });

    test('withRetry rides out connection resets and 503s from a faulty proxy in front of Azurite', async () => {
      await withContainer(async (container) => {
        const direct = openAzureBlob(
          `azblob://${container}`,
          context(keyEnv, { 'azure-endpoint': server.endpoint }),
        );
        const data = randomBytes(200_000);
        await direct.put('set/a.bin', Readable.from([data]));

        const proxy = await faultyProxy(server.port, ['reset', 'reset', '503', 'reset', '503']);
        try {
          const log: string[] = [];
          const storage = withRetry(
            openAzureBlob(
              `azblob://${container}`,
              context(keyEnv, {
                'azure-endpoint': `http://127.0.0.1:${proxy.port}/${DEV_ACCOUNT}`,
              }),
            ),
            {
              attempts: 8,
              sleep: async () => undefined,
              log: { ...silentLogger, warn: (m) => log.push(m) },
            },
          );
          assert.deepEqual(
            (await storage.list('set/')).map((o) => o.key),
            ['set/a.bin'],
          );
          assert.equal((await storage.stat('set/a.bin'))?.size, data.length);
          assert.ok((await readAll(await storage.get('set/a.bin'))).equals(data));
          assert.equal(proxy.faultsLeft(), 0, 'every planned fault was served');
          assert.ok(
            log.length >= 4,
            `expected withRetry to log its retries, got ${JSON.stringify(log)}`,
          );
          assert.ok(log.some((m) => /ECONNRESET|socket hang up|reset/i.test(m)));
          assert.ok(log.some((m) => /503/.test(m)));
        } finally {
          await proxy.close();
        }
      });
    });

    test('staged blocks are resent by the SDK when a block upload hits a reset or a 503', async () => {
      await withContainer(async (container) => {
        const proxy = await faultyProxy(server.port, []);
        try {
          const storage = openAzureBlob(
            `azblob://${container}`,
            context(keyEnv, { 'azure-endpoint': `http://127.0.0.1:${proxy.port}/${DEV_ACCOUNT}` }),
            { blockBytes: 256 * 1024, concurrency: 1 },
          );
          const data = randomBytes(1024 * 1024 + 7);
          // Fault the connections opened while the upload is under way.
          proxy.plan(['reset', '503']);
          const put = await storage.put('set/big.bin', Readable.from([data]));
          assert.equal(put.sha256, sha256(data));
          assert.equal(proxy.faultsLeft(), 0);
          const direct = openAzureBlob(
            `azblob://${container}`,
            context(keyEnv, { 'azure-endpoint': server.endpoint }),
          );
          assert.ok((await readAll(await direct.get('set/big.bin'))).equals(data));
        } finally {
          await proxy.close();
        }
      });
    });
  });

  describe('azblob: interrupted uploads', () => {
    test('a process killed midway through an upload leaves nothing listed (only uncommitted blocks)', async () => {
      await withContainer(async (container) => {
        const key = 'set/20261122T030000Z-killed.tar.zst';
        const child = spawn(
          process.execPath,
          [
            '--disable-warning=ExperimentalWarning',
            '--input-type=module',
            '-e',
            `
            import { Readable } from 'node:stream';
            import { openAzureBlob } from ${JSON.stringify(fileURLToPath(new URL('../../src/storage/azblob/index.ts', import.meta.url)))};
            import { Redactor, silentLogger } from ${JSON.stringify(fileURLToPath(new URL('../../src/core/log.ts', import.meta.url)))};
            const storage = openAzureBlob(${JSON.stringify(`azblob://${container}`)}, {
              log: silentLogger, redactor: new Redactor(), env: process.env, options: { 'azure-endpoint': ${JSON.stringify(server.endpoint)} },
            }, { blockBytes: 256 * 1024, concurrency: 1 });
            let sent = 0;
            const body = new Readable({ read() {
              sent++;
              if (sent === 12) process.stdout.write('midway\\n');
              this.push(Buffer.alloc(128 * 1024, sent));
            } });
            await storage.put(${JSON.stringify(key)}, body);
            `,
          ],
          { env: { ...process.env, ...keyEnv }, stdio: ['ignore', 'pipe', 'inherit'] },
        );
        await new Promise<void>((resolve, reject) => {
          child.stdout!.on('data', (d: Buffer) => {
            if (d.toString().includes('midway')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`uploader exited early with ${code}`)));
        });
        // The uploader stages blocks one at a time: wait until Azure holds some of them.
        const blob = admin.getContainerClient(container).getBlockBlobClient(key);
        for (;;) {
          const blocks = await blob.getBlockList('uncommitted').catch(() => undefined);
          if ((blocks?.uncommittedBlocks?.length ?? 0) >= 2) break;
          await new Promise((r) => setImmediate(r));
        }
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));

        const storage = openAzureBlob(
          `azblob://${container}`,
          context(keyEnv, { 'azure-endpoint': server.endpoint }),
        );
        assert.deepEqual(await storage.list(''), []);
        assert.equal(await storage.stat(key), undefined);
        await assert.rejects(
          storage.get(key),
          (err: unknown) => err instanceof StorageError && err.notFound,
        );
      });
    });
  });
}

type Fault = 'reset' | '503';

/**
 * A TCP proxy to Azurite that serves a planned fault to each new connection (a reset before
 * any answer, or an HTTP 503 to its first request) and forwards later connections untouched.
 */
async function faultyProxy(
  targetPort: number,
  initial: Fault[],
): Promise<{ port: number; plan(f: Fault[]): void; faultsLeft(): number; close(): Promise<void> }> {
  const faults = [...initial];
  const sockets = new Set<Socket>();
  const srv = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const fault = faults.shift();
    if (fault === 'reset') {
      client.once('data', () => client.resetAndDestroy());
      return;
    }
    if (fault === '503') {
      client.once('data', () => {
        client.end(
          'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nServer Busy',
        );
      });
      return;
    }
    const upstream = createConnection(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as { port: number }).port,
    plan(f) {
      // New faults apply to connections opened from now on; drop pooled ones so they are used.
      for (const s of sockets) s.destroy();
      faults.push(...f);
    },
    faultsLeft: () => faults.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  };
}
