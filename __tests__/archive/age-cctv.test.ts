import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inflateSync } from 'node:zlib';
import {
  AgeKeyError,
  AgeDecryptStream,
  NoIdentityMatchError,
  ScryptIdentity,
  WrongPassphraseError,
  X25519Identity,
  type Identity,
} from '../../src/archive/age/index.ts';

/**
 * The age reference test vectors (C2SP/CCTV, fixtures/age-cctv): every binary vector decrypts
 * to the expected outcome. One deliberate difference: on a payload failure Lifeboat releases
 * less plaintext than the reference (it holds each chunk back until it knows whether the chunk
 * is the last), so only successes are compared with the payload hash.
 */
const DIR = new URL('./fixtures/age-cctv/', import.meta.url);

function outcomeOf(err: unknown): string {
  if (err instanceof NoIdentityMatchError || err instanceof WrongPassphraseError) return 'no match';
  if (err instanceof AgeKeyError) return 'header failure';
  const message = (err as Error).message;
  if (/MAC does not match/.test(message)) return 'HMAC failure';
  if (/chunk|truncated: its last|ends after/.test(message)) return 'payload failure';
  return 'header failure';
}

const names = readdirSync(DIR).filter((n) => n !== 'README.md');

test('the C2SP/CCTV age vectors are all present', () => {
  assert.ok(names.length >= 90, `only ${names.length} vectors`);
});

for (const name of names) {
  test(`CCTV age vector ${name}`, async () => {
    const raw = readFileSync(new URL(name, DIR));
    const sep = raw.indexOf('\n\n');
    const fields = raw
      .subarray(0, sep)
      .toString()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)] as const);
    const all = (k: string) => fields.filter(([key]) => key === k).map(([, v]) => v);
    let body = raw.subarray(sep + 2);
    if (all('compressed')[0] === 'zlib') body = inflateSync(body);
    const expect = all('expect')[0]!;
    const identities: Identity[] = [
      ...all('identity').map((i) => X25519Identity.parse(i)),
      ...all('passphrase').map((p) => new ScryptIdentity(p)),
    ];
    const hash = createHash('sha256');
    let outcome = 'success';
    try {
      await pipeline(
        Readable.from([body]),
        new AgeDecryptStream(identities),
        new Writable({
          write(chunk: Buffer, _enc, cb) {
            hash.update(chunk);
            cb();
          },
        }),
      );
    } catch (err) {
      outcome = outcomeOf(err);
    }
    assert.equal(outcome, expect, `${name}: ${all('comment').join(' ')}`);
    if (expect === 'success') assert.equal(hash.digest('hex'), all('payload')[0]);
  });
}
