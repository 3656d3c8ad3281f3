import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllowedSigners, parseSigningKey, verifySignature } from '../../src/archive/sshsig.ts';
import { unavailable } from '../helpers/services.ts';

const hasSshKeygen = spawnSync('ssh-keygen', ['-V']).error === undefined;
function need(t: { skip: (why: string) => void }): boolean {
  if (hasSshKeygen) return true;
  t.skip(unavailable('ssh-keygen (apt-get install -y openssh-client)'));
  return false;
}

const dir = mkdtempSync(join(tmpdir(), 'crypto-sshsig-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function keypair(name: string, type = 'ed25519') {
  const path = join(dir, name);
  const r = spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', path]);
  assert.equal(r.status, 0, r.stderr.toString());
  return {
    path,
    priv: readFileSync(path, 'utf8'),
    pub: readFileSync(`${path}.pub`, 'utf8').trim(),
  };
}

test('SSHSIG both ways with OpenSSH: ours verifies with ssh-keygen -Y verify, theirs with ours', (t) => {
  if (!need(t)) return;
  const k = keypair('ops');
  const message = Buffer.from('{"id":"20261122T030000Z-abcdef"}\n');
  const msgFile = join(dir, 'index.json');
  writeFileSync(msgFile, message);
  const allowedFile = join(dir, 'allowed');
  writeFileSync(allowedFile, `ops@example.com ${k.pub}\n`);

  const ours = parseSigningKey(k.priv).sign(message);
  const sigFile = join(dir, 'ours.sig');
  writeFileSync(sigFile, ours);
  const v = spawnSync(
    'ssh-keygen',
    ['-Y', 'verify', '-f', allowedFile, '-I', 'ops@example.com', '-n', 'lifeboat', '-s', sigFile],
    { input: message },
  );
  assert.equal(v.status, 0, v.stderr.toString());

  const signers = parseAllowedSigners(readFileSync(allowedFile, 'utf8'));
  const theirs = spawnSync('ssh-keygen', ['-Y', 'sign', '-f', k.path, '-n', 'lifeboat'], {
    input: message,
  });
  assert.equal(theirs.status, 0, theirs.stderr.toString());
  const ok = verifySignature(theirs.stdout.toString(), message, signers);
  assert.equal(ok.ok, true);

  const changed = verifySignature(ours, Buffer.from('{"id":"other"}\n'), signers);
  assert.deepEqual(changed.ok, false);
  assert.match((changed as { reason: string }).reason, /does not match the index/);

  const other = spawnSync('ssh-keygen', ['-Y', 'sign', '-f', k.path, '-n', 'git'], {
    input: message,
  });
  const wrongNs = verifySignature(other.stdout.toString(), message, signers);
  assert.match((wrongNs as { reason: string }).reason, /namespace 'git'/);

  const stranger = keypair('stranger');
  const bySomeoneElse = verifySignature(
    parseSigningKey(stranger.priv).sign(message),
    message,
    signers,
  );
  assert.match((bySomeoneElse as { reason: string }).reason, /which allowed-signers does not list/);
  assert.match(
    (verifySignature('garbage', message, signers) as { reason: string }).reason,
    /not an SSH signature/,
  );
});

test('allowed-signers parsing: options, namespaces, bare keys, refusals', (t) => {
  if (!need(t)) return;
  const a = keypair('a');
  const b = keypair('b');
  const signers = parseAllowedSigners(
    [
      '# team',
      `a@example.com namespaces="git,lifeboat" ${a.pub}`,
      `b@example.com namespaces="git" ${b.pub}`,
      '',
    ].join('\n'),
  );
  assert.deepEqual(
    signers.map((s) => s.principals),
    ['a@example.com'],
  );
  assert.equal(parseAllowedSigners(a.pub)[0]!.principals, '*');
  assert.throws(() => parseAllowedSigners('hello world'), /not an allowed-signers line/);
  assert.throws(
    () => parseAllowedSigners(`x@y namespaces="git" ${b.pub}`),
    /no ssh-ed25519 signer/,
  );
  const rsa = keypair('r', 'rsa');
  assert.throws(() => parseSigningKey(rsa.priv), /must be an ssh-ed25519 key/);
  assert.throws(() => parseAllowedSigners(`r@y ${rsa.pub}`), /only ssh-ed25519/);
});
