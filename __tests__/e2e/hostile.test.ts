import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { ArchiveWriter } from '../../src/archive/writer.ts';
import { END_OF_ARCHIVE, encodeHeader, paddingFor } from '../../src/archive/tar.ts';
import { sha256sumLine } from '../../src/archive/hash.ts';
import type { ArchiveHeader, Manifest, SidecarManifest } from '../../src/archive/types.ts';
import { runCli } from '../helpers/cli.ts';

const ID = '20261122T030000Z-aaaaaa';

function header(): ArchiveHeader {
  return {
    format: 1,
    id: ID,
    name: 'evil',
    createdAt: '2026-11-22T03:00:00.000Z',
    tool: { name: 'lifeboat', version: 'test' },
    sources: [{ name: 'dir', kind: 'dir', url: 'dir:/data' }],
    chunkSize: 1 << 20,
  };
}

/** Stores an uncompressed archive with consistent sidecars, as a hostile storage might. */
async function store(root: string, tar: Buffer, manifest: Manifest): Promise<void> {
  await mkdir(join(root, 'evil'), { recursive: true });
  const sha256 = createHash('sha256').update(tar).digest('hex');
  const sidecar: SidecarManifest = {
    ...manifest,
    archive: { key: `evil/${ID}.tar`, size: tar.length, sha256 },
  };
  await writeFile(join(root, 'evil', `${ID}.tar`), tar);
  await writeFile(join(root, 'evil', `${ID}.sha256`), sha256sumLine(sha256, `${ID}.tar`));
  await writeFile(join(root, 'evil', `${ID}.manifest.json`), JSON.stringify(sidecar));
}

function manifestFor(members: Manifest['sources'][number]['members']): Manifest {
  return {
    format: 1,
    id: ID,
    name: 'evil',
    createdAt: '2026-11-22T03:00:00.000Z',
    finishedAt: '2026-11-22T03:00:01.000Z',
    tool: { name: 'lifeboat', version: 'test', node: 'v24' },
    compression: 'none',
    encrypted: false,
    tags: [],
    chunkSize: 1 << 20,
    sources: [
      {
        name: 'dir',
        kind: 'dir',
        url: 'dir:/data',
        versions: {},
        inventory: { files: 1, totalBytes: 4 },
        members,
        durationMs: 1,
      },
    ],
  };
}

describe('archives from untrusted storage are treated as hostile', () => {
  test('a ../ member is refused with exit 3 and nothing is written outside or inside the target', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-hostile-'));
    try {
      const json = Buffer.from(JSON.stringify(header()));
      const body = Buffer.from('pwnd');
      const parts = [
        encodeHeader({
          name: 'lifeboat.json',
          type: 'file',
          size: json.length,
          mode: 0o644,
          mtimeMs: 0,
        }),
        json,
        Buffer.alloc(paddingFor(json.length)),
        encodeHeader({
          name: 'dir/../../escaped.txt',
          type: 'file',
          size: body.length,
          mode: 0o644,
          mtimeMs: 0,
        }),
        body,
        Buffer.alloc(paddingFor(body.length)),
        END_OF_ARCHIVE,
      ];
      const tar = Buffer.concat(parts);
      await store(
        join(dir, 'store'),
        tar,
        manifestFor([
          {
            path: '../../escaped.txt',
            type: 'file',
            mode: 0o644,
            mtime: '1970-01-01T00:00:00.000Z',
            size: 4,
          },
        ]),
      );
      const target = join(dir, 'out', 'restored');
      const r = await runCli([
        'restore',
        '--destination',
        `file:${join(dir, 'store')}`,
        '--target',
        `dir:${target}`,
      ]);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(existsSync(target), false);
      assert.equal(existsSync(join(dir, 'escaped.txt')), false);
      assert.equal(existsSync(join(dir, 'out', 'escaped.txt')), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a symlink pointing out of the target is refused with exit 3 and the target is not created', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-hostile-'));
    try {
      const writer = new ArchiveWriter({ chunkSize: 1 << 20 });
      const out = buffer(writer.stream);
      await writer.writeHeader(header());
      const sink = writer.sourceSink('dir');
      await sink.addFile('ok.txt', Buffer.from('fine'), { mtime: new Date(0) });
      await sink.addSymlink('escape', '../../../../etc', { mtime: new Date(0) });
      const manifest = manifestFor(sink.records());
      await writer.finish(manifest);
      await store(join(dir, 'store'), await out, manifest);
      const target = join(dir, 'restored');
      const r = await runCli([
        'restore',
        '--destination',
        `file:${join(dir, 'store')}`,
        '--target',
        `dir:${target}`,
      ]);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /escape/);
      assert.equal(existsSync(target), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
