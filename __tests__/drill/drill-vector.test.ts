import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { ChromaApi, embeddings, startChroma, type ChromaServer } from '../helpers/chroma-server.ts';
import { QdrantStandin, qdrantCall, startQdrantStandin } from '../helpers/qdrant-standin.ts';
import { LOCAL_POSTGRES, connectOrSkip } from '../helpers/services.ts';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { CancelledError, exitCodeFor } from '../../src/core/errors.ts';
import { check, drillRecords, drillSpace, drillWithHook, leftovers } from './drill-helpers.ts';

/** A SQLite database with `documents` ids 1..n. */
function makeDocs(path: string, n: number): void {
  const d = new DatabaseSync(path);
  d.exec('CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT)');
  const ins = d.prepare('INSERT INTO documents (id, title) VALUES (?, ?)');
  for (let i = 1; i <= n; i++) ins.run(i, `doc ${i}`);
  d.close();
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));

describe('drill: SQLite + Chroma, with the cross-store check on the restored copies', () => {
  let server: ChromaServer | undefined;
  let api: ChromaApi;
  const SCRATCH_DB = 'drillvec_scratch';
  const scratchDb = () => api.db('default_tenant', SCRATCH_DB);

  before(async () => {
    server = await startChroma();
    if (server) api = new ChromaApi(server.http);
  });
  after(async () => {
    await server?.stop();
  });

  /** Backs up `app` (SQLite, 12 documents) and `vectors` (one Chroma collection) as set `name`. */
  async function backupPair(
    w: Awaited<ReturnType<typeof drillSpace>>,
    name: string,
    plant?: (collectionId: string) => Promise<void>,
  ): Promise<{ id: string; collection: string }> {
    const db = join(w.dir, `${name}.db`);
    makeDocs(db, 12);
    const collection = `drillvec_${name}`;
    const cid = await api.createCollection(collection, { owner: 'drillvec' });
    await api.add(cid, {
      ids: ids(12),
      embeddings: embeddings(12, 4, 7),
      documents: ids(12).map((i) => `doc ${i}`),
    });
    await plant?.(cid);
    const b = await w.cli([
      'backup',
      '--source',
      `app=sqlite:${db}`,
      '--source',
      `vectors=${server!.url}/${collection}`,
      '--destination',
      `file:${w.store}`,
      '--name',
      name,
    ]);
    assert.equal(b.code, 0, b.stderr);
    return { id: b.json.outputs['backup-id']!, collection };
  }

  const drill = (
    w: Awaited<ReturnType<typeof drillSpace>>,
    name: string,
    collection: string,
    ...extra: string[]
  ) =>
    w.cli([
      'drill',
      '--destination',
      `file:${w.store}`,
      '--name',
      name,
      '--target',
      `vectors=${server!.url}?database=${SCRATCH_DB}`,
      '--consistency',
      `app: SELECT id FROM documents == vectors/${collection}`,
      ...extra,
    ]);

  const scratchNames = async () => {
    const all = await api.collections(scratchDb()).catch(() => []);
    return all.map((c) => c.name).filter((n) => n.includes('_drill_'));
  };

  test('passes: collections restored under a drill suffix on the scratch database, counts and ids agree, all removed afterwards', async (t) => {
    if (!server) return t.skip('chroma not available');
    const w = await drillSpace();
    try {
      const { id, collection } = await backupPair(w, 'vecok');
      const r = await drill(w, 'vecok', collection);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.outputs['drill-ok'], 'true');
      const scratch = `${collection}_drill_${id.slice(-6)}`;
      assert.match(r.stderr, new RegExp(scratch));

      const [record] = await drillRecords(w.store, 'vecok');
      assert.ok(record);
      assert.equal(record.ok, true);
      assert.match(check(record, 'inventory vectors').detail, /1 collection, 12 records: matches/);
      assert.match(check(record, 'inventory app').detail, /matches the manifest/);
      const c = check(record, /^consistency /);
      assert.equal(c.ok, true);
      assert.match(c.detail, /12 SQL ids, 12 vectors; 0 missing.*0 orphan.*0 duplicates/);

      // Nothing left: no scratch collection, and the scratch database the drill created is gone.
      assert.deepEqual(await scratchNames(), []);
      await assert.rejects(api.call('GET', scratchDb()), /404/);
      // Production untouched.
      const prod = (await api.collections()).find((x) => x.name === collection);
      assert.ok(prod);
      assert.equal(await api.count(prod.id), 12);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      await w.cleanup();
    }
  });

  test('a planted orphan and a missing id fail the drill with exit 3 naming the ids; the scratch is removed', async (t) => {
    if (!server) return t.skip('chroma not available');
    const w = await drillSpace();
    try {
      const { id, collection } = await backupPair(w, 'vecbad', async (cid) => {
        await api.add(cid, { ids: ['orphan-77'], embeddings: embeddings(1, 4, 9) });
        await api.deleteIds(cid, ['5']);
      });
      const r = await drill(w, 'vecbad', collection);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.json.outputs['error-kind'], 'integrity');
      assert.equal(r.json.outputs['drill-ok'], 'false');
      assert.match(r.stderr, /missing from the vector store: 1 \(5\)/);
      assert.match(r.stderr, /orphan vectors \(no SQL row\): 1 \(orphan-77\)/);

      const [record] = await drillRecords(w.store, 'vecbad');
      assert.ok(record);
      assert.equal(record.ok, false);
      // The restore itself and the inventory were fine: the stores disagree in the backup.
      assert.equal(check(record, 'inventory vectors').ok, true);
      const c = check(record, /^consistency /);
      assert.equal(c.ok, false);
      assert.match(
        c.detail,
        /1 missing from the vector store \(5\), 1 orphan vectors \(orphan-77\)/,
      );
      assert.deepEqual(await scratchNames(), []);

      // Within a tolerance of 2 the same backup drills clean. A staged collection an earlier,
      // cancelled drill of this backup left behind is swept with the scratch.
      await api.createDatabase('default_tenant', SCRATCH_DB);
      const leftover = `${collection}_drill_${id.slice(-6)}_lifeboat_new_20261207t000000z_0a1b2c`;
      await api.createCollection(leftover, undefined, scratchDb());
      const tolerated = await drill(w, 'vecbad', collection, '--consistency-tolerance', '2');
      assert.equal(tolerated.code, 0, tolerated.stderr);
      assert.deepEqual(await scratchNames(), []);
      await api.call('DELETE', scratchDb());
    } finally {
      await w.cleanup();
    }
  });

  test('refused before anything is restored: the production server as target, a taken scratch name, a line naming a collection the backup lacks', async (t) => {
    if (!server) return t.skip('chroma not available');
    const w = await drillSpace();
    try {
      const { id, collection } = await backupPair(w, 'vecref');

      // The backed-up server and database, with or without the collection: production.
      for (const target of [`vectors=${server.url}`, `vectors=${server.url}/other_coll`]) {
        const r = await w.cli([
          'drill',
          '--destination',
          `file:${w.store}`,
          '--name',
          'vecref',
          '--target',
          target,
        ]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /never restores into production|names its scratch collections/);
      }
      // No target at all: a drill needs a scratch server.
      const none = await w.cli(['drill', '--destination', `file:${w.store}`, '--name', 'vecref']);
      assert.equal(none.code, 2, none.stderr);
      assert.match(none.stderr, /needs a server to restore into/);

      const bad = await drill(w, 'vecref', 'not_in_backup');
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /holds no collection 'not_in_backup'/);

      // Someone's collection under the scratch name is refused and left alone.
      await api.createDatabase('default_tenant', SCRATCH_DB);
      const taken = `${collection}_drill_${id.slice(-6)}`;
      const tid = await api.createCollection(taken, undefined, scratchDb());
      await api.add(tid, { ids: ['keep-me'], embeddings: embeddings(1, 4, 3) }, scratchDb());
      const r = await drill(w, 'vecref', collection);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /is taken: Chroma collection '.*_drill_.*' already exists/);
      assert.deepEqual(await scratchNames(), [taken]);
      assert.equal(await api.count(tid, scratchDb()), 1);
      assert.deepEqual(await drillRecords(w.store, 'vecref'), []);
      await api.call('DELETE', `${scratchDb()}/collections/${taken}`);
    } finally {
      await w.cleanup();
    }
  });
});

describe('drill: Qdrant (stand-in) beside SQLite', () => {
  let prod: QdrantStandin;
  let spare: QdrantStandin;
  before(async () => {
    prod = await startQdrantStandin();
    spare = await startQdrantStandin();
  });
  after(async () => {
    await prod.stop();
    await spare.stop();
  });

  test('passes on a spare server, checks ids against SQLite, removes the scratch collection; an orphan fails with exit 3', async () => {
    const w = await drillSpace();
    try {
      const db = join(w.dir, 'q.db');
      makeDocs(db, 8);
      await qdrantCall(prod, 'PUT', '/collections/drillvec_points', {
        vectors: { size: 4, distance: 'Cosine' },
      });
      await qdrantCall(prod, 'PUT', '/collections/drillvec_points/points?wait=true', {
        points: embeddings(8, 4, 5).map((vector, i) => ({ id: i + 1, vector, payload: { i } })),
      });
      const backup = async (name: string) => {
        const b = await w.cli([
          'backup',
          '--source',
          `app=sqlite:${db}`,
          '--source',
          `vectors=${prod.url}/drillvec_points`,
          '--destination',
          `file:${w.store}`,
          '--name',
          name,
        ]);
        assert.equal(b.code, 0, b.stderr);
        return b.json.outputs['backup-id']!;
      };
      const drill = (name: string, target = spare.url) =>
        w.cli([
          'drill',
          '--destination',
          `file:${w.store}`,
          '--name',
          name,
          '--target',
          `vectors=${target}`,
          '--consistency',
          'app: SELECT id FROM documents == vectors',
        ]);
      const id = await backup('qok');
      const r = await drill('qok');
      assert.equal(r.code, 0, r.stderr);
      const [record] = await drillRecords(w.store, 'qok');
      assert.ok(record);
      assert.equal(record.ok, true);
      assert.match(
        check(record, 'inventory vectors').detail,
        /1 collection, 8 points \(approximate\): matches/,
      );
      assert.match(check(record, /^consistency /).detail, /8 SQL ids, 8 vectors; 0 missing/);
      assert.ok(spare.calls.some((c) => c.includes(`drillvec_points_drill_${id.slice(-6)}`)));
      assert.deepEqual([...spare.collections.keys()], []);
      assert.deepEqual([...prod.collections.keys()], ['drillvec_points']);

      // The production server is refused as the scratch server.
      const refused = await drill('qok', prod.url);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /never restores into production/);

      // An orphan point in the next backup.
      await qdrantCall(prod, 'PUT', '/collections/drillvec_points/points?wait=true', {
        points: [{ id: 999, vector: [0.1, 0.2, 0.3, 0.4] }],
      });
      await backup('qbad');
      const bad = await drill('qbad');
      assert.equal(bad.code, 3, bad.stderr);
      assert.match(bad.stderr, /orphan vectors \(no SQL row\): 1 \(999\)/);
      assert.deepEqual([...spare.collections.keys()], []);
    } finally {
      await w.cleanup();
    }
  });

  test('a cancel after the restore deletes the scratch collection and writes no record; keep-scratch keeps it; the API key stays masked', async () => {
    const w = await drillSpace();
    const key = 'drillvec-spare-key-5f1e';
    try {
      await qdrantCall(prod, 'PUT', '/collections/drillvec_cx', {
        vectors: { size: 4, distance: 'Dot' },
      });
      await qdrantCall(prod, 'PUT', '/collections/drillvec_cx/points?wait=true', {
        points: embeddings(3, 4, 11).map((vector, i) => ({ id: i + 1, vector })),
      });
      const b = await w.cli([
        'backup',
        '--source',
        `${prod.url}/drillvec_cx`,
        '--destination',
        `file:${w.store}`,
        '--name',
        'qcx',
      ]);
      assert.equal(b.code, 0, b.stderr);
      const scratch = `drillvec_cx_drill_${b.json.outputs['backup-id']!.slice(-6)}`;

      const cancel = new AbortController();
      let during: string[] = [];
      const r = await drillWithHook(
        { destination: `file:${w.store}`, name: 'qcx', target: spare.url },
        w.dir,
        w.tmpRoot,
        async () => {
          during = [...spare.collections.keys()];
          cancel.abort(new CancelledError('SIGTERM'));
        },
        cancel.signal,
      );
      assert.deepEqual(during, [scratch], 'the scratch collection existed when the cancel came');
      assert.ok(r.error instanceof CancelledError, String(r.error));
      assert.equal(exitCodeFor(r.error), 143);
      assert.deepEqual([...spare.collections.keys()], [], 'the scratch collection was deleted');
      assert.deepEqual(await drillRecords(w.store, 'qcx'), []);
      assert.deepEqual(await leftovers(w.tmpRoot), []);

      // The spare server wants an API key, given in the environment; keep-scratch leaves the copy.
      spare.apiKey = key;
      const kept = await w.runCli(
        [
          'drill',
          '--destination',
          `file:${w.store}`,
          '--name',
          'qcx',
          '--target',
          spare.url,
          '--keep-scratch',
          '--json',
        ],
        { QDRANT_API_KEY: key },
      );
      assert.equal(kept.code, 0, kept.stderr);
      assert.deepEqual([...spare.collections.keys()], [scratch]);
      assert.ok(!(kept.stdout + kept.stderr).includes(key), 'the API key never appears');
      assert.ok(spare.keysSeen.includes(key));
      await qdrantCall(spare, 'DELETE', `/collections/${scratch}`);
    } finally {
      spare.apiKey = undefined;
      await w.cleanup();
    }
  });

  test('a scratch collection whose vector configuration differs from the backup fails the inventory check (exit 3), named', async () => {
    const w = await drillSpace();
    try {
      await qdrantCall(prod, 'PUT', '/collections/drillvec_cfg', {
        vectors: { size: 4, distance: 'Cosine' },
      });
      await qdrantCall(prod, 'PUT', '/collections/drillvec_cfg/points?wait=true', {
        points: embeddings(2, 4, 23).map((vector, i) => ({ id: i + 1, vector })),
      });
      const b = await w.cli([
        'backup',
        '--source',
        `${prod.url}/drillvec_cfg`,
        '--destination',
        `file:${w.store}`,
        '--name',
        'qcfg',
      ]);
      assert.equal(b.code, 0, b.stderr);
      const scratch = `drillvec_cfg_drill_${b.json.outputs['backup-id']!.slice(-6)}`;
      // What the server holds after the restore is not what the backup recorded.
      const r = await drillWithHook(
        { destination: `file:${w.store}`, name: 'qcfg', target: spare.url },
        w.dir,
        w.tmpRoot,
        async () => {
          spare.collections.get(scratch)!.params = { vectors: { size: 8, distance: 'Dot' } };
        },
      );
      assert.equal(exitCodeFor(r.error), 3, String(r.error));
      assert.match(
        String((r.error as Error).message),
        /inventory qdrant: 1 difference from the manifest: collection drillvec_cfg has vectors \{"vectors":\{"":\{"size":8,"distance":"Dot"\}\}.*the backup .*"size":4,"distance":"Cosine"/,
      );
      assert.deepEqual([...spare.collections.keys()], []);
      const [record] = await drillRecords(w.store, 'qcfg');
      assert.equal(check(record!, 'inventory qdrant').ok, false);
    } finally {
      await w.cleanup();
    }
  });

  test('an upload the spare server refuses fails the drill (exit 1) and leaves no scratch collection; the record says so', async () => {
    const w = await drillSpace();
    try {
      await qdrantCall(prod, 'PUT', '/collections/drillvec_up', {
        vectors: { size: 4, distance: 'Dot' },
      });
      await qdrantCall(prod, 'PUT', '/collections/drillvec_up/points?wait=true', {
        points: embeddings(2, 4, 13).map((vector, i) => ({ id: i + 1, vector })),
      });
      const b = await w.cli([
        'backup',
        '--source',
        `${prod.url}/drillvec_up`,
        '--destination',
        `file:${w.store}`,
        '--name',
        'qup',
      ]);
      assert.equal(b.code, 0, b.stderr);
      spare.faults.upload500 = 1;
      const r = await w.cli([
        'drill',
        '--destination',
        `file:${w.store}`,
        '--name',
        'qup',
        '--target',
        spare.url,
      ]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /upload the snapshot into drillvec_up_drill_\w+: Qdrant answered 500/);
      assert.deepEqual([...spare.collections.keys()], []);
      const [record] = await drillRecords(w.store, 'qup');
      assert.ok(record);
      assert.equal(record.ok, false);
      assert.match(check(record, 'drill').detail, /Qdrant answered 500/);
      assert.deepEqual(await leftovers(w.tmpRoot), []);
    } finally {
      spare.faults = {};
      await w.cleanup();
    }
  });
});

describe('drill: PostgreSQL + Qdrant (stand-in), the query runs on the scratch database', () => {
  let admin: pg.Client | undefined;
  let prod: QdrantStandin;
  let spare: QdrantStandin;
  const db = `drillvec_pgq_${randomBytes(3).toString('hex')}`;
  const client = async (database: string) => {
    const c = new pg.Client({ ...LOCAL_POSTGRES, database, connectionTimeoutMillis: 3000 });
    c.on('error', () => {});
    await c.connect();
    return c;
  };
  const scratchDbs = async () =>
    (
      await admin!.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
        [`${db}_`],
      )
    ).rows.map((r) => r.datname);
  before(async () => {
    admin = await connectOrSkip('PostgreSQL on 127.0.0.1:5432', () => client('postgres'));
    prod = await startQdrantStandin();
    spare = await startQdrantStandin();
  });
  after(async () => {
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    }
    await prod.stop();
    await spare.stop();
  });

  test('passes when the ids agree; a row without its vector fails with exit 3 naming the id; scratch database and collection are gone', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not available');
    await admin.query(`CREATE DATABASE ${db}`);
    const c = await client(db);
    await c.query(
      'CREATE TABLE documents (id int PRIMARY KEY, deleted_at timestamptz); INSERT INTO documents SELECT g, NULL FROM generate_series(1, 6) g',
    );
    await c.end();
    await qdrantCall(prod, 'PUT', '/collections/drillvec_docs', {
      vectors: { size: 4, distance: 'Cosine' },
    });
    await qdrantCall(prod, 'PUT', '/collections/drillvec_docs/points?wait=true', {
      points: embeddings(6, 4, 17).map((vector, i) => ({ id: i + 1, vector })),
    });
    const w = await drillSpace();
    try {
      const backup = async (name: string) => {
        const b = await w.cli([
          'backup',
          '--source',
          `app=postgres://postgres@127.0.0.1:5432/${db}`,
          '--source',
          `vectors=${prod.url}/drillvec_docs`,
          '--destination',
          `file:${w.store}`,
          '--name',
          name,
        ]);
        assert.equal(b.code, 0, b.stderr);
      };
      const drill = (name: string) =>
        w.cli([
          'drill',
          '--destination',
          `file:${w.store}`,
          '--name',
          name,
          '--target',
          'app=postgres://postgres@127.0.0.1:5432/postgres',
          '--target',
          `vectors=${spare.url}`,
          '--consistency',
          'app: SELECT id::text FROM documents WHERE deleted_at IS NULL == vectors',
        ]);
      await backup('pgq');
      const ok = await drill('pgq');
      assert.equal(ok.code, 0, ok.stderr);
      const [record] = await drillRecords(w.store, 'pgq');
      assert.match(check(record!, /^consistency /).detail, /6 SQL ids, 6 vectors; 0 missing/);
      assert.deepEqual(await scratchDbs(), []);
      assert.deepEqual([...spare.collections.keys()], []);

      // A new row without its embedding.
      const c2 = await client(db);
      await c2.query('INSERT INTO documents VALUES (7, NULL)');
      await c2.end();
      await backup('pgq-bad');
      const bad = await drill('pgq-bad');
      assert.equal(bad.code, 3, bad.stderr);
      assert.match(bad.stderr, /missing from the vector store: 1 \(7\)/);
      assert.deepEqual(await scratchDbs(), []);
      assert.deepEqual([...spare.collections.keys()], []);
    } finally {
      await w.cleanup();
    }
  });
});

describe('drill: MariaDB + Qdrant (stand-in), the query runs on the scratch database', () => {
  let conn: mysql.Connection | undefined;
  let prod: QdrantStandin;
  let spare: QdrantStandin;
  const db = `drillvec_myq_${randomBytes(3).toString('hex')}`;
  const scratchDbs = async () => {
    const [rows] = await conn!.query<mysql.RowDataPacket[]>(
      'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?',
      [`${db}\\_%`],
    );
    return rows.map((r) => String(r['n']));
  };
  before(async () => {
    conn = await connectOrSkip('MariaDB on 127.0.0.1:3306', () =>
      mysql.createConnection({
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        password: '',
        connectTimeout: 3000,
      }),
    );
    prod = await startQdrantStandin();
    spare = await startQdrantStandin();
  });
  after(async () => {
    if (conn) {
      for (const n of [db, ...(await scratchDbs())])
        await conn.query(`DROP DATABASE IF EXISTS \`${n}\``);
      await conn.end();
    }
    await prod.stop();
    await spare.stop();
  });

  test('passes; an orphan vector fails with exit 3; the scratch database and collection are gone', async (t) => {
    if (!conn) return t.skip('MariaDB is not available');
    await conn.query(`CREATE DATABASE \`${db}\``);
    await conn.query(`CREATE TABLE \`${db}\`.documents (id INT PRIMARY KEY)`);
    await conn.query(`INSERT INTO \`${db}\`.documents VALUES (1), (2), (3), (4)`);
    await qdrantCall(prod, 'PUT', '/collections/drillvec_my', {
      vectors: { size: 4, distance: 'Euclid' },
    });
    await qdrantCall(prod, 'PUT', '/collections/drillvec_my/points?wait=true', {
      points: embeddings(4, 4, 19).map((vector, i) => ({ id: i + 1, vector })),
    });
    const w = await drillSpace();
    try {
      const run = async (name: string) => {
        const b = await w.cli([
          'backup',
          '--source',
          `app=mysql://root@127.0.0.1:3306/${db}`,
          '--source',
          `vectors=${prod.url}/drillvec_my`,
          '--destination',
          `file:${w.store}`,
          '--name',
          name,
        ]);
        assert.equal(b.code, 0, b.stderr);
        return w.cli([
          'drill',
          '--destination',
          `file:${w.store}`,
          '--name',
          name,
          '--target',
          'app=mysql://root@127.0.0.1:3306',
          '--target',
          `vectors=${spare.url}`,
          '--consistency',
          'app: SELECT id FROM documents == vectors',
        ]);
      };
      const ok = await run('myq');
      assert.equal(ok.code, 0, ok.stderr);
      const [record] = await drillRecords(w.store, 'myq');
      assert.match(check(record!, /^consistency /).detail, /4 SQL ids, 4 vectors; 0 missing/);
      assert.deepEqual(await scratchDbs(), []);
      assert.deepEqual([...spare.collections.keys()], []);

      await qdrantCall(prod, 'PUT', '/collections/drillvec_my/points?wait=true', {
        points: [{ id: 31, vector: [0, 0, 0, 1] }],
      });
      const bad = await run('myq-bad');
      assert.equal(bad.code, 3, bad.stderr);
      assert.match(bad.stderr, /orphan vectors \(no SQL row\): 1 \(31\)/);
      assert.deepEqual(await scratchDbs(), []);
      assert.deepEqual([...spare.collections.keys()], []);
    } finally {
      await w.cleanup();
    }
  });
});
