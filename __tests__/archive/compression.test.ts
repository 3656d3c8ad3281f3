import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import {
  compressStream,
  decompressStream,
  zstdImplementation,
} from '../../src/archive/compression.ts';
import { checkManifestConsistency } from '../../src/archive/reader.ts';
import type { Compression } from '../../src/archive/types.ts';
import { IntegrityError } from '../../src/core/errors.ts';
import { archiveBytes, pseudoRandom, readAll, type SourceSpec } from './archive-helpers.ts';
import { unavailable } from '../helpers/services.ts';

const hasZstdCli = spawnSync('zstd', ['--version']).status === 0;
const needCli = (t: { skip: (why: string) => void }): boolean => {
  if (hasZstdCli) return true;
  t.skip(unavailable('the zstd CLI (apt-get install -y zstd)'));
  return false;
};

async function withZstd<T>(impl: 'cli' | 'node', work: () => Promise<T>): Promise<T> {
  const before = process.env.LIFEBOAT_ZSTD;
  if (impl === 'node') process.env.LIFEBOAT_ZSTD = 'node';
  else delete process.env.LIFEBOAT_ZSTD;
  try {
    assert.equal(zstdImplementation(), impl);
    return await work();
  } finally {
    if (before === undefined) delete process.env.LIFEBOAT_ZSTD;
    else process.env.LIFEBOAT_ZSTD = before;
  }
}

async function through(stream: () => NodeJS.ReadWriteStream, data: Buffer): Promise<Buffer> {
  const s = stream();
  const out = buffer(s as unknown as Readable);
  await pipeline(Readable.from([data]), s);
  return out;
}

const DATA = Buffer.concat([
  pseudoRandom(300_000, 3),
  Buffer.alloc(500_000, 'abc'),
  pseudoRandom(100_000, 4),
]);

test('zstd from the CLI and from Node read each other', { timeout: 120_000 }, async (t) => {
  if (!needCli(t)) return;
  const fromCli = await withZstd('cli', () => through(() => compressStream('zstd'), DATA));
  const fromNode = await withZstd('node', () => through(() => compressStream('zstd'), DATA));
  assert.equal(fromCli.readUInt32LE(0), 0xfd2fb528, 'zstd frame magic');
  assert.equal(fromNode.readUInt32LE(0), 0xfd2fb528, 'zstd frame magic');
  assert.ok(fromCli.length < DATA.length && fromNode.length < DATA.length);
  const a = await withZstd('node', () => through(() => decompressStream('zstd'), fromCli));
  const b = await withZstd('cli', () => through(() => decompressStream('zstd'), fromNode));
  assert.ok(a.equals(DATA));
  assert.ok(b.equals(DATA));
});

test('every compression round-trips a whole archive', { timeout: 120_000 }, async () => {
  const sources: SourceSpec[] = [
    {
      name: 'files',
      members: [{ type: 'file', path: 'a.bin', data: pseudoRandom(50_000, 8), stream: true }],
    },
  ];
  const tar = await archiveBytes(sources, 16 * 1024);
  const impls: Array<[Compression, 'cli' | 'node']> = [
    ['none', 'node'],
    ['gzip', 'node'],
    ['zstd', 'node'],
  ];
  if (hasZstdCli) impls.push(['zstd', 'cli']);
  for (const [c, impl] of impls) {
    await withZstd(impl, async () => {
      const packed = await through(() => compressStream(c), tar);
      const dec = decompressStream(c);
      const readBack = readAll(dec as unknown as Readable);
      Readable.from([packed]).pipe(dec);
      const result = await readBack;
      assert.ok(
        result.members[0]!.data!.equals(
          sources[0]!.members[0]!.type === 'file' ? sources[0]!.members[0]!.data : Buffer.alloc(0),
        ),
      );
      checkManifestConsistency(result.manifest!, result.observed!);
    });
  }
});

test(
  'corrupt compressed input fails decompressStream with an IntegrityError',
  { timeout: 120_000 },
  async () => {
    const impls: Array<[Compression, 'cli' | 'node']> = [
      ['gzip', 'node'],
      ['zstd', 'node'],
    ];
    if (hasZstdCli) impls.push(['zstd', 'cli']);
    for (const [c, impl] of impls) {
      await withZstd(impl, async () => {
        const packed = await through(() => compressStream(c), DATA);
        const garbage = Buffer.from(packed);
        for (let i = 0; i < 64; i++) garbage[20 + i * 97]! ^= 0xff;
        await assert.rejects(
          through(() => decompressStream(c), garbage),
          IntegrityError,
          `${c} via ${impl}: flipped bytes`,
        );
        await assert.rejects(
          through(() => decompressStream(c), pseudoRandom(10_000, 5)),
          IntegrityError,
          `${c} via ${impl}: not compressed at all`,
        );
      });
    }
  },
);

test(
  'a truncated zstd stream fails the CLI decompressor; gzip fails in Node',
  { timeout: 60_000 },
  async (t) => {
    const gz = await through(() => compressStream('gzip'), DATA);
    await assert.rejects(
      through(() => decompressStream('gzip'), gz.subarray(0, gz.length - 50)),
      IntegrityError,
    );
    if (!needCli(t)) return;
    await withZstd('cli', async () => {
      const z = await through(() => compressStream('zstd'), DATA);
      await assert.rejects(
        through(() => decompressStream('zstd'), z.subarray(0, z.length - 50)),
        IntegrityError,
      );
    });
  },
);

test(
  'destroying a CLI stream early stops the child without hanging',
  { timeout: 60_000 },
  async (t) => {
    if (!needCli(t)) return;
    await withZstd('cli', async () => {
      const s = compressStream('zstd');
      s.write(DATA);
      const closed = new Promise((resolve) => s.once('close', resolve));
      s.destroy();
      await closed;
      assert.equal(s.destroyed, true);
    });
  },
);
