/**
 * Parsing postgres:// URLs into connection parameters (resolved against the PG* environment),
 * and the environment the client tools run with. Imports nothing heavy: no pg.
 */
import { ConfigError } from '../../core/errors.ts';
import { redactUrl } from '../../core/log.ts';
import { parseUrl } from '../../core/url.ts';
import type { SourceContext } from '../types.ts';

/** Connection parameters of a postgres URL, resolved against the PG* environment. */
export interface PgConnection {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** libpq parameters passed on to the tools as PG* variables (sslmode, sslrootcert, …). */
  params: Record<string, string>;
  displayUrl: string;
  /** Whether the URL itself named the database (a restore target must). */
  databaseFromUrl: boolean;
}

/** URL query parameters understood, with the environment variable that carries each to the tools. */
const PARAM_ENV: Record<string, string> = {
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  sslcrl: 'PGSSLCRL',
  sslnegotiation: 'PGSSLNEGOTIATION',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  options: 'PGOPTIONS',
  target_session_attrs: 'PGTARGETSESSIONATTRS',
  gssencmode: 'PGGSSENCMODE',
  channel_binding: 'PGCHANNELBINDING',
};

/**
 * Parse a postgres URL. Missing parts come from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE
 * (and PGSSLMODE…) of `env`; `?host=/run/postgresql` selects a Unix socket folder.
 */
export function parsePgUrl(url: string, option: string, env: NodeJS.ProcessEnv = {}): PgConnection {
  const u = parseUrl(option, url);
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    throw new ConfigError(option, `'${redactUrl(url)}' is not a postgres:// URL`);
  }
  const q = new Map<string, string>();
  for (const [k, v] of u.searchParams) q.set(k, v);
  const take = (k: string): string | undefined => {
    const v = q.get(k);
    q.delete(k);
    return v === '' ? undefined : v;
  };
  const qHost = take('host');
  const qPort = take('port');
  const qUser = take('user');
  const qPassword = take('password');
  const qDb = take('dbname');
  const params: Record<string, string> = {};
  for (const [k, v] of q) {
    if (!(k in PARAM_ENV)) {
      throw new ConfigError(option, `unknown connection parameter '${k}' in '${redactUrl(url)}'`, {
        hint: `use only ${Object.keys(PARAM_ENV).join(', ')}, host, port, user, dbname`,
      });
    }
    params[k] = v;
  }
  for (const [k, envName] of Object.entries(PARAM_ENV)) {
    if (params[k] === undefined && env[envName]) params[k] = env[envName]!;
  }
  const hostname = decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''));
  const host = qHost ?? (hostname || env.PGHOST || 'localhost');
  const portText = qPort ?? (u.port || env.PGPORT || '5432');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(option, `port '${portText}' is not a number between 1 and 65535`);
  }
  const user =
    qUser ?? (u.username ? decodeURIComponent(u.username) : env.PGUSER || env.USER || 'postgres');
  const password =
    qPassword ?? (u.password ? decodeURIComponent(u.password) : env.PGPASSWORD || undefined);
  const pathDb = decodeURIComponent(u.pathname.replace(/^\/+/, ''));
  if (pathDb.includes('/')) {
    throw new ConfigError(option, `'/${pathDb}' is not a database name`, {
      hint: 'write the database after the host: postgres://user@host:5432/dbname',
    });
  }
  const fromUrl = qDb ?? (pathDb || undefined);
  const database = fromUrl ?? env.PGDATABASE ?? user;
  const shown = new URL(url);
  shown.password = '';
  if (shown.searchParams.has('password')) shown.searchParams.delete('password');
  return {
    host,
    port,
    user,
    password,
    database,
    params,
    displayUrl: redactUrl(shown.toString()),
    databaseFromUrl: fromUrl !== undefined,
  };
}

/** The same connection, another database (for a restore's maintenance and temporary databases). */
export function withDatabase(conn: PgConnection, database: string): PgConnection {
  return { ...conn, database };
}

/** The environment of a child tool: the run's environment plus the connection, password included. */
export function childEnv(
  conn: PgConnection,
  ctx: SourceContext,
  appName: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...ctx.env };
  env.PGHOST = conn.host;
  env.PGPORT = String(conn.port);
  env.PGUSER = conn.user;
  env.PGDATABASE = conn.database;
  if (conn.password !== undefined) env.PGPASSWORD = conn.password;
  else delete env.PGPASSWORD;
  for (const [k, v] of Object.entries(conn.params)) env[PARAM_ENV[k]!] = v;
  env.PGAPPNAME = appName;
  // Output the tools parse or show must not depend on the user's locale.
  env.LC_MESSAGES = 'C';
  return env;
}
