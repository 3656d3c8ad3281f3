import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ConfigError, StorageError } from '../../src/core/errors.ts';
import { Redactor, silentLogger, type Logger } from '../../src/core/log.ts';
import { openStorage } from '../../src/storage/registry.ts';
import { withRetry } from '../../src/storage/retry.ts';
import {
  knownHostMatches,
  openSftp,
  parseKnownHosts,
  sftpStorage,
  sshFingerprint,
} from '../../src/storage/sftp/index.ts';
import type { StorageContext } from '../../src/storage/types.ts';
import { readAll, sha256, storageConformanceSuite } from './conformance.ts';
import { SSHD, startSshd, type SshdServer } from './sshd-server.ts';
import { underCi as ci } from '../helpers/services.ts';

function context(
  options: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
  log: Logger = silentLogger,
): StorageContext {
  return { log, redactor: new Redactor(), env, options };
}

describe('sftp: known_hosts and fingerprints (no server)', () => {
  test('fingerprints are computed as ssh-keygen -l prints them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-fp-'));
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
      const pub = readFileSync(join(dir, 'k.pub'), 'utf8').split(' ');
      const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'k.pub')], {
        encoding: 'utf8',
      });
      assert.equal(sshFingerprint(Buffer.from(pub[1]!, 'base64')), printed.split(' ')[1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('host patterns: plain names, [host]:port, wildcards, negation and ssh-keygen -H hashed names', () => {
    assert.equal(knownHostMatches(['backup.example.com'], 'backup.example.com', 22), true);
    assert.equal(knownHostMatches(['backup.example.com'], 'backup.example.com', 2222), false);
    assert.equal(knownHostMatches(['[backup.example.com]:2222'], 'backup.example.com', 2222), true);
    assert.equal(
      knownHostMatches(['*.example.com', '!evil.example.com'], 'evil.example.com', 22),
      false,
    );
    assert.equal(
      knownHostMatches(['*.example.com', '!evil.example.com'], 'good.example.com', 22),
      true,
    );
    assert.equal(knownHostMatches(['10.0.0.?'], '10.0.0.7', 22), true);
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[h.example]:2200').digest('base64')}`;
    assert.equal(knownHostMatches([hashed], 'h.example', 2200), true);
    assert.equal(knownHostMatches([hashed], 'h.example', 22), false);
  });

  test('parseKnownHosts keeps markers and skips comments and junk', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        '',
        'a,b ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==',
        '@revoked * ssh-rsa AAAAB3Nza',
        'broken-line',
      ].join('\n'),
    );
    assert.equal(entries.length, 2);
    assert.deepEqual(entries[0]!.patterns, ['a', 'b']);
    assert.equal(entries[1]!.marker, 'revoked');
  });

  test('bad input is a ConfigError naming the option: no credentials, no user, bad fingerprint, bad key', () => {
    const base = { 'sftp-private-key': 'unused' };
    assert.throws(
      () => openSftp('sftp://me@host/x', context({})),
      (e: unknown) => e instanceof ConfigError && e.option === 'sftp-private-key',
    );
    assert.throws(
      () => openSftp('sftp://host/x', context({ 'sftp-password': 'pw-secret' })),
      (e: unknown) => e instanceof ConfigError && e.option === 'destination',
    );
    assert.throws(
      () =>
        openSftp(
          'sftp://me@host/x',
          context({ 'sftp-password': 'pw-secret', 'sftp-host-fingerprint': 'MD5:aa:bb' }),
        ),
      (e: unknown) => e instanceof ConfigError && e.option === 'sftp-host-fingerprint',
    );
    assert.throws(
      () => openSftp('sftp://me@host/x', context(base)),
      (e: unknown) => e instanceof ConfigError && e.option === 'sftp-private-key',
    );
  });

  test('secrets from options, environment and URL are registered for redaction', () => {
    const ctx = context(
      { 'sftp-private-key-passphrase': 'phrase-secret' },
      { LIFEBOAT_SFTP_PASSWORD: 'env-pass-secret' },
    );
    openSftp('sftp://me:url%40secret@host/x', ctx);
    assert.equal(
      ctx.redactor.redact('env-pass-secret url@secret url%40secret phrase-secret'),
      '*** *** *** ***',
    );
  });
});

const sshdPresent = existsSync(SSHD);
if (!sshdPresent && !ci) {
  test(
    'sftp storage',
    { skip: `${SSHD} is missing (apt-get install -y openssh-server)` },
    () => {},
  );
} else if (!sshdPresent) {
  test('sftp storage', () => {
    assert.fail(`${SSHD} is missing but CI=true: .ci/run must apt-get install -y openssh-server`);
  });
} else {
  const server: SshdServer = await startSshd();
  after(() => server.stop());
  const pinned = () => ({
    'sftp-private-key': server.userKey,
    'sftp-host-fingerprint': server.hostFingerprint,
  });
  const url = (dir: string) => `sftp://${server.user}@127.0.0.1:${server.port}${dir}`;
  const freshDir = () => join(server.dataDir, randomBytes(6).toString('hex'));

  /** A port nothing listens on: bound, then closed. */
  const deadPort = async (): Promise<number> => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  };

  storageConformanceSuite('sftp: storage (OpenSSH, key auth, pinned fingerprint)', async () => {
    const dir = freshDir();
    const storage = openSftp(url(`${dir}/backups`), context(pinned()));
    return {
      storage,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      faults: {
        shrink: async (key, bytes) => truncateSync(join(dir, 'backups', key), bytes),
        denied: async () =>
          openSftp(
            url(`${dir}/backups`),
            context({
              'sftp-password': 'not-the-password',
              'sftp-host-fingerprint': server.hostFingerprint,
            }),
          ),
        unreachable: async () =>
          openSftp(
            `sftp://${server.user}@127.0.0.1:${await deadPort()}${dir}/backups`,
            context(pinned()),
          ),
      },
    };
  });

  storageConformanceSuite('sftp: storage (registry, known_hosts, key from env)', async () => {
    const dir = freshDir();
    const storage = await sftpStorage.create(
      url(dir),
      context(
        { 'sftp-known-hosts': `# pinned\n${server.knownHostsLine}\n` },
        { LIFEBOAT_SFTP_PRIVATE_KEY: server.userKey },
      ),
    );
    return { storage, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  });

  describe('sftp: host keys', () => {
    test('an unknown host key is refused with the fingerprint and how to pin it; nothing is written', async () => {
      const dir = freshDir();
      const storage = openSftp(url(dir), context({ 'sftp-private-key': server.userKey }));
      let sleeps = 0;
      await assert.rejects(
        withRetry(storage, { sleep: async () => void sleeps++ }).put('set/a', Readable.from(['x'])),
        (err: unknown) => {
          assert.ok(err instanceof StorageError && !err.transient, String(err));
          assert.match(
            err.message,
            new RegExp(`sftp://${server.user}@127\\.0\\.0\\.1:${server.port}`),
          );
          assert.ok(err.message.includes(server.hostFingerprint), err.message);
          assert.match(err.message, /not pinned/);
          assert.match(
            err.hint ?? '',
            new RegExp(`sftp-host-fingerprint: ${escape(server.hostFingerprint)}`),
          );
          assert.match(err.hint ?? '', /ssh-keyscan -p \d+ 127\.0\.0\.1/);
          return true;
        },
      );
      assert.equal(sleeps, 0);
      assert.equal(existsSync(dir), false);
      await storage.close?.();
    });

    test('known_hosts without a line for this host:port says so', async () => {
      const [, type, key] = server.knownHostsLine.split(' ');
      const storage = openSftp(
        url(freshDir()),
        context({
          'sftp-private-key': server.userKey,
          'sftp-known-hosts': `[127.0.0.1]:1 ${type} ${key}`,
        }),
      );
      await assert.rejects(storage.list(''), (err: unknown) => {
        assert.ok(err instanceof StorageError && !err.transient, String(err));
        assert.ok(err.message.includes(`has no line for [127.0.0.1]:${server.port}`), err.message);
        return true;
      });
    });

    test('the same host is accepted once its fingerprint is pinned, or with sftp-accept-unknown-host (and a warning)', async () => {
      const dir = freshDir();
      try {
        const pinnedStorage = openSftp(url(dir), context(pinned()));
        await pinnedStorage.put('set/a', Readable.from(['pinned']));
        await pinnedStorage.close?.();

        const warnings: string[] = [];
        const loose = openSftp(
          url(dir),
          context(
            { 'sftp-private-key': server.userKey, 'sftp-accept-unknown-host': true },
            {},
            { ...silentLogger, warn: (m) => warnings.push(m) },
          ),
        );
        assert.equal((await readAll(await loose.get('set/a'))).toString(), 'pinned');
        await loose.close?.();
        assert.equal(warnings.length, 1);
        assert.ok(warnings[0]!.includes(server.hostFingerprint));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a known_hosts file with the name hashed by ssh-keygen -H is accepted', async () => {
      const dir = freshDir();
      const tmp = mkdtempSync(join(tmpdir(), 'lifeboat-kh-'));
      try {
        writeFileSync(join(tmp, 'known_hosts'), server.knownHostsLine + '\n');
        execFileSync('ssh-keygen', ['-H', '-f', join(tmp, 'known_hosts')], { stdio: 'ignore' });
        const hashed = readFileSync(join(tmp, 'known_hosts'), 'utf8');
        assert.match(hashed, /^\|1\|/);
        // A path works as well as the content (handy on the CLI).
        const storage = openSftp(
          url(dir),
          context({
            'sftp-private-key': server.userKey,
            'sftp-known-hosts': join(tmp, 'known_hosts'),
          }),
        );
        await storage.put('k', Readable.from(['v']));
        assert.deepEqual(
          (await storage.list('')).map((o) => o.key),
          ['k'],
        );
        await storage.close?.();
      } finally {
        rmSync(tmp, { recursive: true, force: true });
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a host key that does not match the pin is refused as a possible interception', async () => {
      const other = sshFingerprint(randomBytes(51));
      for (const options of [
        { 'sftp-private-key': server.userKey, 'sftp-host-fingerprint': other },
        {
          'sftp-private-key': server.userKey,
          'sftp-known-hosts': `[127.0.0.1]:${server.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl`,
        },
      ]) {
        const storage = openSftp(url(freshDir()), context(options));
        await assert.rejects(storage.list(''), (err: unknown) => {
          assert.ok(err instanceof StorageError && !err.transient, String(err));
          assert.match(err.message, /does not match the pinned host key/);
          assert.ok(err.message.includes(server.hostFingerprint));
          assert.match(err.hint ?? '', /intercepting/);
          return true;
        });
      }
    });

    test('a key marked @revoked is refused even when also pinned', async () => {
      const [, type, key] = server.knownHostsLine.split(' ');
      const storage = openSftp(
        url(freshDir()),
        context({
          ...pinned(),
          'sftp-known-hosts': `@revoked * ${type} ${key}\n${server.knownHostsLine}`,
        }),
      );
      await assert.rejects(
        storage.list(''),
        (err: unknown) => err instanceof StorageError && /@revoked/.test(err.message),
      );
    });
  });

  describe('sftp: credentials and errors', () => {
    test('a key the server does not know is a clear permanent error, not retried, and the key is never shown', async () => {
      const ctx = context({
        'sftp-private-key': server.strangerKey,
        'sftp-host-fingerprint': server.hostFingerprint,
      });
      let sleeps = 0;
      const storage = withRetry(openSftp(url(freshDir()), ctx), {
        sleep: async () => void sleeps++,
      });
      await assert.rejects(storage.list(''), (err: unknown) => {
        assert.ok(err instanceof StorageError && !err.transient, String(err));
        assert.match(err.message, new RegExp(`rejected the credentials for user '${server.user}'`));
        assert.match(err.hint ?? '', /authorized_keys/);
        const body = server.strangerKey.split('\n')[1]!;
        assert.equal(`${err.message}${err.hint}`.includes(body), false);
        assert.equal(ctx.redactor.redact(`line: ${body}`), 'line: ***');
        return true;
      });
      assert.equal(sleeps, 0);
    });

    test('a refused connection is transient and retried; a wrong password is permanent', async () => {
      const storage = openSftp(`sftp://${server.user}@127.0.0.1:1/x`, context(pinned()));
      let sleeps = 0;
      await assert.rejects(
        withRetry(storage, { attempts: 2, sleep: async () => void sleeps++ }).list(''),
        (err: unknown) =>
          err instanceof StorageError && err.transient && /127\.0\.0\.1:1/.test(err.message),
      );
      assert.equal(sleeps, 1);
      const pw = openSftp(
        url(freshDir()),
        context({
          'sftp-password': 'not-the-password',
          'sftp-host-fingerprint': server.hostFingerprint,
        }),
      );
      await assert.rejects(
        pw.list(''),
        (err: unknown) =>
          err instanceof StorageError && !err.transient && /credentials/.test(err.message),
      );
    });

    test(
      'a directory the user may not write is a permanent error naming the path',
      { skip: process.getuid?.() === 0 ? 'root may write anywhere' : false },
      async () => {
        const storage = openSftp(url('/proc/lifeboat'), context(pinned()));
        await assert.rejects(
          storage.put('a', Readable.from(['x'])),
          (err: unknown) => err instanceof StorageError && !err.transient,
        );
      },
    );

    test('/~/path is relative to the login directory', async () => {
      const name = `lifeboat-test-${randomBytes(4).toString('hex')}`;
      const storage = openSftp(url(`/~/${name}/sub`), context(pinned()));
      try {
        await storage.put('set/a.txt', Readable.from(['home']));
        assert.equal(readFileSync(join(homedir(), name, 'sub', 'set', 'a.txt'), 'utf8'), 'home');
      } finally {
        await storage.close?.();
        rmSync(join(homedir(), name), { recursive: true, force: true });
      }
    });

    test('an uploaded file is private to its owner (0600)', async () => {
      const dir = freshDir();
      try {
        const storage = openSftp(url(dir), context(pinned()));
        await storage.put('set/a.tar.zst', Readable.from([randomBytes(100)]));
        assert.equal(statSync(join(dir, 'set', 'a.tar.zst')).mode & 0o777, 0o600);
        await storage.close?.();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  test('deleting the last object of a set folder removes the emptied folder, not the root', async () => {
    const dir = freshDir();
    try {
      const storage = openSftp(url(dir), context(pinned()));
      await storage.put('set/deep/a', Readable.from(['x']));
      await storage.put('other/b', Readable.from(['y']));
      await storage.delete('set/deep/a');
      assert.deepEqual(readdirSync(dir).sort(), ['other']);
      await storage.delete('other/b');
      assert.deepEqual(readdirSync(dir), []);
      await storage.put('set/again', Readable.from(['z']));
      assert.deepEqual(readdirSync(join(dir, 'set')), ['again']);
      await storage.close?.();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('sftp: interrupted uploads', () => {
    test('a process killed midway leaves a temporary file that list, stat and get never show', async () => {
      const dir = freshDir();
      const key = 'set/20261122T030000Z-killed.tar.zst';
      try {
        const child = spawn(
          process.execPath,
          [
            '--disable-warning=ExperimentalWarning',
            '--input-type=module',
            '-e',
            `
            import { Readable } from 'node:stream';
            import { openSftp } from ${JSON.stringify(fileURLToPath(new URL('../../src/storage/sftp/index.ts', import.meta.url)))};
            import { Redactor, silentLogger } from ${JSON.stringify(fileURLToPath(new URL('../../src/core/log.ts', import.meta.url)))};
            const storage = openSftp(${JSON.stringify(url(dir))}, {
              log: silentLogger, redactor: new Redactor(), env: process.env,
              options: { 'sftp-host-fingerprint': ${JSON.stringify(server.hostFingerprint)} },
            });
            let sent = 0;
            const body = new Readable({ read() {
              sent++;
              if (sent === 40) process.stdout.write('midway\\n');
              this.push(Buffer.alloc(64 * 1024, sent));
            } });
            await storage.put(${JSON.stringify(key)}, body);
            `,
          ],
          {
            env: { ...process.env, LIFEBOAT_SFTP_PRIVATE_KEY: server.userKey },
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        await new Promise<void>((resolve, reject) => {
          child.stdout!.on('data', (d: Buffer) => {
            if (d.toString().includes('midway')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`uploader exited early with ${code}`)));
        });
        // Wait until the server has written part of the temporary file, then kill the uploader.
        const setDir = join(dir, 'set');
        for (;;) {
          const partial = existsSync(setDir)
            ? readdirSync(setDir).filter((n) => n.includes('.lifeboat-tmp-'))
            : [];
          if (partial.length > 0 && statSync(join(setDir, partial[0]!)).size > 0) break;
          await new Promise((r) => setImmediate(r));
        }
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));

        assert.equal(readdirSync(setDir).length, 1, 'the temporary file is still on the server');
        const storage = openSftp(url(dir), context(pinned()));
        assert.deepEqual(await storage.list(''), []);
        assert.deepEqual(await storage.list('set/'), []);
        assert.equal(await storage.stat(key), undefined);
        await assert.rejects(
          storage.get(key),
          (err: unknown) => err instanceof StorageError && err.notFound,
        );
        // A later upload of the same key is unaffected by the leftover.
        const data = randomBytes(5000);
        assert.equal((await storage.put(key, Readable.from([data]))).sha256, sha256(data));
        assert.deepEqual(
          (await storage.list('')).map((o) => o.key),
          [key],
        );
        await storage.close?.();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a connection dropped mid-upload fails the put as transient, leaves nothing listed, and the next call reconnects', async () => {
      const dir = freshDir();
      const proxy = await cuttableProxy(server.port);
      try {
        const via = `sftp://${server.user}@127.0.0.1:${proxy.port}${dir}`;
        const storage = openSftp(via, context(pinned()));
        await storage.put('set/first', Readable.from(['1']));
        let sent = 0;
        const body = new Readable({
          read() {
            sent++;
            // Cut the TCP connection once the upload is well under way.
            if (sent === 20) proxy.cut();
            this.push(sent > 400 ? null : Buffer.alloc(64 * 1024, sent));
          },
        });
        await assert.rejects(storage.put('set/second', body), (err: unknown) => {
          assert.ok(err instanceof StorageError && err.transient, String(err));
          return true;
        });
        const retried = withRetry(storage, { sleep: async () => undefined });
        assert.deepEqual(
          (await retried.list('')).map((o) => o.key),
          ['set/first'],
        );
        assert.equal(await retried.stat('set/second'), undefined);
        await storage.close?.();
      } finally {
        await proxy.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('the registry opens sftp:// URLs', async () => {
      const dir = freshDir();
      try {
        const storage = await openStorage(url(dir), context(pinned()));
        await storage.put('x', Readable.from(['y']));
        assert.equal((await storage.stat('x'))?.size, 1);
        await storage.close?.();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** Forwards TCP to the sshd; cut() drops every connection open at that moment. */
async function cuttableProxy(
  targetPort: number,
): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv = createServer((client) => {
    const upstream = createConnection(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const cut = () => {
    for (const s of sockets) s.resetAndDestroy();
  };
  return {
    port: (srv.address() as { port: number }).port,
    cut,
    close: () =>
      new Promise<void>((resolve) => {
        cut();
        srv.close(() => resolve());
      }),
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
