/** What a database holds: tables with exact row counts, views, routines, triggers and events. */
import { ident, queryRows } from './connection.ts';
import type { Conn } from './connection.ts';

export interface DbFacts {
  name: string;
  member: string;
  charset: string;
  collation: string;
}

/** Base tables with exact row counts, plus views, routines, triggers and events, of one database. */
export interface DbObjects {
  views: string[];
  routines: string[];
  triggers: string[];
  events: string[];
}

export async function liveInventory(
  conn: Conn,
  db: string,
): Promise<{ tables: Array<{ name: string; rows: number }>; objects: DbObjects }> {
  const { baseTables, objects } = await listObjects(conn, db);
  const out: Array<{ name: string; rows: number }> = [];
  for (const t of baseTables) {
    const [r] = await queryRows<{ c: string }>(
      conn,
      `SELECT COUNT(*) AS c FROM ${ident(db)}.${ident(t)}`,
    );
    out.push({ name: `${db}.${t}`, rows: Number(r!.c) });
  }
  return { tables: out, objects };
}

/** Names only, from information_schema: never waits on a table lock. */
export async function listObjects(
  conn: Conn,
  db: string,
): Promise<{ baseTables: string[]; objects: DbObjects }> {
  const tables = await queryRows<{ n: string; t: string }>(
    conn,
    'SELECT TABLE_NAME AS n, TABLE_TYPE AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    [db],
  );
  const names = async (sql: string) =>
    (await queryRows<{ n: string }>(conn, sql, [db])).map((r) => r.n);
  const objects: DbObjects = {
    views: tables.filter((x) => x.t === 'VIEW').map((x) => x.n),
    routines: await names(
      'SELECT ROUTINE_NAME AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY 1',
    ),
    triggers: await names(
      'SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY 1',
    ),
    events: await names(
      'SELECT EVENT_NAME AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY 1',
    ),
  };
  return {
    baseTables: tables
      .filter((x) => x.t === 'BASE TABLE' || x.t === 'SYSTEM VERSIONED')
      .map((x) => x.n),
    objects,
  };
}

/** Anything in a database: tables, views, routines, events. */
export async function isEmptyDatabase(conn: Conn, db: string): Promise<boolean> {
  const [r] = await queryRows<{ c: string }>(
    conn,
    `SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?)
          + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?)
          + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?) AS c`,
    [db, db, db],
  );
  return Number(r!.c) === 0;
}

export async function databaseExists(conn: Conn, db: string): Promise<boolean> {
  return (
    (await queryRows(conn, 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db]))
      .length > 0
  );
}
