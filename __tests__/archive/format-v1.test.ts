import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { checkManifestConsistency } from '../../src/archive/reader.ts';
import { pseudoRandom, readAll, sha256, writeArchive, type SourceSpec } from './archive-helpers.ts';

/**
 * The format-1 fixture: an archive written by the first release. Every later release must read
 * it; while the writer still writes format 1 it must reproduce it byte for byte, so an
 * accidental format change fails here. Regenerate only together with a FORMAT_VERSION bump
 * (keeping this file as the old version's fixture): LIFEBOAT_WRITE_FIXTURES=1 npm test -- <this file>.
 */
const FIXTURE = new URL('./fixtures/format-v1.tar', import.meta.url);
const T = new Date(Date.UTC(2026, 10, 22, 3, 0, 0, 250));

const SOURCES: SourceSpec[] = [
  {
    name: 'app-db',
    members: [
      {
        type: 'file',
        path: 'dump.sql',
        data: Buffer.from('CREATE TABLE t (id int);\n'),
        meta: { mtime: T },
      },
      { type: 'file', path: 'empty', data: Buffer.alloc(0), meta: { mode: 0o600, mtime: T } },
      {
        type: 'file',
        path: 'data/big.bin',
        data: pseudoRandom(2 * 1024 + 100, 31),
        meta: { mtime: T },
        stream: true,
      },
    ],
  },
  {
    name: 'files',
    members: [
      { type: 'directory', path: 'img', meta: { mode: 0o750, mtime: T } },
      {
        type: 'file',
        path: `img/${'n'.repeat(110)}.png`,
        data: pseudoRandom(700, 32),
        meta: { mtime: T },
      },
      { type: 'symlink', path: 'current', target: 'img', meta: { mtime: T } },
    ],
  },
];

async function writeFixture(): Promise<Buffer> {
  const { result } = await writeArchive(SOURCES, 1024, (s) => buffer(s));
  return result;
}

test(
  'format 1 fixture: still readable, every member and record as written',
  { timeout: 60_000 },
  async () => {
    if (process.env.LIFEBOAT_WRITE_FIXTURES === '1') {
      await mkdir(new URL('./fixtures/', import.meta.url), { recursive: true });
      await writeFile(FIXTURE, await writeFixture());
    }
    const bytes = await readFile(FIXTURE);
    const read = await readAll(Readable.from([bytes]));
    assert.equal(read.header?.format, 1);
    assert.equal(read.header?.chunkSize, 1024);
    assert.deepEqual(
      read.members.map((m) => [
        m.source,
        m.path,
        m.type,
        m.mode,
        m.mtime.toISOString(),
        m.linkTarget ?? null,
      ]),
      [
        ['app-db', 'dump.sql', 'file', 0o644, T.toISOString(), null],
        ['app-db', 'empty', 'file', 0o600, T.toISOString(), null],
        ['app-db', 'data/big.bin', 'file', 0o644, T.toISOString(), null],
        ['files', 'img', 'directory', 0o750, T.toISOString(), null],
        ['files', `img/${'n'.repeat(110)}.png`, 'file', 0o644, T.toISOString(), null],
        ['files', 'current', 'symlink', 0o777, T.toISOString(), 'img'],
      ],
    );
    assert.equal(read.members[0]!.data!.toString(), 'CREATE TABLE t (id int);\n');
    assert.equal(read.members[1]!.data!.length, 0);
    assert.equal(sha256(read.members[2]!.data!), sha256(pseudoRandom(2 * 1024 + 100, 31)));
    assert.deepEqual(
      read.observed!['app-db']![2]!.chunks!.map((c) => [c.entry, c.size]),
      [
        ['app-db/data/big.bin.lbpart-000000', 1024],
        ['app-db/data/big.bin.lbpart-000001', 1024],
        ['app-db/data/big.bin.lbpart-000002', 100],
      ],
    );
    checkManifestConsistency(read.manifest!, read.observed!);
  },
);

test(
  'format 1 fixture: the current writer reproduces it byte for byte',
  { timeout: 60_000 },
  async () => {
    const fixture = await readFile(FIXTURE);
    const now = await writeFixture();
    assert.equal(now.length, fixture.length);
    assert.ok(
      now.equals(fixture),
      'the writer no longer writes format 1 exactly: bump FORMAT_VERSION and keep this fixture',
    );
  },
);
