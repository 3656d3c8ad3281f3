import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X25519Identity } from '../../src/archive/age/index.ts';
import { jsonOf, runCli } from './cli.ts';
import { unavailable } from './services.ts';

export interface RoundTripCase {
  /** Source URL to back up (already filled with data). */
  source: string;
  /** A new target URL to restore into. */
  target: string;
  /** Extra CLI flags for backup (e.g. ['--exclude', '*.tmp']). */
  backupFlags?: string[];
  /** Asserts the restored target equals the source. */
  compare(): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * The round trip every source must pass, through the real engine, archive and `file:` storage,
 * driven by the CLI: backup → list → verify (with the source's structural check) → restore into
 * a new target → compare; and a second restore into the same target is refused without overwrite.
 */
export function sourceRoundTripSuite(
  name: string,
  prepare: () => Promise<RoundTripCase | undefined>,
): void {
  describe(`${name}: shared round trip`, () => {
    test('backup → verify → restore gives back the same data', async (t) => {
      const rt = await prepare();
      if (!rt) return t.skip('service not available');
      const dir = await mkdtemp(join(tmpdir(), 'lifeboat-rt-'));
      const destination = `file:${dir}`;
      try {
        const b = await runCli([
          'backup',
          '--source',
          rt.source,
          '--destination',
          destination,
          '--name',
          'rt',
          '--json',
          ...(rt.backupFlags ?? []),
        ]);
        assert.equal(b.code, 0, b.stderr);
        const out = jsonOf(b).outputs;
        assert.equal(out['verified'], 'true');
        assert.match(out['sha256'] ?? '', /^[0-9a-f]{64}$/);

        const l = await runCli(['list', '--destination', destination, '--json']);
        assert.equal(l.code, 0, l.stderr);
        const backups = jsonOf(l)['backups'] as Array<{ id: string }>;
        assert.deepEqual(
          backups.map((x) => x.id),
          [out['backup-id']],
        );

        const v = await runCli(['verify', '--destination', destination, '--name', 'rt']);
        assert.equal(v.code, 0, v.stderr);

        const r = await runCli([
          'restore',
          '--destination',
          destination,
          '--name',
          'rt',
          '--target',
          rt.target,
        ]);
        assert.equal(r.code, 0, r.stderr);
        await rt.compare();

        const again = await runCli([
          'restore',
          '--destination',
          destination,
          '--name',
          'rt',
          '--target',
          rt.target,
        ]);
        assert.equal(
          again.code,
          2,
          `restoring over a non-empty target without overwrite must be refused:\n${again.stderr}`,
        );
        assert.match(again.stderr, /target|overwrite/);
        await rt.compare();
      } finally {
        await rm(dir, { recursive: true, force: true });
        await rt.cleanup();
      }
    });

    test('encrypted (age) and signed: backup → verify → restore gives back the same data', async (t) => {
      if (spawnSync('ssh-keygen', ['-V']).error) {
        return t.skip(unavailable('ssh-keygen (apt-get install -y openssh-client)'));
      }
      const rt = await prepare();
      if (!rt) return t.skip('service not available');
      const dir = await mkdtemp(join(tmpdir(), 'lifeboat-rt-crypto-'));
      const destination = `file:${join(dir, 'store')}`;
      try {
        const identity = X25519Identity.generate();
        const signing = join(dir, 'signing');
        spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', signing]);
        const allowed = `ops ${(await readFile(`${signing}.pub`, 'utf8')).trim()}`;
        const b = await runCli(
          [
            'backup',
            '--source',
            rt.source,
            '--destination',
            destination,
            '--name',
            'rt',
            '--json',
            '--age-recipients',
            identity.recipient().fingerprint,
            ...(rt.backupFlags ?? []),
          ],
          { LIFEBOAT_SIGNING_KEY: signing },
        );
        assert.equal(b.code, 0, b.stderr);
        assert.match(jsonOf(b).outputs['location'] ?? '', /\.age\b/);
        const keys = {
          LIFEBOAT_AGE_IDENTITY: identity.encode(),
          LIFEBOAT_ALLOWED_SIGNERS: allowed,
        };
        const v = await runCli(['verify', '--destination', destination, '--name', 'rt'], keys);
        assert.equal(v.code, 0, v.stderr);
        const r = await runCli(
          ['restore', '--destination', destination, '--name', 'rt', '--target', rt.target],
          keys,
        );
        assert.equal(r.code, 0, r.stderr);
        await rt.compare();
      } finally {
        await rm(dir, { recursive: true, force: true });
        await rt.cleanup();
      }
    });
  });
}
