/** The MySQL / MariaDB client tools: finding the one matching the server, running it with credentials on a pipe. */
import { describeExit, runProcess, startProcess, type ProcessRun } from '../../core/process.ts';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import type { SourceManifest } from '../../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../core/errors.ts';
import { SqlDumpScan } from './dump-scan.ts';
import type { SourceContext } from '../types.ts';
import type { Flavour, MysqlTarget } from './url.ts';
import { detailsOf } from '../types.ts';

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
export function optionText(target: MysqlTarget): string {
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

export function startClient(
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

export async function findClient(server: ServerInfo, ctx: SourceContext, kind: 'dump' | 'client') {
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

export async function runClient(
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
    const flavour = detailsOf(manifest, 'mysql').flavour;
    const crossFlavour = flavour && flavour !== client.flavour;
    throw new SourceError(
      `mysql: restoring '${sourceName}' into '${database}' failed (${code}): ${text || 'no message'}`,
      {
        hint: /Unknown collation|utf8mb4_0900/i.test(text)
          ? 'the dump uses MySQL 8 collations this server does not know; restore into MySQL 8+, or convert the collations first'
          : /DEFINER|SUPER|SET_USER_ID|SYSTEM_USER/i.test(text)
            ? 'views, routines and triggers keep their DEFINER; restore as a user with SET_USER_ID/SUPER, or create the definer account first'
            : crossFlavour
              ? `the backup comes from ${flavour}; restore it into the same flavour`
              : undefined,
      },
    );
  }
}
