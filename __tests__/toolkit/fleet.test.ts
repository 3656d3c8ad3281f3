// Fleets: lifeboat.yml → `lifeboat plan` → a strategy.matrix. A three-set config fans out to
// three backup jobs (each run here as GitHub would run the matrix job); config errors name the
// line and the key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { main } from '../../src/cli/main.ts';
import { parseFleetConfig } from '../../src/fleet/config.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { connectOrSkip, LOCAL_POSTGRES } from '../helpers/services.ts';
import { startRecordingServer } from '../notify/helpers.ts';
import { sourceActionYml, type SourceAction } from '../helpers/source-action.ts';
import { calledWorkflow, loadWorkflow, runJob } from '../helpers/workflow-runner.ts';

async function plan(cwd: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['plan', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}

const DB = `toolkit_fleet_${process.pid}`;
let dir: string;
let action: SourceAction;
let noPostgres: string | undefined;
const admin = () => new pg.Client({ ...LOCAL_POSTGRES, database: 'postgres' });
before(async () => {
  action = await sourceActionYml();
  dir = await mkdtemp(join(tmpdir(), 'toolkit-fleet-'));
  const c = await connectOrSkip('PostgreSQL on 127.0.0.1:5432', async () => {
    const client = admin();
    await client.connect();
    return client;
  });
  if (!c) {
    noPostgres = 'PostgreSQL on 127.0.0.1:5432 is not available';
    return;
  }
  await c.query(`DROP DATABASE IF EXISTS ${DB}`);
  await c.query(`CREATE DATABASE ${DB}`);
  await c.end();
  const app = new pg.Client({ ...LOCAL_POSTGRES, database: DB });
  await app.connect();
  await app.query('CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 50) g');
  await app.end();
});
after(async () => {
  if (!noPostgres) {
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${DB}`);
    await c.end();
  }
  await action.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('lifeboat plan', () => {
  test('a three-set config fans out to three matrix jobs, each backing up its own set', async (t) => {
    if (noPostgres) return t.skip(noPostgres);
    const db = new DatabaseSync(join(dir, 'notes.db'));
    db.exec("CREATE TABLE n(v TEXT); INSERT INTO n VALUES ('x');");
    db.close();
    await mkdir(join(dir, 'uploads'));
    await writeFile(join(dir, 'uploads', 'a.txt'), 'a\n');
    await writeFile(
      join(dir, 'lifeboat.yml'),
      [
        'version: 1',
        'defaults:',
        '  destination: file:./backups',
        '  keep-daily: 7',
        "  schedule: '0 3 * * *'",
        '  notify-secret: FLEET_HOOKS',
        'sets:',
        '  toolkit_pg:',
        `    source: postgres://postgres@127.0.0.1:5432/${DB}`,
        '    password-secret: PG_PASSWORD',
        '  toolkit_notes:',
        '    source: sqlite:notes.db',
        '    keep-daily: 30',
        '    notify-on: always',
        '  toolkit_uploads:',
        '    source: dir:uploads',
        '    destination: file:./file-backups',
        '',
      ].join('\n'),
    );
    const r = await plan(dir, []);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1, 'one line, for $GITHUB_OUTPUT');
    const matrix = JSON.parse(r.stdout) as { include: Array<Record<string, string>> };
    assert.deepEqual(
      matrix.include.map((m) => [
        m['set'],
        m['destination'],
        m['keep-daily'],
        m['password-secret'],
      ]),
      [
        ['toolkit_pg', 'file:./backups', '7', 'PG_PASSWORD'],
        ['toolkit_notes', 'file:./backups', '30', ''],
        ['toolkit_uploads', 'file:./file-backups', '7', ''],
      ],
    );
    assert.deepEqual(
      matrix.include.map((m) => [m['notify-secret'], m['notify-on'], m['notify']]),
      [
        ['FLEET_HOOKS', 'failure', ''],
        ['FLEET_HOOKS', 'always', ''],
        ['FLEET_HOOKS', 'failure', ''],
      ],
    );
    // The webhooks reach each set's job from the secret its notify-secret names: the three
    // backups succeed, so only the set that asked for `always` is announced.
    const hooks = await startRecordingServer();
    t.after(() => hooks.close());

    const fleet = await loadWorkflow('examples/fleet/backup-fleet.yml');
    const jobs = fleet['jobs'] as Record<string, { strategy?: { 'fail-fast': boolean } }>;
    assert.equal(jobs['backup']!.strategy!['fail-fast'], false);
    for (const entry of matrix.include) {
      const called = await calledWorkflow(fleet, 'backup', {
        matrix: entry,
        secrets: {
          PG_PASSWORD: '',
          AWS_ACCESS_KEY_ID: 'AKIA',
          AWS_SECRET_ACCESS_KEY: 'x',
          FLEET_HOOKS: `webhook=${hooks.url}/fleet`,
        },
      });
      const job = await runJob(
        called.workflow,
        'backup',
        {
          inputs: called.inputs,
          secrets: called.secrets,
          github: { repository: 'lifeboat-test/app' },
        },
        {
          workspace: dir,
          actionYml: action.actionYml,
          env: { GITHUB_API_URL: 'http://127.0.0.1:9' },
        },
      );
      assert.equal(job.result, 'success', job.steps.map((s) => s.log).join('\n'));
      assert.equal(job.outputs['verified'], 'true');
    }
    assert.deepEqual(
      hooks.requests.map((r) => {
        const body = JSON.parse(r.body) as { set: string; ok: boolean; command: string };
        return [r.url, body.set, body.command, body.ok];
      }),
      [['/fleet', 'toolkit_notes', 'backup', true]],
    );
    assert.deepEqual((await readdir(join(dir, 'backups'))).sort(), ['toolkit_notes', 'toolkit_pg']);
    assert.deepEqual(await readdir(join(dir, 'file-backups')), ['toolkit_uploads']);

    const one = await plan(dir, ['--set', 'toolkit_notes']);
    assert.deepEqual(
      (JSON.parse(one.stdout) as { include: Array<{ set: string }> }).include.map((m) => m.set),
      ['toolkit_notes'],
    );
    const none = await plan(dir, ['--set', 'nope']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no set named nope[\s\S]*toolkit_pg, toolkit_notes, toolkit_uploads/);
  });

  test('the final job runs the report command on the store, whatever the matrix jobs did', async () => {
    const fleet = await loadWorkflow('examples/fleet/backup-fleet.yml');
    const report = (fleet['jobs'] as Record<string, { needs: string; if: string }>)['report']!;
    assert.deepEqual([report.needs, report.if], ['backup', 'always()']);
    const r = await runJob(
      fleet,
      'report',
      { secrets: { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'x' } },
      { workspace: dir, actionYml: action.actionYml },
    );
    const step = r.steps[0]!;
    assert.equal(step.inputs!['command'], 'report');
    assert.equal(step.inputs!['destination'], 's3://acme-backups/prod');
    // The report reads the fleet's store (here unreachable: no S3 behind it, so the step
    // fails as an unreadable destination, after trying, never as a refused command).
    assert.match(step.log, /Read s3:\/\/acme-backups\/prod/, step.log);
    assert.doesNotMatch(step.log, /not available in this release/, step.log);
  });

  test('a missing config: exit 2, says how to write one', async () => {
    const r = await plan(dir, ['--config', 'missing.yml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read missing\.yml/);
    assert.equal(r.stdout, '');
  });
});

describe('lifeboat.yml validation names the line and the key', () => {
  const bad = (text: string): string => {
    try {
      parseFleetConfig(text);
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      return `${err.message}${err.hint ? ` | ${err.hint}` : ''}`;
    }
    assert.fail('no error');
  };
  const base = 'version: 1\ndefaults:\n  destination: s3://b/p\nsets:\n';
  const cases: Array<[string, string, RegExp]> = [
    [
      'a misspelt key',
      `${base}  app:\n    source: sqlite:a.db\n    keep-dayly: 7\n`,
      /^lifeboat\.yml:7: sets\.app\.keep-dayly: unknown key \| did you mean keep-daily\?/,
    ],
    [
      'a set without a source',
      `${base}  app:\n    keep-daily: 7\n`,
      /^lifeboat\.yml:5: sets\.app\.source: missing/,
    ],
    [
      'no destination anywhere',
      'version: 1\nsets:\n  app:\n    source: sqlite:a.db\n',
      /^lifeboat\.yml:3: sets\.app\.destination: missing \| give the set a destination, or put one in defaults/,
    ],
    [
      'a bad cron in defaults',
      `version: 1\ndefaults:\n  destination: s3://b/p\n  schedule: '61 * * * *'\nsets:\n  app:\n    source: sqlite:a.db\n`,
      /^lifeboat\.yml:4: defaults\.schedule: /,
    ],
    [
      'a count that is not a number',
      `${base}  app:\n    source: sqlite:a.db\n    keep-last: many\n`,
      /^lifeboat\.yml:7: sets\.app\.keep-last: 'many' is not a whole number/,
    ],
    [
      'a password in a URL',
      `${base}  app:\n    source: postgres://app:hunter2@db/app\n`,
      /^lifeboat\.yml:6: sets\.app\.source: .*has a password in it/,
    ],
    [
      'an unknown scheme',
      `${base}  app:\n    source: oracle://db/app\n`,
      /^lifeboat\.yml:6: sets\.app\.source: 'oracle:\/\/db\/app' is not a source URL/,
    ],
    [
      'a set named twice',
      `${base}  app:\n    source: sqlite:a.db\n  app:\n    source: sqlite:b.db\n`,
      /^lifeboat\.yml:7: not valid YAML: Map keys must be unique/,
    ],
    ['no version', 'sets:\n  app:\n    source: sqlite:a.db\n', /version: must be 1/],
    [
      'an unknown top-level key',
      `${base}  app:\n    source: sqlite:a.db\nextra: 1\n`,
      /^lifeboat\.yml:7: extra: unknown top-level key/,
    ],
    [
      'a webhook URL written into the committed file',
      `${base}  app:\n    source: sqlite:a.db\n    notify:\n      - github-issue\n      - https://hooks.slack.com/services/T0/B0/hunter2\n`,
      /^lifeboat\.yml:8: sets\.app\.notify: a webhook URL is a secret and this file is committed \| put webhook URLs .* in a repository secret and name it in notify-secret/,
    ],
    [
      'a notify target that is not github-issue',
      `${base}  app:\n    source: sqlite:a.db\n    notify: github-isue\n`,
      /^lifeboat\.yml:7: sets\.app\.notify: 'github-isue' is not github-issue or github-issue=owner\/repo/,
    ],
    [
      'a bad notify-on',
      `${base}  app:\n    source: sqlite:a.db\n    notify-on: sometimes\n`,
      /^lifeboat\.yml:7: sets\.app\.notify-on: 'sometimes' is not failure, always or change/,
    ],
    [
      'a bad notify-secret',
      `${base}  app:\n    source: sqlite:a.db\n    notify-secret: my-hooks\n`,
      /^lifeboat\.yml:7: sets\.app\.notify-secret: 'my-hooks' is not a secret name/,
    ],
    [
      'a bad compression',
      `${base}  app:\n    source: sqlite:a.db\n    compression: lz4\n`,
      /^lifeboat\.yml:7: sets\.app\.compression: 'lz4' is not zstd, gzip or none/,
    ],
  ];
  for (const [label, text, expected] of cases) {
    test(label, () => {
      const message = bad(text);
      assert.match(message, expected);
      assert.doesNotMatch(message, /hunter2/);
    });
  }

  test('the example config is valid', async () => {
    const { readFile } = await import('node:fs/promises');
    const config = parseFleetConfig(await readFile('examples/fleet/lifeboat.yml', 'utf8'));
    assert.deepEqual(
      config.sets.map((s) => s.set),
      ['app', 'billing', 'uploads'],
    );
    // The README shows this file; it must not drift from the one the tests validate.
    const readme = await readFile('README.md', 'utf8');
    assert.ok(readme.includes(await readFile('examples/fleet/lifeboat.yml', 'utf8')));
  });
});
