import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError, ConfigError } from '../../src/core/errors.ts';
import { detectKind } from '../../src/notify/targets.ts';
import { renderSummary } from '../../src/report/summary.ts';
import {
  closedPort,
  fixture,
  runWith,
  startRecordingServer,
  type RecordingServer,
} from './helpers.ts';

const RUN_URL = 'https://github.com/acme/shop/actions/runs/42';
const SECRET = 'notify_hmac_key_0123456789';

/** Everything a person or a log could see of a run. */
function everything(
  r: { logs: string[]; report: { error?: string } },
  server: RecordingServer,
): string {
  return [
    ...r.logs,
    r.report.error ?? '',
    renderSummary(r.report as Parameters<typeof renderSummary>[0]),
    JSON.stringify((r.report as { outputs?: unknown }).outputs ?? {}),
    ...server.requests.map((q) => `${q.url}\n${JSON.stringify(q.headers)}\n${q.body}`),
  ].join('\n');
}

describe('notifications', () => {
  let server: RecordingServer;
  before(async () => {
    server = await startRecordingServer();
  });
  after(async () => {
    await server.close();
  });

  test('a failed backup reaches Slack, Discord, Teams and a signed webhook, each in its own shape, and no secret leaks', async () => {
    const f = await fixture();
    server.requests.length = 0;
    const slackPath = '/services/T000/B000/notify_slack_token_XYZ';
    const discordPath = '/api/webhooks/123/notify_discord_token_XYZ';
    const teamsPath = '/workflows/abc/triggers/manual/paths/invoke?sig=notify_teams_sig_XYZ';
    const hookPath = '/hooks/notify_generic_token_XYZ';
    try {
      const r = await runWith(
        {
          source: `sqlite:${join(f.dir, 'missing.sqlite')}`,
          destination: f.store,
          name: 'shop',
          notify: [
            `slack=${server.url}${slackPath}`,
            `discord=${server.url}${discordPath}`,
            `teams=${server.url}${teamsPath}`,
            `${server.url}${hookPath}`,
          ].join('\n'),
          'notify-secret': SECRET,
        },
        { runUrl: RUN_URL },
      );
      assert.ok(r.error instanceof ConfigError, String(r.error));
      const byPath = new Map(server.requests.map((q) => [q.url, q]));
      assert.equal(server.requests.length, 4);

      const slack = JSON.parse(byPath.get(slackPath)!.body) as { text: string };
      assert.match(
        slack.text,
        /^\*❌ Lifeboat backup of set 'shop' failed \(bad configuration\)\*/,
      );
      assert.match(slack.text, /Error: .*missing\.sqlite does not exist/);
      assert.match(slack.text, /Fix: check the path/);
      // The destination as the user wrote it (file:/x, not a normalised file:///x).
      assert.ok(slack.text.includes(`destination: ${f.store}\n`), slack.text);
      assert.ok(slack.text.includes(`<${RUN_URL}|Open the run>`));
      // No backup was stored: the message names none.
      assert.doesNotMatch(slack.text, /backup: \d{8}T/);

      const discord = JSON.parse(byPath.get(discordPath)!.body) as {
        content: string;
        allowed_mentions: { parse: string[] };
      };
      assert.match(discord.content, /^\*\*❌ Lifeboat backup of set 'shop' failed/);
      assert.ok(discord.content.includes(`[Open the run](${RUN_URL})`));
      assert.deepEqual(discord.allowed_mentions, { parse: [] });
      assert.ok(discord.content.length <= 2000);

      const teams = JSON.parse(byPath.get(teamsPath)!.body) as {
        type: string;
        attachments: Array<{
          contentType: string;
          content: {
            type: string;
            version: string;
            body: Array<{ type: string; text?: string }>;
            actions: Array<{ type: string; url: string }>;
          };
        }>;
      };
      assert.equal(teams.type, 'message');
      assert.equal(teams.attachments[0]!.contentType, 'application/vnd.microsoft.card.adaptive');
      const card = teams.attachments[0]!.content;
      assert.equal(card.type, 'AdaptiveCard');
      assert.equal(
        card.body[0]!.text,
        "❌ Lifeboat backup of set 'shop' failed (bad configuration)",
      );
      assert.ok(card.body.some((b) => b.type === 'FactSet'));
      assert.deepEqual(card.actions[0], {
        type: 'Action.OpenUrl',
        title: 'Open the run',
        url: RUN_URL,
      });

      const hook = byPath.get(hookPath)!;
      const payload = JSON.parse(hook.body) as Record<string, unknown>;
      assert.equal(payload['ok'], false);
      assert.equal(payload['set'], 'shop');
      assert.equal(payload['command'], 'backup');
      assert.equal(payload['errorKind'], 'config');
      assert.equal(payload['runUrl'], RUN_URL);
      assert.match(String(payload['fix']), /check the path/);
      const expected = `sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`;
      assert.equal(hook.headers['x-lifeboat-signature'], expected);
      // Only the generic webhook is signed.
      assert.equal(byPath.get(slackPath)!.headers['x-lifeboat-signature'], undefined);

      for (const q of server.requests) assert.equal(q.headers['content-type'], 'application/json');

      assert.deepEqual(
        r.report.notifications.map((n) => [n.target, n.ok, n.detail]),
        [
          [`slack (${new URL(server.url).host})`, true, 'sent'],
          [`discord (${new URL(server.url).host})`, true, 'sent'],
          [`teams (${new URL(server.url).host})`, true, 'sent'],
          [`webhook (${new URL(server.url).host})`, true, 'sent'],
        ],
      );
      assert.match(
        renderSummary(r.report),
        /### Notified[\s\S]*\| slack \(127\.0\.0\.1:\d+\) \| sent \|/,
      );

      // The webhook URLs' paths and the signing key appear in no log, summary or payload
      // (the recorded request lines are where they belong, so those are left out here).
      const seen = everything(r, {
        ...server,
        requests: server.requests.map((q) => ({ ...q, url: '' })),
      });
      for (const secret of [
        'notify_slack_token_XYZ',
        'notify_discord_token_XYZ',
        'notify_teams_sig_XYZ',
        'notify_generic_token_XYZ',
        SECRET,
      ])
        assert.ok(!seen.includes(secret), `${secret} leaked`);
    } finally {
      await f.cleanup();
    }
  });

  test('notify-on: failure (the default) is silent on success; always sends the success too', async () => {
    const f = await fixture();
    server.requests.length = 0;
    try {
      const quiet = await runWith({
        source: `sqlite:${f.db}`,
        destination: f.store,
        notify: `slack=${server.url}/quiet`,
      });
      assert.equal(quiet.error, undefined, String(quiet.error));
      assert.equal(server.requests.length, 0);
      assert.deepEqual(quiet.report.notifications, []);
      assert.doesNotMatch(renderSummary(quiet.report), /Notified/);

      const loud = await runWith(
        {
          source: `sqlite:${f.db}`,
          destination: f.store,
          notify: `${server.url}/always`,
          'notify-on': 'always',
        },
        { runUrl: RUN_URL },
      );
      assert.equal(loud.error, undefined, String(loud.error));
      assert.equal(server.requests.length, 1);
      const body = JSON.parse(server.requests[0]!.body) as Record<string, unknown>;
      assert.equal(body['ok'], true);
      assert.equal(body['backupId'], loud.report.backupId);
      assert.equal(body['set'], 'app');
      assert.equal(body['error'], null);
      // Without notify-secret nothing is signed.
      assert.equal(server.requests[0]!.headers['x-lifeboat-signature'], undefined);
    } finally {
      await f.cleanup();
    }
  });

  test('a failing or unreachable webhook does not fail a good backup: a warning, the backup stored', async () => {
    const f = await fixture();
    server.requests.length = 0;
    server.answer.set('/broken/notify_broken_token', { status: 500, body: 'internal trouble' });
    server.answer.set('/gone', { status: 404, body: 'no_service' });
    const port = await closedPort();
    try {
      const r = await runWith({
        source: `sqlite:${f.db}`,
        destination: f.store,
        notify: [
          `slack=${server.url}/broken/notify_broken_token`,
          `discord=${server.url}/gone`,
          `http://127.0.0.1:${port}/notify_refused_token`,
        ].join('\n'),
        'notify-on': 'always',
      });
      assert.equal(r.error, undefined, String(r.error));
      assert.equal(r.report.outputs['error-kind'], 'none');
      assert.ok(r.report.backupId);
      const stored = await readdir(join(f.dir, 'store', 'app'));
      assert.ok(stored.includes(`${r.report.backupId}.manifest.json`));
      // A 5xx is retried once; a 4xx is an answer, not retried.
      assert.equal(server.requests.filter((q) => q.url.startsWith('/broken')).length, 2);
      assert.equal(server.requests.filter((q) => q.url === '/gone').length, 1);
      const warnings = r.logs.filter((l) => l.startsWith('warning: notification to'));
      assert.equal(warnings.length, 3, r.logs.join('\n'));
      assert.match(
        warnings[0]!,
        /slack \(127\.0\.0\.1:\d+\) failed: HTTP 500: internal trouble; the run's own result stands/,
      );
      assert.match(warnings[1]!, /discord .* failed: HTTP 404: no_service/);
      assert.match(warnings[2]!, /webhook .* failed: ECONNREFUSED/);
      assert.deepEqual(
        r.report.notifications.map((n) => n.ok),
        [false, false, false],
      );
      const summary = renderSummary(r.report);
      assert.match(summary, /✅ succeeded/);
      assert.match(summary, /\| failed: HTTP 500: internal trouble \|/);
      const all = [...r.logs, summary].join('\n');
      assert.ok(!all.includes('notify_broken_token') && !all.includes('notify_refused_token'));
    } finally {
      server.answer.clear();
      await f.cleanup();
    }
  });

  test("notify-on: change sends only when the result differs from the set's previous run", async () => {
    const f = await fixture();
    server.requests.length = 0;
    const missing = `sqlite:${join(f.dir, 'gone.sqlite')}`;
    const run = (source: string) =>
      runWith({
        source,
        destination: f.store,
        name: 'app',
        notify: `${server.url}/change`,
        'notify-on': 'change',
      });
    const sent = () => server.requests.map((q) => (JSON.parse(q.body) as { ok: boolean }).ok);
    try {
      await run(`sqlite:${f.db}`); // first run, good: nothing to say
      assert.deepEqual(sent(), []);
      await run(`sqlite:${f.db}`);
      assert.deepEqual(sent(), []);
      const broke = await run(missing);
      assert.ok(broke.error);
      assert.deepEqual(sent(), [false]);
      await run(missing); // still broken: already said
      assert.deepEqual(sent(), [false]);
      await run(`sqlite:${f.db}`); // recovered
      assert.deepEqual(sent(), [false, true]);
      await run(`sqlite:${f.db}`);
      assert.deepEqual(sent(), [false, true]);

      // The record lives beside the backups and is no backup: list shows the four good ones.
      const record = JSON.parse(
        await readFile(join(f.dir, 'store', 'app', 'lifeboat-last-run.backup.json'), 'utf8'),
      ) as Record<string, unknown>;
      assert.equal(record['ok'], true);
      assert.equal(record['command'], 'backup');
      const listed = await runWith({ command: 'list', destination: f.store });
      assert.equal(listed.error, undefined, String(listed.error));
      assert.equal(listed.report.backups.length, 4);
      assert.ok(listed.report.backups.every((b) => !b.damaged));
    } finally {
      await f.cleanup();
    }
  });

  test('notify-on: change with no previous record reports a first failure', async () => {
    const f = await fixture();
    server.requests.length = 0;
    try {
      const r = await runWith({
        source: `sqlite:${join(f.dir, 'gone.sqlite')}`,
        destination: f.store,
        notify: `${server.url}/first`,
        'notify-on': 'change',
      });
      assert.ok(r.error);
      assert.equal(server.requests.length, 1);
    } finally {
      await f.cleanup();
    }
  });

  test('bad notify lines are config errors before anything is dumped, and the URL is not echoed', async () => {
    const f = await fixture();
    server.requests.length = 0;
    const cases: Array<[string, RegExp]> = [
      [
        'http://hooks.example.com/notify_plain_http_token',
        /line 1: http:\/\/ would send the webhook's secret in clear/,
      ],
      ['not a url notify_garbage_token', /line 1 is not a URL/],
      [`pager=${server.url}/notify_kind_token`, /line 1: unknown target kind 'pager'/],
      ['github-issue', /github-issue needs a token/],
      ['github-issue=not/a/repo', /'not\/a\/repo' is not a repository/],
    ];
    try {
      for (const [line, message] of cases) {
        const r = await runWith({ source: `sqlite:${f.db}`, destination: f.store, notify: line });
        assert.ok(r.error instanceof ConfigError, `${line}: ${String(r.error)}`);
        assert.match((r.error as Error).message, /^notify: /);
        assert.match((r.error as Error).message, message);
        assert.equal(r.report.outputs['error-kind'], 'config');
        const all = [...r.logs, r.report.error ?? ''].join('\n');
        assert.ok(!/notify_\w+_token/.test(all), all);
      }
      const bad = await runWith({
        source: `sqlite:${f.db}`,
        destination: f.store,
        notify: `${server.url}/x`,
        'notify-on': 'sometimes',
      }).catch((e: unknown) => ({ error: e }));
      assert.ok(bad.error instanceof ConfigError);
      assert.match((bad.error as Error).message, /notify-on: unknown value 'sometimes'/);
      const metrics = await runWith({
        source: `sqlite:${f.db}`,
        destination: f.store,
        'metrics-file': join(f.dir, 'no-such-folder', 'lifeboat.prom'),
      });
      assert.ok(metrics.error instanceof ConfigError);
      assert.match((metrics.error as Error).message, /^metrics-file: the folder .* does not exist/);
      const gateway = await runWith({
        source: `sqlite:${f.db}`,
        destination: f.store,
        pushgateway: 'ftp://gateway:9091',
      });
      assert.ok(gateway.error instanceof ConfigError);
      assert.match((gateway.error as Error).message, /^pushgateway: ftp:\/\/ is not an HTTP URL/);
      // Nothing was dumped or stored, nobody was called.
      assert.deepEqual(await readdir(f.dir), ['app.sqlite']);
      assert.equal(server.requests.length, 0);
    } finally {
      await f.cleanup();
    }
  });
});

describe('notifications: which service, which runs', () => {
  test('the payload follows the webhook host; unknown hosts get the generic webhook', () => {
    const kind = (u: string) => detectKind(new URL(u));
    assert.equal(kind('https://hooks.slack.com/services/T0/B0/x'), 'slack');
    assert.equal(kind('https://discord.com/api/webhooks/1/x'), 'discord');
    assert.equal(kind('https://discordapp.com/api/webhooks/1/x'), 'discord');
    assert.equal(kind('https://discord.com/channels/1'), 'webhook');
    assert.equal(
      kind(
        'https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x',
      ),
      'teams',
    );
    assert.equal(
      kind('https://default123.ab.environment.api.powerplatform.com/powerautomate/x'),
      'teams',
    );
    assert.equal(kind('https://alerts.example.com/lifeboat'), 'webhook');
  });

  test('a failing status (stale backups) is announced like a failed backup', async () => {
    const server = await startRecordingServer();
    const f = await fixture();
    try {
      const t0 = new Date(Date.UTC(2026, 10, 28, 3));
      const made = await runWith(
        { source: `sqlite:${f.db}`, destination: f.store, name: 'app' },
        {},
        t0,
      );
      assert.equal(made.error, undefined, String(made.error));
      const r = await runWith(
        {
          command: 'status',
          destination: f.store,
          name: 'app',
          schedule: '0 3 * * *',
          notify: `${server.url}/status`,
        },
        {},
        new Date(t0.getTime() + 3 * 86_400_000),
      );
      assert.ok(r.error);
      assert.equal(server.requests.length, 1);
      const body = JSON.parse(server.requests[0]!.body) as Record<string, unknown>;
      assert.equal(body['command'], 'status');
      assert.equal(body['set'], 'app');
      assert.equal(body['errorKind'], 'operational');
      assert.ok(String(body['error']).length > 0);
    } finally {
      await server.close();
      await f.cleanup();
    }
  });

  test('a cancelled run notifies nobody (the runner is about to kill the step)', async () => {
    const server = await startRecordingServer();
    const f = await fixture();
    try {
      const controller = new AbortController();
      controller.abort(new CancelledError('SIGTERM'));
      const r = await runWith(
        {
          source: `sqlite:${f.db}`,
          destination: f.store,
          notify: `${server.url}/cancel`,
          'notify-on': 'always',
        },
        { signal: controller.signal },
      );
      assert.ok(r.error instanceof CancelledError, String(r.error));
      assert.equal(server.requests.length, 0);
      assert.ok(
        r.logs.includes('the run was cancelled: no notification sent, no metrics written'),
        r.logs.join('\n'),
      );
    } finally {
      await server.close();
      await f.cleanup();
    }
  });
});

test('a verify that finds a damaged archive says the backup cannot be trusted', async () => {
  const server = await startRecordingServer();
  const f = await fixture();
  try {
    const made = await runWith({ source: `sqlite:${f.db}`, destination: f.store, name: 'app' });
    assert.equal(made.error, undefined, String(made.error));
    const folder = join(f.dir, 'store', 'app');
    const archive = (await readdir(folder)).find((n) => n.endsWith('.tar.zst'))!;
    const bytes = await readFile(join(folder, archive));
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    await writeFile(join(folder, archive), bytes);
    const r = await runWith({
      command: 'verify',
      destination: f.store,
      name: 'app',
      notify: `slack=${server.url}/integrity`,
    });
    assert.equal(r.report.outputs['error-kind'], 'integrity');
    const text = (JSON.parse(server.requests[0]!.body) as { text: string }).text;
    assert.match(
      text,
      /^\*❌ Lifeboat verify of set 'app' failed \(integrity failure: the backup cannot be trusted\)\*/,
    );
    assert.ok(text.includes(`backup: ${made.report.backupId}`), text);
  } finally {
    await server.close();
    await f.cleanup();
  }
});
