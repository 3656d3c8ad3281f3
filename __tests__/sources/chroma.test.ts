import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromaDriver } from '../../src/sources/chroma/index.ts';
import { restoreNow } from '../../src/sources/types.ts';
import {
  ChromaApi,
  assertSamePicture,
  embeddings,
  startChroma,
  type ChromaServer,
} from '../helpers/chroma-server.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import { manifestOf, workspace } from './context.ts';

let server: ChromaServer | undefined;
let api: ChromaApi;

before(async () => {
  server = await startChroma();
  if (server) api = new ChromaApi(server.http);
});
after(async () => {
  await server?.stop();
});

async function fill(name: string, n: number, db = api.db()): Promise<string> {
  const id = await api.createCollection(name, { kind: 'test' }, db);
  const vectors = embeddings(n, 16, name.length);
  const ids = Array.from({ length: n }, (_, i) => `${name}-${i}`);
  await api.add(
    id,
    {
      ids,
      embeddings: vectors,
      documents: ids.map((i) => `doc ${i}`),
      metadatas: ids.map((_, i) => ({ i })),
    },
    db,
  );
  return id;
}

async function newDatabase(name: string): Promise<string> {
  await api.createDatabase('default_tenant', name);
  return api.db('default_tenant', name);
}

describe('chroma source (driver)', () => {
  test('dump → verify; a dropped record fails verify and a staged restore, leaving nothing', async (t) => {
    if (!server) return t.skip('chroma not available');
    const db = await newDatabase('vector_drv');
    await fill('vector_a', 1200, db);
    const w = await workspace();
    try {
      const url = `${server.url}/vector_a?database=vector_drv`;
      const source = chromaDriver.open(url, w.ctx);
      const buf = new MemberBuffer();
      const r = await source.dump(buf, w.ctx);
      assert.deepEqual(r.inventory.tables, [{ name: 'vector_a', rows: 1200 }]);
      assert.deepEqual(r.inventory.extra?.['collections'], [
        { name: 'vector_a', records: 1200, dimension: 16 },
      ]);
      const manifest = manifestOf('chroma', url, buf, r.inventory, r.details);
      await chromaDriver.verify!(buf.entries(), manifest, w.ctx);

      // One line less: the checksums would be recomputed by whoever repacked it; the count and
      // the id digest in the manifest are not.
      const records = buf.stored.find((s) => s.record.path.endsWith('records.jsonl'))!;
      const lines = records.data!.toString().split('\n');
      lines.splice(500, 1);
      records.data = Buffer.from(lines.join('\n'));
      await assert.rejects(chromaDriver.verify!(buf.entries(), manifest, w.ctx), {
        name: 'IntegrityError',
        message: /1199 records, the manifest says 1200/,
      });

      // A swapped id keeps the count but not the digest.
      const swapped = lines.slice();
      swapped.splice(500, 0, swapped[0]!.replace('"vector_a-0"', '"intruder"'));
      records.data = Buffer.from(swapped.join('\n'));
      await assert.rejects(chromaDriver.verify!(buf.entries(), manifest, w.ctx), {
        name: 'IntegrityError',
        message: /id digest/,
      });

      const target = `${server.url}/?database=vector_drv_target`;
      await assert.rejects(
        restoreNow(
          chromaDriver,
          buf.entries(),
          { target, overwrite: false, manifest, backupId: 'x' },
          w.ctx,
        ),
        { name: 'IntegrityError' },
      );
      // Nothing is left: not the staged collection, not the database the restore created.
      const dbs = await api.call<Array<{ name: string }>>(
        'GET',
        `${server.http}/api/v2/tenants/default_tenant/databases`,
      );
      assert.ok(!dbs.some((d) => d.name === 'vector_drv_target'), JSON.stringify(dbs));
    } finally {
      await w.cleanup();
    }
  });

  test('chroma-tenant and chroma-database options; a restore creates a missing tenant and database', async (t) => {
    if (!server) return t.skip('chroma not available');
    const db = await newDatabase('vector_opts');
    await fill('vector_o', 30, db);
    const w = await workspace({ 'chroma-database': 'vector_opts' });
    try {
      const source = chromaDriver.open(server.url, w.ctx);
      const buf = new MemberBuffer();
      const r = await source.dump(buf, w.ctx);
      assert.deepEqual(r.inventory.tables, [{ name: 'vector_o', rows: 30 }]);
      assert.equal((r.details as { database: string }).database, 'vector_opts');
      const manifest = manifestOf('chroma', server.url, buf, r.inventory, r.details);
      const result = await restoreNow(
        chromaDriver,
        buf.entries(),
        {
          target: `${server.url}/?tenant=vector_tenant&database=vector_elsewhere`,
          overwrite: false,
          manifest,
          backupId: 'x',
        },
        w.ctx,
      );
      assert.match(result.location, /tenant=vector_tenant&database=vector_elsewhere/);
      assert.deepEqual(
        await api.picture(api.db('vector_tenant', 'vector_elsewhere')),
        await api.picture(db),
      );
    } finally {
      await w.cleanup();
    }
  });

  test("a backup whose manifest details are not Chroma's is refused before anything is created", async (t) => {
    if (!server) return t.skip('chroma not available');
    const w = await workspace();
    try {
      const buf = new MemberBuffer();
      const manifest = manifestOf('chroma', 'chroma://x', buf, {}, { collections: 'no' });
      await assert.rejects(
        restoreNow(
          chromaDriver,
          buf.entries(),
          {
            target: `${server.url}/?database=vector_never`,
            overwrite: false,
            manifest,
            backupId: 'x',
          },
          w.ctx,
        ),
        { name: 'IntegrityError', message: /details/ },
      );
      const dbs = await api.call<Array<{ name: string }>>(
        'GET',
        `${server.http}/api/v2/tenants/default_tenant/databases`,
      );
      assert.ok(!dbs.some((d) => d.name === 'vector_never'));
    } finally {
      await w.cleanup();
    }
  });
});

describe('chroma source (CLI)', () => {
  test('restore beside the originals with collection-suffix; refused again; overwrite takes a safety backup', async (t) => {
    if (!server) return t.skip('chroma not available');
    const db = await newDatabase('vector_cli');
    const docs = await fill('vector_docs', 300, db);
    await fill('vector_other', 10, db);
    const store = await mkdtemp(join(tmpdir(), 'vector-chroma-store-'));
    const destination = `file:${store}`;
    const source = `${server.url}/vector_docs?database=vector_cli`;
    try {
      const b = await runCli([
        'backup',
        '--source',
        source,
        '--destination',
        destination,
        '--name',
        'docs',
        '--json',
      ]);
      assert.equal(b.code, 0, b.stderr);
      const original = await api.picture(db);

      const restore = (...flags: string[]) =>
        runCli([
          'restore',
          '--destination',
          destination,
          '--name',
          'docs',
          '--target',
          `${server!.url}/?database=vector_cli`,
          '--json',
          ...flags,
        ]);
      const r = await restore('--collection-suffix', '_restored');
      assert.equal(r.code, 0, r.stderr);
      const names = (await api.collections(db)).map((c) => c.name).sort();
      assert.deepEqual(names, ['vector_docs', 'vector_docs_restored', 'vector_other']);
      const pic = (await api.picture(db)) as Array<{ name: string }>;
      assertSamePicture(
        pic
          .filter((c) => c.name === 'vector_docs_restored')
          .map((c) => ({ ...c, name: 'vector_docs' })),
        (original as Array<{ name: string }>).filter((c) => c.name === 'vector_docs'),
      );

      const again = await restore('--collection-suffix', '_restored');
      assert.equal(again.code, 2, again.stderr);
      assert.match(again.stderr, /vector_docs_restored.*already exists/);

      // Without a suffix the original itself is the target: refused, then replaced with overwrite.
      const refused = await restore();
      assert.equal(refused.code, 2, refused.stderr);
      await api.deleteIds(docs, ['vector_docs-1', 'vector_docs-2'], db);
      await api.add(docs, { ids: ['late'], embeddings: embeddings(1, 16, 3) }, db);
      const o = await restore('--overwrite', 'true');
      assert.equal(o.code, 0, o.stderr);
      const safety = jsonOf(o).outputs['safety-backup-id'] ?? '';
      assert.match(safety, /^docs-safety\//);
      const after = (await api.picture(db)) as Array<{ name: string }>;
      assert.deepEqual(
        after.map((c) => c.name),
        ['vector_docs', 'vector_docs_restored', 'vector_other'],
      );
      assertSamePicture(
        after.filter((c) => c.name === 'vector_docs'),
        (original as Array<{ name: string }>).filter((c) => c.name === 'vector_docs'),
      );

      // The safety backup holds what was replaced: 299 records with 'late'.
      const list = await runCli([
        'list',
        '--destination',
        destination,
        '--name',
        'docs-safety',
        '--json',
      ]);
      assert.equal(list.code, 0, list.stderr);
      const entries = jsonOf(list)['backups'] as Array<{ id: string }>;
      assert.equal(entries.length, 1);
      const s = await runCli([
        'restore',
        '--destination',
        destination,
        '--name',
        'docs-safety',
        '--backup',
        safety.split('/')[1]!,
        '--target',
        `${server.url}/vector_safety?database=vector_cli`,
      ]);
      assert.equal(s.code, 0, s.stderr);
      const safetyCol = (await api.collections(db)).find((c) => c.name === 'vector_safety')!;
      assert.equal(await api.count(safetyCol.id, db), 299);
    } finally {
      await rm(store, { recursive: true, force: true });
    }
  });

  test('clear failures: missing collection (exit 2), unreachable server (exit 1), token masked', async (t) => {
    if (!server) return t.skip('chroma not available');
    const store = await mkdtemp(join(tmpdir(), 'vector-chroma-store-'));
    const destination = `file:${store}`;
    const token = 'vector-s3cret-token-42';
    try {
      const missing = await runCli([
        'backup',
        '--source',
        `chroma://${token}@127.0.0.1:${server.port}/vector_nope`,
        '--destination',
        destination,
        '--name',
        'x',
      ]);
      assert.equal(missing.code, 2, missing.stderr);
      assert.match(missing.stderr, /source: Chroma has no collection 'vector_nope'/);
      assert.ok(!(missing.stdout + missing.stderr).includes(token));

      const gone = await runCli(
        [
          'backup',
          '--source',
          'chroma://127.0.0.1:1/vector_docs',
          '--destination',
          destination,
          '--name',
          'x',
        ],
        { CHROMA_API_KEY: token },
      );
      assert.equal(gone.code, 1, gone.stderr);
      assert.match(gone.stderr, /cannot reach Chroma at http:\/\/127\.0\.0\.1:1/);
      assert.ok(!(gone.stdout + gone.stderr).includes(token));

      const badName = await runCli([
        'backup',
        '--source',
        `${server.url}/x`,
        '--destination',
        destination,
        '--name',
        'x',
      ]);
      assert.equal(badName.code, 2, badName.stderr);
      assert.match(badName.stderr, /not a Chroma collection name/);

      const l = await runCli(['list', '--destination', destination, '--json']);
      assert.deepEqual(jsonOf(l)['backups'], []);

      // A target database name Chroma refuses is the option's fault (exit 2), said in its words.
      await fill('vector_short', 3);
      const b = await runCli([
        'backup',
        '--source',
        `${server.url}/vector_short`,
        '--destination',
        destination,
        '--name',
        'short',
      ]);
      assert.equal(b.code, 0, b.stderr);
      const short = await runCli([
        'restore',
        '--destination',
        destination,
        '--name',
        'short',
        '--target',
        `${server.url}/?database=ab`,
      ]);
      assert.equal(short.code, 2, short.stderr);
      assert.match(short.stderr, /target: Chroma refused the database name 'ab'/);
    } finally {
      await rm(store, { recursive: true, force: true });
    }
  });
});

/**
 * A proxy in front of the Chroma server that drops the connection on the `failOn`-th records
 * page (`/get` with embeddings): the server vanishing half way through a backup, deterministically.
 */
async function droppingProxy(target: number, failOn: number) {
  let pages = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.endsWith('/get') && body.includes('embeddings') && ++pages === failOn) {
        req.socket.destroy();
        return;
      }
      const up = httpRequest(
        {
          host: '127.0.0.1',
          port: target,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

describe('chroma source (server vanishing)', () => {
  test('a connection lost on the third page fails the backup (exit 1) and stores nothing', async (t) => {
    if (!server) return t.skip('chroma not available');
    const db = await newDatabase('vector_vanish');
    await fill('vector_big', 2500, db);
    const proxy = await droppingProxy(server.port, 3);
    const store = await mkdtemp(join(tmpdir(), 'vector-chroma-store-'));
    try {
      const r = await runCli([
        'backup',
        '--source',
        `chroma://127.0.0.1:${proxy.port}/vector_big?database=vector_vanish`,
        '--destination',
        `file:${store}`,
        '--name',
        'gone',
      ]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /cannot reach Chroma at http:\/\/127\.0\.0\.1:\d+/);
      const l = await runCli(['list', '--destination', `file:${store}`, '--json']);
      assert.deepEqual(jsonOf(l)['backups'], []);
    } finally {
      await proxy.close();
      await rm(store, { recursive: true, force: true });
    }
  });
});

describe('chroma source (a commit that fails half way)', () => {
  test('the replaced collections are put back, nothing staged is left', async (t) => {
    if (!server) return t.skip('chroma not available');
    const db = await newDatabase('vector_half');
    await fill('vector_one', 5, db);
    await fill('vector_two', 5, db);
    const before = (await api.collections(db)).map((c) => `${c.name} ${c.id}`).sort();
    const w = await workspace();
    const realFetch = globalThis.fetch;
    try {
      const url = `${server.url}/?database=vector_half`;
      const buf = new MemberBuffer();
      const r = await chromaDriver.open(url, w.ctx).dump(buf, w.ctx);
      const manifest = manifestOf('chroma', url, buf, r.inventory, r.details);
      // The staged copy of vector_two cannot be renamed into place (the first such rename; the
      // one putting the old collection back goes through).
      let failed = false;
      globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
        if (
          !failed &&
          init?.method === 'PUT' &&
          String(init.body).includes('"new_name":"vector_two"}') &&
          (failed = true)
        )
          return new Response(JSON.stringify({ error: 'InternalError', message: 'injected' }), {
            status: 500,
          });
        return realFetch(input, init);
      }) as typeof fetch;
      await assert.rejects(
        restoreNow(
          chromaDriver,
          buf.entries(),
          { target: url, overwrite: true, manifest, backupId: 'x' },
          w.ctx,
        ),
        /injected/,
      );
      globalThis.fetch = realFetch;
      const after = (await api.collections(db)).map((c) => `${c.name} ${c.id}`).sort();
      assert.deepEqual(after, before);
    } finally {
      globalThis.fetch = realFetch;
      await w.cleanup();
    }
  });
});
