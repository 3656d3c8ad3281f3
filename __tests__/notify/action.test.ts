// The action face as the runner runs it (the harness, on the TypeScript entry rather than the
// bundle, which the lead rebuilds): the run's URL and GitHub's API reach the notifications
// from the runner's variables, every webhook line is masked, the summary says who was told.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runAction } from '../helpers/action-harness.ts';
import { fixture, startRecordingServer, type Fixture, type RecordingServer } from './helpers.ts';
import { startGitHubRest, type GitHubRest } from '../helpers/github-rest.ts';

const HARNESS_TOKEN = 'ghs_harnessTokenNotARealOne000000000000';
const REPO = 'lifeboat-test/app';

let server: RecordingServer;
let gh: GitHubRest;
let f: Fixture;
let actionYml: string;

before(async () => {
  server = await startRecordingServer();
  gh = await startGitHubRest(HARNESS_TOKEN, REPO);
  f = await fixture();
  actionYml = join(f.dir, 'action.yml');
  const text = await readFile('action.yml', 'utf8');
  const entry = resolve('src/action/index.ts');
  await writeFile(actionYml, text.replace(/main: dist\/index\.js/, `main: ${entry}`));
});
after(async () => {
  await server.close();
  await gh.close();
  await f.cleanup();
});

test('a failed backup in Actions opens an issue, posts to Slack with the run link, and masks both webhook lines', async () => {
  const slackPath = '/services/T1/B1/notify_action_slack_secret';
  const hookPath = '/hook/notify_action_hook_secret';
  const r = await runAction({
    workspace: f.dir,
    actionYml,
    inputs: {
      source: 'sqlite:missing.sqlite',
      destination: f.store,
      name: 'app',
      notify: `slack=${server.url}${slackPath}\n${server.url}${hookPath}\ngithub-issue`,
      'notify-secret': 'notify_action_hmac',
    },
    env: { GITHUB_API_URL: gh.apiUrl, GITHUB_RUN_ID: '4242' },
  });
  assert.equal(r.code, 1, r.log);
  assert.equal(r.outputs['error-kind'], 'config');
  const runUrl = `https://github.com/${REPO}/actions/runs/4242`;
  const slack = server.requests.find((q) => q.url === slackPath);
  assert.ok(slack, r.log);
  assert.ok((JSON.parse(slack.body) as { text: string }).text.includes(`<${runUrl}|Open the run>`));
  const hook = server.requests.find((q) => q.url === hookPath);
  assert.equal((JSON.parse(hook!.body) as { runUrl: string }).runUrl, runUrl);
  assert.equal(gh.issues.length, 1);
  assert.equal(gh.issues[0]!.title, "Lifeboat: backup of set 'app' is failing");
  assert.ok(gh.issues[0]!.body.includes(`[Open the run](${runUrl})`));

  // Each line is registered with the runner as a secret before anything could print it.
  assert.ok(r.masks.includes(`slack=${server.url}${slackPath}`), r.masks.join('\n'));
  assert.ok(r.masks.includes(`${server.url}${hookPath}`));
  assert.ok(r.masks.includes('notify_action_hmac'));
  for (const secret of [
    'notify_action_slack_secret',
    'notify_action_hook_secret',
    'notify_action_hmac',
  ]) {
    assert.ok(!r.lines.join('\n').includes(secret), `${secret} in the log`);
    assert.ok(!r.summary.includes(secret), `${secret} in the summary`);
  }
  assert.match(r.summary, /### Notified/);
  assert.match(
    r.summary,
    /\| GitHub issue \(this repository\) \| opened issue #1 in lifeboat-test\/app \|/,
  );
  assert.match(r.summary, /\| slack \(127\.0\.0\.1:\d+\) \| sent \|/);
});
