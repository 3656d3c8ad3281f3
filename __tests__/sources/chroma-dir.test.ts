import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChromaApi, assertSamePicture, embeddings, startChroma } from '../helpers/chroma-server.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { sourceRoundTripSuite } from '../helpers/roundtrip-suite.ts';

/** A persist directory with two collections, written by a real server that is then stopped. */
async function persistDir(): Promise<{ dir: string; path: string } | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'vector-chroma-dir-'));
  const path = join(dir, 'chroma');
  const server = await startChroma(path);
  if (!server) {
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
  try {
    const api = new ChromaApi(server.http);
    const a = await api.createCollection('vector_a', { team: 'x' });
    // More than the HNSW sync threshold (1000), so index files are written to the segment folder.
    const ids = Array.from({ length: 1500 }, (_, i) => `a${i}`);
    await api.add(a, {
      ids,
      embeddings: embeddings(1500, 12, 5),
      documents: ids.map((i) => `document ${i}`),
      metadatas: ids.map((_, i) => ({ i })),
    });
    const b = await api.createCollection('vector_b');
    await api.add(b, { ids: ['x', 'y'], embeddings: embeddings(2, 4, 6) });
  } finally {
    await server.stop();
  }
  return { dir, path };
}

async function pictureOf(path: string): Promise<unknown[]> {
  const server = await startChroma(path);
  assert.ok(server);
  try {
    return await new ChromaApi(server.http).picture();
  } finally {
    await server.stop();
  }
}

sourceRoundTripSuite('chroma+dir', async () => {
  const p = await persistDir();
  if (!p) return undefined;
  const restored = join(p.dir, 'restored');
  return {
    source: `chroma+dir:${p.path}`,
    target: `chroma+dir:${restored}`,
    async compare() {
      // A server started on the restored folder serves the same collections and records.
      const want = await pictureOf(p.path);
      assert.equal(want.length, 2);
      assertSamePicture(await pictureOf(restored), want);
    },
    async cleanup() {
      await rm(p.dir, { recursive: true, force: true });
    },
  };
});

test('chroma+dir: a directory a running server holds is refused, nothing stored', async (t) => {
  const p = await persistDir();
  if (!p) return t.skip('chroma not available');
  const store = await mkdtemp(join(tmpdir(), 'vector-chroma-store-'));
  const server = await startChroma(p.path);
  try {
    const r = await runCli([
      'backup',
      '--source',
      `chroma+dir:${p.path}`,
      '--destination',
      `file:${store}`,
      '--name',
      'held',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /is in use now by pid \d+/);
    assert.match(r.stderr, /stop Chroma first|chroma:\/\/host:8000/);
    const l = await runCli(['list', '--destination', `file:${store}`, '--json']);
    assert.deepEqual(jsonOf(l)['backups'], []);
    assert.deepEqual(
      (await readdir(store)).filter((f) => !f.startsWith('.')),
      [],
      'no object left in the store',
    );
  } finally {
    await server?.stop();
    await rm(store, { recursive: true, force: true });
    await rm(p.dir, { recursive: true, force: true });
  }
});

test('chroma+dir: a folder without chroma.sqlite3 is a config error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vector-chroma-empty-'));
  try {
    const r = await runCli([
      'backup',
      '--source',
      `chroma+dir:${dir}`,
      '--destination',
      `file:${dir}/s`,
      '--name',
      'x',
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /holds no chroma\.sqlite3/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
