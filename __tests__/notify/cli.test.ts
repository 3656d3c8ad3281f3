import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { fixture, startRecordingServer } from './helpers.ts';

test('the CLI takes notify targets from LIFEBOAT_NOTIFY, reports them in --json, and never prints them', async () => {
  const server = await startRecordingServer();
  const f = await fixture();
  try {
    const first = `slack=${server.url}/services/notify_cli_secret_one`;
    const second = `${server.url}/notify_cli_secret_two`;
    const r = await runCli(
      [
        'backup',
        '--source',
        `sqlite:${join(f.dir, 'gone.sqlite')}`,
        '--destination',
        f.store,
        '--json',
      ],
      { LIFEBOAT_NOTIFY: `${first}\n${second}`, LIFEBOAT_NOTIFY_SECRET: 'notify_cli_hmac' },
    );
    assert.equal(r.code, 2, r.stderr);
    const body = jsonOf(r);
    assert.deepEqual(
      (body['notifications'] as Array<{ ok: boolean; detail: string }>).map((n) => [
        n.ok,
        n.detail,
      ]),
      [
        [true, 'sent'],
        [true, 'sent'],
      ],
    );
    assert.equal(server.requests.length, 2);
    assert.ok(server.requests[1]!.headers['x-lifeboat-signature']);
    for (const secret of ['notify_cli_secret_one', 'notify_cli_secret_two', 'notify_cli_hmac'])
      assert.ok(!`${r.stdout}${r.stderr}`.includes(secret), `${secret} printed`);

    // On the command line it works too, with the usual warning that others can see it.
    const flagged = await runCli([
      'backup',
      '--source',
      `sqlite:${join(f.dir, 'gone.sqlite')}`,
      '--destination',
      f.store,
      '--notify',
      second,
    ]);
    assert.equal(flagged.code, 2);
    assert.match(flagged.stderr, /--notify on the command line is visible to other users/);
    assert.ok(!`${flagged.stdout}${flagged.stderr}`.includes('notify_cli_secret_two'));
    assert.match(flagged.stdout, /### Notified/);
  } finally {
    await server.close();
    await f.cleanup();
  }
});
