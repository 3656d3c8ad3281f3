/** Redis scratch: a spare, empty database of the target server. */
import { ConfigError, SourceError } from '../../core/errors.ts';
import { parseRedisUrl } from '../../sources/redis/url.ts';
import { RedisConnection, RedisReplyError } from '../../sources/redis/protocol.ts';
import { compare } from '../assert.ts';
import { needTarget, wrongFamily } from './common.ts';
import type { Scratch, ScratchRequest } from './common.ts';
import { detailsOf } from '../../sources/types.ts';

export function redisScratch(r: ScratchRequest): Scratch {
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
  const logical = detailsOf(r.manifest, 'redis').logical;
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
