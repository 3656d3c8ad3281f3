import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cliSyntax } from '../../src/cli/args.ts';
import { renderOptionRefs } from '../../src/core/option-ref.ts';
import { runAction, type ActionRun } from '../helpers/action-harness.ts';
import { runCli } from '../helpers/cli.ts';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver.ts';
import { unavailable } from '../helpers/services.ts';

const ACTION = resolve('dist/index.js');
const show = (r: ActionRun) => `exit ${r.code}\n${r.log}`;

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-hints-'));
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'data', 'a.txt'), 'alpha\n');
  return dir;
}

const started = await startS3rver();
const s3: S3rverHandle | undefined = 'unavailable' in started ? undefined : started;
const s3Skip = s3 ? false : (started as { unavailable: string }).unavailable;
if (!s3) unavailable(String(s3Skip));

/** A fan-out backup where the S3 destination's bucket does not exist; the file: one works. */
function missingBucketInputs(dir: string) {
  return {
    source: `dir:${join(dir, 'data')}`,
    destination: `file:${join(dir, 'backups')}\ns3://no-such-bucket-${Date.now()}/x`,
    's3-endpoint': s3!.endpoint,
    's3-force-path-style': 'true',
    's3-region': 'us-east-1',
  };
}

describe('hints and engine log lines name options in the face’s syntax', () => {
  after(() => s3?.close());

  test('the hints reported in review render as flags in the CLI and as inputs in the action', () => {
    const hints = [
      "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
      'set {{option:expected-size}} (e.g. {{option:expected-size=200GB}}) so larger parts are used',
      'or set {{option:pg-bin}} to a folder holding both',
      'set {{option:artifact-repository=owner/repo}}',
      'pass its known_hosts line as {{option:sftp-known-hosts}}',
      "set {{option:sftp-private-key-passphrase}} (from a secret) to the key's passphrase",
    ];
    const cli = hints.map((h) => renderOptionRefs(h, cliSyntax));
    assert.deepEqual(cli, [
      "set the cron line(s) your backups follow, e.g. --schedule '0 3 * * *'",
      'set --expected-size (e.g. --expected-size 200GB) so larger parts are used',
      'or set --pg-bin to a folder holding both',
      'set --artifact-repository owner/repo',
      'pass its known_hosts line as --sftp-known-hosts',
      "set LIFEBOAT_SFTP_PRIVATE_KEY_PASSPHRASE (from a secret) to the key's passphrase",
    ]);
    const action = hints.map((h) => renderOptionRefs(h));
    assert.deepEqual(action, [
      "set the cron line(s) your backups follow, e.g. schedule: '0 3 * * *'",
      'set the expected-size input (e.g. expected-size: 200GB) so larger parts are used',
      'or set the pg-bin input to a folder holding both',
      'set artifact-repository: owner/repo',
      'pass its known_hosts line as the sftp-known-hosts input',
      "set the sftp-private-key-passphrase input (from a secret) to the key's passphrase",
    ]);
  });

  test('CLI: status without a schedule says --schedule, exit 2', async () => {
    const dir = await workspace();
    try {
      const r = await runCli(['status', '--destination', `file:${join(dir, 'b')}`, '--name', 'x']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /fix: set the cron line\(s\) your backups follow, e\.g\. --schedule '0 3 \* \* \*'/,
      );
      assert.doesNotMatch(r.stderr, /\{\{option|schedule: '/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test(
    'CLI: an S3 destination without its bucket fails the run; the engine’s own line says --s3-endpoint',
    { skip: s3Skip },
    async () => {
      const dir = await workspace();
      try {
        const inputs = missingBucketInputs(dir);
        const r = await runCli(
          [
            'backup',
            ...Object.entries(inputs).flatMap(([k, v]) =>
              k === 'destination'
                ? v.split('\n').flatMap((d) => ['--destination', d])
                : [`--${k}`, v],
            ),
          ],
          s3!.env,
        );
        assert.equal(r.code, 1, r.stderr);
        const engineLine = r.stderr
          .split('\n')
          .find((l) =>
            /^Destination s3:\/\/no-such-bucket-\S+ (failed|cannot be written): /.test(l),
          );
        assert.ok(engineLine, r.stderr);
        assert.match(r.stderr, /check the bucket name, --s3-endpoint and --s3-region/);
        assert.doesNotMatch(r.stderr, /\{\{option|the s3-endpoint input/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  describe(
    'the action',
    { skip: !existsSync(ACTION) && 'dist/index.js not built (npm run build)' },
    () => {
      let dir: string;
      before(async () => (dir = await workspace()));
      after(() => rm(dir, { recursive: true, force: true }));

      test(
        'an S3 destination without its bucket: the engine’s line says the s3-endpoint input',
        { skip: s3Skip },
        async () => {
          const r = await runAction({
            workspace: dir,
            inputs: missingBucketInputs(dir),
            env: s3!.env as Record<string, string>,
          });
          assert.equal(r.code, 1, show(r));
          assert.equal(r.outputs['error-kind'], 'operational');
          assert.match(
            r.log,
            /check the bucket name, the s3-endpoint input and the s3-region input/,
          );
          assert.doesNotMatch(r.log, /\{\{option|--s3-endpoint/);
        },
      );

      test('status without a schedule says schedule: in workflow syntax', async () => {
        const r = await runAction({
          workspace: dir,
          inputs: { command: 'status', destination: 'file:./backups', name: 'x' },
        });
        assert.equal(r.code, 1, show(r));
        assert.equal(r.outputs['error-kind'], 'config');
        assert.match(r.log, /schedule: '0 3 \* \* \*'/);
        assert.doesNotMatch(r.log, /\{\{option|--schedule/);
      });
    },
  );
});
