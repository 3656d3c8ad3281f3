// The reusable workflows of .github/workflows, run job by job with the inputs and secrets a
// caller passes: Lifeboat steps through the action harness (from the source), the guard and
// plan scripts in bash. (Schema and actionlint checks of the same files: __tests__/validation.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startGitHubRest } from '../helpers/github-rest.ts';
import { startRecordingServer } from '../notify/helpers.ts';
import { sourceActionYml, type SourceAction } from '../helpers/source-action.ts';
import {
  callInputs,
  callSecrets,
  loadWorkflow,
  runJob,
  type Contexts,
  type JobResult,
} from '../helpers/workflow-runner.ts';

const backupYml = await loadWorkflow('.github/workflows/backup.yml');
const restoreYml = await loadWorkflow('.github/workflows/restore.yml');
const drillYml = await loadWorkflow('.github/workflows/drill.yml');
const statusYml = await loadWorkflow('.github/workflows/status.yml');
const dashboardYml = await loadWorkflow('.github/workflows/dashboard.yml');

const GITHUB = {
  repository: 'lifeboat-test/app',
  ref: 'refs/heads/main',
  event: { repository: { fork: false, default_branch: 'main' } },
};

let action: SourceAction;
let dir: string;
before(async () => {
  action = await sourceActionYml();
  dir = await mkdtemp(join(tmpdir(), 'toolkit-workflows-'));
  const db = new DatabaseSync(join(dir, 'app.db'));
  db.exec(
    "CREATE TABLE orders(id INTEGER PRIMARY KEY, note TEXT); INSERT INTO orders(note) VALUES ('a'),('b'),('c');",
  );
  db.close();
});
after(async () => {
  await action.dispose();
  await rm(dir, { recursive: true, force: true });
});

const run = (workflow: Record<string, unknown>, job: string, contexts: Contexts) =>
  runJob(
    workflow,
    job,
    { github: GITHUB, ...contexts },
    { workspace: dir, actionYml: action.actionYml },
  );

const show = (r: JobResult) =>
  r.steps.map((s) => `--- ${s.name}: ${s.outcome}\n${s.log}`).join('\n') +
  `\n--- summary\n${r.summary}`;

const rows = (file: string) => {
  const db = new DatabaseSync(file);
  try {
    return (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

async function backup(): Promise<string> {
  const r = await run(backupYml, 'backup', {
    inputs: callInputs(backupYml, {
      name: 'toolkit_app',
      source: 'sqlite:app.db',
      destination: 'file:./backups',
      'keep-last': '5',
      schedule: '0 3 * * *',
    }),
    secrets: callSecrets(backupYml, {}),
  });
  assert.equal(r.result, 'success', show(r));
  return r.outputs['backup-id']!;
}

describe('backup.yml', () => {
  test('backs up the set and surfaces the outputs as job (and workflow) outputs', async () => {
    const id = await backup();
    assert.match(id, /^\d{8}T\d{6}Z-[a-z2-7]{6}$/);
    const files = await readdir(join(dir, 'backups', 'toolkit_app'));
    assert.ok(files.includes(`${id}.manifest.json`), files.join());
    const on = backupYml['on'] as { workflow_call: { outputs: Record<string, { value: string }> } };
    for (const name of ['backup-id', 'location', 'size', 'sha256', 'verified', 'error-kind']) {
      assert.equal(on.workflow_call.outputs[name]?.value, `\${{ jobs.backup.outputs.${name} }}`);
    }
  });

  test('retention runs after each good backup: with keep-last 1 only the newest stays', async () => {
    const inputs = callInputs(backupYml, {
      name: 'toolkit_retained',
      source: 'sqlite:app.db',
      destination: 'file:./backups',
      'keep-last': '1',
    });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await run(backupYml, 'backup', { inputs, secrets: {} });
      assert.equal(r.result, 'success', show(r));
      assert.equal(r.steps[1]!.outputs['kept'], '1');
      ids.push(r.outputs['backup-id']!);
    }
    const left = (await readdir(join(dir, 'backups', 'toolkit_retained'))).filter((f) =>
      f.endsWith('.manifest.json'),
    );
    assert.deepEqual(left, [`${ids[1]}.manifest.json`]);
  });

  test('the SOURCE secret wins over the source input; a bad source fails the job with error-kind config', async () => {
    const r = await run(backupYml, 'backup', {
      inputs: callInputs(backupYml, {
        name: 'toolkit_bad',
        source: 'sqlite:app.db',
        destination: 'file:./backups',
      }),
      secrets: callSecrets(backupYml, { SOURCE: 'nope://x' }),
    });
    assert.equal(r.result, 'failure', show(r));
    assert.equal(r.steps[1]!.inputs!['source'], 'nope://x');
    assert.equal(r.outputs['error-kind'], 'config');
    assert.ok(!existsSync(join(dir, 'backups', 'toolkit_bad')));
  });

  test('one concurrency group per set, queued not cancelled; contents read, actions write (keep-alive, artifact retention)', () => {
    const job = (backupYml['jobs'] as Record<string, { concurrency: object }>)['backup']!;
    assert.deepEqual(job.concurrency, {
      group: 'lifeboat-${{ github.repository }}-${{ inputs.name }}',
      'cancel-in-progress': false,
    });
    assert.deepEqual(backupYml['permissions'], { contents: 'read', actions: 'write' });
  });
});

describe('restore.yml: the guarded restore', () => {
  let id: string;
  before(async () => {
    id = await backup();
  });

  const plan = (given: Record<string, string | boolean>, github: object = GITHUB) =>
    run(restoreYml, 'plan', {
      inputs: callInputs(restoreYml, {
        name: 'toolkit_app',
        destination: 'file:./backups',
        ...given,
      }),
      secrets: {},
      github: github as Contexts['github'],
    });

  test('a wrong confirmation is refused: nothing listed, nothing planned, nothing restored', async () => {
    const r = await plan({
      target: 'sqlite:restored-wrong.db',
      confirm: 'restore toolkit_app latest',
    });
    assert.equal(r.result, 'failure', show(r));
    assert.deepEqual(
      r.steps.map((s) => s.outcome),
      ['failure', 'skipped', 'skipped'],
    );
    assert.match(
      r.steps[0]!.log,
      /Restore refused::the confirmation does not match\. Type exactly: restore toolkit_app latest to sqlite:restored-wrong\.db/,
    );
    assert.match(r.summary, /Restore refused/);
    assert.equal(r.outputs['backup-id'], '');
    assert.ok(!existsSync(join(dir, 'restored-wrong.db')));
  });

  test('the right confirmation plans the restore in the summary, then the restore job restores exactly that backup', async () => {
    const target = 'sqlite:restored.db';
    const r = await plan({ target, confirm: `restore toolkit_app latest to ${target}` });
    assert.equal(r.result, 'success', show(r));
    const latest = r.outputs['backup-id']!;
    assert.ok(latest >= id, `${latest} is the newest backup`);
    assert.match(
      r.summary,
      new RegExp(`\\| Backup \\| \`${latest}\` \\(.*, \\d+ minutes old\\) \\|`),
    );
    assert.match(r.summary, /\| Size \| \d+ bytes \|/);
    assert.match(r.summary, /\| Sources \| sqlite \(sqlite\) \|/);
    assert.match(r.summary, /\| Replaces \| nothing: the target must be new or empty/);
    assert.match(r.summary, /environment `lifeboat-restore`/);
    assert.ok(!existsSync(join(dir, 'restored.db')), 'planning touches nothing');

    const restore = await run(restoreYml, 'restore', {
      inputs: callInputs(restoreYml, {
        name: 'toolkit_app',
        destination: 'file:./backups',
        target,
        confirm: 'x',
      }),
      secrets: {},
      needs: { plan: { outputs: r.outputs } },
    });
    assert.equal(restore.result, 'success', show(restore));
    assert.equal(restore.steps[0]!.inputs!['backup'], latest);
    assert.equal(restore.outputs['backup-id'], latest);
    assert.equal(rows(join(dir, 'restored.db')), 3);
  });

  test('a named backup id is confirmed by id; an unknown id is refused by the plan', async () => {
    const ok = await plan({
      backup: id,
      target: 'sqlite:byid.db',
      confirm: `restore toolkit_app ${id} to sqlite:byid.db`,
    });
    assert.equal(ok.result, 'success', show(ok));
    assert.equal(ok.outputs['backup-id'], id);
    const missing = '20200101T000000Z-aaaaaa';
    const r = await plan({
      backup: missing,
      target: 'sqlite:byid.db',
      confirm: `restore toolkit_app ${missing} to sqlite:byid.db`,
    });
    assert.equal(r.result, 'failure', show(r));
    assert.match(
      r.summary,
      /No usable backup `20200101T000000Z-aaaaaa` of set `toolkit_app`: nothing was restored/,
    );
    assert.equal(r.outputs['backup-id'], '');
  });

  test('overwrite needs the second confirmation; with it, the plan says what is replaced and where the safety backup goes', async () => {
    const target = 'sqlite:app.db';
    const confirm = `restore toolkit_app latest to ${target}`;
    const refused = await plan({ target, confirm, overwrite: true });
    assert.equal(refused.result, 'failure', show(refused));
    assert.match(
      refused.steps[0]!.log,
      /set confirm-overwrite to exactly: overwrite sqlite:app\.db/,
    );
    const wrong = await plan({
      target,
      confirm,
      overwrite: true,
      'confirm-overwrite': 'overwrite sqlite:other.db',
    });
    assert.equal(wrong.result, 'failure', show(wrong));

    const r = await plan({
      target,
      confirm,
      overwrite: true,
      'confirm-overwrite': `overwrite ${target}`,
    });
    assert.equal(r.result, 'success', show(r));
    assert.match(
      r.summary,
      /\| Replaces \| yes: the files at the target are replaced; the previous ones are kept until/,
    );
    const restore = await run(restoreYml, 'restore', {
      inputs: callInputs(restoreYml, {
        name: 'toolkit_app',
        destination: 'file:./backups',
        target,
        confirm,
        overwrite: true,
      }),
      secrets: {},
      needs: { plan: { outputs: r.outputs } },
    });
    assert.equal(restore.result, 'success', show(restore));
    assert.equal(restore.outputs['error-kind'], 'none');
    assert.equal(rows(join(dir, 'app.db')), 3);
  });

  test('overwriting a database target plans a safety backup to the <set>-safety set', async () => {
    const target = 'postgres://postgres@127.0.0.1:5432/toolkit_app';
    const r = await plan({
      target,
      confirm: `restore toolkit_app latest to ${target}`,
      overwrite: true,
      'confirm-overwrite': `overwrite ${target}`,
    });
    assert.equal(r.result, 'success', show(r));
    assert.match(
      r.summary,
      /\| Replaces \| yes: .*after a safety backup of it to set `toolkit_app-safety` at the destination/,
    );
  });

  test('refuses a fork and a non-default branch unless allowed', async () => {
    const target = 'sqlite:guarded.db';
    const confirm = `restore toolkit_app latest to ${target}`;
    const fork = await plan(
      { target, confirm },
      { ...GITHUB, event: { repository: { fork: true, default_branch: 'main' } } },
    );
    assert.equal(fork.result, 'failure');
    assert.match(fork.steps[0]!.log, /this repository is a fork/);
    const branch = await plan({ target, confirm }, { ...GITHUB, ref: 'refs/heads/feature' });
    assert.equal(branch.result, 'failure');
    assert.match(
      branch.steps[0]!.log,
      /run from refs\/heads\/feature, not the default branch main/,
    );
    const allowed = await plan(
      { target, confirm, 'allow-any-branch': true, 'allow-fork': true },
      {
        ...GITHUB,
        ref: 'refs/heads/feature',
        event: { repository: { fork: true, default_branch: 'main' } },
      },
    );
    assert.equal(allowed.result, 'success', show(allowed));
    assert.ok(!existsSync(join(dir, 'guarded.db')));
  });

  test('the restore job tells the NOTIFY webhook how the restore went, success or failure, without logging its URL', async () => {
    const hook = await startRecordingServer();
    try {
      const secretPath = '/hooks/restore-7f3a9c';
      const restore = (target: string, backupId: string) =>
        run(restoreYml, 'restore', {
          inputs: callInputs(restoreYml, {
            name: 'toolkit_app',
            destination: 'file:./backups',
            target,
            confirm: 'x',
          }),
          secrets: callSecrets(restoreYml, { NOTIFY: `${hook.url}${secretPath}` }),
          needs: { plan: { outputs: { 'backup-id': backupId } } },
        });
      const good = await restore('sqlite:notified.db', id);
      assert.equal(good.result, 'success', show(good));
      assert.equal(rows(join(dir, 'notified.db')), 3);
      // The default notify-on for a restore is always: a success is announced too.
      assert.equal(good.steps[0]!.inputs!['notify-on'], 'always');
      assert.equal(hook.requests.length, 1, show(good));
      const ok = JSON.parse(hook.requests[0]!.body) as Record<string, unknown>;
      assert.equal(hook.requests[0]!.url, secretPath);
      assert.deepEqual(
        { event: ok['event'], ok: ok['ok'], command: ok['command'], set: ok['set'] },
        { event: 'lifeboat.run', ok: true, command: 'restore', set: 'toolkit_app' },
      );
      assert.equal(ok['backupId'], id);

      const bad = await restore('sqlite:never.db', '20200101T000000Z-aaaaaa');
      assert.equal(bad.result, 'failure', show(bad));
      assert.ok(!existsSync(join(dir, 'never.db')), 'a failed restore creates no target');
      assert.equal(hook.requests.length, 2, show(bad));
      const failed = JSON.parse(hook.requests[1]!.body) as Record<string, unknown>;
      assert.equal(failed['ok'], false);
      assert.equal(failed['command'], 'restore');
      assert.equal(typeof failed['error'], 'string');
      // `::add-mask::` lines are commands the runner consumes, never shown in the log.
      for (const r of [good, bad]) {
        const shown = show(r)
          .split('\n')
          .filter((l) => !l.trimStart().startsWith('::add-mask::'));
        assert.ok(!shown.some((l) => l.includes(secretPath)), 'the webhook path is never logged');
      }
    } finally {
      await hook.close();
    }
  });

  test('the restore job runs in the named environment, after the plan, on the planned id', () => {
    const jobs = restoreYml['jobs'] as Record<string, Record<string, unknown>>;
    assert.equal(jobs['restore']!['environment'], '${{ inputs.environment }}');
    assert.equal(jobs['restore']!['needs'], 'plan');
    assert.equal(jobs['plan']!['environment'], undefined, 'the plan runs before any approval');
  });
});

describe('drill.yml', () => {
  test('passes the set, the backup and the scratch target to the drill command', async () => {
    const r = await run(drillYml, 'drill', {
      inputs: callInputs(drillYml, { name: 'toolkit_app', destination: 'file:./backups' }),
      secrets: {},
    });
    const step = r.steps[0]!;
    assert.deepEqual(
      {
        command: step.inputs!['command'],
        name: step.inputs!['name'],
        backup: step.inputs!['backup'],
        target: step.inputs!['target'],
      },
      {
        command: 'drill',
        name: 'toolkit_app',
        backup: 'latest',
        target: 'postgres://postgres@localhost:5432/lifeboat_drill',
      },
    );
    // The set is a SQLite backup: the default PostgreSQL scratch server cannot take it, and the
    // drill says so before restoring anything; with no target it drills into a temporary file.
    assert.equal(r.result, 'failure', show(r));
    assert.match(step.log, /a drill of sqlite \(sqlite\) restores into sqlite:<path>/, show(r));
    const own = await run(drillYml, 'drill', {
      inputs: callInputs(drillYml, {
        name: 'toolkit_app',
        destination: 'file:./backups',
        target: '',
        assert: 'files >= 1',
        'max-rto': '1h',
      }),
      secrets: {},
    });
    assert.equal(own.result, 'failure', show(own));
    assert.match(
      own.steps[0]!.log,
      /'files >= 1' is a files assertion, which cannot run against sqlite \(sqlite\)/,
      show(own),
    );
    const good = await run(drillYml, 'drill', {
      inputs: callInputs(drillYml, {
        name: 'toolkit_app',
        destination: 'file:./backups',
        target: '',
        'max-rto': '1h',
      }),
      secrets: {},
    });
    assert.equal(good.result, 'success', show(good));
    assert.equal(good.outputs['error-kind'], 'none');
    assert.equal(good.outputs['drill-ok'], 'true');
    assert.match(good.outputs['rto-ms'] ?? '', /^\d+$/);
    const services = (
      drillYml['jobs'] as Record<string, { services: Record<string, { image: string }> }>
    )['drill']!.services;
    assert.equal(services['postgres']!.image, '${{ inputs.postgres-image }}');
    assert.equal(services['mysql']!.image, '${{ inputs.mysql-image }}');
    assert.equal(services['qdrant']!.image, '${{ inputs.qdrant-image }}');
    assert.equal(services['chroma']!.image, '${{ inputs.chroma-image }}');
    // The consistency lines reach the drill, which checks them against the backup's sources
    // before restoring anything.
    const cons = await run(drillYml, 'drill', {
      inputs: callInputs(drillYml, {
        name: 'toolkit_app',
        destination: 'file:./backups',
        target: '',
        consistency: 'app: SELECT 1 == vectors/docs',
        'consistency-tolerance': '2',
      }),
      secrets: {},
    });
    assert.equal(cons.steps[0]!.inputs!['consistency'], 'app: SELECT 1 == vectors/docs');
    assert.equal(cons.steps[0]!.inputs!['consistency-tolerance'], '2');
    assert.equal(cons.result, 'failure', show(cons));
    assert.match(cons.steps[0]!.log, /names source 'app', which is not among/, show(cons));
  });
});

describe('status.yml', () => {
  test('one job per named set (blank lines and repeats dropped); a fresh set passes, a set without backups fails', async () => {
    await backup();
    const sets = await run(statusYml, 'sets', {
      inputs: callInputs(statusYml, {
        sets: 'toolkit_app\n\n toolkit_none \ntoolkit_app\n',
        destination: 'file:./backups',
      }),
      secrets: {},
    });
    assert.equal(sets.result, 'success', show(sets));
    assert.deepEqual(JSON.parse(sets.outputs['sets']!), ['toolkit_app', 'toolkit_none']);
    const inputs = callInputs(statusYml, {
      sets: 'x',
      destination: 'file:./backups',
      schedule: '0 3 * * *',
    });
    const fresh = await run(statusYml, 'status', {
      inputs,
      secrets: {},
      matrix: { set: 'toolkit_app' },
      needs: { sets: { outputs: sets.outputs } },
    });
    assert.equal(fresh.result, 'success', show(fresh));
    assert.equal(fresh.steps[1]!.outputs['fresh'], 'true');
    const none = await run(statusYml, 'status', {
      inputs,
      secrets: {},
      matrix: { set: 'toolkit_none' },
    });
    assert.equal(none.result, 'failure', show(none));
    assert.notEqual(none.steps[1]!.outputs['fresh'], 'true');
  });

  test('with keep-alive, a quiet public repository gets its calling workflow re-enabled', async () => {
    const token = 'ghs_statusWorkflowToken000000000000000';
    const api = await startGitHubRest(token, GITHUB.repository);
    try {
      api.repository.pushed_at = new Date(Date.now() - 50 * 24 * 3600 * 1000).toISOString();
      const inputs = callInputs(statusYml, {
        sets: 'toolkit_app',
        destination: 'file:./backups',
        schedule: '0 3 * * *',
        'keep-alive': true,
      });
      const r = await runJob(
        statusYml,
        'status',
        {
          inputs,
          secrets: { GITHUB_TOKEN: token },
          matrix: { set: 'toolkit_app' },
          github: GITHUB,
        },
        { workspace: dir, actionYml: action.actionYml, env: { GITHUB_API_URL: api.url } },
      );
      assert.equal(r.result, 'success', show(r));
      assert.equal(r.steps[1]!.inputs!['keep-alive'], 'true');
      assert.deepEqual(
        api.requests.filter((q) => q.method === 'PUT').map((q) => q.path),
        [`/repos/${GITHUB.repository}/actions/workflows/backup.yml/enable`],
      );
      assert.match(r.summary, /re-enabled backup\.yml/);
    } finally {
      await api.close();
    }
  });

  test('a stale set opens one issue through the github-issue notifier, closed once the set is fresh', async () => {
    const token = 'ghs_statusIssueToken0000000000000000000';
    const gh = await startGitHubRest(token, GITHUB.repository);
    try {
      const job = (set: string) =>
        runJob(
          statusYml,
          'status',
          {
            inputs: callInputs(statusYml, {
              sets: set,
              destination: 'file:./backups',
              schedule: '0 3 * * *',
            }),
            secrets: { GITHUB_TOKEN: token },
            matrix: { set },
            github: GITHUB,
          },
          { workspace: dir, actionYml: action.actionYml, env: { GITHUB_API_URL: gh.apiUrl } },
        );
      const stale = await job('toolkit_issue');
      assert.equal(stale.result, 'failure', show(stale));
      assert.equal(stale.steps[1]!.inputs!['notify']!.trim(), 'github-issue');
      assert.equal(gh.issues.length, 1, gh.calls.join('\n'));
      assert.equal(gh.issues[0]!.state, 'open');
      assert.match(gh.issues[0]!.title, /toolkit_issue/);
      await run(backupYml, 'backup', {
        inputs: callInputs(backupYml, {
          name: 'toolkit_issue',
          source: 'sqlite:app.db',
          destination: 'file:./backups',
        }),
        secrets: {},
      });
      const fresh = await job('toolkit_issue');
      assert.equal(fresh.result, 'success', show(fresh));
      assert.equal(gh.issues.length, 1, 'the same issue, not a new one');
      assert.equal(gh.issues[0]!.state, 'closed');
    } finally {
      await gh.close();
    }
  });

  test('an empty sets input fails with a clear annotation', async () => {
    const r = await run(statusYml, 'sets', {
      inputs: callInputs(statusYml, { sets: '\n \n', destination: 'file:./b' }),
      secrets: {},
    });
    assert.equal(r.result, 'failure');
    assert.match(r.steps[0]!.log, /::error title=No sets::the sets input names no backup set/);
  });
});

describe('the dashboard from the reusable workflows', () => {
  test('status.yml with dashboard: true builds the site of every set and uploads it, also when a set is stale', async () => {
    await backup();
    const inputs = callInputs(statusYml, {
      sets: 'toolkit_app',
      destination: 'file:./backups',
      schedule: '0 3 * * *',
      dashboard: true,
    });
    const r = await run(statusYml, 'dashboard', {
      inputs,
      secrets: {},
      needs: { status: { outputs: {}, result: 'failure' } },
    });
    assert.equal(r.result, 'success', show(r));
    assert.equal(r.steps[0]!.inputs!['command'], 'report');
    assert.equal(r.steps[1]!.inputs!['path'], 'lifeboat-dashboard');
    const site = await readdir(join(dir, 'lifeboat-dashboard'));
    assert.ok(site.includes('index.html') && site.includes('catalog.json'), site.join());
    const index = await readFile(join(dir, 'lifeboat-dashboard', 'index.html'), 'utf8');
    assert.match(index, /toolkit_app/);
    const job = (statusYml['jobs'] as Record<string, { if?: string; needs?: string }>)[
      'dashboard'
    ]!;
    assert.deepEqual([job.needs, job.if], ['status', 'always() && inputs.dashboard']);
  });

  test('dashboard.yml builds the site for Pages and deploys it with only the permissions Pages needs', async () => {
    await backup();
    await rm(join(dir, 'lifeboat-dashboard'), { recursive: true, force: true });
    const r = await run(dashboardYml, 'build', {
      inputs: callInputs(dashboardYml, {
        destination: 'file:./backups',
        schedule: '0 3 * * *',
        'backup-workflow': 'backup.yml',
      }),
      secrets: {},
    });
    assert.equal(r.result, 'success', show(r));
    assert.equal(r.outputs['healthy'] !== undefined, true, show(r));
    assert.equal(r.steps[1]!.inputs!['path'], 'lifeboat-dashboard');
    const index = await readFile(join(dir, 'lifeboat-dashboard', 'index.html'), 'utf8');
    assert.match(index, /actions\/workflows\/backup\.yml/);
    assert.deepEqual(dashboardYml['permissions'], {
      contents: 'read',
      pages: 'write',
      'id-token': 'write',
    });
    const deploy = (
      dashboardYml['jobs'] as Record<string, { needs: string; environment: { name: string } }>
    )['deploy']!;
    assert.deepEqual([deploy.needs, deploy.environment.name], ['build', 'github-pages']);
  });

  test('an upload whose folder was never written fails the step, as on GitHub', async () => {
    await rm(join(dir, 'lifeboat-dashboard'), { recursive: true, force: true });
    const r = await run(
      {
        jobs: {
          only: {
            steps: [{ uses: 'actions/upload-artifact@v6', with: { path: 'lifeboat-dashboard' } }],
          },
        },
      },
      'only',
      { inputs: {}, secrets: {} },
    );
    assert.equal(r.result, 'failure');
    assert.match(r.steps[0]!.log, /no files were found at lifeboat-dashboard/);
  });
});
