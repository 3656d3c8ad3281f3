import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { checkManifestConsistency, readArchive } from '../../src/archive/reader.ts';
import { IntegrityError } from '../../src/core/errors.ts';
import {
  archiveBytes,
  pseudoRandom,
  readAll,
  type ReadResult,
  type SourceSpec,
} from './archive-helpers.ts';

// Every kind of entry, chunked and single, with sizes that leave padding after each body.
const CHUNK = 1000;
const SOURCES: SourceSpec[] = [
  {
    name: 'db',
    members: [
      { type: 'directory', path: 'dir' },
      { type: 'file', path: 'dir/small.txt', data: Buffer.from('a small file\n'.repeat(7)) },
      { type: 'file', path: 'multi.bin', data: pseudoRandom(3 * CHUNK + 77, 3), stream: true },
      { type: 'file', path: 'empty', data: Buffer.alloc(0) },
      { type: 'symlink', path: 'link', target: 'dir/small.txt' },
    ],
  },
  { name: 'files', members: [{ type: 'file', path: 'b.txt', data: Buffer.from('bee\n') }] },
];

/** What a reader hands on: everything a restore would write, and the manifest it trusts. */
function outcome(r: ReadResult): string {
  return JSON.stringify({
    header: r.header,
    manifest: r.manifest,
    members: r.members.map((m) => ({ ...m, data: m.data?.toString('base64') })),
  });
}

test(
  'any single changed byte anywhere in an archive is an IntegrityError, or changes nothing read',
  { timeout: 300_000 },
  async () => {
    const bytes = await archiveBytes(SOURCES, CHUNK);
    const original = outcome(await readAll(Readable.from([bytes])));
    let harmless = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, xor) => {
          const bad = Buffer.from(bytes);
          bad[at]! ^= xor;
          let read: ReadResult;
          try {
            // As verify and restore do before anything is committed: read every entry, then
            // compare what was read with the manifest.
            read = await readAll(Readable.from([bad]));
            checkManifestConsistency(read.manifest!, read.observed!);
          } catch (err) {
            assert.ok(
              err instanceof IntegrityError,
              `byte ${at} ^ ${xor}: expected an IntegrityError, got ${String(err)}`,
            );
            return;
          }
          // Read without complaint: then it must have read exactly what was written.
          assert.equal(outcome(read), original, `byte ${at} ^ ${xor} changed what was read`);
          harmless++;
        },
      ),
      { numRuns: 3000, seed: 20261207 },
    );
    // Harmless changes exist only in header fields a reader ignores; they must stay rare.
    assert.ok(harmless < 3000 * 0.05, `${harmless} of 3000 changes went unnoticed`);
  },
);

test('a header that declares chunks above the reader limit is refused before any is read', async () => {
  const bytes = await archiveBytes(SOURCES, CHUNK);
  await assert.rejects(
    (async () => {
      for await (const _ of readArchive(Readable.from([bytes]), { maxChunkSize: CHUNK - 1 }));
    })(),
    (err: unknown) =>
      err instanceof IntegrityError &&
      /declares chunks of 1000 bytes, more than this reader's limit of 999/.test(err.message),
  );
});

test('a non-zero byte in the padding after a body is an IntegrityError', async () => {
  const data = Buffer.from('x'.repeat(10));
  const bytes = await archiveBytes(
    [{ name: 's', members: [{ type: 'file', path: 'f', data }] }],
    CHUNK,
  );
  const at = bytes.indexOf(data) + data.length + 3; // inside the zeros up to the 512-byte block
  assert.equal(bytes[at], 0);
  const bad = Buffer.from(bytes);
  bad[at] = 0x41;
  await assert.rejects(readAll(Readable.from([bad])), (err: unknown) => {
    assert.ok(err instanceof IntegrityError);
    assert.match(err.message, /non-zero byte at byte \d+: the archive was altered/);
    return true;
  });
});
