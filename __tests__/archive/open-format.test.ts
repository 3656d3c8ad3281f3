import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { compressStream } from '../../src/archive/compression.ts';
import { HashingStream, sha256sumLine } from '../../src/archive/hash.ts';
import type { Compression } from '../../src/archive/types.ts';
import { pseudoRandom, writeArchive, type SourceSpec } from './archive-helpers.ts';
import { unavailable } from '../helpers/services.ts';

const CHUNK = 64 * 1024;

function missingTools(tools: string[]): string[] {
  return tools.filter((t) => spawnSync(t, ['--version']).status !== 0);
}

function requireTools(t: { skip: (why: string) => void }, tools: string[]): boolean {
  const missing = missingTools(tools);
  if (missing.length === 0) return true;
  t.skip(unavailable(`${missing.join(', ')} (.ci/install-system-packages.sh installs them)`));
  return false;
}

const SMALL = Buffer.from('id,name\n1,alice\n2,bob\n');
const EXACT = pseudoRandom(CHUNK, 21);
const BIG = pseudoRandom(3 * CHUNK + 777, 22);
const SOURCES: SourceSpec[] = [
  {
    name: 'app-db',
    members: [
      { type: 'file', path: 'dump.sql', data: SMALL },
      { type: 'file', path: 'empty', data: Buffer.alloc(0) },
      { type: 'file', path: 'exact.bin', data: EXACT },
      { type: 'file', path: 'data/big.dump', data: BIG, stream: true },
    ],
  },
  {
    name: 'uploads',
    members: [
      { type: 'directory', path: 'img' },
      { type: 'file', path: 'img/logo.png', data: pseudoRandom(1000, 23) },
      { type: 'symlink', path: 'logo', target: 'img/logo.png' },
    ],
  },
];

/** Writes the archive as <dir>/<name><ext> plus <name>.sha256, exactly as a destination stores them. */
async function store(dir: string, c: Compression, ext: string): Promise<string> {
  const file = `20261122T030000Z-test${ext}`;
  const hasher = new HashingStream();
  await writeArchive(
    SOURCES,
    CHUNK,
    (stream: Readable) =>
      pipeline(stream, compressStream(c), hasher, createWriteStream(join(dir, file))),
    c,
  );
  await writeFile(join(dir, '20261122T030000Z-test.sha256'), sha256sumLine(hasher.digest(), file));
  return file;
}

async function checkExtracted(out: string): Promise<void> {
  assert.ok((await readFile(join(out, 'app-db/dump.sql'))).equals(SMALL));
  assert.equal((await readFile(join(out, 'app-db/empty'))).length, 0);
  assert.ok((await readFile(join(out, 'app-db/exact.bin'))).equals(EXACT));
  const parts = (await readdir(join(out, 'app-db/data')))
    .filter((n) => n.startsWith('big.dump.lbpart-'))
    .sort();
  assert.deepEqual(parts, [
    'big.dump.lbpart-000000',
    'big.dump.lbpart-000001',
    'big.dump.lbpart-000002',
    'big.dump.lbpart-000003',
  ]);
  // The documented way to reassemble a chunked member by hand.
  const joined = execFileSync('sh', ['-c', 'cat big.dump.lbpart-* > big.dump && cat big.dump'], {
    cwd: join(out, 'app-db/data'),
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(joined.equals(BIG));
  assert.ok((await readFile(join(out, 'uploads/img/logo.png'))).equals(pseudoRandom(1000, 23)));
  const header = JSON.parse(await readFile(join(out, 'lifeboat.json'), 'utf8'));
  assert.equal(header.format, 1);
  assert.deepEqual(
    header.sources.map((s: { name: string }) => s.name),
    ['app-db', 'uploads'],
  );
  const manifest = JSON.parse(await readFile(join(out, 'lifeboat-manifest.json'), 'utf8'));
  const big = manifest.sources[0].members.find((m: { path: string }) => m.path === 'data/big.dump');
  assert.equal(big.size, BIG.length);
  assert.equal(big.chunks.length, 4);
  const sum = execFileSync('sha256sum', [join(out, 'app-db/data/big.dump')])
    .toString()
    .split(' ')[0];
  assert.equal(sum, big.sha256);
}

test(
  'a zstd archive opens with sha256sum, zstd and GNU tar alone',
  { timeout: 120_000 },
  async (t) => {
    if (!requireTools(t, ['sha256sum', 'zstd', 'tar'])) return;
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-open-zstd-'));
    try {
      const file = await store(dir, 'zstd', '.tar.zst');
      execFileSync('sha256sum', ['-c', '20261122T030000Z-test.sha256'], {
        cwd: dir,
        stdio: 'pipe',
      });
      execFileSync('zstd', ['-q', '-d', file, '-o', 'archive.tar'], { cwd: dir, stdio: 'pipe' });
      const out = join(dir, 'out');
      execFileSync('mkdir', [out]);
      const tar = spawnSync('tar', ['-xf', join(dir, 'archive.tar'), '-C', out]);
      assert.equal(tar.status, 0, tar.stderr.toString());
      await checkExtracted(out);
      // A damaged copy fails `sha256sum -c`.
      const bytes = await readFile(join(dir, file));
      bytes[100]! ^= 1;
      await writeFile(join(dir, file), bytes);
      assert.notEqual(
        spawnSync('sha256sum', ['-c', '20261122T030000Z-test.sha256'], { cwd: dir }).status,
        0,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);

test('a gzip archive opens with tar -xzf', { timeout: 120_000 }, async (t) => {
  if (!requireTools(t, ['sha256sum', 'gzip', 'tar'])) return;
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-open-gzip-'));
  try {
    const file = await store(dir, 'gzip', '.tar.gz');
    execFileSync('sha256sum', ['-c', '20261122T030000Z-test.sha256'], { cwd: dir, stdio: 'pipe' });
    const out = join(dir, 'out');
    execFileSync('mkdir', [out]);
    const tar = spawnSync('tar', ['-xzf', join(dir, file), '-C', out]);
    assert.equal(tar.status, 0, tar.stderr.toString());
    await checkExtracted(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('GNU tar lists the entry names the format promises', { timeout: 120_000 }, async (t) => {
  if (!requireTools(t, ['tar'])) return;
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-open-list-'));
  try {
    const file = await store(dir, 'none', '.tar');
    const list = execFileSync('tar', [
      '--warning=no-unknown-keyword',
      '-tvf',
      join(dir, file),
    ]).toString();
    const names = list
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).slice(5).join(' '));
    assert.deepEqual(names, [
      'lifeboat.json',
      'app-db/dump.sql',
      'app-db/empty',
      'app-db/exact.bin',
      'app-db/data/big.dump.lbpart-000000',
      'app-db/data/big.dump.lbpart-000001',
      'app-db/data/big.dump.lbpart-000002',
      'app-db/data/big.dump.lbpart-000003',
      'uploads/img/',
      'uploads/img/logo.png',
      'uploads/logo -> img/logo.png',
      'lifeboat-manifest.json',
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
