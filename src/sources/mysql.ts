/**
 * MySQL / MariaDB source (`mysql://user:password@host:3306/db`, `mariadb://…`).
 *
 * Each database is dumped by the client tool matching the server (mariadb-dump for MariaDB,
 * mysqldump for MySQL) into its own member `<db>.sql`, as one consistent InnoDB snapshot
 * (--single-transaction) with routines, triggers, events and binary columns as hex. The dump
 * has no CREATE DATABASE / USE lines, so a restore can put it into any database name.
 * Credentials reach the tools as an option file's text on a pipe (--defaults-extra-file=/dev/fd/3,
 * see WITH_OPTIONS_ON_FD3), never a file on disk nor a command line.
 */
import { describeExit, runProcess, startProcess, type ProcessRun } from '../core/process.ts';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import type { Inventory, MemberSink, SourceManifest, ArchiveEntry } from '../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../core/errors.ts';
import { formatBytes, redactUrl } from '../core/log.ts';
import { parseUrl } from '../core/url.ts';
import { SqlDumpScan } from './mysql-dump-scan.ts';
import {
  dropAbandonedStaging,
  dropMarker,
  MARKER_TABLE,
  moveDatabaseContent,
  writeMarker,
} from './mysql-move.ts';
import { stagedName, stagingMarker } from './staging.ts';
import type {
  DumpResult,
  RestoreRequest,
  RestoreResult,
  Source,
  SourceContext,
  SourceDriver,
  StagedRestore,
} from './types.ts';

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

export interface ServerInfo {
  flavour: Flavour;
  version: string;
  full: string;
}

export interface ClientInfo {
  /** Absolute path of the tool. */
  path: string;
  flavour: Flavour;
  version: string;
}

/** `mariadb-dump --version` / `mysqldump --version` → flavour and version. */
export function parseClientVersion(
  output: string,
): { flavour: Flavour; version: string } | undefined {
  let m = /(?:Distrib|from)\s+(\d+\.\d+\.\d+)-MariaDB/i.exec(output);
  if (m) return { flavour: 'mariadb', version: m[1]! };
  m = /Distrib\s+(\d+\.\d+\.\d+)/.exec(output);
  if (m) return { flavour: 'mysql', version: m[1]! };
  m = /Ver\s+(\d+\.\d+\.\d+)/.exec(output);
  if (m) return { flavour: /MariaDB/i.test(output) ? 'mariadb' : 'mysql', version: m[1]! };
  return undefined;
}

export function serverInfo(version: string, comment = ''): ServerInfo {
  const flavour: Flavour =
    /mariadb/i.test(version) || /mariadb/i.test(comment) ? 'mariadb' : 'mysql';
  return { flavour, version: /^(\d+\.\d+\.\d+)/.exec(version)?.[1] ?? version, full: version };
}

function majorMinor(v: string): [number, number] {
  const [a, b] = v.split('.').map(Number);
  return [a ?? 0, b ?? 0];
}

function olderThan(a: string, b: string): boolean {
  const [a1, a2] = majorMinor(a);
  const [b1, b2] = majorMinor(b);
  return a1 < b1 || (a1 === b1 && a2 < b2);
}

const installHint = (server: ServerInfo) =>
  server.flavour === 'mariadb'
    ? `install a MariaDB client ${majorMinor(server.version).join('.')} or newer (Debian/Ubuntu: apt-get install mariadb-client; or the MariaDB repository for newer versions) and put its bin folder first on PATH`
    : `install mysqldump ${majorMinor(server.version).join('.')} or newer (Ubuntu: apt-get install mysql-client; or the MySQL APT repository for newer versions) and put its bin folder first on PATH`;

/**
 * Pick the dump tool for a server, with the extra arguments the pair needs, or throw a
 * ConfigError naming the fix. Mismatches that break dumps in practice are refused:
 * - a MySQL mysqldump against MariaDB (it queries MySQL-only tables such as COLUMN_STATISTICS
 *   and writes MySQL-only syntax), and mariadb-dump against MySQL 8+ (unknown collations, GTID);
 * - a client older (major.minor) than the server: it cannot know the server's newer objects.
 * Handled: mysqldump 8+ against MySQL 5.x gets --column-statistics=0; mysqldump always gets
 * --set-gtid-purged=OFF so the dump restores into a server with its own GTIDs.
 */
export function chooseDumpClient(
  server: ServerInfo,
  clients: ClientInfo[],
): { client: ClientInfo; args: string[]; warnings: string[] } {
  const same = clients.filter((c) => c.flavour === server.flavour);
  const usable = same.filter((c) => !olderThan(c.version, server.version));
  const client = usable[0];
  if (!client) {
    const found =
      clients.map((c) => `${c.path} (${c.flavour} ${c.version})`).join(', ') || 'none on PATH';
    const why = same.length
      ? `the ${server.flavour === 'mariadb' ? 'MariaDB' : 'MySQL'} client found is older than the server (${same[0]!.version} < ${server.version})`
      : `no ${server.flavour === 'mariadb' ? 'MariaDB (mariadb-dump)' : 'MySQL (mysqldump)'} client was found; a ${server.flavour === 'mariadb' ? 'MySQL' : 'MariaDB'} client does not dump this server reliably`;
    throw new ConfigError(
      'source',
      `cannot dump ${server.flavour} ${server.version}: ${why} (found: ${found})`,
      {
        hint: installHint(server),
      },
    );
  }
  const args: string[] = [];
  const warnings: string[] = [];
  if (client.flavour === 'mysql') {
    args.push('--set-gtid-purged=OFF');
    if (majorMinor(client.version)[0] >= 8 && majorMinor(server.version)[0] < 8)
      args.push('--column-statistics=0');
  }
  return { client, args, warnings };
}

/** Every tool by these names on PATH (and in `extraDirs` first), with its version. */
async function detectClients(
  names: string[],
  ctx: SourceContext,
  extraDirs: string[] = [],
): Promise<ClientInfo[]> {
  const dirs = [...extraDirs, ...(ctx.env.PATH ?? process.env.PATH ?? '').split(':')].filter(
    Boolean,
  );
  const out: ClientInfo[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    for (const name of names) {
      const path = join(dir, name);
      if (seen.has(path)) continue;
      seen.add(path);
      const s = await stat(path).catch(() => undefined);
      if (!s?.isFile() || !(s.mode & 0o111)) continue;
      const { code, stdout } = await run(path, ['--version'], ctx);
      const parsed = code === 0 ? parseClientVersion(stdout) : undefined;
      if (parsed) out.push({ path, ...parsed });
    }
  }
  return out;
}

async function run(
  cmd: string,
  args: string[],
  ctx: SourceContext,
): Promise<{ code: number; stdout: string }> {
  try {
    const stdout = await runProcess({
      tool: basename(cmd),
      command: cmd,
      args,
      env: childEnv(ctx),
      stderr: 'ignore',
      signal: ctx.signal,
    });
    return { code: 0, stdout };
  } catch {
    return { code: -1, stdout: '' };
  }
}

/** The tools' environment: PATH and locale only, so no MYSQL_PWD or MYSQL_HOST leaks in. */
function childEnv(ctx: SourceContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: ctx.env.PATH ?? process.env.PATH ?? '' };
  for (const k of ['LANG', 'LC_ALL', 'HOME', 'TZ'])
    if (ctx.env[k] !== undefined) env[k] = ctx.env[k];
  return env;
}

function optionValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The connection settings as an option file's text; it reaches the tool only through a pipe. */
function optionText(target: MysqlTarget): string {
  const lines = ['[client]', `user=${optionValue(target.user)}`];
  if (target.password !== undefined) lines.push(`password=${optionValue(target.password)}`);
  if (target.socket) lines.push(`socket=${optionValue(target.socket)}`);
  else lines.push(`host=${optionValue(target.host)}`, `port=${target.port}`, 'protocol=TCP');
  return lines.join('\n') + '\n';
}

/**
 * Node hands children sockets, which /dev/fd/N cannot open, so sh turns the options (passed in
 * its environment, then unset) into a here-document on fd 3 (a pipe in dash, bash and ash) and
 * execs the tool in its place: the password never touches disk nor any command line, and the
 * tool is the process the runner signals.
 */
const WITH_OPTIONS_ON_FD3 =
  'o=$LIFEBOAT_MYSQL_OPTIONS; unset LIFEBOAT_MYSQL_OPTIONS; exec "$0" --defaults-extra-file=/dev/fd/3 "$@" 3<<LIFEBOAT_EOF\n$o\nLIFEBOAT_EOF\n';

function startClient(
  tool: string,
  args: string[],
  options: string,
  stdio: { stdin: 'ignore' | 'pipe'; stdout: 'ignore' | 'pipe' },
  ctx: SourceContext,
): ProcessRun {
  return startProcess({
    tool: basename(tool),
    command: 'sh',
    args: ['-c', WITH_OPTIONS_ON_FD3, tool, ...args],
    env: { ...childEnv(ctx), LIFEBOAT_MYSQL_OPTIONS: options },
    ...stdio,
    signal: ctx.signal,
    redact: (t) => ctx.redactor.redact(t),
  });
}

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

type Conn = Awaited<ReturnType<typeof connect>>;

/**
 * Turn a connection/query failure into the error a person can act on. A refused connection, a
 * timeout or a rejected password happens at or after connecting, so it is operational
 * (SourceError, exit 1) and names the server, the database, the option and the fix.
 */
function classify(err: unknown, option: string, target: MysqlTarget, ctx: SourceContext): Error {
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

async function queryRows<T>(conn: Conn, sql: string, params: unknown[] = []): Promise<T[]> {
  const [rows] = await conn.query(sql, params);
  return rows as T[];
}

const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;

interface DbFacts {
  name: string;
  member: string;
  charset: string;
  collation: string;
}

/** Base tables with exact row counts, plus views, routines, triggers and events, of one database. */
interface DbObjects {
  views: string[];
  routines: string[];
  triggers: string[];
  events: string[];
}

async function liveInventory(
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
async function listObjects(
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
async function isEmptyDatabase(conn: Conn, db: string): Promise<boolean> {
  const [r] = await queryRows<{ c: string }>(
    conn,
    `SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?)
          + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?)
          + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?) AS c`,
    [db, db, db],
  );
  return Number(r!.c) === 0;
}

async function databaseExists(conn: Conn, db: string): Promise<boolean> {
  return (
    (await queryRows(conn, 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db]))
      .length > 0
  );
}

/** Member name of a database's dump. */
export function memberFor(db: string): string {
  return `${encodeURIComponent(db)}.sql`;
}

function databasesOption(ctx: SourceContext): string[] {
  return (ctx.options.databases ?? []).map((s) => s.trim()).filter(Boolean);
}

async function findClient(server: ServerInfo, ctx: SourceContext, kind: 'dump' | 'client') {
  const names = kind === 'dump' ? ['mariadb-dump', 'mysqldump'] : ['mariadb', 'mysql'];
  let clients = await detectClients(names, ctx);
  try {
    return { ...chooseDumpClient(server, clients), all: clients };
  } catch (err) {
    if (!ctx.provideTool) throw err;
    const tool =
      server.flavour === 'mariadb'
        ? kind === 'dump'
          ? 'mariadb-dump'
          : 'mariadb'
        : kind === 'dump'
          ? 'mysqldump'
          : 'mysql';
    const dir = await ctx.provideTool(tool, majorMinor(server.version).join('.'));
    if (!dir) throw err;
    clients = await detectClients(names, ctx, [dir]);
    return { ...chooseDumpClient(server, clients), all: clients };
  }
}

class MysqlSource implements Source {
  readonly kind = 'mysql';
  readonly displayUrl: string;
  private readonly target: MysqlTarget;

  constructor(target: MysqlTarget) {
    this.target = target;
    this.displayUrl = target.displayUrl;
  }

  async dump(sink: MemberSink, ctx: SourceContext): Promise<DumpResult> {
    const conn = await connect(this.target, 'source', ctx);
    let databases: DbFacts[];
    let server: ServerInfo;
    const objects: Record<string, DbObjects> = {};
    try {
      const [v] = await queryRows<{ v: string; c: string }>(
        conn,
        'SELECT VERSION() AS v, @@version_comment AS c',
      );
      server = serverInfo(v!.v, v!.c);
      const schemata = await queryRows<{ n: string; cs: string; co: string }>(
        conn,
        'SELECT SCHEMA_NAME AS n, DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME',
      );
      const chosen = databasesOption(ctx);
      if (chosen.length && this.target.database) {
        throw new ConfigError(
          'databases',
          `the source URL already names database '${this.target.database}'`,
          {
            hint: 'name the databases either in the URL path or in the databases option, not both',
          },
        );
      }
      const wanted = chosen.length
        ? chosen
        : this.target.database
          ? [this.target.database]
          : schemata.map((s) => s.n).filter((n) => !SYSTEM_SCHEMAS.includes(n));
      const missing = wanted.filter((w) => !schemata.some((s) => s.n === w));
      if (missing.length) {
        // Found only by asking the server, so operational like a refused connection (exit 1).
        throw new SourceError(
          `${chosen.length ? 'databases' : 'source'}: database ${missing.map((m) => `'${m}'`).join(', ')} does not exist on ${this.displayUrl}`,
          {
            hint: `check the ${chosen.length ? 'databases option' : 'database name in the source URL'}; existing databases: ${
              schemata
                .map((s) => s.n)
                .filter((n) => !SYSTEM_SCHEMAS.includes(n))
                .join(', ') || '(none)'
            }`,
          },
        );
      }
      if (!wanted.length)
        throw new ConfigError('source', `${this.displayUrl} has no user databases to back up`);
      databases = wanted.map((n) => {
        const s = schemata.find((x) => x.n === n)!;
        return { name: n, member: memberFor(n), charset: s.cs, collation: s.co };
      });
      for (const db of databases) objects[db.name] = (await listObjects(conn, db.name)).objects;
    } catch (err) {
      await conn.end().catch(() => {});
      if (err instanceof ConfigError || err instanceof SourceError) throw err;
      throw classify(err, 'source', this.target, ctx);
    }
    await conn.end().catch(() => {});

    const { client, args, warnings } = await findClient(server, ctx, 'dump');
    for (const w of warnings) ctx.log.warn(`mysql: ${w}`);
    const versions: Record<string, string> = {
      server: server.full,
      [client.path.split('/').pop()!]: `${client.flavour} ${client.version}`,
    };
    const tables: Array<{ name: string; rows: number }> = [];
    const options = optionText(this.target);
    for (const db of databases) {
      ctx.log.info(
        `mysql: dumping ${db.name} with ${client.path} (${client.flavour} ${client.version})`,
      );
      const scan = await this.dumpOne(db, client.path, args, options, sink, ctx);
      for (const [t, rows] of scan.rows) tables.push({ name: `${db.name}.${t}`, rows });
      ctx.log.info(`mysql: ${db.name}: ${scan.rows.size} tables, ${formatBytes(scan.bytes)}`);
    }
    const inventory: Inventory = { tables, extra: { objects } };
    return {
      versions,
      inventory,
      details: {
        flavour: server.flavour,
        serverVersion: server.version,
        databases,
        dumpTool: `${client.flavour} ${client.version}`,
      },
    };
  }

  private async dumpOne(
    db: DbFacts,
    tool: string,
    extra: string[],
    options: string,
    sink: MemberSink,
    ctx: SourceContext,
  ): Promise<SqlDumpScan> {
    const args = [
      '--single-transaction',
      '--quick',
      '--routines',
      '--triggers',
      '--events',
      '--hex-blob',
      '--no-tablespaces',
      '--default-character-set=utf8mb4',
      '--max-allowed-packet=1G',
      ...extra,
      '--',
      db.name,
    ];
    const child = startClient(tool, args, options, { stdin: 'ignore', stdout: 'pipe' }, ctx);
    const scan = new SqlDumpScan();
    const label = `${this.displayUrl} database '${db.name}'`;
    async function* body(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of child.stdout!) {
          scan.update(chunk as Buffer);
          yield chunk as Buffer;
        }
      } finally {
        child.stop();
      }
      const status = await child.exited;
      if (status.code !== 0) {
        if (child.aborted) throw child.failure(status);
        const text = child.stderrTail();
        throw new SourceError(
          `mysql: the dump of ${label} failed (${describeExit(status, child.tool)}): ${text || 'no message'}`,
          {
            hint: /Lost connection|gone away|2013|Killed|2006/i.test(text)
              ? 'the server closed the connection during the dump (restart, kill, wait_timeout or max_allowed_packet); run the backup again'
              : /insufficient privileges|Access denied|command denied/i.test(text)
                ? 'the backup user needs SELECT, SHOW VIEW, TRIGGER, EVENT and LOCK TABLES on the databases, and to read routine bodies: SHOW_ROUTINE (MySQL 8.0.20+), SHOW CREATE ROUTINE (MariaDB 11.3+) or SELECT on mysql.proc (older MariaDB)'
                : undefined,
          },
        );
      }
      if (!scan.complete) {
        throw new SourceError(
          `mysql: the dump of ${label} ends without its '-- Dump completed' trailer: it is incomplete`,
        );
      }
    }
    try {
      await sink.addFile(db.member, Readable.from(body()), { mode: 0o600 });
    } finally {
      child.stop();
      await child.exited;
    }
    return scan;
  }
}

/** Strip MariaDB's sandbox-mode first line, which MySQL's client rejects ("Unknown command '\-'"). */
async function* forClient(
  source: AsyncIterable<Buffer>,
  stripSandbox: boolean,
): AsyncGenerator<Buffer> {
  let first = true;
  for await (const c of source) {
    let chunk = c;
    if (first && stripSandbox) {
      if (chunk.subarray(0, 10).toString('latin1').startsWith('/*M!999999')) {
        const nl = chunk.indexOf(0x0a);
        chunk = nl >= 0 ? chunk.subarray(nl + 1) : Buffer.alloc(0);
      }
    }
    first = false;
    yield chunk;
  }
}

function targetUrlFor(request: RestoreRequest, db: string): string {
  const u = new URL(request.target);
  u.pathname = `/${encodeURIComponent(db)}`;
  return u.toString();
}

interface StagedDatabase {
  from: DbFacts;
  /** The database the user named. */
  to: string;
  /** Where the dump was restored and checked. */
  staged: string;
}

async function stageInto(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  const target = parseMysqlUrl(request.target, 'target', ctx.env);
  const details = request.manifest.details as
    { databases?: DbFacts[]; flavour?: Flavour; serverVersion?: string } | undefined;
  const dumped = details?.databases ?? [];
  if (!dumped.length) throw new IntegrityError('mysql: the manifest lists no dumped databases');
  // Which dumped database goes where.
  const plan = new Map<string, string>();
  if (target.database) {
    const only = databasesOption(ctx).filter((d) => dumped.some((x) => x.name === d));
    const source = dumped.length === 1 ? dumped[0]!.name : only.length === 1 ? only[0] : undefined;
    if (!source) {
      throw new ConfigError(
        'target',
        `the backup holds databases ${dumped.map((d) => d.name).join(', ')}; a target naming '${target.database}' can take only one`,
        {
          hint: 'leave the database out of the target URL to restore each under its own name, or pick one with the databases option',
        },
      );
    }
    plan.set(source, target.database);
  } else for (const d of dumped) plan.set(d.name, d.name);

  const conn = await connect(target, 'target', ctx);
  const prepared: StagedDatabase[] = [];
  try {
    const [v] = await queryRows<{ v: string; c: string }>(
      conn,
      'SELECT VERSION() AS v, @@version_comment AS c',
    );
    const server = serverInfo(v!.v, v!.c);
    for (const to of plan.values()) await refuseNonEmpty(conn, to, request.overwrite, target);
    await dropAbandonedStaging(conn, (line) => ctx.log.info(`mysql: ${line}`));
    const { client } = await findClient(server, ctx, 'client');
    for (const [from, to] of plan) {
      const facts = dumped.find((d) => d.name === from)!;
      const staged = stagedName(to, 64);
      await conn.query(
        `CREATE DATABASE ${ident(staged)} CHARACTER SET ${facts.charset} COLLATE ${facts.collation}`,
      );
      prepared.push({ from: facts, to, staged });
      await writeMarker(conn, staged, stagingMarker(to));
    }

    const options = optionText(target);
    const byMember = new Map(prepared.map((p) => [p.from.member, p]));
    const restored = new Set<string>();
    for await (const entry of members) {
      const job = byMember.get(entry.path);
      if (!job || !entry.body || restored.has(entry.path)) {
        entry.body?.resume();
        continue;
      }
      ctx.log.info(`mysql: staging ${job.from.name} in ${job.staged} with ${client.path}`);
      await runClient(
        client,
        options,
        job.staged,
        entry.body,
        job.from.name,
        request.manifest,
        ctx,
      );
      restored.add(job.from.member);
    }
    for (const p of prepared)
      if (!restored.has(p.from.member))
        throw new IntegrityError(`mysql: the backup lacks ${p.from.member}`);

    // The staged tables must hold exactly the tables and rows the dump carried.
    for (const { from, staged } of prepared) {
      const live = await liveInventory(conn, staged);
      const got = new Map(
        live.tables
          .filter((t) => t.name !== `${staged}.${MARKER_TABLE}`)
          .map((t) => [t.name.slice(staged.length + 1), t.rows]),
      );
      const expected = (request.manifest.inventory.tables ?? []).filter((t) =>
        t.name.startsWith(`${from.name}.`),
      );
      for (const t of expected) {
        const name = t.name.slice(from.name.length + 1);
        const rows = got.get(name);
        if (rows !== t.rows) {
          throw new IntegrityError(
            `mysql: restored table ${from.name}.${name} holds ${rows ?? 'no'} rows, the backup ${t.rows}; nothing was changed`,
          );
        }
        got.delete(name);
      }
      if (got.size) {
        throw new IntegrityError(
          `mysql: the restore of ${from.name} made tables the backup does not list: ${[...got.keys()].join(', ')}; nothing was changed`,
        );
      }
    }
  } catch (err) {
    for (const p of prepared)
      await conn.query(`DROP DATABASE IF EXISTS ${ident(p.staged)}`).catch(() => {});
    if (err instanceof ConfigError || err instanceof SourceError || err instanceof IntegrityError)
      throw err;
    throw classify(err, 'target', target, ctx);
  } finally {
    await conn.end().catch(() => {});
  }

  const remaining = new Set(prepared.map((p) => p.staged));
  return {
    location: `${target.displayUrl.replace(/\/[^/]*$/, '')}/${prepared.map((p) => p.to).join(',')}`,
    commit: () => commitStaged(prepared, remaining, request, target, ctx),
    async abort() {
      if (!remaining.size) return;
      const c = await connect(target, 'target', ctx);
      try {
        for (const db of remaining) {
          await c.query(`DROP DATABASE IF EXISTS ${ident(db)}`);
          remaining.delete(db);
        }
      } finally {
        await c.end().catch(() => {});
      }
    },
  };
}

async function refuseNonEmpty(
  conn: Conn,
  db: string,
  overwrite: boolean,
  target: MysqlTarget,
): Promise<boolean> {
  const busy = (await databaseExists(conn, db)) && !(await isEmptyDatabase(conn, db));
  if (busy && !overwrite) {
    throw new ConfigError('target', `database '${db}' on ${target.displayUrl} is not empty`, {
      hint: 'restore into a new database (name it in the {{option:target}} URL), or set {{option:overwrite=true}} to replace it (a safety backup is taken first)',
    });
  }
  return busy;
}

/**
 * Moves each staged database into its target. A replaced database's content is first moved
 * aside into `<db>_lifeboat_old_…` (after the safety backup), and dropped only once the restored
 * content is in place.
 */
async function commitStaged(
  prepared: StagedDatabase[],
  remaining: Set<string>,
  request: RestoreRequest,
  target: MysqlTarget,
  ctx: SourceContext,
): Promise<RestoreResult> {
  const conn = await connect(target, 'target', ctx);
  const notes: string[] = [];
  const tables: Array<{ name: string; rows: number }> = [];
  try {
    for (const { from, to, staged } of prepared) {
      const busy = await refuseNonEmpty(conn, to, request.overwrite, target);
      let aside: string | undefined;
      let safety: string | undefined;
      if (busy) {
        if (request.safetyBackup) {
          safety = await request.safetyBackup(targetUrlFor(request, to));
          notes.push(`safety backup of '${to}' taken first: ${safety}`);
        } else notes.push(`overwriting '${to}' without a safety backup (none was offered)`);
        aside = `${to.slice(0, 30)}_lifeboat_old_${randomBytes(4).toString('hex')}`;
        await conn.query(
          `CREATE DATABASE ${ident(aside)} CHARACTER SET ${from.charset} COLLATE ${from.collation}`,
        );
        await moveDatabaseContent(conn, to, aside);
      }
      const created = !(await databaseExists(conn, to));
      if (created) {
        await conn.query(
          `CREATE DATABASE ${ident(to)} CHARACTER SET ${from.charset} COLLATE ${from.collation}`,
        );
      }
      try {
        await dropMarker(conn, staged);
        await moveDatabaseContent(conn, staged, to);
      } catch (err) {
        const kept = [
          ...(aside ? [`the previous content of '${to}' is in '${aside}'`] : []),
          ...(safety ? [`and in the safety backup ${safety}`] : []),
        ];
        throw new SourceError(
          `mysql: moving the restored '${from.name}' into '${to}' failed: ${(err as Error).message}`,
          {
            cause: err,
            hint: kept.length
              ? `${kept.join(' ')}; '${to}' may hold part of the restored data`
              : `'${to}' may hold part of the restored data; drop it and restore again`,
          },
        );
      }
      await conn.query(`DROP DATABASE IF EXISTS ${ident(staged)}`);
      remaining.delete(staged);
      if (aside) await conn.query(`DROP DATABASE IF EXISTS ${ident(aside)}`);
      const live = await liveInventory(conn, to);
      tables.push(...live.tables);
      notes.push(
        `${from.name} → ${to}: ${live.tables.length} tables, ${live.objects.views.length} views, ${live.objects.routines.length} routines, ${live.objects.triggers.length} triggers`,
      );
    }
    return {
      location: `${target.displayUrl.replace(/\/[^/]*$/, '')}/${prepared.map((p) => p.to).join(',')}`,
      inventory: { tables },
      notes,
    };
  } catch (err) {
    if (err instanceof ConfigError || err instanceof SourceError || err instanceof IntegrityError)
      throw err;
    throw classify(err, 'target', target, ctx);
  } finally {
    await conn.end().catch(() => {});
  }
}

async function runClient(
  client: ClientInfo,
  options: string,
  database: string,
  body: Readable,
  sourceName: string,
  manifest: SourceManifest,
  ctx: SourceContext,
): Promise<void> {
  const args = [
    '--binary-mode',
    '--default-character-set=utf8mb4',
    '--max-allowed-packet=1G',
    `--database=${database}`,
  ];
  const run = startClient(client.path, args, options, { stdin: 'pipe', stdout: 'ignore' }, ctx);
  const { child, exited } = run;
  const stdin = run.stdin!;
  const scan = new SqlDumpScan();
  const stripSandbox = client.flavour === 'mysql';
  try {
    for await (const chunk of forClient(body, stripSandbox)) {
      scan.update(chunk);
      if (child.exitCode !== null) break;
      if (!stdin.write(chunk))
        await Promise.race([new Promise((r) => stdin.once('drain', r)), exited]);
    }
  } catch (err) {
    run.stop();
    await exited;
    throw err;
  }
  if (!scan.complete && child.exitCode === null) {
    run.stop();
    await exited;
    throw new IntegrityError(
      `mysql: the dump of '${sourceName}' ends without its '-- Dump completed' trailer`,
    );
  }
  stdin.end();
  const status = await exited;
  if (status.code !== 0) {
    if (run.aborted) throw run.failure(status);
    const code = describeExit(status, run.tool);
    const text = run.stderrTail();
    const crossFlavour = manifest.details?.flavour && manifest.details.flavour !== client.flavour;
    throw new SourceError(
      `mysql: restoring '${sourceName}' into '${database}' failed (${code}): ${text || 'no message'}`,
      {
        hint: /Unknown collation|utf8mb4_0900/i.test(text)
          ? 'the dump uses MySQL 8 collations this server does not know; restore into MySQL 8+, or convert the collations first'
          : /DEFINER|SUPER|SET_USER_ID|SYSTEM_USER/i.test(text)
            ? 'views, routines and triggers keep their DEFINER; restore as a user with SET_USER_ID/SUPER, or create the definer account first'
            : crossFlavour
              ? `the backup comes from ${String(manifest.details!.flavour)}; restore it into the same flavour`
              : undefined,
      },
    );
  }
}

async function verifyMembers(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
): Promise<void> {
  const dumped = (manifest.details?.databases as DbFacts[] | undefined) ?? [];
  const seen = new Set<string>();
  for await (const entry of members) {
    const db = dumped.find((d) => d.member === entry.path);
    if (!db || !entry.body) {
      entry.body?.resume();
      continue;
    }
    const scan = new SqlDumpScan();
    for await (const chunk of entry.body) scan.update(chunk as Buffer);
    if (!scan.complete)
      throw new IntegrityError(
        `mysql: ${entry.path} lacks the '-- Dump completed' trailer: the dump is incomplete`,
      );
    const listed = (manifest.inventory.tables ?? []).filter((t) =>
      t.name.startsWith(`${db.name}.`),
    );
    const found = [...scan.rows].map(([t, rows]) => ({ name: `${db.name}.${t}`, rows }));
    const key = (l: Array<{ name: string; rows: number }>) =>
      JSON.stringify(l.map((t) => [t.name, t.rows]).sort());
    if (key(found) !== key(listed)) {
      throw new IntegrityError(
        `mysql: ${entry.path} holds tables/rows ${key(found)} but the manifest lists ${key(listed)}`,
      );
    }
    seen.add(entry.path);
  }
  for (const d of dumped)
    if (!seen.has(d.member)) throw new IntegrityError(`mysql: the backup lacks ${d.member}`);
}

export const mysqlDriver: SourceDriver = {
  kind: 'mysql',
  schemes: ['mysql', 'mariadb'],

  open(url: string, ctx: SourceContext): Source {
    const target = parseMysqlUrl(url, 'source', ctx.env);
    ctx.redactor.add(target.password);
    return new MysqlSource(target);
  },

  stage: stageInto,

  async verify(members, manifest) {
    await verifyMembers(members, manifest);
  },

  async inventory(url, ctx) {
    const target = parseMysqlUrl(url, 'target', ctx.env);
    const conn = await connect(target, 'target', ctx);
    try {
      const dbs = target.database
        ? [target.database]
        : (
            await queryRows<{ n: string }>(
              conn,
              'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA ORDER BY 1',
            )
          )
            .map((r) => r.n)
            .filter((n) => !SYSTEM_SCHEMAS.includes(n));
      const tables: Array<{ name: string; rows: number }> = [];
      const objects: Record<string, DbObjects> = {};
      for (const db of dbs) {
        const inv = await liveInventory(conn, db);
        tables.push(...inv.tables);
        objects[db] = inv.objects;
      }
      return { tables, extra: { objects } };
    } catch (err) {
      if (err instanceof ConfigError || err instanceof SourceError) throw err;
      throw classify(err, 'target', target, ctx);
    } finally {
      await conn.end().catch(() => {});
    }
  },
};

/** For other modules that need a connection (the consistency check). */
export { connect as connectMysql };
