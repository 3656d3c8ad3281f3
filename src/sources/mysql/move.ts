/**
 * Moving a whole MySQL/MariaDB database's content into another database on the same server:
 * the commit of a staged restore (MySQL has no RENAME DATABASE). Base tables move with one
 * RENAME TABLE statement (atomic, no data copied); views, routines, triggers and events cannot
 * change schema, so they are re-created in the destination from their SHOW CREATE text, read
 * with the source as the current database so that names in them come out unqualified.
 */
import type { Connection } from 'mysql2/promise';
import { abandonedBecause, parseMarker, STAGED_INFIX } from '../staging.ts';
import type { StagingMarker } from '../staging.ts';

/** The table in a staged database that says who staged it (dropped before the commit moves anything). */
export const MARKER_TABLE = '_lifeboat_staging';

const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;

async function rows<T>(conn: Connection, sql: string, params: unknown[] = []): Promise<T[]> {
  const [r] = await conn.query(sql, params);
  return r as T[];
}

interface Definition {
  kind: 'view' | 'procedure' | 'function' | 'trigger' | 'event';
  name: string;
  sql: string;
  sqlMode?: string;
}

async function showCreate(
  conn: Connection,
  kind: Definition['kind'],
  name: string,
): Promise<Definition> {
  const [row] = await rows<Record<string, string>>(
    conn,
    `SHOW CREATE ${kind.toUpperCase()} ${ident(name)}`,
  );
  const key = Object.keys(row ?? {}).find((k) => /^(Create|SQL Original Statement)/i.test(k));
  const sql = key ? row![key] : undefined;
  if (!sql) throw new Error(`SHOW CREATE ${kind.toUpperCase()} ${name} returned no definition`);
  return { kind, name, sql, sqlMode: row!['sql_mode'] };
}

/** Every object of `db` that is not a table, with its definition. */
async function definitions(conn: Connection, db: string): Promise<Definition[]> {
  await conn.query(`USE ${ident(db)}`);
  const names = async (sql: string) =>
    (await rows<{ n: string; k?: string }>(conn, sql, [db])).map((r) => r);
  const out: Definition[] = [];
  for (const r of await names(
    'SELECT ROUTINE_NAME AS n, ROUTINE_TYPE AS k FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY 1',
  ))
    out.push(await showCreate(conn, r.k === 'FUNCTION' ? 'function' : 'procedure', r.n));
  for (const r of await names(
    'SELECT TABLE_NAME AS n FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY 1',
  ))
    out.push(await showCreate(conn, 'view', r.n));
  for (const r of await names(
    'SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY ACTION_ORDER',
  ))
    out.push(await showCreate(conn, 'trigger', r.n));
  for (const r of await names(
    'SELECT EVENT_NAME AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY 1',
  ))
    out.push(await showCreate(conn, 'event', r.n));
  return out;
}

async function create(conn: Connection, d: Definition, from: string): Promise<void> {
  if (d.sqlMode !== undefined) await conn.query('SET SESSION sql_mode = ?', [d.sqlMode]);
  // A definition that still names the source database explicitly would point back at it.
  await conn.query(d.sql.replaceAll(`${ident(from)}.`, ''));
}

/**
 * Moves everything in `from` into `to` (an existing, empty database). On failure part of it may
 * have moved; the caller says where the data is.
 */
export async function moveDatabaseContent(
  conn: Connection,
  from: string,
  to: string,
): Promise<void> {
  const [mode] = await rows<{ m: string }>(conn, 'SELECT @@SESSION.sql_mode AS m');
  const defs = await definitions(conn, from);
  const tables = (
    await rows<{ n: string }>(
      conn,
      "SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE <> 'VIEW' ORDER BY 1",
      [from],
    )
  ).map((r) => r.n);
  // Tables with triggers cannot change schema; views and routines cannot at all.
  for (const d of defs) await conn.query(`DROP ${d.kind.toUpperCase()} ${ident(d.name)}`);
  if (tables.length) {
    await conn.query(
      `RENAME TABLE ${tables.map((t) => `${ident(from)}.${ident(t)} TO ${ident(to)}.${ident(t)}`).join(', ')}`,
    );
  }
  await conn.query(`USE ${ident(to)}`);
  try {
    // Views may use other views: create what can be created, again, until nothing is left.
    let pending = defs.filter((d) => d.kind !== 'trigger' && d.kind !== 'event');
    while (pending.length) {
      const failed: Definition[] = [];
      let lastError: unknown;
      for (const d of pending) {
        try {
          await create(conn, d, from);
        } catch (err) {
          failed.push(d);
          lastError = err;
        }
      }
      if (failed.length === pending.length) throw lastError;
      pending = failed;
    }
    for (const d of defs)
      if (d.kind === 'trigger' || d.kind === 'event') await create(conn, d, from);
  } finally {
    await conn.query('SET SESSION sql_mode = ?', [mode!.m]);
  }
}

export async function writeMarker(
  conn: Connection,
  db: string,
  marker: StagingMarker,
): Promise<void> {
  await conn.query(`CREATE TABLE ${ident(db)}.${ident(MARKER_TABLE)} (marker TEXT NOT NULL)`);
  await conn.query(`INSERT INTO ${ident(db)}.${ident(MARKER_TABLE)} VALUES (?)`, [
    JSON.stringify(marker),
  ]);
}

export async function dropMarker(conn: Connection, db: string): Promise<void> {
  await conn.query(`DROP TABLE IF EXISTS ${ident(db)}.${ident(MARKER_TABLE)}`);
}

/** Drops staged databases an interrupted restore left on this server, when provably abandoned. */
export async function dropAbandonedStaging(
  conn: Connection,
  log: (line: string) => void,
): Promise<void> {
  const staged = await rows<{ n: string }>(
    conn,
    'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE INSTR(SCHEMA_NAME, ?) > 0',
    [STAGED_INFIX],
  );
  for (const { n } of staged) {
    let text: string | undefined;
    try {
      const [r] = await rows<{ marker: string }>(
        conn,
        `SELECT marker FROM ${ident(n)}.${ident(MARKER_TABLE)} LIMIT 1`,
      );
      text = r?.marker;
    } catch {
      continue; // no marker: not provably ours
    }
    const why = abandonedBecause(parseMarker(text));
    if (!why) continue;
    log(`dropping the staged database '${n}' an interrupted restore left: ${why}`);
    await conn.query(`DROP DATABASE IF EXISTS ${ident(n)}`);
  }
}
