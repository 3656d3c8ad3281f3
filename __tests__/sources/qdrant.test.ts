// Against the Qdrant stand-in (helpers/qdrant-standin.ts), which follows Qdrant's published
// OpenAPI specification; Qdrant's own server cannot run here.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { RunReport } from '../../src/report/report.ts';
import { renderSummary } from '../../src/report/summary.ts';
import { qdrantDriver } from '../../src/sources/qdrant/index.ts';
import { embeddings } from '../helpers/chroma-server.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import { QdrantStandin, qdrantCall, startQdrantStandin } from '../helpers/qdrant-standin.ts';
import { startS3rver } from '../helpers/s3rver.ts';
import { manifestOf, workspace } from './context.ts';
import { unavailable } from '../helpers/services.ts';

let q: QdrantStandin;
let store: string;

async function fill(name: string, n: number): Promise<void> {
  await qdrantCall(q, 'PUT', `/collections/${name}`, { vectors: { size: 4, distance: 'Cosine' } });
  await qdrantCall(q, 'PUT', `/collections/${name}/points?wait=true`, {
    points: embeddings(n, 4, n).map((vector, i) => ({ id: i, vector, payload: { i } })),
  });
}

async function stored(): Promise<string[]> {
  const l = await runCli(['list', '--destination', `file:${store}`, '--json']);
  return (jsonOf(l)['backups'] as Array<{ id: string }>).map((b) => b.id);
}

async function files(): Promise<string[]> {
  return (await readdir(store, { recursive: true })).filter((f) => !f.includes('.lock'));
}

before(async () => {
  q = await startQdrantStandin();
});
after(async () => {
  await q.stop();
});
beforeEach(async () => {
  store = await mkdtemp(join(tmpdir(), 'vector-qdrant-store-'));
  q.collections.clear();
  q.faults = {};
  q.apiKey = undefined;
  await fill('vector_docs', 50);
});
afterEach(async () => {
  await rm(store, { recursive: true, force: true });
});

function backup(source = `${q.url}/vector_docs`, env: NodeJS.ProcessEnv = {}) {
  return runCli(
    ['backup', '--source', source, '--destination', `file:${store}`, '--name', 'qd', '--json'],
    env,
  );
}

describe('qdrant: faults during backup fail the run and leave nothing', () => {
  test('snapshot creation answers 500', async () => {
    q.faults.create500 = 1;
    const r = await backup();
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /create a snapshot of vector_docs: Qdrant answered 500: Service internal error/,
    );
    assert.deepEqual(await stored(), []);
  });

  test('the snapshot vanishes before its download; it is still deleted on the server', async () => {
    q.faults.vanish = true;
    const r = await backup();
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /download snapshot .*: Qdrant answered 404: Not found: Snapshot/);
    assert.deepEqual(await stored(), []);
    assert.equal(q.snapshots.get('vector_docs')?.size, 0);
    assert.ok(q.calls.some((c) => c.startsWith('DELETE /collections/vector_docs/snapshots/')));
  });

  test('a wrong checksum is an integrity failure (exit 3)', async () => {
    q.faults.wrongChecksum = true;
    const r = await backup();
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /its sha256 is [0-9a-f]{64}, Qdrant reported (ab){32}/);
    assert.deepEqual(await stored(), []);
    assert.equal(q.snapshots.get('vector_docs')?.size, 0);
  });

  test('a download cut half way', async () => {
    q.faults.cutDownload = true;
    const r = await backup();
    assert.notEqual(r.code, 0, r.stderr);
    assert.deepEqual(await stored(), []);
    assert.deepEqual(await files(), []);
    assert.equal(q.snapshots.get('vector_docs')?.size, 0);
  });

  test('an unknown collection is a config error; an unreachable server an operational one', async () => {
    const r = await backup(`${q.url}/vector_nope`);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /source: Qdrant at http:\/\/127\.0\.0\.1:\d+ has no collection 'vector_nope'/,
    );
    const gone = await backup('qdrant://127.0.0.1:1/vector_docs');
    assert.equal(gone.code, 1, gone.stderr);
    assert.match(gone.stderr, /cannot reach Qdrant at http:\/\/127\.0\.0\.1:1/);
  });
});

describe('qdrant: API key', () => {
  test('from QDRANT_API_KEY, sent as the api-key header, never shown; a wrong one is refused', async () => {
    const key = 'vector-qdrant-key-7a7a7a';
    q.apiKey = key;
    const r = await backup(`${q.url}/vector_docs`, { QDRANT_API_KEY: key });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(q.keysSeen.includes(key));
    assert.ok(!(r.stdout + r.stderr).includes(key));
    const inUrl = await backup(`qdrant://${key}@127.0.0.1:${q.port}/vector_docs`);
    assert.equal(inUrl.code, 0, inUrl.stderr);
    assert.ok(!(inUrl.stdout + inUrl.stderr).includes(key));
    const wrong = await backup(`${q.url}/vector_docs`, { QDRANT_API_KEY: 'not-the-key' });
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stderr, /401/);
    assert.match(wrong.stderr, /check the API key/);
    assert.ok(!(wrong.stdout + wrong.stderr).includes('not-the-key'));
  });
});

describe('qdrant: restore', () => {
  test('beside the original with collection-suffix; refused again; overwrite takes a safety backup', async () => {
    const b = await backup();
    assert.equal(b.code, 0, b.stderr);
    const original = q.pointsOf('vector_docs');
    const restore = (...flags: string[]) =>
      runCli([
        'restore',
        '--destination',
        `file:${store}`,
        '--name',
        'qd',
        '--target',
        q.url,
        '--json',
        ...flags,
      ]);
    const r = await restore('--collection-suffix', '_restored');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(q.pointsOf('vector_docs_restored'), original);

    const again = await restore('--collection-suffix', '_restored');
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /'vector_docs_restored' already exists/);

    // Change the original, then put the backup back over it.
    await qdrantCall(q, 'PUT', '/collections/vector_docs/points?wait=true', {
      points: [{ id: 999, vector: [1, 0, 0, 0], payload: null }],
    });
    const o = await restore('--overwrite', 'true');
    assert.equal(o.code, 0, o.stderr);
    assert.deepEqual(q.pointsOf('vector_docs'), original);
    const safety = jsonOf(o).outputs['safety-backup-id'] ?? '';
    assert.match(safety, /^qd-safety\//);
    // The safety backup holds the replaced state (51 points).
    const s = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--name',
      'qd-safety',
      '--backup',
      safety.split('/')[1]!,
      '--target',
      `${q.url}/vector_safety`,
    ]);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(q.pointsOf('vector_safety').length, 51);
    for (const snaps of q.snapshots.values()) assert.equal(snaps.size, 0);
  });

  test('two collections, the second upload refused: the first new collection is removed again', async () => {
    await fill('vector_second', 5);
    const b = await backup(q.url);
    assert.equal(b.code, 0, b.stderr);
    // vector_docs uploads, vector_second is refused.
    q.faults.failUploadNumber = q.uploads + 2;
    const r = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--name',
      'qd',
      '--target',
      q.url,
      '--collection-suffix',
      '_r',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /upload the snapshot into vector_second_r: Qdrant answered 500/);
    assert.ok(!q.collections.has('vector_docs_r'), 'the first restored collection was removed');
    assert.ok(!q.collections.has('vector_second_r'));
  });

  test('an upload the server refuses fails the restore and creates nothing', async () => {
    const b = await backup();
    assert.equal(b.code, 0, b.stderr);
    q.faults.upload500 = 1;
    const r = await runCli([
      'restore',
      '--destination',
      `file:${store}`,
      '--name',
      'qd',
      '--target',
      `${q.url}/vector_new`,
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /upload the snapshot into vector_new: Qdrant answered 500/);
    assert.ok(!q.collections.has('vector_new'));
  });

  test('verify refuses a snapshot that is not a Qdrant tar, even with matching checksums', async () => {
    const w = await workspace();
    try {
      const url = `${q.url}/vector_docs`;
      const buf = new MemberBuffer();
      const d = await qdrantDriver.open(url, w.ctx).dump(buf, w.ctx);
      assert.deepEqual(d.inventory.tables, [{ name: 'vector_docs', rows: 50, estimated: true }]);
      assert.deepEqual(d.inventory.extra?.['collections'], [
        {
          name: 'vector_docs',
          points: 50,
          vectors: { '': { size: 4, distance: 'Cosine' } },
          sparseVectors: [],
        },
      ]);
      const manifest = manifestOf('qdrant', url, buf, d.inventory, d.details);
      await qdrantDriver.verify!(buf.entries(), manifest, w.ctx);

      const snap = buf.stored.find((s) => s.record.path.endsWith('collection.snapshot'))!;
      const fake = Buffer.alloc(10240);
      fake.write('hello', 0);
      snap.data = fake;
      const details = manifest.details as { collections: Array<{ sha256: string; size: number }> };
      details.collections[0]!.sha256 = createHash('sha256').update(fake).digest('hex');
      details.collections[0]!.size = fake.length;
      await assert.rejects(qdrantDriver.verify!(buf.entries(), manifest, w.ctx), {
        name: 'IntegrityError',
        message: /is not a Qdrant snapshot/,
      });
    } finally {
      await w.cleanup();
    }
  });
});

describe('qdrant: through S3 (s3rver)', () => {
  test('backup to s3://, verify, restore into a new collection', async (t) => {
    const s3 = await startS3rver();
    if ('unavailable' in s3) {
      return t.skip(unavailable(s3.unavailable));
    }
    try {
      const bucket = await s3.createBucket();
      const common = ['--destination', `s3://${bucket}/vectors`, '--s3-endpoint', s3.endpoint];
      const b = await runCli(
        ['backup', '--source', `${q.url}/vector_docs`, '--name', 'qs3', ...common],
        s3.env,
      );
      assert.equal(b.code, 0, b.stderr);
      const v = await runCli(['verify', '--name', 'qs3', ...common], s3.env);
      assert.equal(v.code, 0, v.stderr);
      const r = await runCli(
        ['restore', '--name', 'qs3', '--target', `${q.url}/vector_from_s3`, ...common],
        s3.env,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(q.pointsOf('vector_from_s3'), q.pointsOf('vector_docs'));
      await s3.deleteBucket(bucket);
    } finally {
      await s3.close();
    }
  });
});

describe('qdrant: the summary', () => {
  test('says every collection was taken when the URL names none, with collections and points', async () => {
    await fill('vector_more', 7);
    const w = await workspace();
    try {
      const d = await qdrantDriver.open(q.url, w.ctx).dump(new MemberBuffer(), w.ctx);
      const report = new RunReport('backup');
      report.name = 'qd';
      report.sources.push({
        name: 'qdrant',
        kind: 'qdrant',
        url: q.url,
        bytes: 1,
        durationMs: 1,
        inventory: d.inventory,
        versions: d.versions,
      });
      assert.match(
        renderSummary(report),
        /\| every collection: 2 collections \(vector_docs, vector_more\), 57 records \|/,
      );
    } finally {
      await w.cleanup();
    }
  });
});
