import assert from 'node:assert/strict';
/**
 * A real Chroma server for tests: the `chromadb` npm package's CLI (`chroma run`), on a port of
 * 127.0.0.1 the OS picks, with its data in a temporary folder. Chroma binds `--port 0` but
 * prints `localhost:0`, so the port it got is read from its listening socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listeningPort } from './ports.ts';
import { unavailable } from './services.ts';

const CLI = resolve('node_modules/chromadb/dist/cli.mjs');

export interface ChromaServer {
  port: number;
  url: string;
  /** `http://127.0.0.1:<port>` */
  http: string;
  /** The persist directory. */
  path: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** undefined (or, under CI=true, a thrown error) when the chromadb package is missing. */
export async function startChroma(persistPath?: string): Promise<ChromaServer | undefined> {
  if (!existsSync(CLI)) {
    unavailable(`the chromadb package's server (${CLI}; npm ci installs it)`);
    return undefined;
  }
  const path = persistPath ?? (await mkdtemp(join(tmpdir(), 'vector-chroma-')));
  const own = !persistPath;
  const child = spawn(
    process.execPath,
    [CLI, 'run', '--path', path, '--port', '0', '--host', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ANONYMIZED_TELEMETRY: 'False' } },
  );
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  let exited = false;
  const gone = new Promise<void>((ok) => child.once('exit', () => ((exited = true), ok())));
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(t);
    }
    if (own) await rm(path, { recursive: true, force: true });
  };
  let port: number;
  try {
    port = await listeningPort(child, () => `chroma run did not start:\n${log}`);
    const http = `http://127.0.0.1:${port}`;
    // Listening is not serving yet: the heartbeat answers once the API is up.
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      if (exited) throw new Error(`chroma run exited:\n${log}`);
      try {
        if ((await fetch(`${http}/api/v2/heartbeat`)).ok) break;
      } catch {
        // not serving yet
      }
      await new Promise((ok) => setTimeout(ok, wait));
    }
    return { port, url: `chroma://127.0.0.1:${port}`, http, path, child, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A tiny Chroma API client for test setup and comparisons. */
export class ChromaApi {
  readonly http: string;
  constructor(http: string) {
    this.http = http;
  }
  db(tenant = 'default_tenant', database = 'default_database'): string {
    return `${this.http}/api/v2/tenants/${tenant}/databases/${database}`;
  }
  async call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const r = await fetch(url, init);
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  async createDatabase(tenant: string, database: string): Promise<void> {
    await this.call('POST', `${this.http}/api/v2/tenants/${tenant}/databases`, { name: database });
  }
  async createCollection(
    name: string,
    metadata?: Record<string, unknown>,
    db = this.db(),
    configuration?: Record<string, unknown>,
  ): Promise<string> {
    const body: Record<string, unknown> = { name };
    if (metadata) body['metadata'] = metadata;
    if (configuration) body['configuration'] = configuration;
    const c = await this.call<{ id: string }>('POST', `${db}/collections`, body);
    return c.id;
  }
  async collections(db = this.db()): Promise<
    Array<{
      id: string;
      name: string;
      metadata: unknown;
      configuration_json: unknown;
      dimension: number | null;
    }>
  > {
    return this.call('GET', `${db}/collections?limit=1000`);
  }
  async add(id: string, records: Record<string, unknown>, db = this.db()): Promise<void> {
    await this.call('POST', `${db}/collections/${id}/add`, records);
  }
  async deleteIds(id: string, ids: string[], db = this.db()): Promise<void> {
    await this.call('POST', `${db}/collections/${id}/delete`, { ids });
  }
  async count(id: string, db = this.db()): Promise<number> {
    return this.call('GET', `${db}/collections/${id}/count`);
  }
  /** Every collection of a database with every record, sorted, metadata {} read as null. */
  async picture(db = this.db(), rename: (name: string) => string = (n) => n): Promise<unknown[]> {
    const out: unknown[] = [];
    const cols = (await this.collections(db)).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const c of cols) {
      const r = await this.call<{
        ids: string[];
        embeddings: number[][];
        documents: Array<string | null>;
        metadatas: Array<Record<string, unknown> | null>;
        uris: Array<string | null>;
      }>('POST', `${db}/collections/${c.id}/get`, {
        include: ['embeddings', 'documents', 'metadatas', 'uris'],
      });
      const records = r.ids
        .map((id, i) => ({
          id,
          embedding: r.embeddings[i],
          document: r.documents[i],
          metadata: r.metadatas[i] && Object.keys(r.metadatas[i]!).length ? r.metadatas[i] : null,
          uri: r.uris[i],
        }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      out.push({
        name: rename(c.name),
        metadata: c.metadata,
        configuration: c.configuration_json,
        dimension: c.dimension,
        records,
      });
    }
    return out;
  }
}

/** Deterministic pseudo-random embeddings. */
export function embeddings(n: number, dim: number, seed = 1): number[][] {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32 - 0.5;
  };
  return Array.from({ length: n }, () => Array.from({ length: dim }, next));
}

type Picture = Array<{
  name: string;
  configuration: { hnsw?: { space?: string } | null } | null;
  records: Array<{ id: string; embedding?: number[] }>;
}>;

/**
 * Asserts two pictures equal: everything exactly, embeddings too, except in cosine collections,
 * where Chroma normalises every embedding it is given (so writing back what it returned moves
 * the last bit of a float32): there within a relative 1e-6.
 */
export function assertSamePicture(actual: unknown[], expected: unknown[]): void {
  const strip = (p: unknown[]) =>
    (p as Picture).map((c) => ({
      ...c,
      records: c.records.map((r) => ({ ...r, embedding: r.embedding?.length })),
    }));
  assert.deepEqual(strip(actual), strip(expected));
  const a = actual as Picture;
  const e = expected as Picture;
  for (let i = 0; i < e.length; i++) {
    const cosine = e[i]!.configuration?.hnsw?.space === 'cosine';
    for (let j = 0; j < e[i]!.records.length; j++) {
      const x = a[i]!.records[j]!.embedding ?? [];
      const y = e[i]!.records[j]!.embedding ?? [];
      if (!cosine) {
        assert.deepEqual(x, y, `${e[i]!.name}/${e[i]!.records[j]!.id}`);
        continue;
      }
      for (let k = 0; k < y.length; k++) {
        assert.ok(
          Math.abs(x[k]! - y[k]!) <= 1e-6 * Math.max(1, Math.abs(y[k]!)),
          `${e[i]!.name}/${e[i]!.records[j]!.id}[${k}]: ${x[k]} != ${y[k]}`,
        );
      }
    }
  }
}
