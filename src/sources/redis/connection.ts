/** A RESP connection to the URL's server, with errors a person can act on. */
import { SourceError } from '../../core/errors.ts';
import { RedisConnection, RedisReplyError } from './protocol.ts';
import type { RedisConnectOptions } from './protocol.ts';
import type { SourceContext } from '../types.ts';
import type { RedisTarget } from './url.ts';

export async function connect(
  target: RedisTarget,
  option: string,
  ctx: SourceContext,
  db?: number,
): Promise<RedisConnection> {
  ctx.redactor.add(target.conn.password);
  try {
    const opts: RedisConnectOptions = { ...target.conn };
    if (db !== undefined) opts.db = db;
    if (ctx.signal) opts.signal = ctx.signal;
    return await RedisConnection.connect(opts);
  } catch (err) {
    if ((err as { name?: unknown }).name === 'AbortError') throw err;
    // Everything here happened while connecting, so it is operational (exit 1): the URL parsed.
    const where = `${target.conn.host}:${target.conn.port}`;
    const what = `${option}: Redis at ${where}${db !== undefined ? `, database ${db}` : ''}`;
    const msg = ctx.redactor.redact(err instanceof Error ? err.message : String(err));
    if (
      err instanceof RedisReplyError &&
      /WRONGPASS|NOAUTH|invalid password|invalid username/i.test(err.message)
    ) {
      throw new SourceError(`${what}: the server refused the credentials: ${msg}`, {
        hint: `check the user and password in the ${option} URL (redis://user:password@host) or REDISCLI_AUTH`,
        cause: err,
      });
    }
    if (err instanceof RedisReplyError && /DB index is out of range/i.test(err.message)) {
      throw new SourceError(`${what}: database ${db} does not exist on this server`, {
        hint: `use a database number in the ${option} URL below the server's \`databases\` setting (16 by default)`,
        cause: err,
      });
    }
    const code = (err as { code?: unknown }).code;
    throw new SourceError(
      `${what}: cannot connect${typeof code === 'string' ? ` (${code})` : ''}: ${msg}`,
      {
        hint: `check the host and port in the ${option} URL, that Redis is running and reachable, and rediss:// for TLS`,
        cause: err,
      },
    );
  }
}
