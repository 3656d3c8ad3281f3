/**
 * A stand-in for Qdrant's REST API, for tests: Qdrant's server cannot run here. It follows
 * Qdrant's published OpenAPI specification (qdrant/qdrant, docs/redoc/master/openapi.json) for
 * the endpoints Lifeboat uses, and the few a test needs to put data in:
 *
 *   GET    /                                              VersionInfo (no envelope)
 *   GET    /collections                                   {result: {collections: [{name}]}}
 *   GET    /collections/{collection_name}                 {result: CollectionInfo}
 *   PUT    /collections/{collection_name}                 {result: true}           (test setup)
 *   DELETE /collections/{collection_name}                 {result: true}
 *   PUT    /collections/{collection_name}/points?wait=    {result: UpdateResult}   (test setup)
 *   POST   /collections/{collection_name}/points/delete?wait=  {result: UpdateResult} (test setup)
 *   POST   /collections/{collection_name}/points/scroll   {result: {points: [Record], next_page_offset}}
 *   POST   /collections/{collection_name}/snapshots?wait= {result: SnapshotDescription}
 *   GET    /collections/{collection_name}/snapshots       {result: [SnapshotDescription]}
 *   GET    /collections/{collection_name}/snapshots/{snapshot_name}   the file, application/octet-stream
 *   DELETE /collections/{collection_name}/snapshots/{snapshot_name}?wait=   {result: true}
 *   POST   /collections/{collection_name}/snapshots/upload?wait=&priority=&checksum=
 *          multipart/form-data, field `snapshot`       {result: true}
 *
 * Every JSON answer is the spec's envelope `{result, status: "ok", time}`; errors are its
 * ErrorResponse `{status: {error: "…"}, time}` with Qdrant's codes (404 not found, 400 bad
 * request and checksum mismatch, 409 exists, 401 without the API key, 500 service error). Snapshots
 * are real tar files made by the system's `tar` (GNU format, as long paths need), laid out as
 * Qdrant lays them out: `version.info`, `config.json`, shard folder `0/` with its
 * `shard_config.json` and segments; the points themselves are kept in the stand-in's own
 * `points.jsonl` inside the segment folder (real Qdrant keeps binary segment files there).
 *
 * Faults for tests: `faults.create500` / `download500` / `upload500` (answer 500 that many times),
 * `faults.failUploadNumber` (answer 500 to the n-th upload),
 * `faults.vanish` (the snapshot file disappears right after it was created), `faults.wrongChecksum`
 * (the description reports a wrong sha256), `faults.cutDownload` (the download connection is
 * dropped half way).
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface StandinPoint {
  id: number | string;
  vector: number[] | Record<string, number[]>;
  payload?: Record<string, unknown> | null;
}

interface Collection {
  params: Record<string, unknown>;
  points: Map<string, StandinPoint>;
}

interface Snapshot {
  name: string;
  path: string;
  size: number;
  checksum: string;
  creation_time: string;
}

export interface Faults {
  create500?: number;
  download500?: number;
  upload500?: number;
  /** Answer 500 to the n-th upload (1-based) from now on counted. */
  failUploadNumber?: number;
  vanish?: boolean;
  wrongChecksum?: boolean;
  cutDownload?: boolean;
}

const VERSION = '1.15.1';

export class QdrantStandin {
  readonly collections = new Map<string, Collection>();
  readonly snapshots = new Map<string, Map<string, Snapshot>>();
  readonly calls: string[] = [];
  faults: Faults = {};
  /** Uploads received so far. */
  uploads = 0;
  apiKey: string | undefined;
  /** Every api-key header value received (to assert how keys are sent). */
  readonly keysSeen: string[] = [];
  private server: Server | undefined;
  private dir = '';
  port = 0;

  get url(): string {
    return `qdrant://127.0.0.1:${this.port}`;
  }
  get http(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.dir = await mkdtemp(join(tmpdir(), 'vector-qdrant-'));
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.error(res, 500, `Service internal error: ${String(err)}`, 0);
        else res.destroy();
      });
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => {
      this.server?.closeAllConnections();
      this.server?.close(() => ok());
      if (!this.server) ok();
    });
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Points of a collection sorted by id, for comparisons. */
  pointsOf(name: string): StandinPoint[] {
    const c = this.collections.get(name);
    if (!c) return [];
    return [...c.points.values()].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  }

  private ok(res: ServerResponse, result: unknown, t0: number, code = 200): void {
    const body = JSON.stringify({ result, status: 'ok', time: (Date.now() - t0) / 1000 });
    res.writeHead(code, { 'content-type': 'application/json' }).end(body);
  }

  private error(res: ServerResponse, code: number, message: string, t0: number): void {
    const body = JSON.stringify({ status: { error: message }, time: (Date.now() - t0) / 1000 });
    res.writeHead(code, { 'content-type': 'application/json' }).end(body);
  }

  private async body(req: IncomingMessage): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    return Buffer.concat(parts);
  }

  private info(c: Collection): Record<string, unknown> {
    return {
      status: 'green',
      optimizer_status: 'ok',
      segments_count: 1,
      points_count: c.points.size,
      indexed_vectors_count: 0,
      config: {
        params: {
          shard_number: 1,
          replication_factor: 1,
          write_consistency_factor: 1,
          on_disk_payload: true,
          ...c.params,
        },
        hnsw_config: {
          m: 16,
          ef_construct: 100,
          full_scan_threshold: 10000,
          max_indexing_threads: 0,
          on_disk: false,
        },
        optimizer_config: {
          deleted_threshold: 0.2,
          vacuum_min_vector_number: 1000,
          default_segment_number: 0,
          max_segment_size: null,
          memmap_threshold: null,
          indexing_threshold: 20000,
          flush_interval_sec: 5,
          max_optimization_threads: null,
        },
        wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
        quantization_config: null,
      },
      payload_schema: {},
    };
  }

  private async makeSnapshot(name: string, c: Collection): Promise<Snapshot> {
    const work = await mkdtemp(join(this.dir, 'build-'));
    const segment = join(work, '0', 'segments', randomUUID());
    // A path longer than ustar's 100 characters, as Qdrant's payload indexes have.
    const deep = join(segment, 'payload_index', 'field_index_'.padEnd(90, 'x'));
    await mkdir(deep, { recursive: true });
    await writeFile(join(work, 'version.info'), VERSION);
    await writeFile(join(work, 'config.json'), JSON.stringify({ params: c.params }));
    await writeFile(join(work, '0', 'shard_config.json'), JSON.stringify({ type: 'Local' }));
    await writeFile(
      join(segment, 'points.jsonl'),
      [...c.points.values()].map((p) => `${JSON.stringify(p)}\n`).join(''),
    );
    await writeFile(join(deep, 'config.json'), '{}');
    const stamp = new Date().toISOString().replace(/[T:]/g, '-').replace(/\..*$/, '');
    const snapName = `${name}-${Math.floor(Math.random() * 1e15)}-${stamp}.snapshot`;
    await mkdir(join(this.dir, 'snapshots', name), { recursive: true });
    const path = join(this.dir, 'snapshots', name, snapName);
    await run('tar', ['--format=gnu', '-cf', path, '-C', work, 'version.info', 'config.json', '0']);
    await rm(work, { recursive: true, force: true });
    const bytes = await readFile(path);
    return {
      name: snapName,
      path,
      size: bytes.length,
      checksum: createHash('sha256').update(bytes).digest('hex'),
      creation_time: new Date().toISOString().slice(0, 19),
    };
  }

  private async restoreFrom(file: string): Promise<Collection> {
    const work = await mkdtemp(join(this.dir, 'unpack-'));
    try {
      await run('tar', ['-xf', file, '-C', work]);
      const config = JSON.parse(await readFile(join(work, 'config.json'), 'utf8')) as {
        params: Record<string, unknown>;
      };
      await stat(join(work, 'version.info'));
      const { stdout } = await run('find', [join(work, '0', 'segments'), '-name', 'points.jsonl']);
      const points = new Map<string, StandinPoint>();
      for (const f of stdout.split('\n').filter(Boolean)) {
        for (const line of (await readFile(f, 'utf8')).split('\n').filter(Boolean)) {
          const p = JSON.parse(line) as StandinPoint;
          points.set(String(p.id), p);
        }
      }
      return { params: config.params, points };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = Date.now();
    const url = new URL(req.url ?? '/', this.http);
    const method = req.method ?? 'GET';
    this.calls.push(`${method} ${url.pathname}`);
    const key = req.headers['api-key'];
    if (typeof key === 'string') this.keysSeen.push(key);
    const bearer = /^Bearer (.+)$/.exec(req.headers['authorization'] ?? '')?.[1];
    if (this.apiKey && key !== this.apiKey && bearer !== this.apiKey) {
      await this.body(req);
      return this.error(res, 401, 'Must provide an API key or an Authorization bearer token', t0);
    }
    const seg = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const q = url.searchParams;
    for (const b of ['wait']) {
      const v = q.get(b);
      if (v !== null && v !== 'true' && v !== 'false') {
        await this.body(req);
        return this.error(
          res,
          400,
          `Query deserialize error: ${b}: provided string was not \`true\` or \`false\``,
          t0,
        );
      }
    }

    if (method === 'GET' && seg.length === 0) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ title: 'qdrant - vector search engine', version: VERSION, commit: null }),
      );
      return;
    }
    if (seg[0] !== 'collections') return this.error(res, 404, `Not found: ${url.pathname}`, t0);
    if (seg.length === 1 && method === 'GET') {
      return this.ok(
        res,
        { collections: [...this.collections.keys()].map((name) => ({ name })) },
        t0,
      );
    }
    const name = seg[1]!;
    const c = this.collections.get(name);
    const missing = () =>
      this.error(res, 404, `Not found: Collection \`${name}\` doesn't exist!`, t0);

    if (seg.length === 2) {
      if (method === 'GET') return c ? this.ok(res, this.info(c), t0) : missing();
      if (method === 'PUT') {
        const body = JSON.parse((await this.body(req)).toString() || '{}') as Record<
          string,
          unknown
        >;
        if (c)
          return this.error(res, 409, `Wrong input: Collection \`${name}\` already exists!`, t0);
        if (!body['vectors'])
          return this.error(res, 400, 'Bad request: vectors config is required', t0);
        this.collections.set(name, { params: { vectors: body['vectors'] }, points: new Map() });
        return this.ok(res, true, t0);
      }
      if (method === 'DELETE') {
        this.collections.delete(name);
        return this.ok(res, c !== undefined, t0);
      }
    }
    if (seg.length === 3 && seg[2] === 'points' && method === 'PUT') {
      if (!c) return missing();
      const body = JSON.parse((await this.body(req)).toString()) as { points?: StandinPoint[] };
      for (const p of body.points ?? [])
        c.points.set(String(p.id), { ...p, payload: p.payload ?? null });
      return this.ok(res, { operation_id: c.points.size, status: 'completed' }, t0);
    }
    if (seg.length === 4 && seg[2] === 'points' && seg[3] === 'delete' && method === 'POST') {
      if (!c) return missing();
      const body = JSON.parse((await this.body(req)).toString()) as {
        points?: Array<number | string>;
      };
      for (const id of body.points ?? []) c.points.delete(String(id));
      return this.ok(res, { operation_id: c.points.size, status: 'completed' }, t0);
    }
    if (seg.length === 4 && seg[2] === 'points' && seg[3] === 'scroll' && method === 'POST') {
      if (!c) return missing();
      const body = JSON.parse((await this.body(req)).toString() || '{}') as {
        offset?: number | string | null;
        limit?: number | null;
        with_payload?: boolean;
        with_vector?: boolean;
      };
      // Points in id order (numbers before UUIDs, as Qdrant orders them); offset = first id.
      const key = (id: number | string) =>
        typeof id === 'number' ? `0${String(id).padStart(20, '0')}` : `1${id}`;
      const all = [...c.points.values()].sort((a, b) => (key(a.id) < key(b.id) ? -1 : 1));
      const limit = body.limit ?? 10;
      const from =
        body.offset === undefined || body.offset === null
          ? 0
          : all.findIndex((p) => key(p.id) >= key(body.offset!));
      const page = from < 0 ? [] : all.slice(from, from + limit);
      const next = from < 0 ? undefined : all[from + limit];
      return this.ok(
        res,
        {
          points: page.map((p) => ({
            id: p.id,
            payload: body.with_payload === false ? null : (p.payload ?? {}),
            vector: body.with_vector ? p.vector : null,
          })),
          next_page_offset: next ? next.id : null,
        },
        t0,
      );
    }
    if (seg[2] !== 'snapshots') return this.error(res, 404, `Not found: ${url.pathname}`, t0);
    const snaps = this.snapshots.get(name) ?? new Map<string, Snapshot>();
    this.snapshots.set(name, snaps);

    if (seg.length === 3 && method === 'POST') {
      if (this.faults.create500) {
        this.faults.create500--;
        return this.error(
          res,
          500,
          'Service internal error: failed to create snapshot: injected',
          t0,
        );
      }
      if (!c) return missing();
      const s = await this.makeSnapshot(name, c);
      snaps.set(s.name, s);
      if (this.faults.vanish) await rm(s.path, { force: true });
      const checksum = this.faults.wrongChecksum ? 'ab'.repeat(32) : s.checksum;
      return this.ok(
        res,
        { name: s.name, creation_time: s.creation_time, size: s.size, checksum },
        t0,
      );
    }
    if (seg.length === 3 && method === 'GET') {
      if (!c) return missing();
      return this.ok(
        res,
        [...snaps.values()].map((s) => ({
          name: s.name,
          creation_time: s.creation_time,
          size: s.size,
          checksum: s.checksum,
        })),
        t0,
      );
    }
    if (seg.length === 4 && seg[3] === 'upload' && method === 'POST') {
      this.uploads++;
      if (this.faults.upload500 || this.faults.failUploadNumber === this.uploads) {
        if (this.faults.upload500) this.faults.upload500--;
        await this.body(req);
        return this.error(res, 500, 'Service internal error: injected', t0);
      }
      const priority = q.get('priority');
      if (priority !== null && !['no_sync', 'snapshot', 'replica'].includes(priority)) {
        await this.body(req);
        return this.error(
          res,
          400,
          `Query deserialize error: unknown variant \`${priority}\`, expected one of \`no_sync\`, \`snapshot\`, \`replica\``,
          t0,
        );
      }
      const form = await new Request(this.http, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: Readable.toWeb(req) as ReadableStream,
        duplex: 'half',
      } as RequestInit).formData();
      const file = form.get('snapshot');
      if (!(file instanceof Blob)) return this.error(res, 400, 'Bad request: no snapshot file', t0);
      const bytes = Buffer.from(await file.arrayBuffer());
      const actual = createHash('sha256').update(bytes).digest('hex');
      const expected = q.get('checksum');
      if (expected && expected.toLowerCase() !== actual) {
        return this.error(res, 400, `Checksum mismatch: expected ${expected}, got ${actual}`, t0);
      }
      const spool = join(this.dir, `upload-${randomUUID()}.snapshot`);
      await writeFile(spool, bytes);
      try {
        this.collections.set(name, await this.restoreFrom(spool));
      } catch (err) {
        return this.error(res, 400, `Bad request: invalid snapshot: ${String(err)}`, t0);
      } finally {
        await rm(spool, { force: true });
      }
      return this.ok(res, true, t0);
    }
    if (seg.length === 4) {
      const s = snaps.get(seg[3]!);
      if (method === 'GET') {
        if (this.faults.download500) {
          this.faults.download500--;
          return this.error(res, 500, 'Service internal error: injected', t0);
        }
        if (!c) return missing();
        if (!s || !(await stat(s.path).catch(() => undefined))) {
          return this.error(res, 404, `Not found: Snapshot ${seg[3]} not found`, t0);
        }
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': s.size,
        });
        if (this.faults.cutDownload) {
          const half = Math.floor(s.size / 2);
          const r = createReadStream(s.path, { end: half - 1 });
          r.on('end', () => res.destroy());
          r.pipe(res, { end: false });
          return;
        }
        createReadStream(s.path).pipe(res);
        return;
      }
      if (method === 'DELETE') {
        if (!s) return this.error(res, 404, `Not found: Snapshot ${seg[3]} not found`, t0);
        snaps.delete(s.name);
        await rm(s.path, { force: true });
        return this.ok(res, true, t0);
      }
    }
    return this.error(res, 404, `Not found: ${method} ${url.pathname}`, t0);
  }
}

export async function startQdrantStandin(): Promise<QdrantStandin> {
  return new QdrantStandin().start();
}

/** A test's HTTP helper for setting data up through the stand-in's API. */
export async function qdrantCall(
  s: QdrantStandin,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (s.apiKey) headers['api-key'] = s.apiKey;
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = JSON.stringify(body);
  const r = await fetch(`${s.http}${path}`, init);
  const j = (await r.json()) as { result?: unknown; status: unknown };
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
  return j.result;
}
