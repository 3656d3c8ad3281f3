import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { jsonOf, runCli, type CliResult } from '../helpers/cli.ts';
import { unavailable } from '../helpers/services.ts';

const missing = ['age', 'age-keygen', 'ssh-keygen', 'zstd', 'tar'].filter(
  (t) => spawnSync('which', [t]).status !== 0,
);
function needTools(t: { skip: (why: string) => void }): boolean {
  if (missing.length === 0) return true;
  t.skip(unavailable(`${missing.join(', ')} (.ci/install-system-packages.sh installs them)`));
  return false;
}

function run(cmd: string, args: string[]): Buffer {
  const r = spawnSync(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr?.toString()}`);
  return r.stdout;
}

let dir: string;
let db: string;
let ageKey: string;
let ageKeyFile: string;
let ageRecipient: string;
let sshPriv: string;
let sshPubFile: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crypto-e2e-'));
  db = join(dir, 'app.sqlite');
  const d = new DatabaseSync(db);
  d.exec('CREATE TABLE secret_customers (id INTEGER PRIMARY KEY, name TEXT)');
  const ins = d.prepare('INSERT INTO secret_customers (name) VALUES (?)');
  d.exec('BEGIN');
  for (let i = 0; i < 5000; i++) ins.run(`customer ${i} ${'x'.repeat(i % 40)}`);
  d.exec('COMMIT');
  d.close();
  if (missing.length) return;
  ageKeyFile = join(dir, 'key.txt');
  run('age-keygen', ['-o', ageKeyFile]);
  ageKey = (await readFile(ageKeyFile, 'utf8')).split('\n').find((l) => l.startsWith('AGE-'))!;
  ageRecipient = run('age-keygen', ['-y', ageKeyFile]).toString().trim();
  sshPriv = join(dir, 'id_ed25519');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ops', '-f', sshPriv]);
  sshPubFile = `${sshPriv}.pub`;
});
after(() => rm(dir, { recursive: true, force: true }));

async function files(backups: string): Promise<string[]> {
  return (await readdir(join(backups, 'app'))).sort();
}

function noSecret(r: CliResult, ...secrets: string[]): void {
  for (const s of secrets) {
    assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), 'a secret appeared in the output');
  }
}

describe('encrypted backups through the CLI (sqlite → file:)', () => {
  test('age1 recipient: public index only, opens by hand with age | zstd | tar, list/verify without a key, restore with it', async (t) => {
    if (!needTools(t)) return;
    const backups = join(dir, 'b-x25519');
    const other = run('age-keygen', []).toString();
    const otherRecipient = /public key: (age1\S+)/.exec(other)![1]!;
    const b = await runCli([
      'backup',
      '--json',
      '--source',
      `sqlite:${db}`,
      '--name',
      'app',
      '--destination',
      `file:${backups}`,
      '--age-recipients',
      `${ageRecipient}\n${otherRecipient}`,
    ]);
    assert.equal(b.code, 0, b.stderr);
    const names = await files(backups);
    const archive = names.find((n) => n.endsWith('.tar.zst.age'));
    assert.ok(archive, names.join(', '));
    const indexName = names.find((n) => n.endsWith('.manifest.json'))!;
    const indexText = await readFile(join(backups, 'app', indexName), 'utf8');
    const index = JSON.parse(indexText) as Record<string, unknown>;
    assert.equal(index.format, 2);
    assert.equal(index.encrypted, true);
    assert.deepEqual(index.recipients, [ageRecipient, otherRecipient]);
    assert.ok(!indexText.includes('secret_customers'), 'a table name leaked into the index');
    assert.ok(!indexText.includes('database.sqlite'), 'a member name leaked into the index');
    assert.ok(!indexText.includes(db), 'the source path leaked into the index');

    // By hand, with Debian's tools only.
    const plainTar = spawnSync('sh', [
      '-c',
      `age -d -i "$1" "$2" | zstd -d | tar -t 2>/dev/null`,
      'sh',
      ageKeyFile,
      join(backups, 'app', archive),
    ]);
    assert.equal(plainTar.status, 0, plainTar.stderr.toString());
    assert.deepEqual(plainTar.stdout.toString().trim().split('\n'), [
      'lifeboat.json',
      'sqlite/database.sqlite',
      'lifeboat-manifest.json',
    ]);

    const l = await runCli(['list', '--json', '--destination', `file:${backups}`]);
    assert.equal(l.code, 0, l.stderr);
    const rows = jsonOf(l)['backups'] as Array<{ encrypted: boolean }>;
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.encrypted, true);

    const v0 = await runCli(['verify', '--destination', `file:${backups}`]);
    assert.equal(v0.code, 0, v0.stderr);
    assert.match(v0.stdout + v0.stderr, /its content was not/);

    const v1 = await runCli(['verify', '--destination', `file:${backups}`], {
      LIFEBOAT_AGE_IDENTITY: ageKey,
    });
    assert.equal(v1.code, 0, v1.stderr);
    assert.match(v1.stdout + v1.stderr, /every chunk/);
    noSecret(v1, ageKey);

    const target = join(dir, 'restored-x25519.sqlite');
    const noKey = await runCli([
      'restore',
      '--destination',
      `file:${backups}`,
      '--target',
      `sqlite:${target}`,
    ]);
    assert.equal(noKey.code, 2, noKey.stderr);
    assert.match(noKey.stderr, /age-identity/);
    assert.equal(existsSync(target), false);

    const wrong = await runCli(
      ['restore', '--destination', `file:${backups}`, '--target', `sqlite:${target}`],
      { LIFEBOAT_AGE_IDENTITY: /AGE-SECRET-KEY-1\S+/.exec(run('age-keygen', []).toString())![0] },
    );
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(wrong.stderr, /none of the keys given opens backup/);
    assert.equal(existsSync(target), false);

    // The identity as a file path works as well as the key itself.
    const ok = await runCli(
      ['restore', '--destination', `file:${backups}`, '--target', `sqlite:${target}`],
      { LIFEBOAT_AGE_IDENTITY: ageKeyFile },
    );
    assert.equal(ok.code, 0, ok.stderr);
    const r = new DatabaseSync(target, { readOnly: true });
    const { n } = r.prepare('SELECT count(*) AS n FROM secret_customers').get() as { n: number };
    r.close();
    assert.equal(n, 5000);
  });

  test('altered or truncated ciphertext: verify and restore exit 3, nothing restored', async (t) => {
    if (!needTools(t)) return;
    const backups = join(dir, 'b-tamper');
    const b = await runCli([
      'backup',
      '--source',
      `sqlite:${db}`,
      '--name',
      'app',
      '--destination',
      `file:${backups}`,
      '--age-recipients',
      ageRecipient,
    ]);
    assert.equal(b.code, 0, b.stderr);
    const archive = join(
      backups,
      'app',
      (await files(backups)).find((n) => n.endsWith('.age'))!,
    );
    const original = await readFile(archive);
    const target = join(dir, 'restored-tamper.sqlite');
    for (const damaged of [
      Buffer.concat([
        original.subarray(0, 300),
        Buffer.from([original[300]! ^ 1]),
        original.subarray(301),
      ]),
      original.subarray(0, original.length - 20),
    ]) {
      await writeFile(archive, damaged);
      const v = await runCli(['verify', '--destination', `file:${backups}`], {
        LIFEBOAT_AGE_IDENTITY: ageKey,
      });
      assert.equal(v.code, 3, v.stderr);
      const r = await runCli(
        ['restore', '--destination', `file:${backups}`, '--target', `sqlite:${target}`],
        { LIFEBOAT_AGE_IDENTITY: ageKey },
      );
      assert.equal(r.code, 3, r.stderr);
      assert.equal(existsSync(target), false);
      // Without a key the stored bytes are still proven wrong.
      const v0 = await runCli(['verify', '--destination', `file:${backups}`]);
      assert.equal(v0.code, 3, v0.stderr);
    }
  });

  test('an altered public index is refused against its sealed manifest', async (t) => {
    if (!needTools(t)) return;
    const backups = join(dir, 'b-index');
    const b = await runCli([
      'backup',
      '--source',
      `sqlite:${db}`,
      '--name',
      'app',
      '--destination',
      `file:${backups}`,
      '--age-recipients',
      ageRecipient,
    ]);
    assert.equal(b.code, 0, b.stderr);
    const indexPath = join(
      backups,
      'app',
      (await files(backups)).find((n) => n.endsWith('.manifest.json'))!,
    );
    const index = JSON.parse(await readFile(indexPath, 'utf8')) as { finishedAt: string };
    index.finishedAt = new Date(0).toISOString();
    await writeFile(indexPath, JSON.stringify(index));
    const target = join(dir, 'restored-index.sqlite');
    const r = await runCli(
      ['restore', '--destination', `file:${backups}`, '--target', `sqlite:${target}`],
      { LIFEBOAT_AGE_IDENTITY: ageKey },
    );
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /disagrees with its sealed manifest on finishedAt/);
    assert.equal(existsSync(target), false);
  });

  test('ssh-ed25519 recipient from a file, the OpenSSH private key as identity', async (t) => {
    if (!needTools(t)) return;
    const backups = join(dir, 'b-ssh');
    const b = await runCli([
      'backup',
      '--source',
      `sqlite:${db}`,
      '--name',
      'app',
      '--destination',
      `file:${backups}`,
      '--age-recipients',
      sshPubFile,
    ]);
    assert.equal(b.code, 0, b.stderr);
    const archive = join(
      backups,
      'app',
      (await files(backups)).find((n) => n.endsWith('.age'))!,
    );
    const byHand = spawnSync('sh', [
      '-c',
      `age -d -i "$1" "$2" | zstd -d | tar -t 2>/dev/null`,
      'sh',
      sshPriv,
      archive,
    ]);
    assert.match(byHand.stdout.toString(), /lifeboat-manifest\.json/);
    const key = await readFile(sshPriv, 'utf8');
    const target = join(dir, 'restored-ssh.sqlite');
    const r = await runCli(
      ['restore', '--destination', `file:${backups}`, '--target', `sqlite:${target}`],
      { LIFEBOAT_AGE_IDENTITY: key },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(target));
    const keyBody = key.split('\n')[2]!;
    noSecret(r, keyBody);
  });

  test('passphrase: wrong one exits 2 naming it, right one restores; never printed', async (t) => {
    if (!needTools(t)) return;
    const backups = join(dir, 'b-pass');
    const passphrase = 'correct horse battery staple';
    const b = await runCli(
      ['backup', '--source', `sqlite:${db}`, '--name', 'app', '--destination', `file:${backups}`],
      { LIFEBOAT_PASSPHRASE: passphrase },
    );
    assert.equal(b.code, 0, b.stderr);
    noSecret(b, passphrase);
    const target = join(dir, 'restored-pass.sqlite');
    const wrong = await runCli(
      ['restore', '--destination', `file:${backups}`, '--target', `sqlite:${target}`],
      { LIFEBOAT_PASSPHRASE: 'wrong horse' },
    );
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(wrong.stderr, /passphrase/);
    assert.equal(existsSync(target), false);
    const ok = await runCli(
      ['restore', '--destination', `file:${backups}`, '--target', `sqlite:${target}`],
      { LIFEBOAT_PASSPHRASE: passphrase },
    );
    assert.equal(ok.code, 0, ok.stderr);
    noSecret(ok, passphrase);
    assert.ok(existsSync(target));
  });

  test('bad key options are refused before anything is dumped', async () => {
    const backups = join(dir, 'b-bad');
    const r = await runCli([
      'backup',
      '--source',
      `sqlite:${db}`,
      '--name',
      'app',
      '--destination',
      `file:${backups}`,
      '--age-recipients',
      'age1notakey',
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /age-recipients/);
    assert.equal(existsSync(join(backups, 'app')), false);
    const both = await runCli(
      [
        'backup',
        '--source',
        `sqlite:${db}`,
        '--name',
        'app',
        '--destination',
        `file:${backups}`,
        '--age-recipients',
        'age1qqqq',
      ],
      { LIFEBOAT_PASSPHRASE: 'pw-abc' },
    );
    assert.equal(both.code, 2, both.stderr);
    const missingFile = await runCli([
      'backup',
      '--source',
      `sqlite:${db}`,
      '--name',
      'app',
      '--destination',
      `file:${backups}`,
      '--age-recipients',
      join(dir, 'no-such-recipients.txt'),
    ]);
    assert.equal(missingFile.code, 2, missingFile.stderr);
    assert.match(missingFile.stderr, /cannot read the key file/);
  });
});

describe('the safety backup of an encrypted restore (PostgreSQL)', () => {
  test('is encrypted to the keys that opened the backup, and restores with them', async (t) => {
    if (!needTools(t)) return;
    const admin = new pg.Client({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      database: 'postgres',
    });
    try {
      await admin.connect();
    } catch (err) {
      return t.skip(unavailable('PostgreSQL on 127.0.0.1:5432', err));
    }
    const suffix = randomBytes(4).toString('hex');
    const source = `crypto_safety_src_${suffix}`;
    const target = `crypto_safety_dst_${suffix}`;
    const back = `crypto_safety_back_${suffix}`;
    const url = (db: string) => `postgres://postgres@127.0.0.1:5432/${db}`;
    const sql = async (db: string, text: string) => {
      const c = new pg.Client({ connectionString: url(db) });
      await c.connect();
      try {
        return (await c.query(text)).rows as Array<Record<string, unknown>>;
      } finally {
        await c.end();
      }
    };
    try {
      for (const d of [source, target]) await admin.query(`CREATE DATABASE ${d}`);
      await sql(source, "CREATE TABLE orders (v text); INSERT INTO orders VALUES ('backed up')");
      await sql(target, "CREATE TABLE precious (v text); INSERT INTO precious VALUES ('keep me')");
      const backups = join(dir, 'b-safety');
      const b = await runCli([
        'backup',
        '--source',
        url(source),
        '--name',
        'app',
        '--destination',
        `file:${backups}`,
        '--age-recipients',
        ageRecipient,
      ]);
      assert.equal(b.code, 0, b.stderr);
      const r = await runCli(
        [
          'restore',
          '--json',
          '--destination',
          `file:${backups}`,
          '--name',
          'app',
          '--target',
          url(target),
          '--overwrite',
        ],
        { LIFEBOAT_AGE_IDENTITY: ageKey },
      );
      assert.equal(r.code, 0, r.stderr);
      const safetyRef = jsonOf(r).outputs['safety-backup-id'] ?? '';
      assert.match(safetyRef, /^app-safety\//);
      const names = await readdir(join(backups, 'app-safety'));
      assert.ok(
        names.some((n) => n.endsWith('.tar.zst.age')),
        names.join(', '),
      );
      const indexText = await readFile(
        join(
          backups,
          'app-safety',
          names.find((n) => n.endsWith('.manifest.json'))!,
        ),
        'utf8',
      );
      assert.ok(!indexText.includes('precious'), 'the safety backup leaks a table name');
      assert.ok(!indexText.includes(target), 'the safety backup leaks the database name');

      const s2 = await runCli(
        [
          'restore',
          '--destination',
          `file:${backups}`,
          '--name',
          'app-safety',
          '--backup',
          safetyRef.split('/')[1]!,
          '--target',
          url(back),
        ],
        { LIFEBOAT_AGE_IDENTITY: ageKey },
      );
      assert.equal(s2.code, 0, s2.stderr);
      assert.deepEqual(await sql(back, 'SELECT v FROM precious'), [{ v: 'keep me' }]);
    } finally {
      const left = await admin.query(
        `SELECT datname FROM pg_database WHERE datname LIKE '%${suffix}%'`,
      );
      for (const row of left.rows as Array<{ datname: string }>)
        await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
