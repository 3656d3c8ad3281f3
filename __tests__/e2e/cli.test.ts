import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { jsonOf, runCli } from '../helpers/cli.ts';

async function workspace() {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-cli-'));
  const db = join(dir, 'app.sqlite');
  const d = new DatabaseSync(db);
  d.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, b BLOB)');
  const ins = d.prepare('INSERT INTO t (v, b) VALUES (?, ?)');
  d.exec('BEGIN');
  for (let i = 0; i < 3000; i++)
    ins.run(`row ${i} ${'x'.repeat(i % 50)}`, Buffer.alloc(64, i % 256));
  d.exec('COMMIT');
  d.close();
  return {
    dir,
    db,
    backups: join(dir, 'backups'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

async function archiveOf(backups: string): Promise<string> {
  const files = await readdir(join(backups, 'app'));
  const archive = files.find((f) => /\.tar(\.zst|\.gz)?$/.test(f));
  assert.ok(archive, `no archive in ${files.join(', ')}`);
  return join(backups, 'app', archive);
}

describe('CLI end to end on file: storage', () => {
  for (const compression of ['zstd', 'none'] as const) {
    test(`one flipped byte in a stored ${compression} archive: verify and restore exit 3, target untouched`, async () => {
      const w = await workspace();
      try {
        const b = await runCli([
          'backup',
          '--source',
          `sqlite:${w.db}`,
          '--destination',
          `file:${w.backups}`,
          '--compression',
          compression,
        ]);
        assert.equal(b.code, 0, b.stderr);
        const archive = await archiveOf(w.backups);
        const bytes = await readFile(archive);
        const at = Math.floor(bytes.length / 2);
        bytes[at] = bytes[at]! ^ 0x01;
        await writeFile(archive, bytes);

        const v = await runCli(['verify', '--destination', `file:${w.backups}`, '--name', 'app']);
        assert.equal(v.code, 3, v.stderr);

        const target = join(w.dir, 'restored.sqlite');
        const r = await runCli([
          'restore',
          '--destination',
          `file:${w.backups}`,
          '--name',
          'app',
          '--target',
          `sqlite:${target}`,
        ]);
        assert.equal(r.code, 3, r.stderr);
        assert.equal(
          existsSync(target),
          false,
          'restore created the target from a corrupt archive',
        );

        // An existing target with --overwrite stays exactly as it was.
        await writeFile(target, 'precious');
        const o = await runCli([
          'restore',
          '--destination',
          `file:${w.backups}`,
          '--name',
          'app',
          '--target',
          `sqlite:${target}`,
          '--overwrite',
        ]);
        assert.equal(o.code, 3, o.stderr);
        assert.equal(await readFile(target, 'utf8'), 'precious');
      } finally {
        await w.cleanup();
      }
    });
  }

  test('a truncated archive: verify and restore exit 3', async () => {
    const w = await workspace();
    try {
      assert.equal(
        (
          await runCli([
            'backup',
            '--source',
            `sqlite:${w.db}`,
            '--destination',
            `file:${w.backups}`,
          ])
        ).code,
        0,
      );
      const archive = await archiveOf(w.backups);
      await truncate(archive, Math.floor((await stat(archive)).size * 0.6));
      const v = await runCli(['verify', '--destination', `file:${w.backups}`]);
      assert.equal(v.code, 3, v.stderr);
      const target = join(w.dir, 'r.sqlite');
      const r = await runCli([
        'restore',
        '--destination',
        `file:${w.backups}`,
        '--target',
        `sqlite:${target}`,
      ]);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(existsSync(target), false);
    } finally {
      await w.cleanup();
    }
  });

  test('a failed dump leaves nothing that list shows', async () => {
    const w = await workspace();
    try {
      const bad = join(w.dir, 'corrupt.sqlite');
      const bytes = await readFile(w.db);
      bytes.fill(0x41, 4096, bytes.length - 4096);
      await writeFile(bad, bytes);
      const b = await runCli([
        'backup',
        '--source',
        `sqlite:${bad}`,
        '--destination',
        `file:${w.backups}`,
        '--name',
        'app',
      ]);
      assert.equal(b.code, 1, b.stderr);
      const l = await runCli(['list', '--destination', `file:${w.backups}`, '--json']);
      assert.equal(l.code, 0, l.stderr);
      assert.deepEqual(jsonOf(l)['backups'], []);
      const left = existsSync(join(w.backups, 'app')) ? await readdir(join(w.backups, 'app')) : [];
      assert.deepEqual(
        left.filter((f) => !f.startsWith('.')),
        [],
      );
    } finally {
      await w.cleanup();
    }
  });

  test('fan-out: a broken destination fails the run, the other still gets a complete backup', async () => {
    const w = await workspace();
    try {
      const blocked = join(w.dir, 'blocked');
      await writeFile(blocked, 'a file where a folder should be');
      const b = await runCli([
        'backup',
        '--source',
        `sqlite:${w.db}`,
        '--destination',
        `file:${w.backups}`,
        '--destination',
        `file:${blocked}/x`,
        '--json',
      ]);
      assert.equal(b.code, 1, b.stderr);
      const body = jsonOf(b);
      const dests = body['destinations'] as Array<{ ok: boolean }>;
      assert.deepEqual(
        dests.map((d) => d.ok),
        [true, false],
      );
      const v = await runCli(['verify', '--destination', `file:${w.backups}`]);
      assert.equal(v.code, 0, v.stderr);
    } finally {
      await w.cleanup();
    }
  });

  test('list shows each backup with its facts; retention keeps the newest N', async () => {
    const w = await workspace();
    try {
      for (let i = 0; i < 3; i++) {
        const b = await runCli([
          'backup',
          '--source',
          `sqlite:${w.db}`,
          '--destination',
          `file:${w.backups}`,
          '--keep-last',
          '2',
        ]);
        assert.equal(b.code, 0, b.stderr);
      }
      const l = await runCli(['list', '--destination', `file:${w.backups}`, '--json']);
      const backups = jsonOf(l)['backups'] as Array<{
        set: string;
        verified: boolean;
        encrypted: boolean;
        sources: string;
      }>;
      assert.equal(backups.length, 2);
      for (const b of backups) {
        assert.equal(b.set, 'app');
        assert.equal(b.verified, true);
        assert.equal(b.encrypted, false);
        assert.match(b.sources, /sqlite/);
      }
      const text = await runCli(['list', '--destination', `file:${w.backups}`]);
      assert.match(text.stdout, /^set\s+id\s+time/m);
    } finally {
      await w.cleanup();
    }
  });
});

describe('bad input: exit 2 and a message naming the option', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown command', ['explode'], /command/],
    [
      'unknown source scheme',
      ['backup', '--source', 'oracle://db/x', '--destination', 'file:/tmp/x'],
      /source: unknown scheme 'oracle:'/,
    ],
    [
      'source without scheme',
      ['backup', '--source', './app.db', '--destination', 'file:/tmp/x'],
      /source:.*no scheme/,
    ],
    [
      'unknown destination scheme',
      ['backup', '--source', 'sqlite:/nonexistent.db', '--destination', 'ftp://host/x'],
      /destination: unknown scheme 'ftp:'/,
    ],
    [
      'unknown compression',
      [
        'backup',
        '--source',
        'sqlite:/x.db',
        '--destination',
        'file:/tmp/x',
        '--compression',
        'lz4',
      ],
      /compression: unknown value 'lz4'/,
    ],
    ['unknown flag', ['backup', '--sauce', 'x'], /--sauce/],
    ['missing destination', ['list'], /destination: is required/],
    [
      'missing target',
      ['restore', '--destination', 'file:/tmp/lifeboat-none'],
      /target: is required|backup/,
    ],
    [
      'bad backup id',
      [
        'restore',
        '--destination',
        'file:/tmp/lifeboat-none',
        '--backup',
        'yesterday',
        '--target',
        'sqlite:/tmp/x.db',
      ],
      /backup: 'yesterday'/,
    ],
    [
      'encryption not yet available',
      [
        'backup',
        '--source',
        'sqlite:/x.db',
        '--destination',
        'file:/tmp/x',
        '--age-recipients',
        'age1xyz',
      ],
      /age-recipients/,
    ],
  ];
  for (const [what, argv, message] of cases) {
    test(what, async () => {
      const r = await runCli(argv);
      assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, message);
    });
  }

  test('malformed source URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-bad-'));
    try {
      await mkdir(dir, { recursive: true });
      const r = await runCli(['backup', '--source', 'sqlite:', '--destination', `file:${dir}`]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /source/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('secrets never reach the output', () => {
  for (const url of [
    'postgres://app:S3cret%2FPw!x@127.0.0.1:1/app',
    'mysql://root:S3cret%2FPw!x@127.0.0.1:1/app',
    'redis://:S3cret%2FPw!x@127.0.0.1:1/0',
  ]) {
    test(`a ${url.split(':')[0]} server refusing connections exits 1 without its password in any form or leftovers`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lifeboat-secret-'));
      try {
        const r = await runCli([
          'backup',
          '--source',
          url,
          '--destination',
          `file:${dir}`,
          '--json',
        ]);
        // A server that refuses the connection is operational, not a config mistake.
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /source: [\w/]+ at 127\.0\.0\.1:1\b.*(ECONNREFUSED)/i);
        assert.deepEqual(await readdir(dir), [], 'a failed backup leaves nothing behind');
        const all = r.stdout + r.stderr;
        for (const form of [
          'S3cret/Pw!x',
          'S3cret%2FPw!x',
          Buffer.from('S3cret/Pw!x').toString('base64'),
        ]) {
          assert.equal(all.includes(form), false, `found ${form} in:\n${all}`);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
