import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { cliSyntax } from '../../src/cli/args.ts';
import { main } from '../../src/cli/main.ts';
import { ConfigError, describeError } from '../../src/core/errors.ts';
import { optionRef } from '../../src/core/option-ref.ts';
import { COMMANDS, OPTIONS } from '../../src/options/schema.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';

async function workspace() {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-usage-'));
  const db = join(dir, 'app.sqlite');
  const d = new DatabaseSync(db);
  d.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b')");
  d.close();
  return {
    dir,
    db,
    dest: `file:${join(dir, 'backups')}`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

describe('help', () => {
  test('lifeboat --help lists every command on one line and no options', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    for (const c of [...COMMANDS, 'demo']) assert.match(r.stdout, new RegExp(`^  ${c} +\\S`, 'm'));
    assert.doesNotMatch(r.stdout, /--destination|--keep-daily/);
    assert.match(r.stdout, /lifeboat <command> --help/);
    assert.match(r.stdout, /3 integrity failure/);
    assert.deepEqual(await runCli([]), r, 'no arguments shows the same help');
  });

  test('<command> --help lists exactly the options that command reads, with values and defaults', async () => {
    for (const command of COMMANDS) {
      const r = await runCli([command, '--help']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^lifeboat ${command}: `));
      for (const o of OPTIONS) {
        if (o.name === 'command') continue;
        const reads = o.commands === 'all' || o.commands.includes(command);
        const shown = new RegExp(`^  --${o.name}( |$)`, 'm').test(r.stdout);
        assert.equal(shown, reads, `${command} --help and --${o.name}`);
      }
    }
    const backup = (await runCli(['backup', '--help'])).stdout;
    assert.match(backup, /^ {2}--compression <zstd\|gzip\|none> {2}\(default: zstd\)$/m);
    assert.match(backup, /^ {2}--redis-mode <auto\|rdb\|logical> {2}\(default: auto\)$/m);
    assert.match(backup, /^ {2}--source <value> {2}\(repeatable\)$/m);
    const restore = (await runCli(['restore', '--help'])).stdout;
    assert.match(restore, /^ {2}--overwrite {2}\(default: false\)$/m);
    assert.match(
      restore,
      /^ {2}--sftp-password <value> {2}\(secret: prefer LIFEBOAT_SFTP_PASSWORD\)$/m,
    );
    assert.equal((await runCli(['help', 'restore'])).stdout, restore);
    assert.equal((await runCli(['restore', '--destination', 'file:/x', '-h'])).stdout, restore);
  });
});

describe('typos get a "did you mean", exit 2, before any work', () => {
  const cases: Array<[string[], RegExp]> = [
    [['restor'], /unknown command 'restor'\n {2}fix: did you mean 'lifeboat restore'\?/],
    [['lsit', '--destination', 'file:/x'], /did you mean 'lifeboat list'\?/],
    [['help', 'verfy'], /did you mean 'lifeboat verify'\?/],
    [
      ['list', '--destinaton', 'file:/x'],
      /unknown option '--destinaton'\n {2}fix: did you mean --destination\?/,
    ],
    [['backup', '--keep-lats', '3'], /did you mean --keep-last\?/],
    [
      ['list', '--keep-lats', '3'],
      /did you mean --keep-last\? \(an option of backup, prune, report\)/,
    ],
    [['list', '--jsno'], /did you mean --json\?/],
    [
      ['backup', '--overwrite'],
      /--overwrite is not an option of backup\n {2}fix: it is read by restore/,
    ],
    [['list', '--source', 'sqlite:x'], /--source is not an option of list/],
    [['demo', '--destination', 'file:/x'], /--destination is not an option of demo/],
    [['backup', '--zzz'], /unknown option '--zzz'\n {2}fix: 'lifeboat backup --help' lists/],
    [['--command', 'list'], /the command is the first word/],
    [['list', 'file:/x'], /unexpected argument 'file:\/x'/],
    [['explode'], /unknown command 'explode'\n {2}fix: use one of: backup, restore/],
  ];
  for (const [argv, message] of cases) {
    test(argv.join(' '), async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lifeboat-typo-'));
      try {
        const r = await runCli(argv, {}, dir);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '', 'nothing on stdout without --json');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('--json covers every outcome', () => {
  test('usage errors: one JSON object on stdout with error-kind config, exit 2', async () => {
    for (const argv of [
      ['restor', '--json'],
      ['list', '--destinaton', 'x', '--json'],
      ['--json', 'list'],
      [
        'backup',
        '--compression',
        'lz4',
        '--source',
        'sqlite:x',
        '--destination',
        'file:/x',
        '--json',
      ],
      ['list', '--json'],
    ]) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      const body = jsonOf(r);
      assert.equal(body.ok, false);
      assert.equal(body['error-kind'], 'config', argv.join(' '));
      assert.equal(typeof body['error'], 'string');
      assert.ok((body['error'] as string).length > 0);
    }
  });

  test('success says error-kind none; an integrity failure says integrity', async () => {
    const w = await workspace();
    try {
      const b = await runCli([
        'backup',
        '--source',
        `sqlite:${w.db}`,
        '--destination',
        w.dest,
        '--json',
      ]);
      assert.equal(b.code, 0, b.stderr);
      assert.equal(jsonOf(b)['error-kind'], 'none');
      const archive = join(w.dir, 'backups', 'app', `${jsonOf(b).outputs['backup-id']}.tar.zst`);
      await writeFile(archive, 'not the archive');
      const v = await runCli(['verify', '--destination', w.dest, '--json']);
      assert.equal(v.code, 3, v.stderr);
      assert.equal(jsonOf(v).ok, false);
      assert.equal(jsonOf(v)['error-kind'], 'integrity');
    } finally {
      await w.cleanup();
    }
  });

  test('list prints its backups once, in JSON and in text', async () => {
    const w = await workspace();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const b = await runCli([
          'backup',
          '--source',
          `sqlite:${w.db}`,
          '--destination',
          w.dest,
          '--json',
        ]);
        assert.equal(b.code, 0, b.stderr);
        ids.push(jsonOf(b).outputs['backup-id']!);
      }
      const j = await runCli(['list', '--destination', w.dest, '--json']);
      assert.equal(j.code, 0, j.stderr);
      const body = jsonOf(j);
      assert.equal((body['backups'] as unknown[]).length, 2);
      assert.equal(body.outputs['backups'], undefined, 'not repeated as a string in outputs');
      assert.equal(body.outputs['count'], '2');
      for (const id of ids) {
        assert.equal(j.stdout.split(`"id": "${id}"`).length - 1, 1, `${id} listed once in JSON`);
      }

      const t = await runCli(['list', '--destination', w.dest]);
      assert.equal(t.code, 0, t.stderr);
      for (const id of ids) {
        const rows = t.stdout.split('\n').filter((l) => l.includes(id));
        assert.equal(rows.length, 1, `${id} on one row of stdout`);
        assert.equal(t.stderr.split(id).length - 1, 0, `${id} not again on stderr`);
      }
    } finally {
      await w.cleanup();
    }
  });
});

describe('hints name options in the face’s own syntax', () => {
  test('the same hint reads --overwrite in the CLI and overwrite: true in the action', () => {
    const err = new ConfigError('target', 'app.db exists', {
      hint: `pass ${optionRef('overwrite', 'true')} or choose a new file; pick the set with ${optionRef('name', '<set>')}`,
    });
    assert.equal(
      err.hint,
      'pass overwrite: true or choose a new file; pick the set with name: <set>',
    );
    assert.equal(
      describeError(err),
      'target: app.db exists\n  fix: pass overwrite: true or choose a new file; pick the set with name: <set>',
    );
    assert.equal(
      describeError(err, cliSyntax),
      'target: app.db exists\n  fix: pass --overwrite or choose a new file; pick the set with --name <set>',
    );
  });

  test('secrets are named as their environment variable in the CLI, never as a flag', () => {
    const err = new ConfigError('sftp-private-key', 'no credentials', {
      hint: `set ${optionRef('sftp-private-key')} or ${optionRef('sftp-password')}`,
    });
    assert.match(describeError(err), /set the sftp-private-key input or the sftp-password input$/);
    assert.match(
      describeError(err, cliSyntax),
      /set LIFEBOAT_SFTP_PRIVATE_KEY or LIFEBOAT_SFTP_PASSWORD$/,
    );
  });

  test('restoring over an existing file: the CLI says --overwrite, and leaves the file alone', async () => {
    const w = await workspace();
    try {
      const b = await runCli(['backup', '--source', `sqlite:${w.db}`, '--destination', w.dest]);
      assert.equal(b.code, 0, b.stderr);
      const target = join(w.dir, 'existing.sqlite');
      await writeFile(target, 'precious');
      for (const json of [false, true]) {
        const r = await runCli([
          'restore',
          '--destination',
          w.dest,
          '--target',
          `sqlite:${target}`,
          ...(json ? ['--json'] : []),
        ]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(
          r.stderr,
          /error: --target: .*exists\n {2}fix: pass --overwrite or choose a new file/,
        );
        assert.doesNotMatch(r.stderr + r.stdout, /overwrite: true/);
        if (json) assert.match(jsonOf(r)['error'] as string, /pass --overwrite/);
      }
      const { readFile } = await import('node:fs/promises');
      assert.equal(await readFile(target, 'utf8'), 'precious');
    } finally {
      await w.cleanup();
    }
  });
});

describe('progress on a terminal', () => {
  /** Carriage return and erase-line: how the live line is redrawn. */
  const ERASE = '\r\u001b[K';
  const redraws = (stderr: string) => stderr.split(ERASE).slice(1);
  async function run(argv: string[], stderrIsTTY: boolean) {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { PATH: process.env['PATH'] },
      cwd: process.cwd(),
      stderrIsTTY,
      columns: () => 120,
    });
    return { code, stdout, stderr };
  }

  test('a live line on stderr when it is a terminal; plain lines otherwise and with --json', async () => {
    const w = await workspace();
    try {
      const tty = await run(
        ['backup', '--source', `sqlite:${w.db}`, '--destination', w.dest],
        true,
      );
      assert.equal(tty.code, 0, tty.stderr);
      assert.ok(
        redraws(tty.stderr).some((l) => /^Uploading to file:\S+: \d/.test(l)),
        tty.stderr,
      );
      assert.ok(
        tty.stderr.includes(`${ERASE}Dumped sqlite`),
        'the line is erased before the next log line',
      );
      assert.doesNotMatch(tty.stdout, /\r/, 'stdout holds only the result');

      const verify = await run(['verify', '--destination', w.dest], true);
      assert.equal(verify.code, 0, verify.stderr);
      assert.ok(
        redraws(verify.stderr).some((l) =>
          /^Reading from file:\S+: [\d.]+ K?i?B of [\d.]+ K?i?B \(\d+%\)/.test(l),
        ),
        verify.stderr,
      );

      const json = await run(['verify', '--destination', w.dest, '--json'], true);
      assert.equal(json.code, 0, json.stderr);
      assert.doesNotMatch(json.stderr + json.stdout, /\r/);
      const piped = await run(['verify', '--destination', w.dest], false);
      assert.equal(piped.code, 0, piped.stderr);
      assert.doesNotMatch(piped.stderr, /\r/);
    } finally {
      await w.cleanup();
    }
  });
});
