import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import {
  AgeDecryptStream,
  AgeEncryptStream,
  NoIdentityMatchError,
  ScryptIdentity,
  ScryptRecipient,
  WrongPassphraseError,
  X25519Identity,
  X25519Recipient,
  parseIdentities,
  parseRecipients,
  type Identity,
  type Recipient,
} from '../../src/archive/age/index.ts';
import { bech32Decode, bech32Encode } from '../../src/archive/age/bech32.ts';
import { IntegrityError } from '../../src/core/errors.ts';
import { unavailable } from '../helpers/services.ts';

const tools = ['age', 'age-keygen', 'ssh-keygen', 'script'];
const missing = tools.filter((t) => spawnSync('which', [t]).status !== 0);
function needTools(t: { skip: (why: string) => void }): boolean {
  if (missing.length === 0) return true;
  t.skip(unavailable(`${missing.join(', ')} (.ci/install-system-packages.sh installs them)`));
  return false;
}

const dir = mkdtempSync(join(tmpdir(), 'crypto-age-test-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function pseudoRandom(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

async function encrypt(data: Buffer, recipients: Recipient[], pieces = 7): Promise<Buffer> {
  const parts: Buffer[] = [];
  const step = Math.max(1, Math.ceil(data.length / pieces));
  for (let i = 0; i < data.length; i += step) parts.push(data.subarray(i, i + step));
  const enc = new AgeEncryptStream(recipients);
  const [out] = await Promise.all([buffer(enc), pipeline(Readable.from(parts), enc)]);
  return out;
}

async function decrypt(data: Buffer, identities: Identity[], pieceSize = 10_000): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += pieceSize) parts.push(data.subarray(i, i + pieceSize));
  const dec = new AgeDecryptStream(identities);
  const [out] = await Promise.all([buffer(dec), pipeline(Readable.from(parts), dec)]);
  return out;
}

const SIZES = [0, 1, 65535, 65536, 65537, 131072, 200_000];

test('bech32 round-trips and rejects a bad checksum', () => {
  const data = pseudoRandom(32, 3);
  const s = bech32Encode('age', data);
  assert.match(s, /^age1[02-9ac-hj-np-z]+$/);
  assert.deepEqual(bech32Decode(s).data, data);
  assert.deepEqual(bech32Decode(s.toUpperCase()).data, data);
  const bad = s.slice(0, -1) + (s.endsWith('q') ? 'p' : 'q');
  assert.throws(() => bech32Decode(bad), /checksum/);
});

test('X25519: every size round-trips, with several recipients, either identity opens it', async () => {
  const a = X25519Identity.generate();
  const b = X25519Identity.generate();
  for (const n of SIZES) {
    const data = pseudoRandom(n, n + 1);
    const sealed = await encrypt(data, [a.recipient(), b.recipient()]);
    // 64 KiB chunks, a 16-byte tag each, at least one chunk.
    const chunks = Math.max(1, Math.ceil(n / 65536));
    const header = sealed.indexOf('\n--- ') + 1 + 4 + 43 + 1;
    assert.equal(sealed.length, header + 16 + n + chunks * 16, `size ${n}`);
    assert.deepEqual(await decrypt(sealed, [a]), data);
    assert.deepEqual(await decrypt(sealed, [b], 65552), data);
  }
});

test('a wrong identity opens nothing and says so', async () => {
  const a = X25519Identity.generate();
  const sealed = await encrypt(pseudoRandom(1000), [a.recipient()]);
  await assert.rejects(decrypt(sealed, [X25519Identity.generate()]), NoIdentityMatchError);
});

test('altered payload, altered header and truncation are integrity errors', async () => {
  const a = X25519Identity.generate();
  const data = pseudoRandom(200_000, 9);
  const sealed = await encrypt(data, [a.recipient()]);
  const headerEnd = sealed.indexOf('\n--- ') + 1 + 4 + 43 + 1;

  const flipped = Buffer.from(sealed);
  flipped[headerEnd + 16 + 70_000]! ^= 1;
  await assert.rejects(decrypt(flipped, [a]), (e: Error) => {
    assert.ok(e instanceof IntegrityError);
    assert.match(e.message, /altered: chunk 2 does not authenticate/);
    return true;
  });

  // At a chunk boundary: the last chunk present is not flagged last.
  const cut = sealed.subarray(0, headerEnd + 16 + 2 * 65552);
  await assert.rejects(decrypt(cut, [a]), /truncated: it ends after chunk 2/);
  await assert.rejects(decrypt(sealed.subarray(0, sealed.length - 5), [a]), IntegrityError);
  await assert.rejects(decrypt(sealed.subarray(0, headerEnd + 4), [a]), /before its payload/);
  await assert.rejects(decrypt(sealed.subarray(0, 30), [a]), /inside its age header/);

  // A stanza body bit flip: the key does not unwrap, so nothing matches.
  const headerText = sealed.subarray(0, headerEnd).toString('latin1');
  const lines = headerText.split('\n');
  const bodyLine = lines.findIndex((l) => l.startsWith('-> X25519')) + 1;
  const body = lines[bodyLine]!;
  lines[bodyLine] = (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
  const badStanza = Buffer.concat([
    Buffer.from(lines.join('\n'), 'latin1'),
    sealed.subarray(headerEnd),
  ]);
  await assert.rejects(decrypt(badStanza, [a]), NoIdentityMatchError);

  // A recipient added to the header (by someone without the file key): the MAC fails.
  const other = X25519Identity.generate();
  const extra = (await other.recipient().wrap(pseudoRandom(16)))[0]!;
  const injected = headerText.replace(
    '\n---',
    `\n-> X25519 ${extra.args[0]}\n${extra.body.toString('base64').replace(/=+$/, '')}\n---`,
  );
  await assert.rejects(
    decrypt(Buffer.concat([Buffer.from(injected, 'latin1'), sealed.subarray(headerEnd)]), [a]),
    /header was altered: its MAC does not match/,
  );
  await assert.rejects(decrypt(Buffer.from('not age at all\n--- x\n'), [a]), /not an age v1/);
});

test('passphrase (scrypt): round trip, and a wrong passphrase is named as such', async () => {
  const data = pseudoRandom(70_000, 5);
  const sealed = await encrypt(data, [new ScryptRecipient('correct horse', 10)]);
  assert.deepEqual(await decrypt(sealed, [new ScryptIdentity('correct horse')]), data);
  await assert.rejects(decrypt(sealed, [new ScryptIdentity('wrong')]), WrongPassphraseError);
  await assert.rejects(decrypt(sealed, [X25519Identity.generate()]), NoIdentityMatchError);
});

test('recipient and identity texts: comments, several keys, clear refusals', () => {
  const a = X25519Identity.generate();
  const b = X25519Identity.generate();
  const text = `# team\n${a.recipient().fingerprint}\n\n  ${b.recipient().fingerprint}  \n`;
  assert.deepEqual(
    parseRecipients(text).map((r) => r.fingerprint),
    [a.recipient().fingerprint, b.recipient().fingerprint],
  );
  assert.equal(parseIdentities(`# created\n${a.encode()}\n`).length, 1);
  assert.throws(() => parseRecipients('age1qqqq'), /not a valid age recipient/);
  assert.throws(() => parseRecipients('hello'), /age1… public key or an ssh-ed25519/);
  assert.throws(() => parseIdentities('age1abc'), /AGE-SECRET-KEY-1/);
  assert.throws(() => parseIdentities('# nothing\n'), /no identity/);
  assert.equal(
    X25519Recipient.parse(a.recipient().fingerprint).fingerprint,
    a.recipient().fingerprint,
  );
});

function run(cmd: string, args: string[], input?: Buffer | string) {
  const r = spawnSync(cmd, args, { input, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr?.toString()}`);
  return r.stdout;
}

function sshKey(type: 'ed25519' | 'rsa'): { priv: string; pub: string; privText: string } {
  const priv = join(dir, `id_${type}`);
  run('ssh-keygen', [
    '-q',
    '-t',
    type,
    ...(type === 'rsa' ? ['-b', '2048'] : []),
    '-N',
    '',
    '-C',
    'lifeboat-test',
    '-f',
    priv,
  ]);
  return { priv, pub: readFileSync(`${priv}.pub`, 'utf8'), privText: readFileSync(priv, 'utf8') };
}

for (const kind of ['x25519', 'ssh-ed25519', 'ssh-rsa'] as const) {
  test(`interop with the age CLI both ways: ${kind}`, async (t) => {
    if (!needTools(t)) return;
    let identityFile: string;
    let recipientLine: string;
    if (kind === 'x25519') {
      identityFile = join(dir, 'age-key.txt');
      run('age-keygen', ['-o', identityFile]);
      recipientLine = run('age-keygen', ['-y', identityFile]).toString();
    } else {
      const k = sshKey(kind === 'ssh-rsa' ? 'rsa' : 'ed25519');
      identityFile = k.priv;
      recipientLine = k.pub;
    }
    const identities = parseIdentities(readFileSync(identityFile, 'utf8'));
    const recipients = parseRecipients(recipientLine);
    for (const n of [0, 65536, 200_000]) {
      const data = pseudoRandom(n, n + 7);
      const ours = await encrypt(data, recipients);
      const sealedFile = join(dir, `ours-${kind}-${n}.age`);
      writeFileSync(sealedFile, ours);
      assert.deepEqual(run('age', ['-d', '-i', identityFile, sealedFile]), data, `age -d ${n}`);

      const plainFile = join(dir, `plain-${n}`);
      writeFileSync(plainFile, data);
      const theirs = run('age', ['-e', '-r', recipientLine.trim(), plainFile]);
      assert.deepEqual(await decrypt(theirs, identities), data, `age -e ${n}`);
    }
  });
}

test(
  'interop with the age CLI both ways: passphrase (driven through a pty)',
  { timeout: 120_000 },
  async (t) => {
    if (!needTools(t)) return;
    const data = pseudoRandom(100_000, 11);
    const plainFile = join(dir, 'pass-plain');
    writeFileSync(plainFile, data);
    const passphrase = 'lifeboat interop passphrase';
    // age reads a passphrase from the terminal only: `script` gives it one, fed through stdin.
    const viaTty = async (command: string, answers: number): Promise<void> => {
      const { spawn } = await import('node:child_process');
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let seen = '';
      let answered = 0;
      child.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        const prompts = (seen.match(/passphrase/gi) ?? []).length;
        while (answered < Math.min(prompts, answers)) {
          answered++;
          child.stdin.write(`${passphrase}\n`);
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, `${command}: ${seen}`);
    };

    const theirsFile = join(dir, 'pass-theirs.age');
    await viaTty(`age -p -o ${theirsFile} ${plainFile}`, 2);
    const theirs = readFileSync(theirsFile);
    assert.match(theirs.subarray(0, 40).toString('latin1'), /-> scrypt /);
    assert.deepEqual(await decrypt(theirs, [new ScryptIdentity(passphrase)]), data);

    const oursFile = join(dir, 'pass-ours.age');
    writeFileSync(oursFile, await encrypt(data, [new ScryptRecipient(passphrase)]));
    const outFile = join(dir, 'pass-out');
    await viaTty(`age -d -o ${outFile} ${oursFile}`, 1);
    assert.deepEqual(readFileSync(outFile), data);
  },
);

test('hostile headers: an endless header and an excessive scrypt work factor are refused', async () => {
  const a = X25519Identity.generate();
  // No "---" line in sight: the reader stops buffering at its limit instead of growing.
  const endless = Buffer.concat([
    Buffer.from('age-encryption.org/v1\n'),
    Buffer.alloc(2 * 1024 * 1024, 0x41),
  ]);
  await assert.rejects(decrypt(endless, [a], 65536), /too long or malformed/);

  const sealed = await encrypt(pseudoRandom(100), [new ScryptRecipient('pw', 10)]);
  const text = sealed.toString('latin1').replace(/(-> scrypt \S+) 10\n/, '$1 30\n');
  await assert.rejects(
    decrypt(Buffer.from(text, 'latin1'), [new ScryptIdentity('pw')]),
    /work factor is 2\^30/,
  );
  // A scrypt stanza beside another is refused, as age does.
  const mixed = Buffer.from(
    sealed
      .toString('latin1')
      .replace('\n---', `\n-> X25519 ${'A'.repeat(43)}\n${'A'.repeat(43)}\n---`),
    'latin1',
  );
  await assert.rejects(decrypt(mixed, [new ScryptIdentity('pw')]), /must be the only one/);
});

test(
  '128 MiB through encryption and decryption with bounded memory',
  { timeout: 300_000 },
  async () => {
    const id = X25519Identity.generate();
    const total = 128 * 1024 * 1024;
    const pattern = pseudoRandom(1024 * 1024 + 4096, 21);
    const inHash = createHash('sha256');
    const outHash = createHash('sha256');
    let sent = 0;
    let round = 0;
    const source = new Readable({
      read() {
        if (sent >= total) return void this.push(null);
        const offset = (round++ * 4099) % 4096;
        // Odd piece sizes, so chunk boundaries fall everywhere.
        const piece = Buffer.from(
          pattern.subarray(offset, offset + Math.min(100_003, total - sent)),
        );
        piece.writeUInt32LE(round, 0);
        inHash.update(piece);
        sent += piece.length;
        this.push(piece);
      },
    });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let received = 0;
    await pipeline(
      source,
      new AgeEncryptStream([id.recipient()]),
      new AgeDecryptStream([id]),
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          outHash.update(chunk);
          received += chunk.length;
          peak = Math.max(peak, process.memoryUsage().rss);
          cb();
        },
      }),
    );
    assert.equal(received, total);
    assert.equal(outHash.digest('hex'), inHash.digest('hex'));
    assert.ok(
      peak - baseline < 64 * 1024 * 1024,
      `RSS grew by ${((peak - baseline) / 1048576).toFixed(0)} MiB`,
    );
  },
);
