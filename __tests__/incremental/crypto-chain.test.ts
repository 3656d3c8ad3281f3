import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { runEngine, type EngineRun } from '../helpers/engine.ts';
import { ConfigError, IntegrityError, exitCodeFor } from '../../src/core/errors.ts';
import type { SidecarManifest } from '../../src/archive/types.ts';
import {
  assertSameTree,
  dumpDatabase,
  integrityOk,
  mutateDatabase,
  seedDatabase,
  snapshotTree,
  TreeMutator,
} from './helpers.ts';
import { unavailable } from '../helpers/services.ts';

// Encrypted and signed chains, with the real age-keygen and ssh-keygen making the keys.
const missing = ['age-keygen', 'ssh-keygen'].filter((t) => spawnSync('which', [t]).status !== 0);
function needTools(t: { skip: (why: string) => void }): boolean {
  if (missing.length === 0) return true;
  t.skip(unavailable(`${missing.join(', ')} (.ci/install-system-packages.sh installs them)`));
  return false;
}
function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr?.toString()}`);
  return r.stdout.toString();
}

let work: string;
let identity: string;
let recipient: string;
let signingKey: string;
let allowed: string;
let intruderKeyFile: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'incremental_crypto-'));
  if (missing.length) return;
  const ageKey = join(work, 'age.key');
  run('age-keygen', ['-o', ageKey]);
  identity = /AGE-SECRET-KEY-1\S+/.exec(await readFile(ageKey, 'utf8'))![0];
  recipient = run('age-keygen', ['-y', ageKey]).trim();
  const keyFile = join(work, 'signing');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'backups', '-f', keyFile]);
  signingKey = await readFile(keyFile, 'utf8');
  allowed = `backups@lifeboat ${(await readFile(`${keyFile}.pub`, 'utf8')).trim()}`;
  intruderKeyFile = join(work, 'intruder');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'intruder', '-f', intruderKeyFile]);
});
after(() => rm(work, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 10, 3, 0, 0, 0);
const at = (i: number) => new Date(T0 + i * 3600_000);
const sha = async (p: string) =>
  createHash('sha256')
    .update(await readFile(p))
    .digest('hex');

async function index(store: string, set: string, id: string): Promise<SidecarManifest> {
  return JSON.parse(
    await readFile(join(store, set, `${id}.manifest.json`), 'utf8'),
  ) as SidecarManifest;
}

function ok(r: EngineRun): void {
  assert.equal(r.error, undefined, `${String(r.error)}\n${r.logs.join('\n')}`);
}

/** A failed restore leaves no target and nothing staged beside it. */
async function assertNothingLeft(dir: string, target: string): Promise<void> {
  await assert.rejects(stat(target), 'the target was not created');
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n.includes('lifeboat')),
    [],
    'nothing staged beside the target',
  );
}

/** Hourly dir: backups of a changing folder; ids and the tree at each backup. */
async function dirChain(name: string, count: number, extra: Record<string, string>) {
  const root = join(work, name);
  const src = join(root, 'src');
  const store = join(root, 'store');
  await mkdir(src, { recursive: true });
  let i = 0;
  const m = new TreeMutator(src, () => at(i));
  await m.seed(12);
  const states: Array<{ id: string; tree: Map<string, string> }> = [];
  for (i = 0; i < count; i++) {
    if (i > 0) await m.mutate(i);
    const r = await runEngine(
      {
        source: `dir:${src}`,
        destination: `file:${store}`,
        name,
        mode: 'incremental',
        'full-every': '10',
        ...extra,
      },
      at(i),
    );
    ok(r);
    states.push({ id: r.report.backupId!, tree: await snapshotTree(src) });
  }
  return { root, src, store, states };
}

describe('encrypted incremental chains', () => {
  test('dir: a chain encrypted to an age key reads its encrypted parents with age-identity, restores every state with the key, and refuses without it', async (t) => {
    if (!needTools(t)) return;
    const name = 'incremental_agedir';
    const { root, store, states } = await dirChain(name, 4, {
      'age-recipients': recipient,
      'age-identity': identity,
    });
    for (const [k, s] of states.entries()) {
      const ix = await index(store, name, s.id);
      assert.equal(ix.encrypted, true);
      assert.equal(typeof ix.detail, 'string', 'a sealed format-2 index');
      // The public index carries the chain (ids only), not the files.
      assert.equal(ix.kind, k === 0 ? 'full' : 'incremental');
      assert.equal(ix.chainPosition, k);
      assert.equal(ix.parent, k === 0 ? undefined : states[k - 1]!.id);
      const text = await readFile(join(store, name, `${s.id}.manifest.json`), 'utf8');
      assert.doesNotMatch(text, /f\d+\.bin|sha256":"[0-9a-f]{64}","storedIn/);
      assert.ok(ix.archive.key.endsWith('.tar.zst.age'));
    }
    // Incrementals store less than the full backup (only what changed).
    const full = (await index(store, name, states[0]!.id)).archive.size;
    const last = (await index(store, name, states.at(-1)!.id)).archive.size;
    assert.ok(last < full, `incremental ${last} bytes vs full ${full}`);

    for (const [k, s] of states.entries()) {
      const target = join(root, `restored-${k}`);
      const r = await runEngine(
        {
          command: 'restore',
          destination: `file:${store}`,
          name,
          backup: s.id,
          target: `dir:${target}`,
          'age-identity': identity,
        },
        new Date(),
      );
      ok(r);
      assertSameTree(await snapshotTree(target), s.tree, `state ${k}`);
      assert.ok(!r.logs.join('\n').includes(identity), 'the identity is never logged');
    }
    const v = await runEngine(
      {
        command: 'verify',
        destination: `file:${store}`,
        name,
        backup: states.at(-1)!.id,
        'age-identity': identity,
      },
      new Date(),
    );
    ok(v);
    assert.ok(v.report.proofs.some((p) => p.includes('every link of the chain')));

    // Without the key: exit 2 naming age-identity, nothing restored or staged.
    const target = join(root, 'no-key');
    const nokey = await runEngine(
      {
        command: 'restore',
        destination: `file:${store}`,
        name,
        backup: states.at(-1)!.id,
        target: `dir:${target}`,
      },
      new Date(),
    );
    assert.ok(nokey.error instanceof ConfigError, String(nokey.error));
    assert.equal(nokey.error.option, 'age-identity');
    assert.equal(exitCodeFor(nokey.error), 2);
    await assertNothingLeft(root, target);
    // verify of an encrypted incremental without a key cannot prove the chain: exit 2 too.
    const vnokey = await runEngine(
      { command: 'verify', destination: `file:${store}`, name, backup: states.at(-1)!.id },
      new Date(),
    );
    assert.ok(vnokey.error instanceof ConfigError, String(vnokey.error));
    assert.equal(exitCodeFor(vnokey.error), 2);

    // A wrong key: exit 2, nothing restored.
    const other = /AGE-SECRET-KEY-1\S+/.exec(run('age-keygen', []))![0];
    const wrong = await runEngine(
      {
        command: 'restore',
        destination: `file:${store}`,
        name,
        backup: states.at(-1)!.id,
        target: `dir:${target}`,
        'age-identity': other,
      },
      new Date(),
    );
    assert.ok(wrong.error instanceof ConfigError, String(wrong.error));
    assert.equal(exitCodeFor(wrong.error), 2);
    await assertNothingLeft(root, target);
  });

  test('dir: a backup that cannot read its encrypted parent (recipients only, no identity) starts a new full chain and says so', async (t) => {
    if (!needTools(t)) return;
    const name = 'incremental_agenokey';
    const { store, src, states } = await dirChain(name, 2, {
      'age-recipients': recipient,
      'age-identity': identity,
    });
    await writeFile(join(src, 'later.txt'), 'later');
    const r = await runEngine(
      {
        source: `dir:${src}`,
        destination: `file:${store}`,
        name,
        mode: 'incremental',
        'age-recipients': recipient,
      },
      at(5),
    );
    ok(r);
    const ix = await index(store, name, r.report.backupId!);
    assert.equal(ix.kind, 'full');
    assert.equal(ix.parent, undefined);
    assert.ok(
      r.logs.some((l) => l.includes(`${states.at(-1)!.id} is encrypted and this run has no key`)),
      r.logs.join('\n'),
    );
    // A key that does not open the parent: a new full chain too, and the log says why.
    const other = /AGE-SECRET-KEY-1\S+/.exec(run('age-keygen', []))![0];
    const wrongKey = await runEngine(
      {
        source: `dir:${src}`,
        destination: `file:${store}`,
        name,
        mode: 'incremental',
        'age-recipients': recipient,
        'age-identity': other,
      },
      at(5.5),
    );
    ok(wrongKey);
    assert.equal((await index(store, name, wrongKey.report.backupId!)).kind, 'full');
    assert.ok(
      wrongKey.logs.some((l) => l.includes('the key given does not open the newest backup')),
      wrongKey.logs.join('\n'),
    );
    assert.ok(!wrongKey.logs.join('\n').includes(other), 'the identity is never logged');
    // An unencrypted backup never chains onto an encrypted parent either.
    const plain = await runEngine(
      { source: `dir:${src}`, destination: `file:${store}`, name, mode: 'incremental' },
      at(6),
    );
    ok(plain);
    assert.equal((await index(store, name, plain.report.backupId!)).kind, 'full');
    assert.ok(plain.logs.some((l) => l.includes('is encrypted and this one is not')));
    // Nor an encrypted one onto a plain parent.
    const again = await runEngine(
      {
        source: `dir:${src}`,
        destination: `file:${store}`,
        name,
        mode: 'incremental',
        passphrase: 'a passphrase',
      },
      at(7),
    );
    ok(again);
    assert.equal((await index(store, name, again.report.backupId!)).kind, 'full');
    assert.ok(again.logs.some((l) => l.includes('this backup is encrypted and the newest backup')));
  });

  test('sqlite: a passphrase-encrypted chain restores byte-identical with the passphrase, and a wrong one is exit 2 with nothing written', async (t) => {
    if (!needTools(t)) return;
    const name = 'incremental_agesqlite';
    const dir = join(work, name);
    await mkdir(dir, { recursive: true });
    const db = join(dir, 'app.db');
    const store = join(dir, 'store');
    seedDatabase(db, 2000);
    const passphrase = 'correct horse battery incremental';
    const states: Array<{ id: string; sha: string; rows: string }> = [];
    for (let i = 0; i < 4; i++) {
      if (i > 0) mutateDatabase(db, i);
      const r = await runEngine(
        {
          source: `sqlite:${db}`,
          destination: `file:${store}`,
          name,
          mode: 'incremental',
          passphrase,
        },
        at(i),
      );
      ok(r);
      const ref = join(dir, `ref-${i}.db`);
      const s = new DatabaseSync(db, { readOnly: true });
      try {
        await backup(s, ref);
      } finally {
        s.close();
      }
      states.push({ id: r.report.backupId!, sha: await sha(ref), rows: dumpDatabase(db) });
      await rm(ref);
      const ix = await index(store, name, r.report.backupId!);
      assert.equal(ix.encrypted, true);
      assert.equal(ix.kind, i === 0 ? 'full' : 'incremental');
    }
    for (const [k, s] of states.entries()) {
      const target = join(dir, `restored-${k}.db`);
      const r = await runEngine(
        {
          command: 'restore',
          destination: `file:${store}`,
          name,
          backup: s.id,
          target: `sqlite:${target}`,
          passphrase,
        },
        new Date(),
      );
      ok(r);
      assert.equal(await sha(target), s.sha, `state ${k} is byte-identical`);
      assert.ok(integrityOk(target));
      assert.equal(dumpDatabase(target), s.rows);
    }
    const target = join(dir, 'wrong.db');
    const wrong = await runEngine(
      {
        command: 'restore',
        destination: `file:${store}`,
        name,
        backup: states.at(-1)!.id,
        target: `sqlite:${target}`,
        passphrase: 'not the passphrase',
      },
      new Date(),
    );
    assert.ok(wrong.error instanceof ConfigError, String(wrong.error));
    assert.equal(wrong.error.option, 'passphrase');
    assert.equal(exitCodeFor(wrong.error), 2);
    await assertNothingLeft(dir, target);
    assert.ok(!wrong.logs.join('\n').includes(passphrase));
  });
});

describe('encrypted chains on two destinations', () => {
  test('a damaged encrypted link on the first destination: the chain is opened and read from the second', async (t) => {
    if (!needTools(t)) return;
    const name = 'incremental_agetwo';
    const root = join(work, name);
    const src = join(root, 'src');
    const a = join(root, 'a');
    const b = join(root, 'b');
    await mkdir(src, { recursive: true });
    let i = 0;
    const m = new TreeMutator(src, () => at(i));
    await m.seed(10);
    const states: Array<{ id: string; tree: Map<string, string> }> = [];
    for (i = 0; i < 3; i++) {
      if (i > 0) await m.mutate(i);
      const r = await runEngine(
        {
          source: `dir:${src}`,
          destination: [`file:${a}`, `file:${b}`].join('\n'),
          name,
          mode: 'incremental',
          'age-recipients': recipient,
          'age-identity': identity,
        },
        at(i),
      );
      ok(r);
      states.push({ id: r.report.backupId!, tree: await snapshotTree(src) });
    }
    assert.equal((await index(a, name, states[2]!.id)).kind, 'incremental');
    // Flip a byte in the middle of link 1's ciphertext on the first destination.
    const obj = join(a, name, `${states[1]!.id}.tar.zst.age`);
    const bytes = await readFile(obj);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await writeFile(obj, bytes);
    const target = join(root, 'restored');
    const r = await runEngine(
      {
        command: 'restore',
        destination: [`file:${a}`, `file:${b}`].join('\n'),
        name,
        backup: states[2]!.id,
        target: `dir:${target}`,
        'age-identity': identity,
      },
      new Date(),
    );
    ok(r);
    assert.ok(
      r.logs.some((l) => l.includes(states[1]!.id) && l.includes(`trying the copy on file:${b}`)),
      r.logs.join('\n'),
    );
    assertSameTree(await snapshotTree(target), states[2]!.tree, 'from the second destination');
  });
});

describe('retention and list of encrypted chains (no key needed)', () => {
  test('list shows kind and parent from the public index, and prune keeps every encrypted backup a kept incremental needs', async (t) => {
    if (!needTools(t)) return;
    const name = 'incremental_ageprune';
    // b0 full, b1 b2 incremental; b3 full, b4 incremental (full-every 3).
    const { root, store, states } = await dirChain(name, 5, {
      'age-recipients': recipient,
      'age-identity': identity,
      'full-every': '3',
    });
    const list = await runEngine({ command: 'list', destination: `file:${store}`, name }, at(6));
    ok(list);
    const rows = list.report.backups.filter((b) => b.set === name);
    assert.deepEqual(
      rows.map((b) => [b.kind, b.parent, b.chainPosition, b.encrypted]),
      [
        ['full', undefined, 0, true],
        ['incremental', states[0]!.id, 1, true],
        ['incremental', states[1]!.id, 2, true],
        ['full', undefined, 0, true],
        ['incremental', states[3]!.id, 1, true],
      ],
    );
    const prune = await runEngine(
      { command: 'prune', destination: `file:${store}`, name, 'keep-last': '1' },
      at(6),
    );
    ok(prune);
    const left = (await readdir(join(store, name)))
      .filter((f) => f.endsWith('.manifest.json'))
      .map((f) => f.replace('.manifest.json', ''))
      .sort();
    assert.deepEqual(left, [states[3]!.id, states[4]!.id], 'the kept chain stays whole');
    const target = join(root, 'after-prune');
    ok(
      await runEngine(
        {
          command: 'restore',
          destination: `file:${store}`,
          name,
          target: `dir:${target}`,
          'age-identity': identity,
        },
        new Date(),
      ),
    );
    assertSameTree(await snapshotTree(target), states[4]!.tree, 'newest after prune');
  });
});

describe('signed incremental chains', () => {
  test('with allowed-signers every link is checked: an unsigned or intruder-signed link fails the restore (exit 3, naming it) with nothing written', async (t) => {
    if (!needTools(t)) return;
    const name = 'incremental_signed';
    const { root, store, states } = await dirChain(name, 4, { 'signing-key': signingKey });
    const restore = (target: string) =>
      runEngine(
        {
          command: 'restore',
          destination: `file:${store}`,
          name,
          backup: states.at(-1)!.id,
          target: `dir:${target}`,
          'allowed-signers': allowed,
        },
        new Date(),
      );
    const good = join(root, 'good');
    ok(await restore(good));
    assertSameTree(await snapshotTree(good), states.at(-1)!.tree, 'the signed chain restores');

    // A middle link whose signature is removed (as a planted backup would have none).
    const middle = states[1]!.id;
    const sig = join(store, name, `${middle}.sig`);
    const saved = await readFile(sig);
    await rm(sig);
    const t1 = join(root, 'unsigned');
    const unsigned = await restore(t1);
    assert.ok(unsigned.error instanceof IntegrityError, String(unsigned.error));
    assert.equal(exitCodeFor(unsigned.error), 3);
    assert.match(unsigned.error.message, new RegExp(`${middle}.*not signed`));
    await assertNothingLeft(root, t1);

    // The same link signed by a key allowed-signers does not list.
    const indexFile = join(store, name, `${middle}.manifest.json`);
    run('ssh-keygen', ['-Y', 'sign', '-f', intruderKeyFile, '-n', 'lifeboat', indexFile]);
    await writeFile(sig, await readFile(`${indexFile}.sig`));
    await rm(`${indexFile}.sig`);
    const t2 = join(root, 'intruder');
    const intruder = await restore(t2);
    assert.ok(intruder.error instanceof IntegrityError, String(intruder.error));
    assert.match(intruder.error.message, new RegExp(`${middle}.*badly signed`));
    await assertNothingLeft(root, t2);

    // verify checks every link's signature as restore does.
    const v = await runEngine(
      {
        command: 'verify',
        destination: `file:${store}`,
        name,
        backup: states.at(-1)!.id,
        'allowed-signers': allowed,
      },
      new Date(),
    );
    assert.ok(v.error instanceof IntegrityError, String(v.error));
    assert.equal(exitCodeFor(v.error), 3);

    // With the real signature back the chain restores again.
    await writeFile(sig, saved);
    const again = join(root, 'again');
    ok(await restore(again));
    assertSameTree(await snapshotTree(again), states.at(-1)!.tree, 'restored once whole again');
  });
});
