/**
 * Connecting with node-postgres (loaded only inside connect(), never at the top), one clear error
 * per failed connection, the maintenance connection, the server's version, and SQL quoting.
 */
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { ConfigError, LifeboatError, SourceError } from '../../core/errors.ts';
import type { SourceContext } from '../types.ts';
import { withDatabase } from './url.ts';
import type { PgConnection } from './url.ts';
import { majorOfVersionNum } from './tools.ts';

function sslConfig(conn: PgConnection, mode: string | undefined): pg.ClientConfig['ssl'] {
  if (!mode || mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
  if (mode === 'require') return { rejectUnauthorized: false };
  const ca = conn.params.sslrootcert;
  return {
    rejectUnauthorized: true,
    ...(ca ? { ca: readFileSyncText(ca) } : {}),
    ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
  };
}

const certCache = new Map<string, string>();
function readFileSyncText(path: string): string {
  // Read once, lazily; connect() awaits loadCerts() first so this is always a cache hit.
  const v = certCache.get(path);
  if (v === undefined) throw new ConfigError('source', `cannot read sslrootcert '${path}'`);
  return v;
}
async function loadCerts(conn: PgConnection, option: string): Promise<void> {
  const path = conn.params.sslrootcert;
  if (!path || certCache.has(path)) return;
  try {
    certCache.set(path, await readFile(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(option, `cannot read sslrootcert '${path}': ${(err as Error).message}`);
  }
}

export interface PgErrorLike {
  code?: string;
  message?: string;
}

/**
 * One clear error for a failed connection, naming the server, the database, the option and the
 * fix. Everything here happened at or after connecting, so it is operational (SourceError, exit
 * 1): the URL parsed, and a down server, a timeout or a refused password can change between
 * runs. Exit 2 is for what parseConnection rejects before any connection.
 */
export function connectError(
  err: unknown,
  conn: PgConnection,
  option: string,
  ctx: SourceContext,
): LifeboatError {
  const e = err as PgErrorLike;
  const where = `${conn.host}:${conn.port}`;
  const what = `${option}: PostgreSQL at ${where}, database "${conn.database}"`;
  const msg = ctx.redactor.redact(e.message ?? String(err));
  const fail = (text: string, hint: string) =>
    new SourceError(`${what}: ${text}`, { cause: err, hint });
  switch (e.code) {
    case '28P01':
    case '28000':
      if (/no encryption|SSL off/i.test(msg)) {
        return fail(
          `the server refused an unencrypted connection: ${msg}`,
          `add ?sslmode=require (or verify-full with sslrootcert) to the ${option} URL`,
        );
      }
      return fail(
        `authentication failed for user "${conn.user}": ${msg}`,
        `check the user and password in the ${option} URL (percent-encode special characters) or PGPASSWORD`,
      );
    case '3D000':
      return fail(
        `database "${conn.database}" does not exist on ${where}`,
        `check the database name at the end of the ${option} URL`,
      );
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
    case 'ENOENT':
      return fail(
        `cannot reach PostgreSQL at ${where} (${e.code}): ${msg}`,
        `check the host and port in the ${option} URL, that the server is running, and that this machine may connect to it`,
      );
    default:
      if (/timeout/i.test(msg)) {
        return fail(
          `cannot reach PostgreSQL at ${where} (timed out): ${msg}`,
          `check the host and port in the ${option} URL and any firewall between; connect_timeout=<seconds> sets the wait`,
        );
      }
      return fail(
        `cannot connect to PostgreSQL at ${where}: ${msg}`,
        `check that the server at ${where} is running and accepts connections from this machine`,
      );
  }
}

export async function connect(
  conn: PgConnection,
  option: string,
  ctx: SourceContext,
): Promise<pg.Client> {
  await loadCerts(conn, option);
  const timeout = Number(conn.params.connect_timeout ?? 20);
  // pg is loaded here, not at the top: a run that only parses postgres URLs never needs it.
  const { Client } = (await import('pg')).default;
  const attempt = async (ssl: pg.ClientConfig['ssl']): Promise<pg.Client> => {
    const client = new Client({
      host: conn.host,
      port: conn.port,
      user: conn.user,
      database: conn.database,
      ...(conn.password !== undefined ? { password: conn.password } : {}),
      ssl,
      application_name: 'lifeboat',
      connectionTimeoutMillis: (timeout > 0 ? timeout : 20) * 1000,
      ...(conn.params.options ? { options: conn.params.options } : {}),
    });
    // A backend terminated while idle must not crash the process; queries report it.
    client.on('error', () => {});
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
  };
  const mode = conn.params.sslmode;
  try {
    return await attempt(sslConfig(conn, mode));
  } catch (err) {
    const e = err as PgErrorLike;
    // libpq's default 'prefer' tries TLS first; node-postgres cannot, so retry with TLS.
    if (
      (mode === undefined || mode === 'prefer') &&
      e.code === '28000' &&
      /no encryption/i.test(e.message ?? '')
    ) {
      try {
        return await attempt({ rejectUnauthorized: false });
      } catch (err2) {
        throw connectError(err2, conn, option, ctx);
      }
    }
    throw connectError(err, conn, option, ctx);
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A libpq conninfo naming only the database (no secret), for the tools' --dbname. */
export function dbnameConninfo(database: string): string {
  return `dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

interface ServerInfo {
  version: string;
  versionNum: number;
  major: number;
  encoding: string;
}

export async function serverInfo(client: pg.Client): Promise<ServerInfo> {
  const r = await client.query<{ num: string; version: string; encoding: string }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version,
            pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()`,
  );
  const row = r.rows[0]!;
  const versionNum = Number(row.num);
  return {
    version: row.version.split(' ')[0]!,
    versionNum,
    major: majorOfVersionNum(versionNum),
    encoding: row.encoding,
  };
}

export async function adminConnection(
  target: PgConnection,
  ctx: SourceContext,
): Promise<pg.Client> {
  try {
    return await connect(withDatabase(target, 'postgres'), 'target', ctx);
  } catch (err) {
    if ((err as { cause?: PgErrorLike }).cause?.code === '3D000') {
      return connect(withDatabase(target, 'template1'), 'target', ctx);
    }
    throw err;
  }
}

/** For other modules that need a connection (the consistency check). */
export { connect as connectPg };
