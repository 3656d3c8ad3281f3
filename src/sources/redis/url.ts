/** Redis URLs, the `redis-mode` option and the member names: nothing here opens a connection. */
import { ConfigError } from '../../core/errors.ts';
import { redactUrl } from '../../core/log.ts';
import { parseUrl } from '../../core/url.ts';
import type { RedisConnectOptions } from './protocol.ts';
import type { SourceContext } from '../types.ts';

export const RDB_MEMBER = 'dump.rdb';

export const LOGICAL_MEMBER = 'keys.lbr';

export type RedisMode = 'auto' | 'rdb' | 'logical';

export interface RedisTarget {
  conn: RedisConnectOptions;
  /** Database named in the URL path; undefined = all. */
  db: number | undefined;
  displayUrl: string;
}

/** Parse and validate a redis:// URL. Credentials: URL, else REDISCLI_AUTH / REDIS_PASSWORD. */
export function parseRedisUrl(
  url: string,
  option: string,
  env: NodeJS.ProcessEnv = {},
): RedisTarget {
  const u = parseUrl(option, url);
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'redis' && scheme !== 'rediss') {
    throw new ConfigError(option, `'${redactUrl(url)}' is not a redis:// or rediss:// URL`);
  }
  const path = u.pathname.replace(/^\/+|\/+$/g, '');
  let db: number | undefined;
  if (path !== '') {
    if (!/^\d+$/.test(path)) {
      throw new ConfigError(option, `'/${path}' is not a database number`, {
        hint: 'write the database as a number after the host, e.g. redis://host:6379/2',
      });
    }
    db = Number(path);
  }
  const password = u.password
    ? decodeURIComponent(u.password)
    : (env.REDISCLI_AUTH ?? env.REDIS_PASSWORD);
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const conn: RedisConnectOptions = {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    tls: scheme === 'rediss',
  };
  if (password) conn.password = password;
  if (username) conn.username = username;
  return { conn, db, displayUrl: redactUrl(url) };
}

export function mode(ctx: SourceContext): RedisMode {
  const m = ctx.options['redis-mode'] ?? 'auto';
  if (m !== 'auto' && m !== 'rdb' && m !== 'logical') {
    throw new ConfigError('redis-mode', `'${String(m)}' is not a Redis mode`, {
      hint: 'use auto, rdb or logical',
    });
  }
  return m;
}
