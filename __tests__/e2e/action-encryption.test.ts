import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { X25519Identity } from '../../src/archive/age/index.ts';
import { runAction, type ActionRun } from '../helpers/action-harness.ts';

const ACTION = resolve('dist/index.js');
const show = (r: ActionRun) => `exit ${r.code}\n${r.log}`;

describe(
  'the action with encryption and signatures (action.yml → runs.main)',
  { skip: !existsSync(ACTION) && 'dist/index.js not built (npm run build)' },
  () => {
    test('an encrypted, signed backup restores through the action; keys are masked; a wrong key is a config error, a planted backup an integrity error', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'crypto-action-'));
      try {
        await mkdir(join(dir, 'data'), { recursive: true });
        await writeFile(join(dir, 'data', 'customers.csv'), 'id,name\n1,alice\n');
        const signing = join(dir, 'signing');
        spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', signing]);
        const signingKey = await readFile(signing, 'utf8');
        const allowed = `ops ${(await readFile(`${signing}.pub`, 'utf8')).trim()}`;
        const identity = X25519Identity.generate();
        const common = { destination: 'file:./backups' };

        const b = await runAction({
          workspace: dir,
          inputs: {
            ...common,
            source: 'dir:data',
            'age-recipients': identity.recipient().fingerprint,
            'signing-key': signingKey,
          },
        });
        assert.equal(b.code, 0, show(b));
        assert.match(b.outputs['location'] ?? '', /\.tar\.zst\.age$/);
        const keyLine = signingKey.split('\n')[2]!;
        assert.ok(b.masks.includes(signingKey.trim()) || b.masks.some((m) => m.includes(keyLine)));
        assert.ok(!b.lines.some((l) => l.includes(keyLine)), 'the signing key was printed');
        const id = b.outputs['backup-id']!;
        const files = await readdir(join(dir, 'backups', 'data'));
        assert.ok(files.includes(`${id}.sig`), files.join(', '));

        const wrong = await runAction({
          workspace: dir,
          inputs: {
            ...common,
            command: 'restore',
            target: 'dir:restored',
            'age-identity': X25519Identity.generate().encode(),
          },
        });
        assert.equal(wrong.outputs['error-kind'], 'config', show(wrong));
        assert.equal(existsSync(join(dir, 'restored')), false);

        const secret = identity.encode();
        const r = await runAction({
          workspace: dir,
          inputs: {
            ...common,
            command: 'restore',
            target: 'dir:restored',
            'age-identity': secret,
            'allowed-signers': allowed,
          },
        });
        assert.equal(r.code, 0, show(r));
        assert.ok(r.masks.includes(secret), 'the identity was not masked');
        assert.ok(!r.log.split('\n').some((l) => l.includes(secret) && !l.includes('add-mask')));
        assert.equal(
          await readFile(join(dir, 'restored', 'customers.csv'), 'utf8'),
          'id,name\n1,alice\n',
        );

        // A backup planted without the signing key is refused before any target is touched.
        const planted = await runAction({
          workspace: dir,
          inputs: {
            ...common,
            source: 'dir:data',
            'age-recipients': identity.recipient().fingerprint,
          },
        });
        assert.equal(planted.code, 0, show(planted));
        const refused = await runAction({
          workspace: dir,
          inputs: {
            ...common,
            command: 'restore',
            target: 'dir:restored-2',
            'age-identity': secret,
            'allowed-signers': allowed,
          },
        });
        assert.equal(refused.outputs['error-kind'], 'integrity', show(refused));
        assert.equal(existsSync(join(dir, 'restored-2')), false);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
