/** What a server holds: keys per type in each database (INFO keyspace, SCAN). */
import type { Inventory } from '../../archive/types.ts';
import { RedisConnection, RedisReplyError, asText, parseInfo } from './protocol.ts';
import type { RespValue } from './protocol.ts';

/** Non-empty databases and their key counts, from INFO keyspace. */
export async function keyspace(conn: RedisConnection): Promise<Map<number, number>> {
  const info = parseInfo(asText(await conn.call('INFO', 'keyspace')));
  const out = new Map<number, number>();
  for (const [k, v] of Object.entries(info)) {
    const m = /^db(\d+)$/.exec(k);
    const keys = /keys=(\d+)/.exec(v);
    if (m && keys) out.set(Number(m[1]), Number(keys[1]));
  }
  return out;
}

export async function dbSize(conn: RedisConnection, db: number): Promise<number> {
  const [, size] = await conn.pipeline([['SELECT', db], ['DBSIZE']]);
  if (size instanceof RedisReplyError) throw size;
  return Number(size);
}

export type TypeCounts = Record<string, number>;

/** SCAN one database in batches; `each` gets the keys of every batch. */
async function scanDb(
  conn: RedisConnection,
  each: (keys: Buffer[]) => Promise<void>,
): Promise<void> {
  let cursor = '0';
  do {
    const reply = (await conn.call('SCAN', cursor, 'COUNT', 1000)) as RespValue[];
    cursor = asText(reply[0]!);
    const keys = (reply[1] as Buffer[]) ?? [];
    if (keys.length) await each(keys);
  } while (cursor !== '0');
}

/** Keys per type in one database (a live scan). */
export async function scanTypes(conn: RedisConnection, db: number): Promise<TypeCounts> {
  await conn.call('SELECT', db);
  const types: TypeCounts = {};
  await scanDb(conn, async (keys) => {
    const replies = await conn.pipeline(keys.map((k) => ['TYPE', k]));
    for (const t of replies) {
      const type = asText(t);
      if (type !== 'none') types[type] = (types[type] ?? 0) + 1;
    }
  });
  return types;
}

export function inventoryFrom(byDb: Map<number, TypeCounts>, note?: string): Inventory {
  const dbs = [...byDb.keys()].sort((a, b) => a - b);
  const keysByType: Record<string, TypeCounts> = {};
  for (const db of dbs) keysByType[`db${db}`] = byDb.get(db)!;
  const extra: Record<string, unknown> = { keysByType };
  if (note) extra.note = note;
  return {
    tables: dbs.map((db) => ({
      name: `db${db}`,
      rows: Object.values(byDb.get(db)!).reduce((a, b) => a + b, 0),
    })),
    extra,
  };
}
