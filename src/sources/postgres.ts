/**
 * PostgreSQL source (`postgres://` / `postgresql://[user[:password]@]host[:port]/dbname[?sslmode=…]`).
 *
 * Backup: `pg_dump` in custom format, its own compression off (-Z0, Lifeboat compresses),
 * streamed straight into one member `<dbname>.pgdump`. With `jobs` > 1, N pg_dump workers on
 * one exported snapshot stream into `<dbname>.pgpar/` instead (postgres-parallel.ts); backups
 * made with `jobs` before that are directory-format dumps under `<dbname>.pgdump.d/`, still
 * restored. With `globals`, `pg_dumpall --globals-only` (roles, tablespaces) becomes
 * `globals.sql`, first in the folder.
 *
 * Credentials reach the tools only through the child's environment (PGPASSWORD and friends);
 * nothing secret is ever on a command line. The inventory (schemas, tables, row counts,
 * sequences) is read in the same snapshot pg_dump dumps (pg_export_snapshot + --snapshot).
 *
 * Restore: into a new database by default (created). An existing database that already has
 * tables is only replaced with `overwrite`: safety backup first, restore into a temporary
 * database, compare with the manifest's inventory, then swap by renaming in one transaction,
 * so a failed restore leaves the old database as it was.
 */
import type { ChildProcess } from 'node:child_process';
import { startProcess, type ProcessRun } from '../core/process.ts';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type { ArchiveEntry, Inventory, MemberSink, SourceManifest } from '../archive/types.ts';
import { ConfigError, IntegrityError, LifeboatError, SourceError } from '../core/errors.ts';
import { formatBytes, redactUrl } from '../core/log.ts';
import { parseUrl } from '../core/url.ts';
import type { OptionValues } from '../options/schema.ts';
import {
  archiveVersionWrittenBy,
  formatArchiveVersion,
  majorOfVersionNum,
  parseDumpHeader,
  resolveDumpClient,
  resolveRestoreClient,
  siblingTool,
} from './postgres-tools.ts';
import type { PgClient } from './postgres-tools.ts';
import {
  classify,
  dumpParallel,
  jobsOption,
  layoutOf,
  SegmentFeeder,
  spoolSchema,
} from './postgres-parallel.ts';
import type {
  DumpResult,
  RestoreRequest,
  RestoreResult,
  Source,
  SourceContext,
  SourceDriver,
  StagedRestore,
} from './types.ts';
import {
  abandonedBecause,
  parseMarker,
  STAGED_INFIX,
  stagedName,
  stagingMarker,
} from './staging.ts';

export const GLOBALS_MEMBER = 'globals.sql';
const GLOBALS_END = '-- PostgreSQL database cluster dump complete';
const STDERR_TAIL_LINES = 12;

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

interface PgErrorLike {
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

function quoteLiteral(value: string): string {
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

async function serverInfo(client: pg.Client): Promise<ServerInfo> {
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

/** Which schemas and tables a dump covers: pg_dump's -n/-N/-t/-T, as option values. */
export interface PgFilters {
  includeSchemas: string[];
  excludeSchemas: string[];
  includeTables: string[];
  excludeTables: string[];
}

/** A `lines` option's patterns (the parser already split them), blanks dropped. */
function patterns(lines: readonly string[] | undefined): string[] {
  return (lines ?? []).map((x) => x.trim()).filter(Boolean);
}

export function filtersOf(options: Readonly<OptionValues>): PgFilters {
  return {
    includeSchemas: patterns(options['include-schemas']),
    excludeSchemas: patterns(options['exclude-schemas']),
    includeTables: patterns(options['include-tables']),
    excludeTables: patterns(options['exclude-tables']),
  };
}

export function filterArgs(f: PgFilters): string[] {
  return [
    ...f.includeSchemas.map((p) => `--schema=${p}`),
    ...f.excludeSchemas.map((p) => `--exclude-schema=${p}`),
    ...f.includeTables.map((p) => `--table=${p}`),
    ...f.excludeTables.map((p) => `--exclude-table=${p}`),
  ];
}

/**
 * A pg_dump name pattern (psql's rules: `*`, `?`, `.` between schema and name, unquoted letters
 * folded to lower case, double quotes for literal text) as anchored regexes.
 */
export function patternToRegex(pattern: string): { schema?: string; name: string } {
  const parts: string[] = [''];
  let inQuotes = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '"') {
      if (inQuotes && pattern[i + 1] === '"') {
        parts[parts.length - 1] += '"';
        i++;
      } else inQuotes = !inQuotes;
    } else if (!inQuotes && ch === '.') parts.push('');
    else if (!inQuotes && ch === '*') parts[parts.length - 1] += '.*';
    else if (!inQuotes && ch === '?') parts[parts.length - 1] += '.';
    else {
      const c = inQuotes ? ch : ch.toLowerCase();
      parts[parts.length - 1] += c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    }
  }
  const anchored = (s: string): string => `^(${s})$`;
  if (parts.length === 1) return { name: anchored(parts[0]!) };
  return { schema: anchored(parts[parts.length - 2]!), name: anchored(parts[parts.length - 1]!) };
}

const USER_SCHEMA = `n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'`;
const NOT_EXTENSION_MEMBER = `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
   AND d.objid = c.oid AND d.deptype = 'e')`;

/** SQL conditions (over n = pg_namespace, c = pg_class) selecting what pg_dump selects. */
export function filterSql(f: PgFilters, which: 'schemas' | 'tables', params: unknown[]): string {
  const add = (v: string): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const schemaMatch = (patterns: string[]): string =>
    patterns.map((p) => `n.nspname ~ ${add(patternToRegex(p).name)}`).join(' OR ');
  const tableMatch = (patterns: string[]): string =>
    patterns
      .map((p) => {
        const r = patternToRegex(p);
        return r.schema
          ? `(n.nspname ~ ${add(r.schema)} AND c.relname ~ ${add(r.name)})`
          : `(c.relname ~ ${add(r.name)} AND pg_catalog.pg_table_is_visible(c.oid))`;
      })
      .join(' OR ');
  const schemas = (): string => {
    let sql = USER_SCHEMA;
    if (f.includeSchemas.length) sql += ` AND (${schemaMatch(f.includeSchemas)})`;
    if (f.excludeSchemas.length) sql += ` AND NOT (${schemaMatch(f.excludeSchemas)})`;
    return sql;
  };
  if (which === 'schemas') return f.includeTables.length ? 'false' : schemas();
  // As pg_dump documents: with --table, --schema and --exclude-schema do not apply to tables.
  let tables = f.includeTables.length
    ? `${USER_SCHEMA} AND (${tableMatch(f.includeTables)})`
    : schemas();
  if (f.excludeTables.length) tables += ` AND NOT (${tableMatch(f.excludeTables)})`;
  return tables;
}

export type RowCounts = 'exact' | 'estimate';

/** Schemas, tables with row counts, sequences and large objects, as pg_dump with these filters sees them. */
export async function readInventory(
  client: pg.Client,
  f: PgFilters,
  rowCounts: RowCounts,
): Promise<Inventory> {
  const params: unknown[] = [];
  const whereTables = filterSql(f, 'tables', params);
  const tables = await client.query<{
    nspname: string;
    relname: string;
    relkind: string;
    reltuples: string;
  }>(
    `SELECT n.nspname, c.relname, c.relkind,
            CASE WHEN c.relkind = 'p' THEN (SELECT coalesce(sum(greatest(p.reltuples, 0)), 0) FROM pg_partition_tree(c.oid) t
                 JOIN pg_class p ON p.oid = t.relid WHERE t.isleaf) ELSE greatest(c.reltuples, 0) END AS reltuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND ${NOT_EXTENSION_MEMBER} AND (${whereTables})
      ORDER BY n.nspname, c.relname`,
    params,
  );
  const out: NonNullable<Inventory['tables']> = [];
  for (const t of tables.rows) {
    const name = `${t.nspname}.${t.relname}`;
    if (rowCounts === 'estimate') {
      out.push({ name, rows: Math.round(Number(t.reltuples)), estimated: true });
      continue;
    }
    const only = t.relkind === 'r' ? 'ONLY ' : '';
    const r = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${only}${quoteIdent(t.nspname)}.${quoteIdent(t.relname)}`,
    );
    out.push({ name, rows: Number(r.rows[0]!.n) });
  }
  const tableSchemas = new Set(tables.rows.map((t) => t.nspname));
  const sp: unknown[] = [];
  const whereSchemas = filterSql(f, 'schemas', sp);
  const schemaRows = await client.query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_namespace n WHERE (${whereSchemas}) ORDER BY 1`,
    sp,
  );
  const schemas = [...new Set([...schemaRows.rows.map((r) => r.nspname), ...tableSchemas])].sort();
  const qp: unknown[] = [];
  const whereSeqs = filterSql(f, 'tables', qp);
  const seqs = await client.query<{ nspname: string; relname: string; last_value: string | null }>(
    `SELECT n.nspname, c.relname,
            CASE WHEN has_sequence_privilege(c.oid, 'SELECT') THEN pg_sequence_last_value(c.oid)::text END AS last_value
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND ${NOT_EXTENSION_MEMBER} AND (${whereSeqs})
      ORDER BY 1, 2`,
    qp,
  );
  const sequences: Record<string, string | null> = {};
  for (const s of seqs.rows) sequences[`${s.nspname}.${s.relname}`] = s.last_value;
  const lo = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_largeobject_metadata');
  return {
    tables: out,
    extra: { schemas, sequences, largeObjects: Number(lo.rows[0]!.n), rowCounts },
  };
}

/** Roles that own or are granted something in the dump: they must exist for ownership to be restored. */
async function referencedRoles(client: pg.Client): Promise<string[]> {
  const r = await client.query<{ r: string }>(
    `SELECT DISTINCT r FROM (
       SELECT pg_get_userbyid(c.relowner) AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(n.nspowner) FROM pg_namespace n WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(t.typowner) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(a.grantee) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
             aclexplode(c.relacl) a WHERE ${USER_SCHEMA} AND a.grantee <> 0
       UNION SELECT pg_get_userbyid(a.grantee) FROM pg_namespace n, aclexplode(n.nspacl) a WHERE ${USER_SCHEMA} AND a.grantee <> 0
       UNION SELECT pg_get_userbyid(l.lomowner) FROM pg_largeobject_metadata l
     ) x WHERE r IS NOT NULL ORDER BY 1`,
  );
  return r.rows.map((x) => x.r);
}

export interface ToolRun {
  child: ChildProcess;
  /** The runner's handle: stop() is SIGTERM, then SIGKILL after a grace period. */
  process: ProcessRun;
  stderr: { lines(ctx: SourceContext): string };
  /** Resolves when the process has exited and its output streams are closed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startTool(
  client: PgClient,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin: 'ignore' | 'pipe',
  stdout: 'ignore' | 'pipe',
  ctx: SourceContext,
): ToolRun {
  ctx.log.debug(`running ${client.path} ${args.join(' ')}`);
  const run = startProcess({
    tool: basename(client.path),
    command: client.path,
    args,
    env,
    stdin,
    stdout,
    signal: ctx.signal,
    redact: (t) => ctx.redactor.redact(t),
  });
  const exited = run.exited.then((r) => ({
    code: r.spawnError ? -1 : r.code,
    signal: r.signal,
  }));
  const lines = (): string => {
    const tail = run.stderrTail(STDERR_TAIL_LINES);
    return [tail, run.spawnError?.message].filter(Boolean).join('\n');
  };
  return { child: run.child, process: run, stderr: { lines }, exited };
}

export function exitText(r: { code: number | null; signal: NodeJS.Signals | null }): string {
  return r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
}

/**
 * pg_dump's stdout as a stream that only ends cleanly when pg_dump exited 0 after writing a
 * custom-format dump; otherwise it errors with a SourceError (so the member, and the archive,
 * is never finished). `header` receives the first bytes (the archive version).
 */
export function dumpStream(
  run: ToolRun,
  what: string,
  ctx: SourceContext,
  onHeader: (head: Buffer) => void,
): PassThrough {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  let bytes = 0;
  let head = Buffer.alloc(0);
  const src = run.child.stdout!;
  src.on('data', (c: Buffer) => {
    if (head.length < 8) {
      head = Buffer.concat([head, c]).subarray(0, 8);
      if (head.length >= 8) onHeader(head);
    }
    bytes += c.length;
  });
  src.pipe(out, { end: false });
  // The consumer gave up (storage failed, archive aborted): stop pg_dump.
  out.on('close', () => {
    run.process.stop();
  });
  void run.exited.then((r) => {
    if (out.destroyed) return;
    let problem: string | undefined;
    if (ctx.signal?.aborted) problem = 'the run was cancelled';
    else if (r.code !== 0) problem = exitText(r);
    else if (bytes === 0) problem = 'it wrote 0 bytes';
    else if (!parseDumpHeader(head)) problem = 'its output is not a custom-format dump';
    if (problem === undefined) {
      out.end();
      return;
    }
    const tail = run.stderr.lines(ctx);
    out.destroy(
      new SourceError(
        `${what} failed (${problem}) after ${formatBytes(bytes)}${tail ? `:\n${tail}` : ''}`,
        {
          hint: 'the dump is incomplete and was not stored; check the server log and the message above, then run again',
        },
      ),
    );
  });
  return out;
}

function rowCountsOption(options: Readonly<OptionValues>): RowCounts {
  return options['row-counts'] === 'estimate' ? 'estimate' : 'exact';
}

/** A member-path-safe name for the database's dump. */
export function memberBaseName(database: string): string {
  const safe = database.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe || 'database';
}

async function runToBuffer(run: ToolRun, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  run.child.stdout!.on('data', (c: Buffer) => {
    size += c.length;
    if (size > limit) run.process.stop();
    else chunks.push(c);
  });
  await run.exited;
  return Buffer.concat(chunks);
}

async function dumpGlobals(
  conn: PgConnection,
  dumpClient: PgClient,
  ctx: SourceContext,
): Promise<{ sql: Buffer; version: string; note?: string }> {
  const tool = await siblingTool(dumpClient, 'pg_dumpall', ctx.env);
  const env = childEnv(conn, ctx, 'lifeboat pg_dumpall');
  const base = ['--globals-only', '--no-password', `--database=${dbnameConninfo(conn.database)}`];
  let run = startTool(tool, base, env, 'ignore', 'pipe', ctx);
  let sql = await runToBuffer(run, 64 << 20);
  let r = await run.exited;
  let note: string | undefined;
  if (r.code !== 0 && /permission denied/i.test(run.stderr.lines(ctx))) {
    // Not a superuser (managed services): roles can still be dumped without their passwords.
    note = 'globals dumped without role passwords (the user may not read pg_authid)';
    ctx.log.warn(note);
    run = startTool(tool, [...base, '--no-role-passwords'], env, 'ignore', 'pipe', ctx);
    sql = await runToBuffer(run, 64 << 20);
    r = await run.exited;
  }
  if (r.code !== 0 || !sql.toString('utf8').includes(GLOBALS_END)) {
    const tail = run.stderr.lines(ctx);
    throw new SourceError(
      `pg_dumpall --globals-only failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
      {
        hint: 'globals (roles, tablespaces) need a superuser or a role that may read pg_roles; turn globals off otherwise',
      },
    );
  }
  return { sql, version: tool.version, ...(note ? { note } : {}) };
}

class PgSource implements Source {
  readonly kind = 'postgres';
  readonly displayUrl: string;
  private readonly conn: PgConnection;

  constructor(conn: PgConnection) {
    this.conn = conn;
    this.displayUrl = conn.displayUrl;
  }

  async dump(sink: MemberSink, ctx: SourceContext): Promise<DumpResult> {
    const conn = this.conn;
    ctx.redactor.add(conn.password);
    const filters = filtersOf(ctx.options);
    const rowCounts = rowCountsOption(ctx.options);
    const jobs = jobsOption(ctx.options, 1);
    const wantGlobals = ctx.options.globals === true;
    const started = Date.now();

    const client = await connect(conn, 'source', ctx);
    // This session holds the snapshot pg_dump reads: once it is gone the dump cannot be
    // consistent, whatever pg_dump itself reports.
    let sessionLost: Error | undefined;
    let ending = false;
    client.on('error', (err: Error) => (sessionLost ??= err));
    client.on('end', () => {
      if (!ending) sessionLost ??= new Error('the server closed the connection');
    });
    let backendPid: number | undefined;
    try {
      backendPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!
        .pid;
      const server = await serverInfo(client);
      ctx.log.info(
        `PostgreSQL ${server.version} at ${conn.host}:${conn.port}, database "${conn.database}"`,
      );
      const dumpClient = await resolveDumpClient(server.major, server.version, ctx);
      ctx.log.info(`using pg_dump ${dumpClient.version} (${dumpClient.path})`);
      const versions: Record<string, string> = {
        server: server.version,
        pg_dump: dumpClient.version,
      };
      const details: Record<string, unknown> = {
        database: conn.database,
        encoding: server.encoding,
        serverVersionNum: server.versionNum,
        rowCounts,
      };
      const notes: string[] = [];

      if (wantGlobals) {
        const g = await dumpGlobals(conn, dumpClient, ctx);
        versions.pg_dumpall = g.version;
        if (g.note) notes.push(g.note);
        await sink.addFile(GLOBALS_MEMBER, g.sql, { mode: 0o600 });
        details.globals = GLOBALS_MEMBER;
      }

      // One snapshot for the inventory and the dump, so the row counts are the dumped ones.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let snapshot: string | undefined;
      try {
        snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!
          .s;
      } catch (err) {
        ctx.log.warn(
          `cannot export a snapshot (${(err as Error).message}); row counts are read separately from the dump`,
        );
        await client.query('ROLLBACK');
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      }
      details.roles = await referencedRoles(client);

      const base = memberBaseName(conn.database);
      const env = childEnv(conn, ctx, 'lifeboat pg_dump');
      const common = [
        '--no-password',
        ...(snapshot ? [`--snapshot=${snapshot}`] : []),
        ...filterArgs(filters),
      ];
      let inventory: Inventory;
      if (jobs > 1 && !snapshot) {
        ctx.log.warn(
          `jobs=${jobs} needs an exported snapshot to keep the workers consistent; dumping in one stream`,
        );
      }
      if (jobs > 1 && snapshot) {
        inventory = await dumpParallel(sink, ctx, {
          client,
          dumpClient,
          env,
          snapshot,
          jobs,
          folder: `${base}.pgpar`,
          database: conn.database,
          filters,
          rowCounts,
          details,
        });
      } else {
        const member = `${base}.pgdump`;
        const run = startTool(
          dumpClient,
          ['--format=custom', '--compress=0', ...common],
          env,
          'ignore',
          'pipe',
          ctx,
        );
        let header: Buffer | undefined;
        const stream = dumpStream(
          run,
          `pg_dump of database "${conn.database}"`,
          ctx,
          (h) => (header = h),
        );
        // Counting runs beside the dump; if it fails the dump stream fails too.
        const counting = readInventory(client, filters, rowCounts).catch((err: unknown) => {
          stream.destroy(
            new SourceError(
              `reading the inventory of "${conn.database}" failed: ${ctx.redactor.redact((err as Error).message)}`,
              {
                cause: err,
              },
            ),
          );
          throw err;
        });
        counting.catch(() => {});
        try {
          await sink.addFile(member, stream, { mode: 0o600 });
        } catch (err) {
          run.process.stop();
          await run.exited;
          throw err;
        }
        inventory = await counting;
        const v = header ? parseDumpHeader(header) : undefined;
        details.format = 'custom';
        details.member = member;
        if (v) details.archiveVersion = formatArchiveVersion(v);
      }
      await client.query('COMMIT');
      if (notes.length) details.notes = notes;
      ctx.log.info(
        `dumped ${inventory.tables?.length ?? 0} tables of "${conn.database}" in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return { versions, inventory, details };
    } catch (err) {
      // Our session may still be counting rows (or waiting on a lock): end it server-side so
      // closing the client cannot hang.
      if (sessionLost) {
        throw new SourceError(
          `source: lost the PostgreSQL session holding the snapshot of database "${conn.database}" ` +
            `at ${conn.host}:${conn.port} (${ctx.redactor.redact(sessionLost.message)}); the dump was abandoned`,
          {
            cause: err,
            hint: 'the server ended the session (restart, pg_terminate_backend, idle_in_transaction_session_timeout or a network cut); run the backup again',
          },
        );
      }
      if (backendPid !== undefined) await terminateBackend(conn, backendPid, ctx);
      throw err;
    } finally {
      ending = true;
      await client.end().catch(() => {});
    }
  }
}

async function terminateBackend(
  conn: PgConnection,
  pid: number,
  ctx: SourceContext,
): Promise<void> {
  try {
    const c = await connect(conn, 'source', ctx);
    try {
      await c.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await c.end().catch(() => {});
    }
  } catch {
    // the server is gone or refuses: nothing left to end
  }
}

/** Drain a member body we do not need (its chunk checksums are still checked). */
export async function drain(body: Readable | undefined): Promise<void> {
  if (!body) return;
  for await (const chunk of body) void chunk;
}

/** Read the first 8 bytes of a stream and hand back a stream with all of it. */
export async function peekHead(body: Readable): Promise<{ head: Buffer; stream: Readable }> {
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first: Buffer[] = [];
  let len = 0;
  while (len < 8) {
    const n = await it.next();
    if (n.done) break;
    const b = Buffer.from(n.value);
    first.push(b);
    len += b.length;
  }
  const head = Buffer.concat(first).subarray(0, 8);
  async function* all(): AsyncGenerator<Buffer> {
    for (const b of first) yield b;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield Buffer.from(n.value);
    }
  }
  return { head, stream: Readable.from(all(), { objectMode: false }) };
}

/**
 * Feed `body` to a tool's stdin. The tool may stop reading early (pg_restore --list reads only
 * the table of contents); the rest of the body is still read, so its checksums are checked.
 */
async function feed(body: Readable, run: ToolRun): Promise<void> {
  const stdin = run.child.stdin!;
  let open = true;
  stdin.on('error', () => {
    open = false;
  });
  stdin.on('close', () => {
    open = false;
  });
  for await (const chunk of body) {
    if (!open) continue;
    if (!stdin.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stdin.off('drain', done);
          stdin.off('close', done);
          resolve();
        };
        stdin.on('drain', done);
        stdin.on('close', done);
      });
    }
  }
  if (open) stdin.end();
}

/** Run a tool over a member's body; a body error (IntegrityError) wins over the tool's complaint. */
async function runOverBody(
  run: ToolRun,
  body: Readable,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let bodyError: unknown;
  try {
    await feed(body, run);
  } catch (err) {
    bodyError = err;
    run.child.stdin!.destroy();
    run.process.stop();
  }
  const r = await run.exited;
  if (bodyError !== undefined) throw bodyError;
  return r;
}

function archiveVersionOf(manifest: SourceManifest): [number, number] | undefined {
  const v = manifest.details?.archiveVersion;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function dumpedWith(manifest: SourceManifest): string {
  return manifest.versions.pg_dump ?? 'unknown';
}

export async function restoreClientFor(
  manifest: SourceManifest,
  ctx: SourceContext,
  head?: Buffer,
): Promise<PgClient> {
  let archive = archiveVersionOf(manifest);
  if (head) {
    const v = parseDumpHeader(head);
    if (!v)
      throw new IntegrityError(
        'the PostgreSQL dump member does not start with a custom-format header (PGDMP)',
      );
    archive = [v[0], v[1]];
  }
  const major = Number(/^(\d+)/.exec(dumpedWith(manifest))?.[1] ?? 0);
  return resolveRestoreClient(
    'pg_restore',
    archive ?? archiveVersionWrittenBy(major || 12),
    dumpedWith(manifest),
    ctx,
  );
}

/** Connections to `database` other than ours, for a clear refusal. */
async function otherConnections(admin: pg.Client, database: string): Promise<string[]> {
  const r = await admin.query<{
    pid: number;
    usename: string | null;
    application_name: string;
    client_addr: string | null;
    state: string | null;
  }>(
    `SELECT pid, usename, application_name, client_addr::text, state FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY pid`,
    [database],
  );
  return r.rows.map(
    (x) =>
      `pid ${x.pid} (user ${x.usename ?? '?'}, application '${x.application_name}', from ${x.client_addr ?? 'local socket'}, ${x.state ?? 'unknown state'})`,
  );
}

async function userTableCount(conn: PgConnection, ctx: SourceContext): Promise<number> {
  const c = await connect(conn, 'target', ctx);
  try {
    const r = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER}`,
    );
    return Number(r.rows[0]!.n);
  } finally {
    await c.end().catch(() => {});
  }
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

async function createDatabase(
  admin: pg.Client,
  name: string,
  encoding: string | undefined,
  ctx: SourceContext,
): Promise<void> {
  const enc = encoding ? ` ENCODING ${quoteLiteral(encoding)}` : '';
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0${enc}`);
  } catch (err) {
    if ((err as PgErrorLike).code === '22023' && enc) {
      // The server's default locale does not fit the dump's encoding: use the C locale.
      ctx.log.warn(`creating "${name}" with the C locale: ${(err as Error).message}`);
      await admin.query(
        `CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0${enc} LC_COLLATE 'C' LC_CTYPE 'C'`,
      );
    } else throw err;
  }
}

export async function dropDatabase(
  admin: pg.Client,
  name: string,
  ctx: SourceContext,
): Promise<void> {
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  } catch (err) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    } catch {
      ctx.log.warn(
        `could not drop the temporary database "${name}": ${(err as Error).message}; drop it by hand`,
      );
    }
  }
}

function shortName(base: string, suffix: string): string {
  // Database names are at most 63 bytes.
  let b = base;
  while (Buffer.byteLength(b + suffix) > 63) b = b.slice(0, -1);
  return b + suffix;
}

/** Differences between a restored inventory and the manifest's (table list, exact row counts). */
export function compareInventories(expected: Inventory, actual: Inventory): string[] {
  const diffs: string[] = [];
  const want = new Map((expected.tables ?? []).map((t) => [t.name, t]));
  const got = new Map((actual.tables ?? []).map((t) => [t.name, t]));
  for (const [name, t] of want) {
    const g = got.get(name);
    if (!g) diffs.push(`table ${name} is missing`);
    else if (!t.estimated && g.rows !== t.rows)
      diffs.push(`table ${name} has ${g.rows} rows, the backup ${t.rows}`);
  }
  for (const name of got.keys())
    if (!want.has(name)) diffs.push(`table ${name} is not in the backup`);
  return diffs;
}

/** Give the restored database the old one's owner, settings and database-level grants. */
async function carryOverDatabaseProperties(
  admin: pg.Client,
  from: string,
  to: string,
  ctx: SourceContext,
): Promise<void> {
  try {
    const d = await admin.query<{ owner: string; hasacl: boolean }>(
      'SELECT pg_get_userbyid(datdba) AS owner, datacl IS NOT NULL AS hasacl FROM pg_database WHERE datname = $1',
      [from],
    );
    const row = d.rows[0];
    if (!row) return;
    await admin.query(`ALTER DATABASE ${quoteIdent(to)} OWNER TO ${quoteIdent(row.owner)}`);
    const settings = await admin.query<{ role: string | null; setconfig: string[] }>(
      `SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END AS role, s.setconfig
         FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1`,
      [from],
    );
    for (const s of settings.rows) {
      for (const item of s.setconfig) {
        const eq = item.indexOf('=');
        const key = item.slice(0, eq);
        const value = item.slice(eq + 1);
        const prefix = s.role ? `ALTER ROLE ${quoteIdent(s.role)} IN DATABASE` : 'ALTER DATABASE';
        await admin.query(
          `${prefix} ${quoteIdent(to)} SET ${quoteIdent(key)} = ${quoteLiteral(value)}`,
        );
      }
    }
    if (row.hasacl) {
      const grants = await admin.query<{
        grantee: string | null;
        privilege_type: string;
        is_grantable: boolean;
      }>(
        `SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type, a.is_grantable
           FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = $1`,
        [from],
      );
      await admin.query(`REVOKE ALL ON DATABASE ${quoteIdent(to)} FROM PUBLIC`);
      for (const g of grants.rows) {
        await admin.query(
          `GRANT ${g.privilege_type} ON DATABASE ${quoteIdent(to)} TO ${g.grantee ? quoteIdent(g.grantee) : 'PUBLIC'}${g.is_grantable ? ' WITH GRANT OPTION' : ''}`,
        );
      }
    }
  } catch (err) {
    ctx.log.warn(
      `could not carry over the owner/settings/grants of "${from}": ${(err as Error).message}`,
    );
  }
}

interface RestorePlan {
  target: PgConnection;
  /** The staged database pg_restore writes into. */
  into: string;
}

async function restoreMembers(
  members: AsyncIterable<ArchiveEntry>,
  plan: RestorePlan,
  manifest: SourceManifest,
  ctx: SourceContext,
  ownerArgs: string[],
): Promise<{ pgRestore: string }> {
  const details = manifest.details ?? {};
  const format =
    details.format === 'directory' || details.format === 'parallel' ? details.format : 'custom';
  const prefix = typeof details.member === 'string' ? details.member : undefined;
  const env = childEnv(withDatabase(plan.target, plan.into), ctx, 'lifeboat pg_restore');
  const jobs = jobsOption(ctx.options, typeof details.jobs === 'number' ? details.jobs : 1);
  const args = [
    '--no-password',
    '--exit-on-error',
    `--dbname=${dbnameConninfo(plan.into)}`,
    ...ownerArgs,
  ];
  let used: PgClient | undefined;
  let spool: string | undefined;
  let globals: Buffer | undefined;
  const parallel = format === 'parallel' ? layoutOf(details) : undefined;
  let feeder: SegmentFeeder | undefined;
  let schemaFile: string | undefined;
  let ok = false;
  const failed = (
    what: string,
    run: ToolRun,
    r: { code: number | null; signal: NodeJS.Signals | null },
  ) => {
    const tail = run.stderr.lines(ctx);
    return new SourceError(
      `${what} into "${plan.into}" failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
    );
  };
  try {
    for await (const entry of members) {
      if (entry.type !== 'file' || !entry.body) {
        await drain(entry.body);
        continue;
      }
      if (entry.path === GLOBALS_MEMBER) {
        globals = await bufferOf(entry.body);
        if (ctx.options.globals === true) await applyGlobals(globals, plan.target, ctx);
        continue;
      }
      const part = parallel ? classify(parallel, entry.path) : undefined;
      if (parallel && part?.kind === 'schema') {
        const { head, stream } = await peekHead(entry.body);
        const client = await restoreClientFor(manifest, ctx, head);
        used = client;
        const spooled = await spoolSchema(stream, ctx.tmpDir);
        spool = spooled.dir;
        schemaFile = spooled.file;
        ctx.log.info(
          `restoring with ${client.path} ${client.version} into "${plan.into}": the schema, then ${parallel.workers.length} data streams at once, then indexes and constraints with ${jobs} jobs`,
        );
        const run = startTool(
          client,
          [...args, '--section=pre-data', schemaFile],
          env,
          'ignore',
          'ignore',
          ctx,
        );
        const r = await run.exited;
        if (r.code !== 0) throw failed('pg_restore of the schema (pre-data)', run, r);
        feeder = new SegmentFeeder(parallel, 'pg_restore', (k) =>
          startTool(
            client,
            [...args, '--verbose'],
            { ...env, PGAPPNAME: `lifeboat pg_restore w${k}` },
            'pipe',
            'ignore',
            ctx,
          ),
        );
        continue;
      }
      if (parallel && part?.kind === 'segment') {
        if (!feeder)
          throw new IntegrityError(`${entry.path} comes before the schema member of the backup`);
        await feeder.segment(part.worker, part.seq, entry.body);
        continue;
      }
      if (
        format === 'custom' &&
        (entry.path === prefix || (!prefix && entry.path.endsWith('.pgdump')))
      ) {
        const { head, stream } = await peekHead(entry.body);
        used = await restoreClientFor(manifest, ctx, head);
        ctx.log.info(`restoring with ${used.path} ${used.version} into "${plan.into}"`);
        const run = startTool(used, args, env, 'pipe', 'ignore', ctx);
        const r = await runOverBody(run, stream);
        if (r.code !== 0) {
          const tail = run.stderr.lines(ctx);
          throw new SourceError(
            `pg_restore into "${plan.into}" failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
          );
        }
        continue;
      }
      if (format === 'directory' && prefix && entry.path.startsWith(`${prefix}/`)) {
        const rel = entry.path.slice(prefix.length + 1);
        if (rel.split('/').some((p) => p === '..' || p === '' || p === '.')) {
          throw new IntegrityError(`refusing member path '${entry.path}'`);
        }
        spool ??= await mkdtemp(join(ctx.tmpDir, 'pgrestore-'));
        const file = join(spool, rel);
        await mkdir(dirname(file), { recursive: true });
        await pipeline(entry.body, createWriteStream(file, { mode: 0o600 }));
        continue;
      }
      await drain(entry.body);
    }
    if (format === 'directory') {
      if (!spool)
        throw new IntegrityError(
          `the archive holds no files of the directory-format dump '${prefix ?? '?'}'`,
        );
      const head = await readFile(join(spool, 'toc.dat')).then((b) => b.subarray(0, 8));
      used = await restoreClientFor(manifest, ctx, head);
      ctx.log.info(
        `restoring with ${used.path} ${used.version} (${jobs} jobs) into "${plan.into}"`,
      );
      const run = startTool(
        used,
        [...args, `--jobs=${jobs}`, '--format=directory', spool],
        env,
        'ignore',
        'ignore',
        ctx,
      );
      const r = await run.exited;
      if (r.code !== 0) {
        const tail = run.stderr.lines(ctx);
        throw new SourceError(
          `pg_restore into "${plan.into}" failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
        );
      }
    }
    if (parallel) {
      if (!feeder || !schemaFile || !used)
        throw new IntegrityError(
          `the archive holds no schema member of the parallel dump '${parallel.folder}'`,
        );
      await feeder.finish();
      const run = startTool(
        used,
        [...args, '--section=post-data', `--jobs=${jobs}`, schemaFile],
        env,
        'ignore',
        'ignore',
        ctx,
      );
      const r = await run.exited;
      if (r.code !== 0) throw failed('pg_restore of indexes and constraints (post-data)', run, r);
    }
    if (!used) throw new IntegrityError('the archive holds no PostgreSQL dump for this source');
    ok = true;
    return { pgRestore: used.version };
  } finally {
    if (feeder && !ok) await feeder.stopped();
    if (spool) await rm(spool, { recursive: true, force: true });
  }
}

export async function bufferOf(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** Apply globals.sql (roles, tablespaces) with psql; errors such as "role already exists" are reported, not fatal. */
async function applyGlobals(sql: Buffer, target: PgConnection, ctx: SourceContext): Promise<void> {
  const psql = await resolveRestoreClient('psql', [1, 0], 'any', ctx);
  const run = startTool(
    psql,
    [
      '--no-psqlrc',
      '--quiet',
      '--no-password',
      `--dbname=${dbnameConninfo('postgres')}`,
      '--file=-',
    ],
    childEnv(withDatabase(target, 'postgres'), ctx, 'lifeboat psql'),
    'pipe',
    'ignore',
    ctx,
  );
  const r = await runOverBody(run, Readable.from([sql]));
  const tail = run.stderr.lines(ctx);
  if (r.code !== 0)
    throw new SourceError(
      `applying globals.sql failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
    );
  if (tail) ctx.log.warn(`globals.sql applied with messages:\n${tail}`);
}

export const pgDriver: SourceDriver = {
  kind: 'postgres',
  schemes: ['postgres', 'postgresql'],

  open(url: string, ctx: SourceContext): Source {
    const conn = parsePgUrl(url, 'source', ctx.env);
    ctx.redactor.add(conn.password);
    filtersOf(ctx.options);
    rowCountsOption(ctx.options);
    jobsOption(ctx.options, 1);
    return new PgSource(conn);
  },

  async verify(
    members: AsyncIterable<ArchiveEntry>,
    manifest: SourceManifest,
    ctx: SourceContext,
  ): Promise<void> {
    const details = manifest.details ?? {};
    const format =
      details.format === 'directory' || details.format === 'parallel' ? details.format : 'custom';
    const prefix = typeof details.member === 'string' ? details.member : undefined;
    let checkedDump = false;
    let spool: string | undefined;
    const parallel = format === 'parallel' ? layoutOf(details) : undefined;
    let feeder: SegmentFeeder | undefined;
    let ok = false;
    try {
      for await (const entry of members) {
        if (entry.type !== 'file' || !entry.body) {
          await drain(entry.body);
          continue;
        }
        if (entry.path === GLOBALS_MEMBER) {
          const text = (await bufferOf(entry.body)).toString('utf8');
          if (!text.includes(GLOBALS_END))
            throw new IntegrityError(`${GLOBALS_MEMBER} is incomplete (no end marker)`);
          continue;
        }
        const part = parallel ? classify(parallel, entry.path) : undefined;
        if (parallel && part) {
          if (part.kind === 'segment') {
            if (!feeder)
              throw new IntegrityError(
                `${entry.path} comes before the schema member of the backup`,
              );
            await feeder.segment(part.worker, part.seq, entry.body);
            continue;
          }
          const { head, stream } = await peekHead(entry.body);
          const client = await restoreClientFor(manifest, ctx, head);
          const run = startTool(client, ['--list'], ctx.env, 'pipe', 'ignore', ctx);
          const r = await runOverBody(run, stream);
          if (r.code !== 0) {
            throw new IntegrityError(
              `pg_restore --list cannot read ${entry.path} (${exitText(r)}): ${run.stderr.lines(ctx)}`,
            );
          }
          feeder = new SegmentFeeder(parallel, 'pg_restore --list', () =>
            startTool(client, ['--list'], ctx.env, 'pipe', 'ignore', ctx),
          );
          continue;
        }
        const isDump =
          format === 'custom'
            ? entry.path === prefix || (!prefix && entry.path.endsWith('.pgdump'))
            : false;
        if (isDump) {
          const { head, stream } = await peekHead(entry.body);
          const client = await restoreClientFor(manifest, ctx, head);
          const run = startTool(client, ['--list'], ctx.env, 'pipe', 'ignore', ctx);
          const r = await runOverBody(run, stream);
          if (r.code !== 0) {
            throw new IntegrityError(
              `pg_restore --list cannot read ${entry.path} (${exitText(r)}): ${run.stderr.lines(ctx)}`,
            );
          }
          checkedDump = true;
          continue;
        }
        if (format === 'directory' && prefix && entry.path === `${prefix}/toc.dat`) {
          spool = await mkdtemp(join(ctx.tmpDir, 'pgverify-'));
          await pipeline(entry.body, createWriteStream(join(spool, 'toc.dat'), { mode: 0o600 }));
          const head = (await readFile(join(spool, 'toc.dat'))).subarray(0, 8);
          const client = await restoreClientFor(manifest, ctx, head);
          const run = startTool(
            client,
            ['--list', '--format=directory', spool],
            ctx.env,
            'ignore',
            'ignore',
            ctx,
          );
          const r = await run.exited;
          if (r.code !== 0) {
            throw new IntegrityError(
              `pg_restore --list cannot read ${entry.path} (${exitText(r)}): ${run.stderr.lines(ctx)}`,
            );
          }
          checkedDump = true;
          continue;
        }
        await drain(entry.body);
      }
      if (parallel) {
        if (!feeder)
          throw new IntegrityError(
            `the archive holds no schema member of the parallel dump '${parallel.folder}'`,
          );
        await feeder.finish();
        checkedDump = true;
      }
      ok = true;
    } finally {
      if (feeder && !ok) await feeder.stopped();
      if (spool) await rm(spool, { recursive: true, force: true });
    }
    if (!checkedDump)
      throw new IntegrityError(
        `the archive holds no PostgreSQL dump for source '${manifest.name}'`,
      );
  },

  async stage(
    members: AsyncIterable<ArchiveEntry>,
    request: RestoreRequest,
    ctx: SourceContext,
  ): Promise<StagedRestore> {
    let touched = false;
    const tracked = (async function* () {
      touched = true;
      yield* members;
    })();
    try {
      return await stageInto(tracked, request, ctx);
    } catch (err) {
      // Refused before reading the members: read them out anyway, so the archive reader
      // behind them (a decompressor child process, a download) can finish instead of hanging.
      if (!touched) for await (const e of members) await drain(e.body).catch(() => {});
      throw err;
    }
  },

  async inventory(url: string, ctx: SourceContext): Promise<Inventory> {
    const conn = parsePgUrl(url, 'target', ctx.env);
    ctx.redactor.add(conn.password);
    const c = await connect(conn, 'target', ctx);
    try {
      return await readInventory(
        c,
        { includeSchemas: [], excludeSchemas: [], includeTables: [], excludeTables: [] },
        rowCountsOption(ctx.options),
      );
    } finally {
      await c.end().catch(() => {});
    }
  },
};

async function stageInto(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  if (!request.target) {
    throw new ConfigError('target', 'a restore needs a target database URL', {
      hint: 'set target to postgres://user@host:5432/new_database (a new database is created)',
    });
  }
  const target = parsePgUrl(request.target, 'target', ctx.env);
  ctx.redactor.add(target.password);
  if (!target.databaseFromUrl) {
    throw new ConfigError('target', `'${target.displayUrl}' names no database`, {
      hint: 'add the database to restore into after the host: postgres://user@host:5432/new_database',
    });
  }
  const manifest = request.manifest;
  const name = target.database;
  const notes: string[] = [];

  // Refuse what cannot work before touching anything.
  await restoreClientFor(manifest, ctx);
  const admin = await adminConnection(target, ctx);
  let staged: string;
  let pgRestore: string;
  try {
    const state = await targetState(admin, target, request.overwrite, ctx);
    // The commit renames the target, which needs it unused: say so now, not after the restore.
    if (state !== 'create') await refuseOtherConnections(admin, name, 'replace');

    // Owners and grants need their roles; without them restore everything as the connecting user.
    const roles = Array.isArray(manifest.details?.roles)
      ? (manifest.details.roles as string[])
      : [];
    const present = (
      await admin.query<{ rolname: string }>(
        'SELECT rolname FROM pg_roles WHERE rolname = ANY($1)',
        [roles],
      )
    ).rows.map((r) => r.rolname);
    const missing = roles.filter((r) => !present.includes(r));
    const applyGlobalsFirst =
      ctx.options.globals === true && manifest.details?.globals === GLOBALS_MEMBER;
    const ownerArgs: string[] = [];
    if (missing.length && !applyGlobalsFirst) {
      ownerArgs.push('--no-owner', '--no-privileges');
      notes.push(
        `roles ${missing.join(', ')} do not exist on the target: objects are owned by "${target.user}" and grants were skipped (restore with globals to create the roles first)`,
      );
      ctx.log.warn(notes[notes.length - 1]!);
    }

    await dropAbandonedStaging(admin, ctx);
    staged = stagedName(name, 63);
    const encoding =
      typeof manifest.details?.encoding === 'string' ? manifest.details.encoding : undefined;
    await createDatabase(admin, staged, encoding, ctx);
    try {
      await admin.query(
        `COMMENT ON DATABASE ${quoteIdent(staged)} IS ${quoteLiteral(JSON.stringify(stagingMarker(name)))}`,
      );
      const plan: RestorePlan = { target, into: staged };
      ({ pgRestore } = await restoreMembers(members, plan, manifest, ctx, ownerArgs));
      const c = await connect(withDatabase(target, staged), 'target', ctx);
      let actual: Inventory;
      try {
        // Counting rows costs a scan of every table: only when the backup has exact counts.
        const exact = (manifest.inventory.tables ?? []).some((t) => !t.estimated);
        actual = await readInventory(
          c,
          { includeSchemas: [], excludeSchemas: [], includeTables: [], excludeTables: [] },
          exact ? 'exact' : 'estimate',
        );
      } finally {
        await c.end().catch(() => {});
      }
      const diffs = compareInventories(manifest.inventory, actual);
      if (diffs.length) {
        throw new IntegrityError(
          `the restored database does not match the backup's inventory (${diffs.length} differences: ${diffs.slice(0, 5).join('; ')}); "${name}" was not changed`,
        );
      }
    } catch (err) {
      await dropDatabase(admin, staged, ctx);
      throw err;
    }
  } finally {
    await admin.end().catch(() => {});
  }
  ctx.log.info(`staged the restore of "${name}" in "${staged}"`);

  let settled = false;
  const abort = async (): Promise<void> => {
    if (settled) return;
    settled = true;
    const a = await adminConnection(target, ctx);
    try {
      await dropDatabase(a, staged, ctx);
    } finally {
      await a.end().catch(() => {});
    }
  };
  const commit = async (): Promise<RestoreResult> => {
    const a = await adminConnection(target, ctx);
    try {
      const state = await targetState(a, target, request.overwrite, ctx);
      let safetyId: string | undefined;
      if (state === 'overwrite') {
        await refuseOtherConnections(a, name, 'swap the restored database in');
        if (request.safetyBackup) {
          ctx.log.info(`taking a safety backup of "${name}" before replacing it`);
          safetyId = await request.safetyBackup(request.target);
          notes.push(`safety backup of the previous "${name}": ${safetyId}`);
        }
      } else if (state === 'empty') await refuseOtherConnections(a, name, 'replace');
      const old =
        state === 'create'
          ? undefined
          : shortName(name, `_lifeboat_old_${randomBytes(4).toString('hex')}`);
      try {
        await a.query('BEGIN');
        await a.query(`COMMENT ON DATABASE ${quoteIdent(staged)} IS NULL`);
        if (old) await a.query(`ALTER DATABASE ${quoteIdent(name)} RENAME TO ${quoteIdent(old)}`);
        await a.query(`ALTER DATABASE ${quoteIdent(staged)} RENAME TO ${quoteIdent(name)}`);
        await a.query('COMMIT');
      } catch (err) {
        await a.query('ROLLBACK').catch(() => {});
        throw new SourceError(
          `moving the restored database into place failed: ${(err as Error).message}; "${name}" was not changed`,
          {
            cause: err,
            hint: safetyId ? `a safety backup of "${name}" was taken: ${safetyId}` : undefined,
          },
        );
      }
      settled = true;
      if (old) {
        await carryOverDatabaseProperties(a, old, name, ctx);
        if (safetyId || state === 'empty') {
          await dropDatabase(a, old, ctx);
        } else {
          notes.push(
            `the previous "${name}" was kept as "${old}" (no safety backup was taken); drop it when no longer needed`,
          );
        }
      }
    } finally {
      await a.end().catch(() => {});
    }
    const location = target.displayUrl;
    ctx.log.info(`restored into ${location}`);
    return { location, notes: [...notes, `pg_restore ${pgRestore}`] };
  };
  return { location: target.displayUrl, commit, abort };
}

/**
 * What restoring into the target means now: a new database, an existing one without tables
 * (replaced), or one with tables (refused unless overwrite is set).
 */
async function targetState(
  admin: pg.Client,
  target: PgConnection,
  overwrite: boolean,
  ctx: SourceContext,
): Promise<'create' | 'empty' | 'overwrite'> {
  const name = target.database;
  const exists =
    (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount! > 0;
  if (!exists) return 'create';
  const tables = await userTableCount(target, ctx);
  if (tables === 0) return 'empty';
  if (!overwrite) {
    throw new ConfigError(
      'overwrite',
      `the target database "${name}" already has ${tables} tables; nothing was changed`,
      {
        hint: 'restore into a new database (another name in {{option:target}}), or set {{option:overwrite=true}} to replace it (a safety backup is taken first)',
      },
    );
  }
  return 'overwrite';
}

async function refuseOtherConnections(
  admin: pg.Client,
  name: string,
  doing: string,
): Promise<void> {
  const others = await otherConnections(admin, name);
  if (others.length) {
    throw new SourceError(
      `cannot ${doing} "${name}": it has ${others.length} other connection(s): ${others.join('; ')}; nothing was changed`,
      {
        hint: 'stop the applications using the database (or pg_terminate_backend them), then restore again',
      },
    );
  }
}

/** Drops staged databases an interrupted restore left on this server, when provably abandoned. */
async function dropAbandonedStaging(admin: pg.Client, ctx: SourceContext): Promise<void> {
  const r = await admin.query<{ datname: string; marker: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS marker FROM pg_database
      WHERE strpos(datname, $1) > 0`,
    [STAGED_INFIX],
  );
  for (const row of r.rows) {
    const why = abandonedBecause(parseMarker(row.marker));
    if (!why) continue;
    if ((await otherConnections(admin, row.datname)).length) continue;
    ctx.log.info(
      `dropping the staged database "${row.datname}" an interrupted restore left: ${why}`,
    );
    await dropDatabase(admin, row.datname, ctx);
  }
}

/** For other modules that need a connection (the consistency check). */
export { connect as connectPg };
