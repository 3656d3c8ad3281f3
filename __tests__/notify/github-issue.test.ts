import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { renderSummary } from '../../src/report/summary.ts';
import { fixture, runWith, type Fixture } from './helpers.ts';
import { startGitHubRest, type GitHubRest } from '../helpers/github-rest.ts';

const TOKEN = 'ghs_notify_token_0123456789abcdef';
const REPO = 'acme/shop';
const RUN_URL = 'https://github.com/acme/shop/actions/runs/7';

describe('notify: github-issue', () => {
  let gh: GitHubRest;
  let f: Fixture;
  before(async () => {
    gh = await startGitHubRest(TOKEN, REPO);
    f = await fixture();
  });
  after(async () => {
    await gh.close();
    await f.cleanup();
  });

  const run = (good: boolean, notify = 'github-issue', command = 'backup') =>
    runWith(
      {
        command,
        ...(command === 'backup' && {
          source: good ? `sqlite:${f.db}` : `sqlite:${join(f.dir, 'gone.sqlite')}`,
        }),
        destination: f.store,
        name: 'shop',
        notify,
        'github-token': TOKEN,
      },
      { runUrl: RUN_URL, github: { apiUrl: gh.apiUrl, repository: REPO } },
    );

  test('opens one issue on failure, comments on repeats, closes it on the next success', async () => {
    // A pull request with the same title and label is not the issue (the list endpoint returns both).
    gh.issues.push({
      number: 1,
      title: "Lifeboat: backup of set 'shop' is failing",
      body: '',
      state: 'open',
      state_reason: null,
      labels: [{ name: 'lifeboat' }],
      comments: [],
      pull_request: { url: 'https://api.github.com/repos/acme/shop/pulls/1' },
    });
    const good = await run(true);
    assert.equal(good.error, undefined, String(good.error));
    assert.deepEqual(
      good.report.notifications.map((n) => n.detail),
      ['no open issue in acme/shop'],
    );
    assert.equal(gh.issues.length, 1);

    const first = await run(false);
    assert.ok(first.error);
    assert.equal(gh.issues.length, 2);
    const issue = gh.issues[1]!;
    assert.equal(issue.title, "Lifeboat: backup of set 'shop' is failing");
    assert.deepEqual(issue.labels, [{ name: 'lifeboat' }]);
    assert.equal(issue.state, 'open');
    assert.match(issue.body, /❌ Lifeboat backup of set 'shop' failed \(bad configuration\)/);
    assert.match(issue.body, /Error: .*gone\.sqlite does not exist/);
    assert.match(issue.body, /Fix: check the path/);
    assert.ok(issue.body.includes(`[Open the run](${RUN_URL})`));
    assert.deepEqual(
      first.report.notifications.map((n) => [n.target, n.ok, n.detail]),
      [['GitHub issue (this repository)', true, 'opened issue #2 in acme/shop']],
    );
    assert.match(
      renderSummary(first.report),
      /\| GitHub issue \(this repository\) \| opened issue #2 in acme\/shop \|/,
    );

    const again = await run(false);
    assert.ok(again.error);
    assert.equal(gh.issues.length, 2, 'a repeat comments, it does not open another issue');
    assert.equal(issue.comments.length, 1);
    assert.match(issue.comments[0]!, /^Failed again\./);
    assert.equal(again.report.notifications[0]!.detail, 'commented on issue #2 in acme/shop');

    const fixed = await run(true);
    assert.equal(fixed.error, undefined, String(fixed.error));
    assert.equal(issue.state, 'closed');
    assert.equal(issue.state_reason, 'completed');
    assert.equal(issue.comments.length, 2);
    assert.match(
      issue.comments[1]!,
      /^Succeeded again\.\n\n✅ Lifeboat backup of set 'shop' succeeded/,
    );
    assert.ok(issue.comments[1]!.includes(`backup: ${fixed.report.backupId}`));
    assert.equal(fixed.report.notifications[0]!.detail, 'closed issue #2 in acme/shop');
    // The pull request was never touched.
    assert.equal(gh.issues[0]!.state, 'open');
    assert.equal(gh.issues[0]!.comments.length, 0);

    // A verify of the same set is another issue's business: its success closes nothing.
    const nextFailure = await run(false);
    assert.ok(nextFailure.error);
    assert.equal(gh.issues.length, 3, 'a failure after a close opens a new issue');
    const verify = await run(true, 'github-issue', 'verify');
    assert.equal(verify.error, undefined, String(verify.error));
    assert.equal(gh.issues[2]!.state, 'open');

    for (const r of [good, first, again, fixed, verify]) {
      const all = [...r.logs, r.report.error ?? '', renderSummary(r.report)].join('\n');
      assert.ok(!all.includes(TOKEN));
    }
    for (const i of gh.issues) assert.ok(![i.body, ...i.comments].join('\n').includes(TOKEN));
    // Pinned to the API version it was written for (GitHub would pick its default without).
    assert.ok(gh.requests.length > 0);
    for (const q of gh.requests) assert.equal(q.apiVersion, '2022-11-28', `${q.method} ${q.path}`);
  });

  test('a refused token is a warning naming the answer, and the run keeps its own result', async () => {
    const r = await runWith(
      {
        source: `sqlite:${join(f.dir, 'gone.sqlite')}`,
        destination: f.store,
        name: 'other',
        notify: 'github-issue=acme/shop',
        'github-token': 'ghs_notify_wrong_token_000',
      },
      { github: { apiUrl: gh.apiUrl } },
    );
    assert.equal(r.report.outputs['error-kind'], 'config');
    assert.deepEqual(
      r.report.notifications.map((n) => n.ok),
      [false],
    );
    const warning = r.logs.find((l) =>
      l.startsWith('warning: notification to GitHub issue (acme/shop) failed'),
    );
    assert.ok(warning, r.logs.join('\n'));
    assert.match(warning, /HTTP 401: \{"message":"Bad credentials"/);
    assert.ok(!r.logs.join('\n').includes('ghs_notify_wrong_token_000'));
  });

  test('outside Actions github-issue needs the repository named', async () => {
    const r = await runWith({
      source: `sqlite:${f.db}`,
      destination: f.store,
      notify: 'github-issue',
      'github-token': TOKEN,
    });
    assert.match(
      String((r.error as Error).message),
      /^notify: github-issue does not know the repository outside GitHub Actions/,
    );
    assert.match(String((r.error as { hint?: string }).hint), /github-issue=owner\/repo/);
  });
});
