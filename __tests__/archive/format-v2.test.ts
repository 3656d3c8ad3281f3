import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { X25519Identity } from '../../src/archive/age/index.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';

/**
 * The format-2 fixture: an encrypted, signed backup (public index, sealed detail, `.age`
 * archive, `.sig`) as this release stores it, with the test-only keys that open and check it.
 * Every later release must list it without a key and restore it with one. Regenerate only for a
 * new format version (keeping this one): LIFEBOAT_WRITE_FIXTURES=1 npm test -- <this file>.
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/format-v2/', import.meta.url));
const FILES: Record<string, string> = {
  'hello.txt': 'hello from format 2\n',
  'sub/data.csv': 'id,name\n1,alice\n2,bob\n',
};

async function writeFixture(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'crypto-fixture-'));
  try {
    const src = join(work, 'src');
    for (const [p, body] of Object.entries(FILES)) {
      await mkdir(join(src, p, '..'), { recursive: true });
      await writeFile(join(src, p), body);
    }
    await rm(FIXTURE, { recursive: true, force: true });
    await mkdir(FIXTURE, { recursive: true });
    const identity = X25519Identity.generate();
    await writeFile(
      join(FIXTURE, 'test-only-identity.txt'),
      `# TEST-ONLY key for the format-2 fixture; it protects nothing.\n${identity.encode()}\n`,
    );
    const signing = join(work, 'signing');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'fixture', '-f', signing]);
    await writeFile(
      join(FIXTURE, 'allowed_signers'),
      `fixture@lifeboat ${(await readFile(`${signing}.pub`, 'utf8')).trim()}\n`,
    );
    const b = await runCli(
      [
        'backup',
        '--source',
        `files=dir:${src}`,
        '--name',
        'app',
        '--destination',
        `file:${join(FIXTURE, 'store')}`,
        '--age-recipients',
        identity.recipient().fingerprint,
      ],
      { LIFEBOAT_SIGNING_KEY: signing },
    );
    assert.equal(b.code, 0, b.stderr);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

test(
  'format 2 fixture: listed without a key, verified and restored with one, signature good',
  { timeout: 120_000 },
  async () => {
    if (process.env.LIFEBOAT_WRITE_FIXTURES) await writeFixture();
    const work = await mkdtemp(join(tmpdir(), 'crypto-v2-'));
    try {
      // A copy: nothing may change the fixture (a verify would not, but a bug might).
      await cp(join(FIXTURE, 'store'), join(work, 'store'), { recursive: true });
      const destination = `file:${join(work, 'store')}`;
      const names = (await readdir(join(work, 'store', 'app'))).sort();
      assert.equal(names.length, 4, names.join(', '));
      assert.ok(names.some((n) => n.endsWith('.tar.zst.age')));
      assert.ok(names.some((n) => n.endsWith('.sig')));
      const index = JSON.parse(
        await readFile(
          join(
            work,
            'store',
            'app',
            names.find((n) => n.endsWith('.manifest.json'))!,
          ),
          'utf8',
        ),
      ) as { format: number; encrypted: boolean; detail: string };
      assert.equal(index.format, 2);
      assert.equal(index.encrypted, true);

      const l = await runCli(['list', '--json', '--destination', destination]);
      assert.equal(l.code, 0, l.stderr);
      assert.equal((jsonOf(l)['backups'] as unknown[]).length, 1);

      const keys = {
        LIFEBOAT_AGE_IDENTITY: join(FIXTURE, 'test-only-identity.txt'),
        LIFEBOAT_ALLOWED_SIGNERS: join(FIXTURE, 'allowed_signers'),
      };
      const v = await runCli(['verify', '--destination', destination], keys);
      assert.equal(v.code, 0, v.stderr);
      const target = join(work, 'restored');
      const r = await runCli(
        ['restore', '--destination', destination, '--target', `files=dir:${target}`],
        keys,
      );
      assert.equal(r.code, 0, r.stderr);
      for (const [p, body] of Object.entries(FILES))
        assert.equal(await readFile(join(target, p), 'utf8'), body);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
);
