import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { unavailable } from '../helpers/services.ts';
import { pastSecondOf } from '../helpers/clock.ts';

const missing = ['ssh-keygen', 'age-keygen'].filter((t) => spawnSync('which', [t]).status !== 0);
function needTools(t: { skip: (why: string) => void }): boolean {
  if (missing.length === 0) return true;
  t.skip(unavailable(`${missing.join(', ')} (.ci/install-system-packages.sh installs them)`));
  return false;
}

function run(cmd: string, args: string[], input?: Buffer): Buffer {
  const r = spawnSync(cmd, args, { input });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr?.toString()}`);
  return r.stdout;
}

let dir: string;
let db: string;
let key: string;
let keyFile: string;
let allowed: string;
let otherKeyFile: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crypto-sign-'));
  db = join(dir, 'app.sqlite');
  const d = new DatabaseSync(db);
  d.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  d.exec("INSERT INTO t (v) VALUES ('real data')");
  d.close();
  if (missing.length) return;
  keyFile = join(dir, 'signing');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'backups', '-f', keyFile]);
  key = await readFile(keyFile, 'utf8');
  allowed = `backups@lifeboat ${(await readFile(`${keyFile}.pub`, 'utf8')).trim()}`;
  otherKeyFile = join(dir, 'intruder');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'intruder', '-f', otherKeyFile]);
});
after(() => rm(dir, { recursive: true, force: true }));

async function backup(dest: string, env: Record<string, string> = {}, extra: string[] = []) {
  const r = await runCli(
    [
      'backup',
      '--json',
      '--source',
      `sqlite:${db}`,
      '--name',
      'app',
      '--destination',
      `file:${dest}`,
      ...extra,
    ],
    env,
  );
  assert.equal(r.code, 0, r.stderr);
  return jsonOf(r).outputs['backup-id']!;
}

describe('signed backups', () => {
  test('a signed backup verifies with ssh-keygen -Y verify, restores, and lists as signed', async (t) => {
    if (!needTools(t)) return;
    const store = join(dir, 'store-ok');
    const id = await backup(store, { LIFEBOAT_SIGNING_KEY: key });
    const sig = join(store, 'app', `${id}.sig`);
    const index = join(store, 'app', `${id}.manifest.json`);
    assert.ok(existsSync(sig));
    const allowedFile = join(dir, 'allowed_signers');
    await writeFile(allowedFile, `${allowed}\n`);
    const byHand = spawnSync(
      'ssh-keygen',
      ['-Y', 'verify', '-f', allowedFile, '-I', 'backups@lifeboat', '-n', 'lifeboat', '-s', sig],
      { input: await readFile(index) },
    );
    assert.equal(byHand.status, 0, byHand.stderr.toString());
    assert.match(byHand.stdout.toString(), /Good "lifeboat" signature for backups@lifeboat/);

    const l = await runCli(['list', '--json', '--destination', `file:${store}`], {
      LIFEBOAT_ALLOWED_SIGNERS: allowed,
    });
    assert.equal(l.code, 0, l.stderr);
    assert.deepEqual(
      (jsonOf(l)['backups'] as Array<{ signature: string }>).map((b) => b.signature),
      ['signed'],
    );
    const v = await runCli([
      'verify',
      '--destination',
      `file:${store}`,
      '--allowed-signers',
      allowedFile,
    ]);
    assert.equal(v.code, 0, v.stderr);
    const target = join(dir, 'ok.sqlite');
    const r = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--target',
      `sqlite:${target}`,
      '--allowed-signers',
      allowedFile,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(target));
    assert.ok(!(r.stdout + r.stderr).includes(key.split('\n')[2]!), 'the signing key leaked');
  });

  test('planted, re-signed and altered backups are refused before any target is touched; retention and status ignore them', async (t) => {
    if (!needTools(t)) return;
    const store = join(dir, 'store-attack');
    const goodId = await backup(store, { LIFEBOAT_SIGNING_KEY: key });
    // Someone with write access to the store plants a self-consistent backup made without the key.
    const elsewhere = join(dir, 'attacker');
    await pastSecondOf(goodId);
    const plantedId = await backup(elsewhere);
    for (const f of await readdir(join(elsewhere, 'app')))
      await copyFile(join(elsewhere, 'app', f), join(store, 'app', f));
    const env = { LIFEBOAT_ALLOWED_SIGNERS: allowed };
    const target = join(dir, 'attacked.sqlite');
    const restore = (which: string) =>
      runCli(
        [
          'restore',
          '--destination',
          `file:${store}`,
          '--backup',
          which,
          '--target',
          `sqlite:${target}`,
        ],
        env,
      );

    let r = await restore('latest');
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`${plantedId} .* is not signed`));
    assert.equal(existsSync(target), false);
    const v = await runCli(['verify', '--destination', `file:${store}`], env);
    assert.equal(v.code, 3, v.stderr);

    // Re-signed with another key.
    const plantedSig = join(store, 'app', `${plantedId}.sig`);
    const plantedIndex = join(store, 'app', `${plantedId}.manifest.json`);
    await writeFile(
      plantedSig,
      run(
        'ssh-keygen',
        ['-Y', 'sign', '-f', otherKeyFile, '-n', 'lifeboat'],
        await readFile(plantedIndex),
      ),
    );
    r = await restore('latest');
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /badly signed: it was signed by SHA256:\S+, which allowed-signers does not list/,
    );
    assert.equal(existsSync(target), false);

    // The signed one's index altered after signing (the archive swapped for the planted one).
    const goodIndex = join(store, 'app', `${goodId}.manifest.json`);
    const original = await readFile(goodIndex, 'utf8');
    const planted = JSON.parse(await readFile(plantedIndex, 'utf8')) as { archive: unknown };
    const altered = JSON.parse(original) as { archive: unknown };
    altered.archive = planted.archive;
    await writeFile(goodIndex, JSON.stringify(altered, null, 2) + '\n');
    r = await restore(goodId);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /does not match the index/);
    assert.equal(existsSync(target), false);
    await writeFile(goodIndex, original);

    const l = await runCli(['list', '--json', '--destination', `file:${store}`], env);
    assert.deepEqual(
      (jsonOf(l)['backups'] as Array<{ id: string; signature: string }>).map((b) => [
        b.id,
        b.signature,
      ]),
      [
        [goodId, 'signed'],
        [plantedId, 'bad'],
      ],
    );
    const text = await runCli(['list', '--destination', `file:${store}`], env);
    assert.match(text.stdout, /signature/);

    // Status: the newest good backup is the signed one. Retention keeps it as the newest good one.
    const s = await runCli(
      [
        'status',
        '--json',
        '--destination',
        `file:${store}`,
        '--schedule',
        '* * * * *',
        '--grace',
        '1d',
      ],
      env,
    );
    assert.equal(s.code, 0, s.stderr);
    const p = await runCli(['prune', '--destination', `file:${store}`, '--keep-last', '1'], env);
    assert.equal(p.code, 0, p.stderr);
    assert.ok(existsSync(goodIndex), 'retention removed the only well-signed backup');

    r = await restore(goodId);
    assert.equal(r.code, 0, r.stderr);
    const restored = new DatabaseSync(target, { readOnly: true });
    assert.deepEqual(
      restored
        .prepare('SELECT v FROM t')
        .all()
        .map((x) => (x as { v: string }).v),
      ['real data'],
    );
    restored.close();
  });

  test('encrypted and signed together; bad signing options are refused up front', async (t) => {
    if (!needTools(t)) return;
    const store = join(dir, 'store-both');
    const ageKey = run('age-keygen', []).toString();
    const recipient = /public key: (age1\S+)/.exec(ageKey)![1]!;
    const identity = /AGE-SECRET-KEY-1\S+/.exec(ageKey)![0];
    await backup(store, { LIFEBOAT_SIGNING_KEY: keyFile }, ['--age-recipients', recipient]);
    const target = join(dir, 'both.sqlite');
    const r = await runCli(
      ['restore', '--destination', `file:${store}`, '--target', `sqlite:${target}`],
      {
        LIFEBOAT_ALLOWED_SIGNERS: allowed,
        LIFEBOAT_AGE_IDENTITY: identity,
      },
    );
    assert.equal(r.code, 0, r.stderr);

    const rsa = join(dir, 'rsa');
    run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', rsa]);
    const bad = await runCli(
      [
        'backup',
        '--source',
        `sqlite:${db}`,
        '--name',
        'app',
        '--destination',
        `file:${join(dir, 'none')}`,
      ],
      { LIFEBOAT_SIGNING_KEY: await readFile(rsa, 'utf8') },
    );
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /signing-key.*ssh-ed25519/);
    assert.equal(existsSync(join(dir, 'none', 'app')), false);
    const badSigners = await runCli(['list', '--destination', `file:${store}`], {
      LIFEBOAT_ALLOWED_SIGNERS: 'not a key',
    });
    assert.equal(badSigners.code, 2, badSigners.stderr);
  });
});
