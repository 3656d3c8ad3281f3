/** MySQL / MariaDB URLs: parsing only, so planning a drill or a consistency line loads no driver. */
import { ConfigError } from '../../core/errors.ts';
import { redactUrl } from '../../core/log.ts';
import { parseUrl } from '../../core/url.ts';

export type Flavour = 'mysql' | 'mariadb';

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  socket: string | undefined;
  database: string | undefined;
  displayUrl: string;
}

/** Schemas that belong to the server, never dumped unless named explicitly. */
export const SYSTEM_SCHEMAS = ['information_schema', 'performance_schema', 'mysql', 'sys'];

/** Parse a mysql:// or mariadb:// URL. Password: URL, else MYSQL_PWD / MYSQL_PASSWORD from the environment. */
export function parseMysqlUrl(
  url: string,
  option: string,
  env: NodeJS.ProcessEnv = {},
): MysqlTarget {
  const u = parseUrl(option, url);
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'mysql' && scheme !== 'mariadb') {
    throw new ConfigError(option, `'${redactUrl(url)}' is not a mysql:// or mariadb:// URL`);
  }
  const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
  if (path.includes('/')) {
    throw new ConfigError(option, `'${path}' is not a database name`, {
      hint: 'write one database: mysql://host:3306/dbname',
    });
  }
  const socket = u.searchParams.get('socket') ?? undefined;
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: u.username ? decodeURIComponent(u.username) : (env.MYSQL_USER ?? 'root'),
    password: u.password ? decodeURIComponent(u.password) : (env.MYSQL_PWD ?? env.MYSQL_PASSWORD),
    socket,
    database: path || undefined,
    displayUrl: redactUrl(url),
  };
}
