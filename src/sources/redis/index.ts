/**
 * Redis source (`redis://[user:password@]host[:port][/db]`, `rediss://` for TLS).
 *
 * Two members, chosen by the `redis-mode` option:
 * - `dump.rdb`: the server's RDB snapshot, taken through the replication protocol (SYNC, as
 *   `redis-cli --rdb` does). It holds every database of the server. A client cannot load an RDB
 *   into a running server, so it is restored as a file (for disaster recovery: copy it into the
 *   data directory of a stopped server).
 * - `keys.lbr`: a logical stream (SCAN + DUMP + PTTL, format in format.ts) of the URL's
 *   database, or of every non-empty one when the URL names none. It is what a restore into a
 *   live `redis://` target replays with RESTORE, keeping TTLs.
 *
 * `auto` (default) takes both, the RDB only when the server allows replication commands
 * (managed services often do not; a warning says so). `rdb` takes only the snapshot and fails
 * when refused; `logical` takes only the key stream.
 */
import { ConfigError } from '../../core/errors.ts';
import { schemeOf } from '../../core/url.ts';
import type { Source, SourceContext, SourceDriver } from '../types.ts';
import { connect } from './connection.ts';
import { RedisSource } from './dump.ts';
import { inventoryFrom, keyspace, scanTypes } from './inventory.ts';
import type { TypeCounts } from './inventory.ts';
import { stageLogical, stageRdbFile } from './restore.ts';
import { mode, parseRedisUrl } from './url.ts';
import { verifyMembers } from './verify.ts';

export const redisDriver: SourceDriver = {
  kind: 'redis',
  schemes: ['redis', 'rediss'],

  open(url: string, ctx: SourceContext): Source {
    const target = parseRedisUrl(url, 'source', ctx.env);
    ctx.redactor.add(target.conn.password);
    mode(ctx);
    return new RedisSource(target);
  },

  async stage(members, request, ctx) {
    const scheme = schemeOf(request.target);
    if (scheme === 'redis' || scheme === 'rediss') return stageLogical(members, request, ctx);
    if (scheme === undefined || scheme === 'file' || /^[a-zA-Z]:[\\/]/.test(request.target)) {
      return stageRdbFile(members, request, ctx);
    }
    throw new ConfigError(
      'target',
      `a Redis backup restores into redis:// (or rediss://) or a file path, not '${scheme}:'`,
      {
        hint: 'use redis://host:6379/<db> for a live server, or a path such as /var/lib/redis/dump.rdb for the snapshot',
      },
    );
  },

  verify: verifyMembers,

  async inventory(url, ctx) {
    const target = parseRedisUrl(url, 'target', ctx.env);
    const conn = await connect(target, 'target', ctx);
    try {
      const dbs =
        target.db !== undefined
          ? [target.db]
          : [...(await keyspace(conn)).keys()].sort((a, b) => a - b);
      const byDb = new Map<number, TypeCounts>();
      for (const db of dbs) byDb.set(db, await scanTypes(conn, db));
      return inventoryFrom(byDb);
    } finally {
      conn.close();
    }
  },
};
