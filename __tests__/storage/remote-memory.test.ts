import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { startS3rver } from '../helpers/s3rver.ts';
import { azuriteBlobEntry, DEV_ACCOUNT, DEV_KEY, startAzurite } from './azurite-server.ts';
import { SSHD, startSshd } from './sshd-server.ts';
import { underCi as ci } from '../helpers/services.ts';

const MiB = 1024 * 1024;
const LIMIT_MB = 200;

/** Writes a 200 MiB file of random bytes (so the archive is ~200 MiB whatever the compression). */
async function bigTree(dir: string): Promise<string> {
  const src = join(dir, 'src');
  await mkdir(src, { recursive: true });
  const f = await open(join(src, 'random.bin'), 'w');
  const block = randomBytes(4 * MiB);
  for (let i = 0; i < 50; i++) {
    block.writeUInt32LE(i, 0);
    await f.write(block);
  }
  await f.close();
  return src;
}

/**
 * Runs the bundled CLI (dist/, what users run) in a child process and returns its exit code and
 * exact peak RSS (getrusage maxRSS).
 */
async function backupInChild(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; maxRssMb: number; stderr: string }> {
  const entry = resolve('dist/cli.js');
  const script = `
    process.argv = [process.argv[0], ${JSON.stringify(entry)}, ...JSON.parse(process.env.LB_ARGS)];
    process.on('exit', () => process.stderr.write('MAXRSS ' + process.resourceUsage().maxRSS + '\\n'));
    await import(${JSON.stringify(entry)});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      LB_ARGS: JSON.stringify(args),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code: number = await new Promise((res) => child.on('close', (c) => res(c ?? -1)));
  const m = /MAXRSS (\d+)/.exec(stderr);
  // maxRSS is in KiB; the budget is in MB (10^6 bytes).
  return { code, maxRssMb: m ? (Number(m[1]) * 1024) / 1e6 : Infinity, stderr };
}

// The upload itself (DESIGN §7: the checksum is computed in the same pass and confirmed by the
// store); the default read-back that follows is measured by `npm run bench`.
describe('a 200 MiB archive uploads to each remote store with peak RSS under 200 MB', () => {
  // One 200 MiB tree for the three stores (writing it is most of a case's own work); each
  // backup only reads it.
  let dir: string;
  let src: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lifeboat-rss-'));
    src = await bigTree(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('s3:// (s3rver, multipart)', async (t) => {
    const s3 = await startS3rver();
    if ('unavailable' in s3) {
      if (ci) assert.fail(s3.unavailable);
      return t.skip(s3.unavailable);
    }
    try {
      const bucket = await s3.createBucket();
      const r = await backupInChild(
        [
          'backup',
          '--source',
          `dir:${src}`,
          '--destination',
          `s3://${bucket}/rss`,
          '--s3-endpoint',
          s3.endpoint,
          '--s3-force-path-style',
          '--compression',
          'none',
          '--verify-after-backup',
          'false',
        ],
        s3.env,
      );
      assert.equal(r.code, 0, r.stderr);
      t.diagnostic(`peak RSS ${r.maxRssMb.toFixed(0)} MB`);
      assert.ok(r.maxRssMb < LIMIT_MB, `peak RSS ${r.maxRssMb.toFixed(0)} MB`);
      await s3.deleteBucket(bucket);
    } finally {
      await s3.close();
    }
  });

  test(
    'azblob:// (Azurite, staged blocks)',
    { skip: !azuriteBlobEntry() && !ci ? 'azurite not installed' : false },
    async (t) => {
      const azurite = await startAzurite();
      try {
        const container = `rss-${randomBytes(4).toString('hex')}`;
        await BlobServiceClient.fromConnectionString(azurite.connectionString).createContainer(
          container,
        );
        const r = await backupInChild(
          [
            'backup',
            '--source',
            `dir:${src}`,
            '--destination',
            `azblob://${container}/rss`,
            '--azure-endpoint',
            azurite.endpoint,
            '--compression',
            'none',
            '--verify-after-backup',
            'false',
          ],
          { AZURE_STORAGE_ACCOUNT: DEV_ACCOUNT, AZURE_STORAGE_KEY: DEV_KEY },
        );
        assert.equal(r.code, 0, r.stderr);
        t.diagnostic(`peak RSS ${r.maxRssMb.toFixed(0)} MB`);
        assert.ok(r.maxRssMb < LIMIT_MB, `peak RSS ${r.maxRssMb.toFixed(0)} MB`);
      } finally {
        await azurite.stop();
      }
    },
  );

  test(
    'sftp:// (OpenSSH)',
    { skip: !existsSync(SSHD) && !ci ? 'sshd not installed' : false },
    async (t) => {
      const sshd = await startSshd();
      try {
        const r = await backupInChild(
          [
            'backup',
            '--source',
            `dir:${src}`,
            '--destination',
            `sftp://${sshd.user}@127.0.0.1:${sshd.port}${sshd.dataDir}/rss`,
            '--sftp-host-fingerprint',
            sshd.hostFingerprint,
            '--compression',
            'none',
            '--verify-after-backup',
            'false',
          ],
          { LIFEBOAT_SFTP_PRIVATE_KEY: sshd.userKey },
        );
        assert.equal(r.code, 0, r.stderr);
        t.diagnostic(`peak RSS ${r.maxRssMb.toFixed(0)} MB`);
        assert.ok(r.maxRssMb < LIMIT_MB, `peak RSS ${r.maxRssMb.toFixed(0)} MB`);
      } finally {
        await sshd.stop();
      }
    },
  );
});
