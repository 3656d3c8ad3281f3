import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { X25519Identity } from '../../src/archive/age/index.ts';
import { ArtifactServiceStandIn, type SimulatedRun } from '../helpers/artifact-service.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { unavailable } from '../helpers/services.ts';

// @actions/core prints workflow commands as strings on stdout; the test runner's protocol is binary.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: unknown, ...rest: never[]) =>
  typeof chunk === 'string'
    ? true
    : writeStdout(chunk as Uint8Array, ...rest)) as typeof process.stdout.write;

const started = await ArtifactServiceStandIn.start();
const service = typeof started === 'string' ? undefined : started;
const skipReason = typeof started === 'string' ? started : undefined;
if (skipReason) unavailable(`Azurite for the artifact service stand-in (${skipReason})`);
after(async () => service?.stop());

function enterRun(run: SimulatedRun): SimulatedRun {
  for (const v of Object.keys(run.env)) delete process.env[v];
  Object.assign(process.env, run.env);
  return run;
}

test(
  'artifact: an encrypted, signed backup is one artifact (archive, .sha256, .sig, index) that a later run lists as signed and restores',
  { skip: skipReason },
  async () => {
    const work = await mkdtemp(join(tmpdir(), 'crypto-artifact-'));
    const prefix = `crypto${process.pid}-`;
    const destination = `artifact:${prefix}`;
    try {
      const dbPath = join(work, 'app.db');
      const db = new DatabaseSync(dbPath);
      db.exec(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hi')",
      );
      db.close();
      const signing = join(work, 'signing');
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', signing]);
      const allowed = `ops ${(await readFile(`${signing}.pub`, 'utf8')).trim()}`;
      const identity = X25519Identity.generate();

      const run = enterRun(service!.newRun());
      const b = await runCli(
        [
          'backup',
          '--json',
          '--source',
          `sqlite:${dbPath}`,
          '--destination',
          destination,
          '--name',
          'app',
          '--age-recipients',
          identity.recipient().fingerprint,
        ],
        { ...run.env, LIFEBOAT_SIGNING_KEY: signing },
      );
      assert.equal(b.code, 0, b.stderr);
      const id = jsonOf(b).outputs['backup-id']!;
      assert.deepEqual(
        service!
          .live()
          .filter((a) => a.name.startsWith(prefix))
          .map((a) => a.name),
        [`${prefix}app-${id}`],
      );

      const later = enterRun(service!.newRun());
      const env = { ...later.env, LIFEBOAT_ALLOWED_SIGNERS: allowed };
      const l = await runCli(['list', '--json', '--destination', destination], env);
      assert.equal(l.code, 0, l.stderr);
      assert.deepEqual(
        (jsonOf(l)['backups'] as Array<{ id: string; signature: string }>).map((x) => [
          x.id,
          x.signature,
        ]),
        [[id, 'signed']],
      );
      const target = join(work, 'restored.db');
      const r = await runCli(
        ['restore', '--destination', destination, '--name', 'app', '--target', `sqlite:${target}`],
        { ...env, LIFEBOAT_AGE_IDENTITY: identity.encode() },
      );
      assert.equal(r.code, 0, r.stderr);
      const restored = new DatabaseSync(target, { readOnly: true });
      assert.deepEqual(
        restored
          .prepare('SELECT body FROM notes')
          .all()
          .map((x) => (x as { body: string }).body),
        ['hi'],
      );
      restored.close();
    } finally {
      await service?.removeArtifacts(prefix);
      await rm(work, { recursive: true, force: true });
    }
  },
);
