import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { compareIds, runConsistencyChecks } from '../../src/sources/consistency.ts';
import { workspace } from './context.ts';
import { ChromaApi, embeddings, startChroma, type ChromaServer } from '../helpers/chroma-server.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { QdrantStandin, qdrantCall, startQdrantStandin } from '../helpers/qdrant-standin.ts';
import { unavailable } from '../helpers/services.ts';

describe('compareIds', () => {
  test('counts missing ids, orphans and duplicates on both sides', () => {
    const r = compareIds('x', ['1', '2', '3', '3', '4'], ['2', '3', '4', '9', '9', '8'], 0);
    assert.deepEqual(r.missing, { count: 1, first: ['1'] });
    assert.deepEqual(r.orphans, { count: 2, first: ['9', '8'] });
    assert.deepEqual(r.duplicates, { count: 2, first: ['3', '9'] });
    assert.equal(r.differences, 5);
    assert.equal(r.ok, false);
    assert.equal(compareIds('x', ['1', '2'], ['2', '1'], 0).ok, true);
    assert.equal(compareIds('x', ['1', '2'], ['2'], 1).ok, true);
  });
});

describe('consistency during backup (SQLite ⇔ Chroma)', () => {
  let server: ChromaServer | undefined;
  let dir: string;
  let docs: string;
  let api: ChromaApi;
  before(async () => {
    server = await startChroma();
    dir = await mkdtemp(join(tmpdir(), 'vector-consistency-'));
    const db = new DatabaseSync(join(dir, 'app.db'));
    db.exec('CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, deleted_at TEXT)');
    const ins = db.prepare('INSERT INTO documents (id, title, deleted_at) VALUES (?, ?, ?)');
    for (let i = 1; i <= 40; i++) ins.run(i, `doc ${i}`, i === 40 ? '2026-01-01' : null);
    db.close();
    if (!server) return;
    api = new ChromaApi(server.http);
    docs = await api.createCollection('vector_cons');
    const ids = Array.from({ length: 39 }, (_, i) => String(i + 1));
    await api.add(docs, { ids, embeddings: embeddings(39, 4, 2) });
  });
  after(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const run = (store: string, ...extra: string[]) =>
    runCli([
      'backup',
      '--source',
      `app=sqlite:${join(dir, 'app.db')}`,
      '--source',
      `vectors=${server!.url}/vector_cons`,
      '--consistency',
      'app: SELECT id FROM documents WHERE deleted_at IS NULL == vectors/vector_cons',
      '--destination',
      `file:${store}`,
      '--name',
      'cons',
      '--json',
      ...extra,
    ]);

  test('agreeing stores pass; a planted orphan and a planted missing id fail the run, the backup stays', async (t) => {
    if (!server) return t.skip('chroma not available');
    const store = join(dir, 'store');
    const okRun = await run(store);
    assert.equal(okRun.code, 0, okRun.stderr);
    assert.match(okRun.stderr, /39 SQL ids, 39 vectors; 0 differences/);

    // Plant an orphan vector and delete one embedding: a missing id.
    await api.add(docs, { ids: ['orphan-1'], embeddings: embeddings(1, 4, 3) });
    await api.deleteIds(docs, ['7']);
    const bad = await run(store);
    assert.equal(bad.code, 3, bad.stderr);
    assert.match(bad.stderr, /missing from the vector store: 1 \(7\)/);
    assert.match(bad.stderr, /orphan vectors \(no SQL row\): 1 \(orphan-1\)/);
    assert.match(bad.stderr, /consistency: .* differs in 2 \(tolerance 0\)/);
    assert.match(bad.stderr, /was stored and is intact/);
    assert.equal(jsonOf(bad).outputs['error-kind'], 'integrity');
    const l = await runCli(['list', '--destination', `file:${store}`, '--json']);
    assert.equal((jsonOf(l)['backups'] as unknown[]).length, 2);

    const tolerated = await run(store, '--consistency-tolerance', '2');
    assert.equal(tolerated.code, 0, tolerated.stderr);
  });

  test('runConsistencyChecks (what drill calls) checks restored copies under renamed collections', async (t) => {
    if (!server) return t.skip('chroma not available');
    const copy = await api.createCollection('vector_cons_copy');
    const ids = Array.from({ length: 39 }, (_, i) => String(i + 1));
    await api.add(copy, { ids, embeddings: embeddings(39, 4, 2) });
    const w = await workspace();
    try {
      const [r] = await runConsistencyChecks(
        ['app: SELECT id FROM documents WHERE deleted_at IS NULL == vectors/vector_cons'],
        [
          { name: 'app', kind: 'sqlite', url: `sqlite:${join(dir, 'app.db')}` },
          { name: 'vectors', kind: 'chroma', url: server.url },
        ],
        0,
        w.ctx,
        (_, c) => `${c}_copy`,
      );
      assert.equal(r!.ok, true, JSON.stringify(r));
      assert.equal(r!.vectorCount, 39);
    } finally {
      await w.cleanup();
    }
  });

  test('bad lines are refused before anything runs', async (t) => {
    if (!server) return t.skip('chroma not available');
    const store = join(dir, 'store-bad');
    const cases: Array<[string, RegExp]> = [
      ['app SELECT id FROM documents', /cannot read/],
      ['nope: SELECT 1 == vectors/vector_cons', /names source 'nope'/],
      ['vectors: SELECT 1 == app/x', /the left side must be SQL/],
      ['app: SELECT 1 == vectors', /the right side|names no collection/],
    ];
    for (const [line, message] of cases) {
      const r = await runCli([
        'backup',
        '--source',
        `app=sqlite:${join(dir, 'app.db')}`,
        '--source',
        `vectors=${server.url}`,
        '--consistency',
        line,
        '--destination',
        `file:${store}`,
        '--name',
        'cons',
      ]);
      assert.equal(r.code, 2, `${line}: ${r.stderr}`);
      assert.match(r.stderr, /consistency: /);
      assert.match(r.stderr, message);
      const l = await runCli(['list', '--destination', `file:${store}`, '--json']);
      assert.deepEqual(jsonOf(l)['backups'], []);
    }
  });
});

describe('consistency during backup (PostgreSQL ⇔ Qdrant stand-in)', () => {
  const database = `vector_cons_${process.pid}`;
  let q: QdrantStandin;
  let available = true;
  before(async () => {
    q = await startQdrantStandin();
    const admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
    try {
      await admin.connect();
    } catch (err) {
      unavailable('PostgreSQL on 127.0.0.1:5432', err);
      available = false;
      return;
    }
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const c = new pg.Client({ host: '127.0.0.1', user: 'postgres', database });
    await c.connect();
    await c.query('CREATE TABLE documents (id uuid PRIMARY KEY, deleted_at timestamptz)');
    await c.query(
      "INSERT INTO documents SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, NULL FROM generate_series(1, 30) g",
    );
    await c.end();
    await qdrantCall(q, 'PUT', '/collections/docs', { vectors: { size: 2, distance: 'Dot' } });
    await qdrantCall(q, 'PUT', '/collections/docs/points?wait=true', {
      points: Array.from({ length: 30 }, (_, i) => ({
        id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
        vector: [i, 1],
      })),
    });
  });
  after(async () => {
    await q.stop();
    if (!available) return;
    const admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.end();
  });

  test('uuid ids compare as text; a deleted point fails the run', async (t) => {
    if (!available) return t.skip('postgres not available');
    const store = await mkdtemp(join(tmpdir(), 'vector-cons-pg-'));
    const run = () =>
      runCli([
        'backup',
        '--source',
        `app=postgres://postgres@127.0.0.1:5432/${database}`,
        '--source',
        `vectors=${q.url}/docs`,
        '--consistency',
        'app: SELECT id::text FROM documents WHERE deleted_at IS NULL == vectors',
        '--destination',
        `file:${store}`,
        '--name',
        'pgq',
      ]);
    try {
      const ok = await run();
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stderr, /30 SQL ids, 30 vectors; 0 differences/);
      await qdrantCall(q, 'POST', '/collections/docs/points/delete?wait=true', {
        points: ['00000000-0000-4000-8000-000000000005'],
      });
      const bad = await run();
      assert.equal(bad.code, 3, bad.stderr);
      assert.match(
        bad.stderr,
        /missing from the vector store: 1 \(00000000-0000-4000-8000-000000000005\)/,
      );
    } finally {
      await rm(store, { recursive: true, force: true });
    }
  });
});
