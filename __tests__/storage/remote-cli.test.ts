import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { azuriteBlobEntry, DEV_ACCOUNT, DEV_KEY, startAzurite } from './azurite-server.ts';
import { SSHD, startSshd } from './sshd-server.ts';
import { underCi as ci } from '../helpers/services.ts';

const missing = [
  azuriteBlobEntry() ? undefined : 'azurite (npm ci)',
  existsSync(SSHD) ? undefined : `${SSHD} (apt-get install -y openssh-server)`,
].filter(Boolean);

test(
  'CLI: one backup fans out to azblob:// and sftp://, lists on both, restores from each alone; secrets stay out of the output',
  { skip: missing.length && !ci ? `missing ${missing.join(', ')}` : false },
  async () => {
    assert.deepEqual(missing, [], `CI=true but missing ${missing.join(', ')}`);
    const azurite = await startAzurite();
    const sshd = await startSshd();
    const work = await mkdtemp(join(tmpdir(), 'lifeboat-remote-cli-'));
    try {
      const container = `cli-${randomBytes(4).toString('hex')}`;
      await BlobServiceClient.fromConnectionString(azurite.connectionString).createContainer(
        container,
      );
      const src = join(work, 'src');
      await mkdir(join(src, 'sub'), { recursive: true });
      const big = randomBytes(3 * 1024 * 1024);
      await writeFile(join(src, 'a.txt'), 'hello azure and sftp\n');
      await writeFile(join(src, 'sub', 'b.bin'), big);

      const azblob = `azblob://${container}/lifeboat`;
      const sftp = `sftp://${sshd.user}@127.0.0.1:${sshd.port}${sshd.dataDir}/lifeboat`;
      const env = {
        AZURE_STORAGE_ACCOUNT: DEV_ACCOUNT,
        AZURE_STORAGE_KEY: DEV_KEY,
        LIFEBOAT_SFTP_PRIVATE_KEY: sshd.userKey,
      };
      const remote = [
        '--azure-endpoint',
        azurite.endpoint,
        '--sftp-host-fingerprint',
        sshd.hostFingerprint,
      ];

      const backup = await runCli(
        [
          'backup',
          '--source',
          `files=dir:${src}`,
          '--name',
          'site',
          '--destination',
          `${azblob}\n${sftp}`,
          ...remote,
          '--json',
        ],
        env,
      );
      assert.equal(backup.code, 0, backup.stderr);
      const id = jsonOf(backup).outputs['backup-id'];
      assert.ok(id);
      const keyLine = sshd.userKey.split('\n')[1]!;
      for (const text of [backup.stdout, backup.stderr]) {
        assert.equal(text.includes(DEV_KEY), false, 'account key leaked');
        assert.equal(text.includes(keyLine), false, 'private key leaked');
      }

      for (const destination of [azblob, sftp]) {
        const list = await runCli(
          ['list', '--name', 'site', '--destination', destination, ...remote],
          env,
        );
        assert.equal(list.code, 0, list.stderr);
        assert.match(list.stdout, new RegExp(id));

        const target = join(work, `restore-${destination.split(':')[0]}`);
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
          env,
        );
        assert.equal(restore.code, 0, restore.stderr);
        assert.equal(await readFile(join(target, 'a.txt'), 'utf8'), 'hello azure and sftp\n');
        assert.ok((await readFile(join(target, 'sub', 'b.bin'))).equals(big));
      }
    } finally {
      await sshd.stop();
      await azurite.stop();
      await rm(work, { recursive: true, force: true });
    }
  },
);
