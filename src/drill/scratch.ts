import { lstat, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Inventory, SourceManifest } from '../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../core/errors.ts';
import { redactUrl } from '../core/log.ts';
import { schemeOf } from '../core/url.ts';
import { ChromaClient, isCollectionName, parseChromaUrl } from '../sources/chroma/client.ts';
import { Qdrant, isQdrantCollectionName, parseQdrantUrl } from '../sources/qdrant/client.ts';
import { connect as connectMysql } from '../sources/mysql/connection.ts';
import { parseMysqlUrl } from '../sources/mysql/url.ts';
import {
  adminConnection,
  connect as connectPg,
  dropDatabase,
  parsePgUrl,
  withDatabase,
} from '../sources/postgres.ts';
import { parseRedisUrl } from '../sources/redis/url.ts';
import { RedisConnection, RedisReplyError } from '../sources/redis/protocol.ts';
import type { SourceContext } from '../sources/types.ts';
import { compare, describeLiteral, type Assertion } from './assert.ts';

/**
 * Where a drill restores one source, and what it can do there: tell whether the place is already
 * taken (a drill never restores over anything), run assertions, and remove it afterwards.
 */
export interface Scratch {
  source: string;
  kind: string;
  /** The restore target (may hold credentials: never log it, use displayUrl). */
  url: string;
  displayUrl: string;
  /** A table name of the backup's inventory as the scratch copy names it (MySQL, Redis). */
  tableName(name: string): string;
  /**
   * Vector stores: each collection of the backup and the scratch collection it is restored into
   * (`<name>_drill_<short id>`, through the restore's `collection-suffix`).
   */
  collections?: ReadonlyMap<string, string>;
  /** The `collection-suffix` the restore must use (vector stores). */
  collectionSuffix?: string;
  /**
   * The scratch copy's own inventory, when the source driver's would see more than the scratch
   * (a vector server holds other collections beside the drill's).
   */
  inventory?(): Promise<Inventory>;
  /**
   * What the scratch copy's structure has that the inventory cannot say: a vector collection's
   * dimension or vector configuration against the backup's. Each difference names what differs.
   */
  differences?(): Promise<string[]>;
  /** What is already at the scratch place, or undefined when it is free. */
  occupied(): Promise<string | undefined>;
  remove(): Promise<void>;
  check(a: Assertion, inventory: Inventory | undefined): Promise<{ ok: boolean; detail: string }>;
}

export interface ScratchRequest {
  manifest: SourceManifest;
  /** The user's target line for this source, if any. */
  target: string | undefined;
  backupId: string;
  /** A private folder for file scratch copies (SQLite, dir:). */
  folder: string;
  sctx: SourceContext;
}

/** `<base>_drill_<short id>`: the backup id's random part, so a kept scratch names its backup. */
export function scratchName(base: string, backupId: string, maxBytes: number): string {
  const suffix = `_drill_${backupId.slice(-6)}`;
  let b = base.replace(/[^A-Za-z0-9_]+/g, '_');
  while (Buffer.byteLength(b + suffix) > maxBytes) b = b.slice(0, -1);
  return b + suffix;
}

export function planScratch(r: ScratchRequest): Scratch {
  switch (r.manifest.kind) {
    case 'postgres':
      return postgresScratch(r);
    case 'mysql':
      return mysqlScratch(r);
    case 'redis':
      return redisScratch(r);
    case 'sqlite':
      return fileScratch(r, 'sqlite');
    case 'dir':
      return fileScratch(r, 'dir');
    case 'chroma':
    case 'qdrant':
      return vectorScratch(r, r.manifest.kind);
    default:
      throw new ConfigError(
        undefined,
        `drills do not support sources of kind '${r.manifest.kind}'`,
      );
  }
}

function needTarget(r: ScratchRequest, example: string): string {
  if (!r.target) {
    throw new ConfigError(
      'target',
      `a drill of ${r.manifest.name} (${r.manifest.kind}) needs a server to restore into`,
      { hint: `name a scratch server, e.g. {{option:target=${example}}}` },
    );
  }
  return r.target;
}

function withPath(url: string, path: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(path)}`;
  u.searchParams.delete('dbname');
  return u.toString();
}

const firstValue = (row: Record<string, unknown> | undefined): unknown =>
  row ? Object.values(row)[0] : undefined;

function sqlDetail(a: Extract<Assertion, { family: 'sql' }>, got: unknown, ok: boolean): string {
  const shown = got === undefined ? 'no row' : got === null ? 'NULL' : String(got);
  return `${shown} ${ok ? 'satisfies' : 'does not satisfy'} ${a.op} ${describeLiteral(a.expected)}`;
}

function postgresScratch(r: ScratchRequest): Scratch {
  const target = needTarget(r, 'postgres://postgres@localhost:5432/postgres');
  const server = parsePgUrl(target, 'target', r.sctx.env);
  r.sctx.redactor.add(server.password);
  const db =
    typeof r.manifest.details?.database === 'string'
      ? r.manifest.details.database
      : parsePgUrl(r.manifest.url, 'source', {}).database;
  const name = scratchName(db, r.backupId, 63);
  const url = withPath(target, name);
  const conn = withDatabase(server, name);
  return {
    source: r.manifest.name,
    kind: 'postgres',
    url,
    displayUrl: redactUrl(url),
    tableName: (t) => t,
    async occupied() {
      const admin = await adminConnection(server, r.sctx);
      try {
        const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        return found.rowCount ? `database "${name}" already exists` : undefined;
      } finally {
        await admin.end().catch(() => {});
      }
    },
    async remove() {
      const admin = await adminConnection(server, r.sctx);
      try {
        await dropDatabase(admin, name, r.sctx);
        const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (left.rowCount) throw new SourceError(`could not drop the scratch database "${name}"`);
      } finally {
        await admin.end().catch(() => {});
      }
    },
    async check(a) {
      if (a.family !== 'sql') throw wrongFamily(a, 'postgres');
      const c = await connectPg(conn, 'target', r.sctx);
      // A cancel ends the connection, which fails a query that waits (on a lock, a long scan).
      const stop = onAbort(r.sctx.signal, () => void c.end().catch(() => {}));
      try {
        await c.query('BEGIN READ ONLY');
        const res = await c.query(a.query).catch((err: unknown) => {
          throw queryFailed(a.query, err, r.sctx);
        });
        const got = firstValue(res.rows[0] as Record<string, unknown> | undefined);
        const ok = compare(got, a.op, a.expected);
        return { ok, detail: sqlDetail(a, got, ok) };
      } finally {
        stop();
        await c.query('ROLLBACK').catch(() => {});
        await c.end().catch(() => {});
      }
    },
  };
}

function mysqlScratch(r: ScratchRequest): Scratch {
  const target = needTarget(r, 'mysql://root@127.0.0.1:3306');
  const server = parseMysqlUrl(target, 'target', r.sctx.env);
  r.sctx.redactor.add(server.password);
  const dumped = (r.manifest.details?.databases as Array<{ name: string }> | undefined) ?? [];
  if (dumped.length !== 1) {
    throw new ConfigError(
      'source',
      `the backup's source ${r.manifest.name} holds ${dumped.length} databases (${dumped.map((d) => d.name).join(', ')}); a drill restores one`,
      { hint: 'drill a backup of one database (back up each database as its own set)' },
    );
  }
  const db = dumped[0]!.name;
  const name = scratchName(db, r.backupId, 64);
  const url = withPath(target, name);
  const withServer = async <T>(
    use: (c: Awaited<ReturnType<typeof connectMysql>>) => Promise<T>,
    database?: string,
  ) => {
    const c = await connectMysql(server, 'target', r.sctx, database);
    try {
      return await use(c);
    } finally {
      await c.end().catch(() => {});
    }
  };
  const exists = () =>
    withServer(async (c) => {
      const [rows] = await c.query(
        'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        [name],
      );
      return (rows as unknown[]).length > 0;
    });
  return {
    source: r.manifest.name,
    kind: 'mysql',
    url,
    displayUrl: redactUrl(url),
    tableName: (t) => (t.startsWith(`${db}.`) ? `${name}.${t.slice(db.length + 1)}` : t),
    async occupied() {
      return (await exists()) ? `database '${name}' already exists` : undefined;
    },
    async remove() {
      await withServer((c) => c.query(`DROP DATABASE IF EXISTS \`${name.replace(/`/g, '``')}\``));
      if (await exists()) throw new SourceError(`could not drop the scratch database '${name}'`);
    },
    async check(a) {
      if (a.family !== 'sql') throw wrongFamily(a, 'mysql');
      return withServer(async (c) => {
        const stop = onAbort(r.sctx.signal, () => c.destroy());
        await c.query('START TRANSACTION READ ONLY');
        try {
          const [rows] = await c.query(a.query).catch((err: unknown) => {
            throw queryFailed(a.query, err, r.sctx);
          });
          const got = firstValue((rows as Array<Record<string, unknown>>)[0]);
          const ok = compare(got, a.op, a.expected);
          return { ok, detail: sqlDetail(a, got, ok) };
        } finally {
          stop();
          await c.query('ROLLBACK').catch(() => {});
        }
      }, name);
    },
  };
}

function redisScratch(r: ScratchRequest): Scratch {
  const target = needTarget(r, 'redis://127.0.0.1:6379/15');
  const server = parseRedisUrl(target, 'target', r.sctx.env);
  r.sctx.redactor.add(server.conn.password);
  // The scratch is flushed afterwards: it must be named, never inferred from the backup.
  if (server.db === undefined) {
    throw new ConfigError(
      'target',
      `'${server.displayUrl}' names no database index for the drill of ${r.manifest.name}`,
      { hint: 'name an empty spare database, e.g. {{option:target=redis://localhost:6379/15}}' },
    );
  }
  const logical = r.manifest.details?.logical as { databases?: number[] } | undefined;
  const sourceDbs = logical?.databases ?? [];
  const mapDb = (db: number) => server.db ?? db;
  const dbs = [...new Set(sourceDbs.map(mapDb))];
  const withConn = async <T>(use: (c: RedisConnection) => Promise<T>): Promise<T> => {
    let c: RedisConnection;
    try {
      c = await RedisConnection.connect({
        ...server.conn,
        ...(r.sctx.signal ? { signal: r.sctx.signal } : {}),
      });
    } catch (err) {
      throw new SourceError(
        `target: cannot connect to Redis at ${server.displayUrl}: ${r.sctx.redactor.redact((err as Error).message)}`,
        { cause: err },
      );
    }
    try {
      return await use(c);
    } finally {
      c.close();
    }
  };
  const sizes = () =>
    withConn(async (c) => {
      const out: Array<[number, number]> = [];
      for (const db of dbs) {
        const [, n] = await c.pipeline([['SELECT', db], ['DBSIZE']]);
        if (n instanceof RedisReplyError) throw n;
        out.push([db, Number(n)]);
      }
      return out;
    });
  return {
    source: r.manifest.name,
    kind: 'redis',
    url: target,
    displayUrl: server.displayUrl,
    tableName: (t) => {
      const m = /^db(\d+)$/.exec(t);
      return m ? `db${mapDb(Number(m[1]))}` : t;
    },
    async occupied() {
      const busy = (await sizes()).filter(([, n]) => n > 0);
      return busy.length
        ? `${busy.map(([db, n]) => `db ${db} holds ${n} keys`).join(', ')} on ${server.displayUrl}`
        : undefined;
    },
    async remove() {
      await withConn(async (c) => {
        for (const db of dbs) {
          const [, reply] = await c.pipeline([['SELECT', db], ['FLUSHDB']]);
          if (reply instanceof RedisReplyError) throw reply;
        }
      });
    },
    async check(a) {
      if (a.family === 'keys') {
        const total = (await sizes()).reduce((n, [, k]) => n + k, 0);
        const ok = compare(total, a.op, a.expected);
        return {
          ok,
          detail: `${total} keys ${ok ? 'satisfies' : 'does not satisfy'} ${a.op} ${a.expected}`,
        };
      }
      if (a.family === 'exists') {
        const found = await withConn(async (c) => {
          for (const db of dbs) {
            const [, n] = await c.pipeline([
              ['SELECT', db],
              ['EXISTS', a.key],
            ]);
            if (n instanceof RedisReplyError) throw n;
            if (Number(n) > 0) return db;
          }
          return undefined;
        });
        return {
          ok: found !== undefined,
          detail: found !== undefined ? `key found in db ${found}` : 'key not found',
        };
      }
      throw wrongFamily(a, 'redis');
    },
  };
}

function fileScratch(r: ScratchRequest, kind: 'sqlite' | 'dir'): Scratch {
  const cwd = r.sctx.cwd ?? process.cwd();
  let path: string;
  if (r.target) {
    const scheme = schemeOf(r.target);
    if (scheme !== kind) {
      throw new ConfigError(
        'target',
        `a drill of ${r.manifest.name} (${kind}) restores into ${kind}:<path>, not '${redactUrl(r.target)}'`,
        {
          hint: `leave {{option:target}} out to use a temporary ${kind === 'dir' ? 'folder' : 'file'}`,
        },
      );
    }
    path = resolve(cwd, r.target.slice(kind.length + 1));
  } else {
    path = join(
      r.folder,
      scratchName(r.manifest.name, r.backupId, 200) + (kind === 'sqlite' ? '.db' : ''),
    );
  }
  const url = `${kind}:${path}`;
  const siblings = kind === 'sqlite' ? ['', '-wal', '-shm', '-journal'] : [''];
  return {
    source: r.manifest.name,
    kind,
    url,
    displayUrl: url,
    tableName: (t) => t,
    async occupied() {
      const st = await lstat(path).catch(() => undefined);
      return st ? `${path} already exists` : undefined;
    },
    async remove() {
      for (const s of siblings) await rm(path + s, { recursive: true, force: true });
    },
    async check(a, inventory) {
      if (kind === 'sqlite') {
        if (a.family !== 'sql') throw wrongFamily(a, 'sqlite');
        const db = new DatabaseSync(path, { readOnly: true });
        try {
          let got: unknown;
          try {
            got = firstValue(db.prepare(a.query).get() as Record<string, unknown> | undefined);
          } catch (err) {
            throw queryFailed(a.query, err, r.sctx);
          }
          const ok = compare(got, a.op, a.expected);
          return { ok, detail: sqlDetail(a, got, ok) };
        } finally {
          db.close();
        }
      }
      if (a.family === 'files') {
        const files = inventory?.files ?? 0;
        const ok = compare(files, a.op, a.expected);
        return {
          ok,
          detail: `${files} files ${ok ? 'satisfies' : 'does not satisfy'} ${a.op} ${a.expected}`,
        };
      }
      if (a.family === 'file') {
        const st = await lstat(join(path, a.path)).catch(() => undefined);
        return {
          ok: st !== undefined,
          detail: st
            ? `${a.path} restored (${st.isDirectory() ? 'folder' : `${st.size} bytes`})`
            : `${a.path} is missing`,
        };
      }
      throw wrongFamily(a, 'dir');
    },
  };
}

/** A Qdrant collection's vector configs as the backup's inventory records them. */
function qdrantVectors(info: Record<string, unknown>): {
  vectors: Record<string, { size: number | null; distance: string | null }>;
  sparse: string[];
} {
  const params = ((info['config'] as Record<string, unknown> | undefined)?.['params'] ??
    {}) as Record<string, unknown>;
  const v = params['vectors'] as Record<string, unknown> | undefined;
  const one = (p: unknown) => {
    const o = (p ?? {}) as Record<string, unknown>;
    return {
      size: typeof o['size'] === 'number' ? o['size'] : null,
      distance: typeof o['distance'] === 'string' ? o['distance'] : null,
    };
  };
  const vectors: Record<string, { size: number | null; distance: string | null }> = {};
  if (v && typeof v['size'] === 'number') vectors[''] = one(v);
  else if (v) for (const [name, p] of Object.entries(v)) vectors[name] = one(p);
  const sparse = params['sparse_vectors'];
  return {
    vectors,
    sparse: sparse && typeof sparse === 'object' ? Object.keys(sparse).sort() : [],
  };
}

/** A JSON value with every object's keys sorted, for comparisons. */
function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === 'object') {
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]),
    );
  }
  return x;
}

/** The backup's collections of a vector source, from its manifest details. */
function backupCollections(manifest: SourceManifest): string[] {
  const list = (manifest.details as { collections?: Array<{ name?: unknown }> } | undefined)
    ?.collections;
  const names = Array.isArray(list) ? list.map((c) => c?.name) : [];
  if (!names.every((n): n is string => typeof n === 'string')) {
    throw new IntegrityError(
      `${manifest.name}: the manifest lists no ${manifest.kind} collections`,
    );
  }
  return names;
}

/**
 * Chroma and Qdrant: the backup's collections restored as `<name>_drill_<short id>` on the
 * server (for Chroma: the tenant and database) named by `target`, never on the backed-up one
 * (planScratches refuses it), each refused if it exists, and deleted afterwards by name.
 */
function vectorScratch(r: ScratchRequest, kind: 'chroma' | 'qdrant'): Scratch {
  const target = needTarget(
    r,
    kind === 'chroma' ? 'chroma://scratch-host:8000?database=drill' : 'qdrant://scratch-host:6333',
  );
  const scheme = schemeOf(target) ?? '';
  if (scheme !== kind && !scheme.startsWith(`${kind}+`)) {
    throw new ConfigError(
      'target',
      `a drill of ${r.manifest.name} (${kind}) restores into a ${kind}:// server, not '${redactUrl(target)}'`,
      {
        hint: `name a spare ${kind === 'chroma' ? 'Chroma' : 'Qdrant'} server as {{option:target}}`,
      },
    );
  }
  const parsed =
    kind === 'chroma'
      ? parseChromaUrl(target, 'target', r.sctx)
      : parseQdrantUrl(target, 'target', r.sctx);
  if (parsed.collection) {
    throw new ConfigError(
      'target',
      `a drill names its scratch collections itself; '${parsed.displayUrl}' names collection '${parsed.collection}'`,
      { hint: `leave the collection out of the target URL, e.g. ${kind}://host:port` },
    );
  }
  const suffix = `_drill_${r.backupId.slice(-6).replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const collections = new Map<string, string>();
  for (const name of backupCollections(r.manifest)) {
    const scratch = name + suffix;
    const valid = kind === 'chroma' ? isCollectionName(scratch) : isQdrantCollectionName(scratch);
    if (!valid) {
      throw new ConfigError(
        'target',
        `the scratch collection name '${scratch}' for ${r.manifest.name} is too long for ${kind}`,
        { hint: 'drill this backup by restoring it by hand with a shorter collection-suffix' },
      );
    }
    collections.set(name, scratch);
  }
  const where =
    kind === 'chroma'
      ? (() => {
          const t = parseChromaUrl(target, 'target', r.sctx);
          return `${t.base} (tenant '${t.tenant}', database '${t.database}')`;
        })()
      : parsed.displayUrl;
  const displayUrl = `${parsed.displayUrl} [${[...collections.values()].join(', ')}]`;
  /** Chroma: whether the scratch database existed before the drill (else remove() drops it). */
  let databaseExisted = true;

  const chroma = () => new ChromaClient(parseChromaUrl(target, 'target', r.sctx), 'target');
  // No abort signal: a cancelled drill still removes its scratch collections.
  const { signal: _signal, ...quiet } = r.sctx;
  void _signal;
  const qdrant = () => new Qdrant(parseQdrantUrl(target, 'target', quiet), 'target', quiet);
  /** The scratch collections that exist now, with their record or point counts. */
  const present = async (): Promise<Array<{ name: string; rows: number; estimated: boolean }>> => {
    const out: Array<{ name: string; rows: number; estimated: boolean }> = [];
    if (kind === 'chroma') {
      const c = chroma();
      for (const name of collections.values()) {
        const found = await c.getCollection(name);
        if (found) out.push({ name, rows: await c.count(found.id), estimated: false });
      }
    } else {
      const q = qdrant();
      for (const name of collections.values()) {
        const info = await q.collection(name);
        const n = info?.['points_count'];
        // Qdrant's points_count is approximate, as the backup's inventory records it.
        if (info) out.push({ name, rows: typeof n === 'number' ? n : 0, estimated: true });
      }
    }
    return out;
  };
  return {
    source: r.manifest.name,
    kind,
    url: target,
    displayUrl,
    collections,
    collectionSuffix: suffix,
    tableName: (t) => collections.get(t) ?? t,
    async occupied() {
      if (kind === 'chroma') {
        databaseExisted = await chroma()
          .checkDatabase()
          .then(
            () => true,
            (err: unknown) => {
              if (err instanceof ConfigError) return false;
              throw err;
            },
          );
        if (!databaseExisted) return undefined;
      }
      const taken = await present();
      return taken.length
        ? `${kind === 'chroma' ? 'Chroma' : 'Qdrant'} collection${taken.length > 1 ? 's' : ''} ${taken.map((t) => `'${t.name}'`).join(', ')} already exist${taken.length > 1 ? '' : 's'} at ${where}`
        : undefined;
    },
    async remove() {
      if (kind === 'chroma') {
        const c = chroma();
        for (const name of collections.values()) {
          const found = await c.getCollection(name).catch((err: unknown) => {
            // The database the drill would have created was never made: nothing to remove.
            if ((err as { status?: number }).status === 404) return undefined;
            throw err;
          });
          if (found) await c.deleteCollection(name, found.id);
        }
        // A restore cancelled while staging may leave `<scratch>_lifeboat_new_…` behind (its
        // clean-up ran on the aborted connection). Those names derive from this drill's scratch
        // names, so they can only be a drill's leftovers of this very backup.
        const staged = [...collections.values()].map((n) => `${n}_lifeboat_new_`);
        const all = await c.listCollections().catch(() => []);
        for (const x of all) {
          if (staged.some((p) => x.name.startsWith(p))) await c.deleteCollection(x.name, x.id);
        }
        if (!databaseExisted) await c.deleteDatabaseIfEmpty().catch(() => {});
      } else {
        const q = qdrant();
        for (const name of collections.values()) {
          if (await q.collection(name)) await q.deleteCollection(name);
        }
      }
      const left = await present().catch(() => []);
      if (left.length) {
        throw new SourceError(
          `could not delete the scratch collection${left.length > 1 ? 's' : ''} ${left.map((t) => `'${t.name}'`).join(', ')} at ${where}`,
        );
      }
    },
    async inventory() {
      const tables = await present();
      return { tables: tables.sort((a, b) => (a.name < b.name ? -1 : 1)) };
    },
    async differences() {
      const out: string[] = [];
      const expected = (r.manifest.details as { collections?: unknown[] } | undefined)
        ?.collections as Array<Record<string, unknown>> | undefined;
      if (kind === 'chroma') {
        const c = chroma();
        for (const e of expected ?? []) {
          const name = collections.get(String(e['name']));
          const got = name ? await c.getCollection(name) : undefined;
          const want = e['dimension'];
          if (got && typeof want === 'number' && typeof got.dimension === 'number') {
            if (got.dimension !== want)
              out.push(
                `collection ${String(e['name'])} has embeddings of ${got.dimension} dimensions, the backup ${want}`,
              );
          }
        }
        return out;
      }
      // Qdrant: the vector configurations (size and distance per named vector, sparse vectors).
      const wanted = (r.manifest.inventory.extra?.['collections'] ?? []) as Array<{
        name: string;
        vectors?: Record<string, { size: number | null; distance: string | null }>;
        sparseVectors?: string[];
      }>;
      const q = qdrant();
      for (const e of wanted) {
        const name = collections.get(e.name);
        const info = name ? await q.collection(name) : undefined;
        if (!info || !e.vectors) continue;
        const got = qdrantVectors(info);
        const want = { vectors: e.vectors, sparse: e.sparseVectors ?? [] };
        if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(want))) {
          out.push(
            `collection ${e.name} has vectors ${JSON.stringify(got)}, the backup ${JSON.stringify(want)}`,
          );
        }
      }
      return out;
    },
    check(a) {
      return Promise.reject(wrongFamily(a, kind));
    },
  };
}

function wrongFamily(a: Assertion, kind: string): ConfigError {
  return new ConfigError('assert', `a '${a.family}' assertion cannot run against a ${kind} source`);
}

/** Calls `stop` once when the run is cancelled; returns the unsubscribe. */
function onAbort(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    stop();
    return () => {};
  }
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}

/** A query the scratch copy refused: the assertion is wrong (a typo, a missing table), not the data. */
function queryFailed(query: string, err: unknown, sctx: SourceContext): unknown {
  // A cancel ended the connection under the query: the run was cancelled, the query is fine.
  if (sctx.signal?.aborted) return sctx.signal.reason;
  return new ConfigError(
    'assert',
    `'${query}' failed on the restored copy: ${sctx.redactor.redact((err as Error)?.message ?? String(err))}`,
    { hint: 'fix the query (it runs read-only against the restored data)' },
  );
}

/** Scheme, host, port and path, so `postgresql://a@LOCALHOST/db` and `postgres://b@localhost:5432/db` are one place. */
export function samePlace(a: string, b: string, cwd: string): boolean {
  return placeOf(a, cwd) === placeOf(b, cwd);
}

const CANONICAL: Record<string, string> = {
  postgresql: 'postgres',
  mariadb: 'mysql',
  rediss: 'redis',
};
const DEFAULT_PORT: Record<string, string> = { postgres: '5432', mysql: '3306', redis: '6379' };
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '']);

/**
 * A vector server's place: its host and port (and for Chroma its tenant and database), whatever
 * collection the URL names: a drill never writes beside the production collections.
 */
function vectorPlaceOf(scheme: string, url: string): string {
  try {
    const u = new URL(url);
    const https = scheme.endsWith('+https');
    const kind = scheme.split('+')[0]!;
    const host = LOOPBACK.has(u.hostname.toLowerCase()) ? 'loopback' : u.hostname.toLowerCase();
    const port = u.port || (https ? '443' : kind === 'chroma' ? '8000' : '6333');
    if (kind === 'qdrant') return `qdrant://${host}:${port}`;
    const tenant = u.searchParams.get('tenant') || 'default_tenant';
    const database = u.searchParams.get('database') || 'default_database';
    return `chroma://${host}:${port}/${tenant}/${database}`;
  } catch {
    return url;
  }
}

function placeOf(url: string, cwd: string): string {
  const raw = schemeOf(url) ?? '';
  const scheme = CANONICAL[raw] ?? raw;
  if (/^(chroma|qdrant)(\+https?)?$/.test(scheme)) return vectorPlaceOf(scheme, url);
  if (scheme in DEFAULT_PORT) {
    try {
      const u = new URL(url);
      const host = LOOPBACK.has(u.hostname.toLowerCase()) ? 'loopback' : u.hostname.toLowerCase();
      const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
      const db = u.searchParams.get('dbname') ?? path;
      return `${scheme}://${host}:${u.port || DEFAULT_PORT[scheme]}/${db}`;
    } catch {
      return url;
    }
  }
  const rest = url.slice(raw.length + 1).replace(/^file:/, '');
  return `${scheme}:${resolve(cwd, rest).replace(/\/+$/, '')}`;
}
