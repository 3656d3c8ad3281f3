// Chroma and Qdrant through the action as the runner runs it (dist/index.js). Qdrant runs
// against the stand-in that follows Qdrant's OpenAPI specification; its server cannot run here.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, test } from 'node:test';
import { runAction, type ActionRun } from '../helpers/action-harness.ts';
import { ChromaApi, assertSamePicture, embeddings, startChroma } from '../helpers/chroma-server.ts';
import { qdrantCall, startQdrantStandin } from '../helpers/qdrant-standin.ts';

const ACTION = resolve('dist/index.js');
const show = (r: ActionRun) => `exit ${r.code}\n${r.log}`;

describe(
  'vector stores through the action',
  { skip: !existsSync(ACTION) && 'dist/index.js not built (npm run build)' },
  () => {
    test('chroma: backup, then restore into another database with the same records', async (t) => {
      const server = await startChroma();
      if (!server) return t.skip('chroma not available');
      const dir = await mkdtemp(join(tmpdir(), 'vector-action-'));
      try {
        const api = new ChromaApi(server.http);
        const id = await api.createCollection('vector_act', { app: 'x' });
        await api.add(id, {
          ids: ['a', 'b', 'c'],
          embeddings: embeddings(3, 5, 4),
          documents: ['one', null, 'three'],
          metadatas: [{ n: 1 }, null, { n: 3 }],
        });
        const b = await runAction({
          workspace: dir,
          inputs: { source: `${server.url}/vector_act`, destination: 'file:./backups' },
        });
        assert.equal(b.code, 0, show(b));
        assert.equal(b.outputs['verified'], 'true');
        const r = await runAction({
          workspace: dir,
          inputs: {
            command: 'restore',
            destination: 'file:./backups',
            target: `${server.url}/?database=vector_act_restored`,
          },
        });
        assert.equal(r.code, 0, show(r));
        assertSamePicture(
          await api.picture(api.db('default_tenant', 'vector_act_restored')),
          await api.picture(),
        );
      } finally {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('qdrant: backup with QDRANT_API_KEY (masked), restore into a new collection', async () => {
      const q = await startQdrantStandin();
      const dir = await mkdtemp(join(tmpdir(), 'vector-action-'));
      const key = 'vector-action-key-5150';
      try {
        q.apiKey = key;
        await qdrantCall(q, 'PUT', '/collections/docs', { vectors: { size: 3, distance: 'Dot' } });
        await qdrantCall(q, 'PUT', '/collections/docs/points?wait=true', {
          points: [
            { id: 1, vector: [1, 2, 3], payload: { t: 'a' } },
            { id: 2, vector: [3, 2, 1], payload: null },
          ],
        });
        const b = await runAction({
          workspace: dir,
          inputs: { source: `${q.url}/docs`, destination: 'file:./backups' },
          env: { QDRANT_API_KEY: key },
        });
        assert.equal(b.code, 0, show(b));
        assert.ok(b.masks.includes(key));
        assert.equal(b.log.replaceAll(`::add-mask::${key}`, '').includes(key), false);
        assert.equal(b.summary.includes(key), false);
        const r = await runAction({
          workspace: dir,
          inputs: {
            command: 'restore',
            destination: 'file:./backups',
            target: `${q.url}/docs_restored`,
          },
          env: { QDRANT_API_KEY: key },
        });
        assert.equal(r.code, 0, show(r));
        assert.deepEqual(q.pointsOf('docs_restored'), q.pointsOf('docs'));
      } finally {
        await q.stop();
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('drill: SQLite + Qdrant into a spare server, consistency on the restored copies; an orphan fails (integrity), scratch gone', async () => {
      const prod = await startQdrantStandin();
      const spare = await startQdrantStandin();
      const dir = await mkdtemp(join(tmpdir(), 'vector-action-'));
      try {
        const db = new DatabaseSync(join(dir, 'app.db'));
        db.exec('CREATE TABLE documents (id INTEGER PRIMARY KEY)');
        db.exec('INSERT INTO documents VALUES (1), (2), (3)');
        db.close();
        await qdrantCall(prod, 'PUT', '/collections/docs', {
          vectors: { size: 3, distance: 'Dot' },
        });
        const put = (ids: number[]) =>
          qdrantCall(prod, 'PUT', '/collections/docs/points?wait=true', {
            points: ids.map((id) => ({ id, vector: [id, 1, 0] })),
          });
        await put([1, 2, 3]);
        const common = { destination: 'file:./backups', name: 'app' };
        const backup = () =>
          runAction({
            workspace: dir,
            inputs: {
              ...common,
              source: `app=sqlite:app.db\nvectors=${prod.url}/docs`,
            },
          });
        // The backup drilled is named: two backups in one second cannot be told apart by time.
        const drill = (backupId: string) =>
          runAction({
            workspace: dir,
            inputs: {
              ...common,
              command: 'drill',
              backup: backupId,
              target: `vectors=${spare.url}`,
              consistency: 'app: SELECT id FROM documents == vectors',
            },
          });
        const first = await backup();
        assert.equal(first.code, 0, show(first));
        const ok = await drill(first.outputs['backup-id']!);
        assert.equal(ok.code, 0, show(ok));
        assert.equal(ok.outputs['drill-ok'], 'true');
        assert.match(
          ok.summary,
          /\| consistency app: SELECT id FROM documents == vectors \| passed \| 3 SQL ids, 3 vectors; 0 missing/,
        );
        assert.match(ok.summary, /\| inventory vectors \| passed \| 1 collection, 3 points/);
        assert.deepEqual([...spare.collections.keys()], []);

        await put([42]);
        const second = await backup();
        assert.equal(second.code, 0, show(second));
        const bad = await drill(second.outputs['backup-id']!);
        assert.equal(bad.code, 1, show(bad));
        assert.equal(bad.outputs['error-kind'], 'integrity');
        assert.equal(bad.outputs['drill-ok'], 'false');
        assert.match(bad.errors[0]!.message, /consistency app: .*1 orphan vectors \(42\)/);
        assert.match(bad.summary, /\*\*failed\*\* \| 3 SQL ids, 4 vectors/);
        assert.deepEqual([...spare.collections.keys()], []);
        assert.deepEqual([...prod.collections.keys()], ['docs']);
      } finally {
        await prod.stop();
        await spare.stop();
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
