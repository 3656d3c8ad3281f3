// Keep-alive: warn from day 45 without repository activity, re-enable the calling workflow with
// keep-alive: true. The action runs as the runner runs it against a GitHub REST stand-in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inactivity, workflowFile } from '../../src/action/keep-alive.ts';
import { runAction, type ActionRun } from '../helpers/action-harness.ts';
import { startGitHubRest, type GitHubRestStandIn } from '../helpers/github-rest.ts';
import { sourceActionYml, type SourceAction } from '../helpers/source-action.ts';

const DAY = 24 * 60 * 60 * 1000;
const TOKEN = 'ghs_keepAliveTestToken0000000000000000';
const REPO = 'lifeboat-test/app';

describe('inactivity (pure)', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  test('public: quiet from day 45, disabled on day 60', () => {
    assert.deepEqual(inactivity(ago(44.9), now, true), {
      days: 44,
      disablesOn: new Date(ago(44.9).getTime() + 60 * DAY),
      due: false,
    });
    assert.equal(inactivity(ago(45), now, true).due, true);
    assert.equal(
      inactivity(ago(59), now, true).disablesOn.toISOString(),
      new Date(now.getTime() + DAY).toISOString(),
    );
  });
  test('private repositories are never disabled for inactivity; a push in the future counts as today', () => {
    assert.equal(inactivity(ago(400), now, false).due, false);
    assert.equal(inactivity(new Date(now.getTime() + DAY), now, true).days, 0);
  });
  test('the workflow file comes from GITHUB_WORKFLOW_REF', () => {
    assert.equal(
      workflowFile('o/r/.github/workflows/lifeboat-backup.yml@refs/heads/main'),
      'lifeboat-backup.yml',
    );
    assert.equal(workflowFile('o/r/.github/workflows/x.yaml@refs/tags/v1'), 'x.yaml');
    assert.equal(workflowFile('o/r/elsewhere/x.yml@main'), undefined);
    assert.equal(workflowFile(undefined), undefined);
  });
});

describe('keep-alive through the action (REST stand-in)', () => {
  let api: GitHubRestStandIn;
  let action: SourceAction;
  let dir: string;
  before(async () => {
    api = await startGitHubRest(TOKEN, REPO);
    action = await sourceActionYml();
    dir = await mkdtemp(join(tmpdir(), 'toolkit-keepalive-'));
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'a.txt'), 'alpha\n');
    const b = await act({ command: 'backup', source: 'dir:data' });
    assert.equal(b.code, 0, b.log);
  });
  after(async () => {
    await api.close();
    await action.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  function act(inputs: Record<string, string>): Promise<ActionRun> {
    api.requests.length = 0;
    return runAction({
      workspace: dir,
      actionYml: action.actionYml,
      inputs: {
        destination: 'file:./backups',
        name: 'toolkit_ka',
        schedule: '0 3 * * *',
        'github-token': TOKEN,
        ...inputs,
      },
      env: { GITHUB_API_URL: api.url },
      github: { repository: REPO },
    });
  }
  const quietFor = (days: number) => {
    api.repository.pushed_at = new Date(Date.now() - days * DAY).toISOString();
  };
  const enables = () => api.requests.filter((r) => r.method === 'PUT').map((r) => r.path);

  test('day 10: status says nothing and enables nothing', async () => {
    quietFor(10);
    const r = await act({ command: 'status' });
    assert.equal(r.code, 0, r.log);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(enables(), []);
    assert.ok(
      r.lines.some((l) => /Repository activity: last push 10 day\(s\) ago/.test(l)),
      r.log,
    );
  });

  test('day 50 without keep-alive: status warns (and the summary says so), enables nothing', async () => {
    quietFor(50);
    const r = await act({ command: 'status' });
    assert.equal(r.code, 0, r.log);
    assert.equal(r.warnings.length, 1, r.log);
    assert.match(
      r.warnings[0]!.message,
      /no push to lifeboat-test\/app for 50 days: GitHub disables the scheduled workflow backup\.yml after 60 .*Set keep-alive: true/,
    );
    assert.match(r.summary, /no push to lifeboat-test\/app for 50 days/);
    assert.deepEqual(enables(), []);
  });

  test('day 50 with keep-alive: status re-enables the calling workflow with the token, never printing it', async () => {
    quietFor(50);
    const r = await act({ command: 'status', 'keep-alive': 'true' });
    assert.equal(r.code, 0, r.log);
    assert.deepEqual(r.warnings, [], r.log);
    assert.deepEqual(enables(), [`/repos/${REPO}/actions/workflows/backup.yml/enable`]);
    assert.ok(api.requests.every((q) => q.authorization === `Bearer ${TOKEN}`));
    assert.match(r.summary, /re-enabled backup\.yml through the API \(keep-alive\)/);
    // Only the mask command carries it (the runner hides it everywhere after that).
    const leaks = r.log
      .split('\n')
      .filter((l) => l.includes(TOKEN) && l !== `::add-mask::${TOKEN}`);
    assert.deepEqual(leaks, []);
    assert.ok(r.masks.includes(TOKEN));
    assert.ok(!r.summary.includes(TOKEN));
  });

  test('without actions: write the re-enable is refused: a warning naming the permission, status still passes', async () => {
    quietFor(50);
    api.writers.delete(TOKEN);
    try {
      const r = await act({ command: 'status', 'keep-alive': 'true' });
      assert.equal(r.code, 0, r.log);
      assert.equal(r.warnings.length, 1, r.log);
      assert.match(
        r.warnings[0]!.message,
        /keep-alive: could not re-enable backup\.yml: HTTP 403 Resource not accessible by integration \(grant the job permissions: actions: write\)/,
      );
    } finally {
      api.writers.add(TOKEN);
    }
  });

  test('a stale set still fails, and the keep-alive still runs', async () => {
    quietFor(50);
    const r = await act({ command: 'status', name: 'toolkit_ka_none', 'keep-alive': 'true' });
    assert.notEqual(r.code, 0, r.log);
    assert.equal(enables().length, 1);
  });

  test('private repository: no warning at day 100', async () => {
    quietFor(100);
    api.repository.private = true;
    api.repository.visibility = 'private';
    try {
      const r = await act({ command: 'status', 'keep-alive': 'true' });
      assert.equal(r.code, 0, r.log);
      assert.deepEqual(r.warnings, []);
      assert.deepEqual(enables(), []);
    } finally {
      api.repository.private = false;
      api.repository.visibility = 'public';
    }
  });

  test('backup: only with keep-alive does it ask the API at all', async () => {
    quietFor(50);
    const plain = await act({ command: 'backup', source: 'dir:data' });
    assert.equal(plain.code, 0, plain.log);
    assert.deepEqual(api.requests, []);
    const kept = await act({ command: 'backup', source: 'dir:data', 'keep-alive': 'true' });
    assert.equal(kept.code, 0, kept.log);
    assert.deepEqual(enables(), [`/repos/${REPO}/actions/workflows/backup.yml/enable`]);
  });

  test('the API unreachable: with keep-alive a warning, the backup stands', async () => {
    const r = await runAction({
      workspace: dir,
      actionYml: action.actionYml,
      inputs: {
        command: 'backup',
        source: 'dir:data',
        destination: 'file:./backups',
        name: 'toolkit_ka',
        'keep-alive': 'true',
        'github-token': TOKEN,
      },
      env: { GITHUB_API_URL: 'http://127.0.0.1:9' },
      github: { repository: REPO },
    });
    assert.equal(r.code, 0, r.log);
    assert.equal(r.warnings.length, 1, r.log);
    assert.match(r.warnings[0]!.message, /keep-alive: could not read the repository/);
  });
});
