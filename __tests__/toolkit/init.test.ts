// `lifeboat init` writes caller workflows that pass the validators, call the reusable workflows
// with inputs and secrets they declare, and work: the generated backup backs up, the generated
// restore refuses a wrong confirmation. It never overwrites without --force.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parse } from 'yaml';
import { initWorkflows, randomMinute } from '../../src/cli/init.ts';
import { main, type CliIo } from '../../src/cli/main.ts';
import { sourceActionYml, type SourceAction } from '../helpers/source-action.ts';
import { calledWorkflow, runJob } from '../helpers/workflow-runner.ts';
import { parseYaml, staleActionProblems, workflowProblems } from '../validation/yaml-checks.ts';

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(cwd: string, argv: string[], extra: Partial<CliIo> = {}): Promise<Cli> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    cwd,
    ...extra,
  });
  return { code, stdout, stderr };
}

const FILES = [
  'lifeboat-backup.yml',
  'lifeboat-drill.yml',
  'lifeboat-restore.yml',
  'lifeboat-status.yml',
];
const GITHUB = {
  repository: 'lifeboat-test/app',
  ref: 'refs/heads/main',
  event: { repository: { fork: false, default_branch: 'main' } },
};

let dir: string;
let action: SourceAction;
before(async () => {
  action = await sourceActionYml();
});
after(async () => action.dispose());

async function fresh(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'toolkit-init-'));
  return dir;
}

async function workflows(cwd: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await readdir(join(cwd, '.github/workflows'))) {
    out[f] = await readFile(join(cwd, '.github/workflows', f), 'utf8');
  }
  return out;
}

describe('lifeboat init', () => {
  for (const [label, args, secrets] of [
    [
      'PostgreSQL to S3',
      ['--source', 'postgres://app@db.example.com/app', '--destination', 's3://backups/app'],
      ['PGPASSWORD', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    ],
    [
      'MariaDB to Azure',
      [
        '--source',
        'mariadb://shop@db/shop',
        '--destination',
        'azblob://backups/shop',
        '--name',
        'shop',
      ],
      ['MYSQL_PWD', 'AZURE_STORAGE_CONNECTION_STRING'],
    ],
    [
      'two named sources to SFTP and GCS',
      [
        '--source',
        'db=postgres://app@db/app',
        '--source',
        'files=dir:uploads',
        '--destination',
        'sftp://backup@host/srv',
        '--destination',
        'gs://bucket/app',
        '--name',
        'app',
      ],
      ['PGPASSWORD', 'SFTP_PRIVATE_KEY', 'GOOGLE_HMAC_ACCESS_KEY_ID', 'GOOGLE_HMAC_SECRET'],
    ],
    ['SQLite to artifacts', ['--source', 'sqlite:app.db', '--destination', 'artifact:'], []],
    [
      'PostgreSQL with its Qdrant vectors to S3',
      [
        '--source',
        'app=postgres://app@db/app',
        '--source',
        'vectors=qdrant://qdrant.example.com:6333/docs',
        '--destination',
        's3://backups/app',
      ],
      ['PGPASSWORD', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    ],
  ] as const) {
    test(`${label}: four workflows that pass the schema and actionlint, and list the secrets`, async () => {
      const cwd = await fresh();
      try {
        const r = await cli(cwd, ['init', ...args]);
        assert.equal(r.code, 0, r.stderr);
        const written = await workflows(cwd);
        assert.deepEqual(Object.keys(written).sort(), FILES);
        for (const [file, text] of Object.entries(written)) {
          const parsed = parseYaml(text);
          assert.deepEqual(parsed.problems, [], file);
          assert.deepEqual(
            [...(await workflowProblems(text, file)), ...staleActionProblems(text)],
            [],
            `${file}\n${text}`,
          );
          const doc = parsed.value as { jobs: Record<string, unknown> };
          // Inputs and secrets the reusable workflow declares (calledWorkflow throws otherwise).
          const called = await calledWorkflow(doc, Object.keys(doc.jobs)[0]!, {
            inputs: {
              backup: 'latest',
              target: 'x',
              confirm: 'x',
              overwrite: false,
              'confirm-overwrite': '',
            },
            secrets: Object.fromEntries(secrets.map((s) => [s, `value-of-${s}`])),
          });
          assert.ok(called.inputs['name'] ?? called.inputs['sets']);
          assert.doesNotMatch(text, /secrets: inherit/);
        }
        for (const s of secrets) {
          assert.match(r.stdout, new RegExp(`^  ${s}$`, 'm'));
          assert.match(
            written['lifeboat-backup.yml']!,
            new RegExp(`${s}: \\$\\{\\{ secrets\\.${s} \\}\\}`),
          );
        }
        if (!secrets.length) assert.match(r.stdout, /No repository secrets needed/);
        assert.match(r.stdout, /Create the environment 'lifeboat-restore'/);
      } finally {
        await rm(cwd, { recursive: true, force: true });
      }
    });
  }

  test('vector sources get a spare Qdrant or Chroma server in the drill, targeted by name', async () => {
    const cwd = await fresh();
    try {
      const r = await cli(cwd, [
        'init',
        '--source',
        'app=postgres://app@db/app',
        '--source',
        'vectors=qdrant://qdrant.example.com:6333/docs',
        '--source',
        'emb=chroma://chroma.example.com:8000',
        '--destination',
        's3://backups/app',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const drill = parse((await workflows(cwd))['lifeboat-drill.yml']!) as {
        jobs: { drill: { with: Record<string, string> } };
      };
      const w = drill.jobs.drill.with;
      assert.equal(w['qdrant-image'], 'qdrant/qdrant:v1.15.1');
      assert.equal(w['chroma-image'], 'chromadb/chroma:1.0.20');
      assert.deepEqual(w['target']!.split('\n').slice(1), [
        'vectors=qdrant://localhost:6333',
        'emb=chroma://localhost:8000',
      ]);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  test('the backup runs at a random minute of the chosen hour, never on a quarter hour; the drill weekly', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(randomMinute());
    assert.ok([...seen].every((m) => m >= 1 && m <= 59 && m % 15 !== 0));
    assert.ok(seen.size > 20, 'spread over the hour');
    const files = initWorkflows(
      {
        name: 'app',
        sources: ['sqlite:app.db'],
        destinations: ['file:b'],
        keepDaily: '7',
        keepWeekly: '4',
        keepMonthly: '6',
        hour: 4,
        environment: 'prod-restore',
        uses: 'me/lifeboat@v2',
      },
      () => 0.5,
    );
    const backup = parse(files[0]!.text) as {
      on: { schedule: Array<{ cron: string }> };
      jobs: { backup: { uses: string } };
    };
    assert.match(backup.on.schedule[0]!.cron, /^(\d+) 4 \* \* \*$/);
    assert.equal(backup.jobs.backup.uses, 'me/lifeboat/.github/workflows/backup.yml@v2');
    const drill = parse(files[2]!.text) as { on: { schedule: Array<{ cron: string }> } };
    assert.match(drill.on.schedule[0]!.cron, /^\d+ 5 \* \* 1$/);
    assert.match(files[1]!.text, /environment: prod-restore/);
    // The watchdog checks the backup's schedule (not its own), may open issues, stays alive.
    const status = parse(files[3]!.text) as {
      on: { schedule: Array<{ cron: string }> };
      permissions: Record<string, string>;
      jobs: { status: { uses: string; with: Record<string, unknown> } };
    };
    assert.match(status.on.schedule[0]!.cron, /^\d+ \*\/6 \* \* \*$/);
    assert.deepEqual(status.permissions, { contents: 'read', actions: 'write', issues: 'write' });
    assert.equal(status.jobs.status.uses, 'me/lifeboat/.github/workflows/status.yml@v2');
    assert.deepEqual(status.jobs.status.with, {
      sets: 'app',
      destination: 'file:b',
      schedule: backup.on.schedule[0]!.cron,
      'keep-alive': true,
    });
  });

  test('never overwrites without --force: nothing written, the edited file kept; --force replaces', async () => {
    const cwd = await fresh();
    try {
      const args = ['init', '--source', 'sqlite:app.db', '--destination', 'file:backups'];
      assert.equal((await cli(cwd, args)).code, 0);
      const mine = join(cwd, '.github/workflows/lifeboat-restore.yml');
      await writeFile(mine, '# my edits\n');
      await rm(join(cwd, '.github/workflows/lifeboat-backup.yml'));
      const refused = await cli(cwd, args);
      assert.equal(refused.code, 2);
      assert.match(
        refused.stderr,
        /lifeboat-restore\.yml, .*lifeboat-drill\.yml, .*lifeboat-status\.yml already exist; nothing was written/,
      );
      assert.match(refused.stderr, /--force/);
      assert.equal(await readFile(mine, 'utf8'), '# my edits\n');
      assert.ok(
        !existsSync(join(cwd, '.github/workflows/lifeboat-backup.yml')),
        'not even the missing one',
      );
      const forced = await cli(cwd, [...args, '--force']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(
        await readFile(mine, 'utf8'),
        /uses: lifeboat-backup\/lifeboat\/\.github\/workflows\/restore\.yml@v1/,
      );
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  test('bad input: a password in the URL, an unknown scheme, a typo, a missing flag: exit 2, nothing written', async () => {
    const cwd = await fresh();
    try {
      const cases: Array<[string[], RegExp]> = [
        [
          ['--source', 'postgres://app:s3cret@db/app', '--destination', 's3://b/p'],
          /has a password in it[\s\S]*repository secret \(PGPASSWORD/,
        ],
        [
          ['--source', 'oracle://db/app', '--destination', 's3://b/p'],
          /is not a source URL[\s\S]*sqlite:/,
        ],
        [['--source', 'sqlite:a.db', '--destination', 'ftp://x/y'], /is not a storage URL/],
        [
          ['--source', 'sqlite:a.db', '--destinaton', 's3://b/p'],
          /unknown option '--destinaton' for init[\s\S]*did you mean --destination\?/,
        ],
        [['--source', 'sqlite:a.db'], /init needs --destination/],
        [
          ['--source', 'postgres://a@db/a', '--source', 'dir:x', '--destination', 's3://b/p'],
          /with several sources, name each one/,
        ],
      ];
      for (const [args, message] of cases) {
        const r = await cli(cwd, ['init', ...args]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /s3cret/);
      }
      assert.ok(!existsSync(join(cwd, '.github')));
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  test('on a terminal it asks for what the flags did not give', async () => {
    const cwd = await fresh();
    try {
      const questions: string[] = [];
      const answers = ['postgres://app@db/app', 's3://backups/app', 'billing'];
      const r = await cli(cwd, ['init'], {
        prompt: async (q) => (questions.push(q), answers.shift()!),
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(questions.length, 3);
      assert.match((await workflows(cwd))['lifeboat-backup.yml']!, /name: billing/);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  test('the generated workflows work: the backup backs up, the restore refuses a wrong confirmation and restores with the right one', async () => {
    const cwd = await fresh();
    try {
      const db = new DatabaseSync(join(cwd, 'app.db'));
      db.exec("CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('x'),('y');");
      db.close();
      assert.equal(
        (
          await cli(cwd, [
            'init',
            '--source',
            'sqlite:app.db',
            '--destination',
            'file:./backups',
            '--name',
            'toolkit_init',
          ])
        ).code,
        0,
      );
      const written = await workflows(cwd);
      const opts = {
        workspace: cwd,
        actionYml: action.actionYml,
        env: { GITHUB_API_URL: 'http://127.0.0.1:9' },
      };

      const backupCaller = parse(written['lifeboat-backup.yml']!) as Record<string, unknown>;
      const b = await calledWorkflow(backupCaller, 'backup', { github: GITHUB });
      const backup = await runJob(
        b.workflow,
        'backup',
        { inputs: b.inputs, secrets: b.secrets, github: GITHUB },
        opts,
      );
      assert.equal(backup.result, 'success', backup.steps.map((s) => s.log).join('\n'));
      assert.equal(backup.outputs['verified'], 'true');

      const restoreCaller = parse(written['lifeboat-restore.yml']!) as Record<string, unknown>;
      const dispatch = (confirm: string) => ({
        backup: 'latest',
        target: 'sqlite:restored.db',
        confirm,
        overwrite: false,
        'confirm-overwrite': '',
      });
      const wrong = await calledWorkflow(restoreCaller, 'restore', {
        inputs: dispatch('restore app latest to sqlite:restored.db'),
        github: GITHUB,
      });
      const refused = await runJob(
        wrong.workflow,
        'plan',
        { inputs: wrong.inputs, secrets: wrong.secrets, github: GITHUB },
        opts,
      );
      assert.equal(refused.result, 'failure');
      assert.match(refused.summary, /Restore refused/);
      assert.ok(!existsSync(join(cwd, 'restored.db')));

      const right = await calledWorkflow(restoreCaller, 'restore', {
        inputs: dispatch('restore toolkit_init latest to sqlite:restored.db'),
        github: GITHUB,
      });
      const plan = await runJob(
        right.workflow,
        'plan',
        { inputs: right.inputs, secrets: right.secrets, github: GITHUB },
        opts,
      );
      assert.equal(plan.result, 'success', plan.steps.map((s) => s.log).join('\n'));
      const restore = await runJob(
        right.workflow,
        'restore',
        {
          inputs: right.inputs,
          secrets: right.secrets,
          github: GITHUB,
          needs: { plan: { outputs: plan.outputs } },
        },
        opts,
      );
      assert.equal(restore.result, 'success', restore.steps.map((s) => s.log).join('\n'));
      assert.equal(restore.outputs['backup-id'], backup.outputs['backup-id']);
      assert.ok(existsSync(join(cwd, 'restored.db')));
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
