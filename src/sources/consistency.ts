/**
 * Cross-store consistency: the ids a SQL query returns against the ids in a vector collection.
 *
 * A `consistency` line pairs them: `app: SELECT id::text FROM documents == vectors/docs`, where
 * `app` and `vectors` are source names (`name=URL` lines of `source`) and `docs` a collection
 * (optional when the vector source's URL names one). Both sides are read at the same moment
 * (concurrently) and compared as text: ids the SQL side has and the collection lacks (missing),
 * ids only the collection has (orphans), and ids listed more than once on either side
 * (duplicates). The stores are not snapshotted together: the check measures how far apart they
 * are when it runs, it does not make them agree.
 *
 * `checkConsistency` is the one function both backup (on the live sources) and drill (on the
 * restored copies) call.
 */
import { DatabaseSync } from 'node:sqlite';
import { ConfigError, IntegrityError, SourceError } from '../core/errors.ts';
import { ChromaClient, parseChromaUrl } from './chroma/client.ts';
import { Qdrant, parseQdrantUrl } from './qdrant/client.ts';
import type { SourceContext } from './types.ts';

const SQL_KINDS = ['postgres', 'mysql', 'sqlite'];
const VECTOR_KINDS = ['chroma', 'qdrant'];
/** How many ids of each kind a report shows. */
export const SHOWN_IDS = 5;

export interface ConsistencySpec {
  /** The line as written. */
  line: string;
  sql: { name: string; kind: string; url: string; query: string };
  vector: { name: string; kind: string; url: string; collection: string };
}

export interface ConsistencyResult {
  line: string;
  sqlCount: number;
  vectorCount: number;
  missing: { count: number; first: string[] };
  orphans: { count: number; first: string[] };
  duplicates: { count: number; first: string[] };
  differences: number;
  tolerance: number;
  ok: boolean;
}

const LINE =
  /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*:\s*(.+)\s+==\s+([A-Za-z0-9][A-Za-z0-9._-]*)(?:\/(\S+))?\s*$/s;

function vectorCollection(kind: string, url: string, ctx: SourceContext): string | undefined {
  try {
    return kind === 'chroma'
      ? parseChromaUrl(url, 'source', ctx).collection
      : parseQdrantUrl(url, 'source', ctx).collection;
  } catch {
    return undefined;
  }
}

/**
 * Parses the `consistency` lines against the run's sources; a ConfigError names the line and
 * the fix before anything runs.
 */
export function planConsistency(
  lines: readonly string[],
  sources: ReadonlyArray<{ name: string; kind: string; url: string }>,
  ctx: SourceContext,
): ConsistencySpec[] {
  const out: ConsistencySpec[] = [];
  const names = sources.map((s) => s.name).join(', ');
  for (const line of lines) {
    const m = LINE.exec(line.trim());
    if (!m) {
      throw new ConfigError('consistency', `cannot read '${line}'`, {
        hint: 'write `<sql source>: <query returning ids> == <vector source>/<collection>`, e.g. `app: SELECT id::text FROM documents == vectors/docs`',
      });
    }
    const [, sqlName, query, vectorName, collectionPart] = m;
    const sql = sources.find((s) => s.name === sqlName);
    const vector = sources.find((s) => s.name === vectorName);
    for (const [n, s] of [
      [sqlName, sql],
      [vectorName, vector],
    ] as const) {
      if (!s) {
        throw new ConfigError(
          'consistency',
          `'${line}' names source '${n}', which is not among this run's sources (${names})`,
          {
            hint: 'name the sources with `name=URL` lines in {{option:source}} and use those names',
          },
        );
      }
    }
    if (!SQL_KINDS.includes(sql!.kind)) {
      throw new ConfigError(
        'consistency',
        `'${sqlName}' is a ${sql!.kind} source; the left side must be SQL (${SQL_KINDS.join(', ')})`,
      );
    }
    if (!VECTOR_KINDS.includes(vector!.kind)) {
      throw new ConfigError(
        'consistency',
        `'${vectorName}' is a ${vector!.kind} source; the right side must be a vector store (${VECTOR_KINDS.join(', ')})`,
      );
    }
    const collection = collectionPart ?? vectorCollection(vector!.kind, vector!.url, ctx);
    if (!collection) {
      throw new ConfigError('consistency', `'${line}' names no collection`, {
        hint: `write ${vectorName}/<collection> (the ${vectorName} source URL names none)`,
      });
    }
    out.push({
      line: line.trim(),
      sql: { name: sqlName!, kind: sql!.kind, url: sql!.url, query: query!.trim() },
      vector: { name: vectorName!, kind: vector!.kind, url: vector!.url, collection },
    });
  }
  return out;
}

/** First column of every row of the query, as text. */
async function sqlIds(spec: ConsistencySpec['sql'], ctx: SourceContext): Promise<string[]> {
  const what = `consistency: the query on ${spec.name}`;
  const fail = (err: unknown) =>
    new SourceError(
      `${what} failed: ${ctx.redactor.redact(err instanceof Error ? err.message : String(err))}`,
      {
        cause: err,
        hint: 'check the query in {{option:consistency}}; it must return one column of ids',
      },
    );
  const text = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
  if (spec.kind === 'postgres') {
    const [{ parsePgUrl }, { connectPg }] = await Promise.all([
      import('./postgres/url.ts'),
      import('./postgres/connection.ts'),
    ]);
    const conn = parsePgUrl(spec.url, 'source', ctx.env);
    ctx.redactor.add(conn.password);
    const client = await connectPg(conn, 'source', ctx);
    try {
      const r = await client.query({ text: spec.query, rowMode: 'array' }).catch((e: unknown) => {
        throw fail(e);
      });
      return (r.rows as unknown[][]).map((row) => text(row[0]));
    } finally {
      await client.end().catch(() => {});
    }
  }
  if (spec.kind === 'mysql') {
    const { parseMysqlUrl } = await import('./mysql/url.ts');
    const { connect: connectMysql } = await import('./mysql/connection.ts');
    const target = parseMysqlUrl(spec.url, 'source', ctx.env);
    const conn = await connectMysql(target, 'source', ctx, target.database);
    try {
      const [rows] = await conn
        .query({ sql: spec.query, rowsAsArray: true })
        .catch((e: unknown) => {
          throw fail(e);
        });
      return (rows as unknown[][]).map((row) => text(row[0]));
    } finally {
      await conn.end().catch(() => {});
    }
  }
  const { sqlitePath } = await import('./sqlite/path.ts');
  const path = sqlitePath(spec.url, 'source', ctx.cwd ?? process.cwd());
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true, timeout: 30_000 });
    const stmt = db.prepare(spec.query);
    stmt.setReturnArrays(true);
    return (stmt.all() as unknown as unknown[][]).map((row) => text(row[0]));
  } catch (err) {
    throw fail(err);
  } finally {
    db?.close();
  }
}

async function vectorIds(spec: ConsistencySpec['vector'], ctx: SourceContext): Promise<string[]> {
  const out: string[] = [];
  if (spec.kind === 'chroma') {
    const client = new ChromaClient(parseChromaUrl(spec.url, 'source', ctx), 'source', ctx.signal);
    const c = await client.getCollection(spec.collection);
    if (!c) {
      throw new ConfigError(
        'consistency',
        `Chroma source '${spec.name}' has no collection '${spec.collection}'`,
      );
    }
    for await (const page of client.ids(c.id)) for (const id of page) out.push(id);
    return out;
  }
  const q = new Qdrant(parseQdrantUrl(spec.url, 'source', ctx), 'source', ctx);
  if (!(await q.collection(spec.collection))) {
    throw new ConfigError(
      'consistency',
      `Qdrant source '${spec.name}' has no collection '${spec.collection}'`,
    );
  }
  for await (const page of q.pointIds(spec.collection)) for (const id of page) out.push(id);
  return out;
}

/** Ids seen more than once, and the set of all. */
function tally(ids: string[]): { set: Set<string>; dups: string[]; dupCount: number } {
  const set = new Set<string>();
  const dups = new Set<string>();
  let dupCount = 0;
  for (const id of ids) {
    if (set.has(id)) {
      dupCount++;
      dups.add(id);
    } else set.add(id);
  }
  return { set, dups: [...dups], dupCount };
}

/** Compares two id lists (pure; exported for tests and drill). */
export function compareIds(
  line: string,
  sql: string[],
  vector: string[],
  tolerance: number,
): ConsistencyResult {
  const a = tally(sql);
  const b = tally(vector);
  const missing: string[] = [];
  for (const id of a.set) if (!b.set.has(id)) missing.push(id);
  const orphans: string[] = [];
  for (const id of b.set) if (!a.set.has(id)) orphans.push(id);
  const dupIds = [...a.dups, ...b.dups.filter((d) => !a.dups.includes(d))];
  const duplicates = a.dupCount + b.dupCount;
  const differences = missing.length + orphans.length + duplicates;
  return {
    line,
    sqlCount: sql.length,
    vectorCount: vector.length,
    missing: { count: missing.length, first: missing.slice(0, SHOWN_IDS) },
    orphans: { count: orphans.length, first: orphans.slice(0, SHOWN_IDS) },
    duplicates: { count: duplicates, first: dupIds.slice(0, SHOWN_IDS) },
    differences,
    tolerance,
    ok: differences <= tolerance,
  };
}

/** Reads both sides at the same moment and compares them. */
export async function checkConsistency(
  spec: ConsistencySpec,
  tolerance: number,
  ctx: SourceContext,
): Promise<ConsistencyResult> {
  const [sql, vector] = await Promise.all([sqlIds(spec.sql, ctx), vectorIds(spec.vector, ctx)]);
  return compareIds(spec.line, sql, vector, tolerance);
}

/** One line per kind of difference, for the log and the summary. */
export function describeConsistency(r: ConsistencyResult): string[] {
  const ids = (x: { count: number; first: string[] }) =>
    x.first.length ? ` (${x.first.join(', ')}${x.count > x.first.length ? ', …' : ''})` : '';
  return [
    `${r.line}: ${r.sqlCount} SQL ids, ${r.vectorCount} vectors; ${r.differences} difference${r.differences === 1 ? '' : 's'} (tolerance ${r.tolerance}) — ${r.ok ? 'ok' : 'FAILED'}`,
    `  missing from the vector store: ${r.missing.count}${ids(r.missing)}`,
    `  orphan vectors (no SQL row): ${r.orphans.count}${ids(r.orphans)}`,
    `  duplicates: ${r.duplicates.count}${ids(r.duplicates)}`,
  ];
}

/** The error a run fails with when any check exceeded its tolerance, or undefined. */
export function consistencyFailure(
  results: ConsistencyResult[],
  stored?: string,
): IntegrityError | undefined {
  const bad = results.filter((r) => !r.ok);
  if (!bad.length) return undefined;
  const parts = bad.map(
    (r) =>
      `'${r.line}' differs in ${r.differences} (tolerance ${r.tolerance}): ${r.missing.count} missing from the vector store${r.missing.first.length ? ` (${r.missing.first.join(', ')})` : ''}, ${r.orphans.count} orphan vectors${r.orphans.first.length ? ` (${r.orphans.first.join(', ')})` : ''}, ${r.duplicates.count} duplicates${r.duplicates.first.length ? ` (${r.duplicates.first.join(', ')})` : ''}`,
  );
  return new IntegrityError(
    `consistency: ${parts.join('; ')}${stored ? `. The backup ${stored} was stored and is intact: it holds both stores as they were read` : ''}`,
    {
      hint: 'repair the application data (re-embed the missing rows, delete the orphans), or raise {{option:consistency-tolerance}} if the stores are expected to drift',
    },
  );
}

/**
 * Every `consistency` line, planned and checked in one call: what `drill` runs after restoring
 * into scratch targets. `sources` are the restored targets under the backup's source names;
 * `collectionName` maps a collection to its restored name (e.g. with a `collection-suffix`).
 * A source's `restored` URL, when given, is where it is read, while the lines are planned
 * against its `url` (the backed-up source, whose URL may name the collection a line leaves out).
 */
export async function runConsistencyChecks(
  lines: readonly string[],
  sources: ReadonlyArray<{ name: string; kind: string; url: string; restored?: string }>,
  tolerance: number,
  ctx: SourceContext,
  collectionName: (source: string, collection: string) => string = (_, c) => c,
): Promise<ConsistencyResult[]> {
  const out: ConsistencyResult[] = [];
  for (const spec of planConsistency(lines, sources, ctx)) {
    const readAt = (name: string, url: string) =>
      sources.find((s) => s.name === name)?.restored ?? url;
    const restored = {
      ...spec,
      sql: { ...spec.sql, url: readAt(spec.sql.name, spec.sql.url) },
      vector: {
        ...spec.vector,
        url: readAt(spec.vector.name, spec.vector.url),
        collection: collectionName(spec.vector.name, spec.vector.collection),
      },
    };
    out.push(await checkConsistency(restored, tolerance, ctx));
  }
  return out;
}
