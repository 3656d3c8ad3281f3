import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { X25519Identity } from '../../src/archive/age/index.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { startS3rver } from '../helpers/s3rver.ts';
import { azuriteBlobEntry, DEV_ACCOUNT, DEV_KEY, startAzurite } from '../storage/azurite-server.ts';
import { SSHD, startSshd } from '../storage/sshd-server.ts';
import { underCi as ci } from '../helpers/services.ts';

const missing = [
  azuriteBlobEntry() ? undefined : 'azurite (npm ci)',
  existsSync(SSHD) ? undefined : `${SSHD} (apt-get install -y openssh-server)`,
  spawnSync('which', ['ssh-keygen']).status === 0 ? undefined : 'ssh-keygen',
].filter(Boolean);

test(
  'encrypted and signed: one backup fans out to file:, s3://, azblob:// and sftp://; each lists as signed without a key and restores alone with it',
  { skip: missing.length && !ci ? `missing ${missing.join(', ')}` : false },
  async () => {
    assert.deepEqual(missing, [], `CI=true but missing ${missing.join(', ')}`);
    const s3 = await startS3rver();
    if ('unavailable' in s3) throw new Error(s3.unavailable);
    const azurite = await startAzurite();
    const sshd = await startSshd();
    const work = await mkdtemp(join(tmpdir(), 'crypto-backends-'));
    try {
      const bucket = await s3.createBucket();
      const container = `crypto-${randomBytes(4).toString('hex')}`;
      await BlobServiceClient.fromConnectionString(azurite.connectionString).createContainer(
        container,
      );
      const src = join(work, 'src');
      await mkdir(src, { recursive: true });
      const big = randomBytes(3 * 1024 * 1024 + 17);
      await writeFile(join(src, 'customers.csv'), 'id,name\n1,alice\n');
      await writeFile(join(src, 'blob.bin'), big);

      const signing = join(work, 'signing');
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', signing]);
      const allowed = `ops ${(await readFile(`${signing}.pub`, 'utf8')).trim()}`;
      const team = X25519Identity.generate();
      const recovery = X25519Identity.generate();

      const destinations = {
        file: `file:${join(work, 'store')}`,
        s3: `s3://${bucket}/lifeboat`,
        azblob: `azblob://${container}/lifeboat`,
        sftp: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${sshd.dataDir}/lifeboat`,
      };
      const env = {
        ...s3.env,
        AZURE_STORAGE_ACCOUNT: DEV_ACCOUNT,
        AZURE_STORAGE_KEY: DEV_KEY,
        LIFEBOAT_SFTP_PRIVATE_KEY: sshd.userKey,
        LIFEBOAT_SIGNING_KEY: await readFile(signing, 'utf8'),
      };
      const remote = [
        '--s3-endpoint',
        s3.endpoint,
        '--azure-endpoint',
        azurite.endpoint,
        '--sftp-host-fingerprint',
        sshd.hostFingerprint,
      ];
      const backup = await runCli(
        [
          'backup',
          '--json',
          '--source',
          `files=dir:${src}`,
          '--name',
          'site',
          '--destination',
          Object.values(destinations).join('\n'),
          '--age-recipients',
          `${team.recipient().fingerprint}\n${recovery.recipient().fingerprint}`,
          ...remote,
        ],
        env,
      );
      assert.equal(backup.code, 0, backup.stderr);
      const id = jsonOf(backup).outputs['backup-id']!;
      assert.match(jsonOf(backup).outputs['location'] ?? '', /\.tar\.zst\.age/);
      const signingKeyLine = env.LIFEBOAT_SIGNING_KEY.split('\n')[2]!;
      assert.ok(!(backup.stdout + backup.stderr).includes(signingKeyLine), 'signing key leaked');

      for (const [kind, destination] of Object.entries(destinations)) {
        const list = await runCli(
          ['list', '--json', '--name', 'site', '--destination', destination, ...remote],
          { ...env, LIFEBOAT_ALLOWED_SIGNERS: allowed },
        );
        assert.equal(list.code, 0, list.stderr);
        const rows = jsonOf(list)['backups'] as Array<{
          id: string;
          signature: string;
          encrypted: boolean;
        }>;
        assert.deepEqual(
          rows.map((r) => [r.id, r.signature, r.encrypted]),
          [[id, 'signed', true]],
          kind,
        );

        // The recovery key alone opens it, on every backend.
        const identity = kind === 'file' ? team.encode() : recovery.encode();
        const verify = await runCli(
          ['verify', '--name', 'site', '--destination', destination, ...remote],
          { ...env, LIFEBOAT_ALLOWED_SIGNERS: allowed, LIFEBOAT_AGE_IDENTITY: identity },
        );
        assert.equal(verify.code, 0, `${kind}: ${verify.stderr}`);
        const target = join(work, `restore-${kind}`);
        const restore = await runCli(
          [
            'restore',
            '--name',
            'site',
            '--destination',
            destination,
            '--target',
            `files=dir:${target}`,
            ...remote,
          ],
          { ...env, LIFEBOAT_ALLOWED_SIGNERS: allowed, LIFEBOAT_AGE_IDENTITY: identity },
        );
        assert.equal(restore.code, 0, `${kind}: ${restore.stderr}`);
        assert.equal(await readFile(join(target, 'customers.csv'), 'utf8'), 'id,name\n1,alice\n');
        assert.ok((await readFile(join(target, 'blob.bin'))).equals(big), kind);
        assert.ok(!(restore.stdout + restore.stderr).includes(identity), 'identity leaked');
      }
    } finally {
      await sshd.stop();
      await azurite.stop();
      await s3.close();
      await rm(work, { recursive: true, force: true });
    }
  },
);
