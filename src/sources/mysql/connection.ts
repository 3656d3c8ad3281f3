/** A live connection (mysql2, loaded only when connecting) and the errors a person can act on. */
import { SourceError } from '../../core/errors.ts';
import type { SourceContext } from '../types.ts';
import type { MysqlTarget } from './url.ts';

export async function connect(
  target: MysqlTarget,
  option: string,
  ctx: SourceContext,
  database?: string,
) {
  ctx.redactor.add(target.password);
  try {
    // Loaded here, not at the top: a run that only parses mysql URLs never needs mysql2.
    const mysql = (await import('mysql2/promise')).default;
    return await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password ?? '',
      socketPath: target.socket,
      database,
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
    });
  } catch (err) {
    throw classify(err, option, target, ctx);
  }
}

export type Conn = Awaited<ReturnType<typeof connect>>;

/**
 * Turn a connection/query failure into the error a person can act on. A refused connection, a
 * timeout or a rejected password happens at or after connecting, so it is operational
 * (SourceError, exit 1) and names the server, the database, the option and the fix.
 */
export function classify(
  err: unknown,
  option: string,
  target: MysqlTarget,
  ctx: SourceContext,
): Error {
  const e = err as { code?: string; errno?: number; message?: string };
  const msg = ctx.redactor.redact(e.message ?? String(err));
  const where = target.socket ?? `${target.host}:${target.port}`;
  const what = `${option}: MySQL/MariaDB at ${where}${target.database ? `, database '${target.database}'` : ''}`;
  const fail = (text: string, hint: string) =>
    new SourceError(`${what}: ${text}`, { cause: err, hint });
  if (e.code === 'ER_ACCESS_DENIED_ERROR' || e.errno === 1045) {
    return fail(
      `access denied for user '${target.user}'`,
      `check the user and password in the ${option} URL (percent-encode special characters) or MYSQL_PWD`,
    );
  }
  if (e.code === 'ER_BAD_DB_ERROR' || e.errno === 1049) {
    return fail(msg, `check the database name in the ${option} URL or the databases option`);
  }
  if (
    e.code === 'ECONNREFUSED' ||
    e.code === 'ENOTFOUND' ||
    e.code === 'EAI_AGAIN' ||
    e.code === 'ETIMEDOUT' ||
    e.code === 'EHOSTUNREACH' ||
    e.code === 'ENETUNREACH' ||
    e.code === 'ENOENT'
  ) {
    return fail(
      `cannot connect (${e.code}): ${msg}`,
      `check the host and port in the ${option} URL, that the server is running, and that this machine may connect to it`,
    );
  }
  return new SourceError(`${target.displayUrl}: ${msg}`, { cause: err });
}

export async function queryRows<T>(conn: Conn, sql: string, params: unknown[] = []): Promise<T[]> {
  const [rows] = await conn.query(sql, params);
  return rows as T[];
}

export const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;
