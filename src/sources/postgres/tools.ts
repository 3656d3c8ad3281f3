/**
 * Finding PostgreSQL client programs (pg_dump, pg_dumpall, pg_restore, psql) of the right major
 * version, and the dump-format facts that decide which pg_restore can read which dump.
 *
 * pg_dump refuses to dump a server newer than itself, and pg_restore cannot read an archive
 * written by a pg_dump whose archive format is newer than its own. So the dump side picks the
 * oldest client at least as new as the server (its dumps stay readable by the most
 * pg_restores), the restore side the newest client there is.
 *
 * Also running them: a tool's stderr tail and exit, pg_dump's stdout as a stream that fails when
 * the dump does, feeding a member body to a tool's stdin, and the pg_restore for a manifest.
 */
import type { ChildProcess } from 'node:child_process';
import { startProcess, runProcess, type ProcessRun } from '../../core/process.ts';
import { access, constants, readdir, realpath } from 'node:fs/promises';
import { basename, delimiter, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { SourceManifest } from '../../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import type { SourceContext } from '../types.ts';

export type PgTool = 'pg_dump' | 'pg_dumpall' | 'pg_restore' | 'psql';

export interface PgClient {
  tool: PgTool;
  /** Absolute path of the program. */
  path: string;
  /** Folder holding it (its sibling tools are looked for there). */
  dir: string;
  /** e.g. '15.20', '18.1', '9.6.24'. */
  version: string;
  /** 15, 18; 9.6 for the old two-part majors. */
  major: number;
  /** Found in the folder the user named with `pg-bin`. */
  fromPgBin: boolean;
}

/** Parse `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` → { version, major }. */
export function parseToolVersion(output: string): { version: string; major: number } | undefined {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?([a-z]+\d*)?/.exec(output);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] === undefined ? undefined : Number(m[2]);
  const version = [m[1], m[2], m[3]].filter((x) => x !== undefined).join('.') + (m[4] ?? '');
  const major = a >= 10 ? a : a + (b ?? 0) / 10;
  return { version, major };
}

/** Major version from `server_version_num` (150020 → 15, 90624 → 9.6). */
export function majorOfVersionNum(num: number): number {
  return num >= 100000
    ? Math.floor(num / 10000)
    : Math.floor(num / 10000) + (Math.floor(num / 100) % 100) / 10;
}

/** The archive format version (major, minor) pg_dump of a given major writes. */
export function archiveVersionWrittenBy(major: number): [number, number] {
  if (major >= 17) return [1, 16];
  if (major >= 16) return [1, 15];
  if (major >= 12) return [1, 14];
  if (major >= 9) return [1, 13];
  return [1, 12];
}

/** The newest archive format version pg_restore of a given major reads (its own). */
export function archiveVersionReadBy(major: number): [number, number] {
  return archiveVersionWrittenBy(major);
}

export function compareArchiveVersions(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

export function formatArchiveVersion(v: [number, number, number?]): string {
  return `${v[0]}.${v[1]}${v[2] === undefined ? '' : `.${v[2]}`}`;
}

/**
 * Read the header of a custom-format dump: 'PGDMP' then the archive version bytes
 * (major, minor, revision). Undefined when the bytes are not a custom-format dump.
 */
export function parseDumpHeader(head: Buffer): [number, number, number] | undefined {
  if (head.length < 8 || head.subarray(0, 5).toString('latin1') !== 'PGDMP') return undefined;
  return [head[5]!, head[6]!, head[7]!];
}

/** Folders where client programs usually live, most specific first (pg-bin, PATH, per-version installs). */
export async function candidateDirs(
  env: NodeJS.ProcessEnv,
  pgBin: string | undefined,
): Promise<string[]> {
  const dirs: string[] = [];
  if (pgBin) dirs.push(pgBin);
  for (const d of (env.PATH ?? '').split(delimiter)) if (d) dirs.push(d);
  const versioned: Array<[string, RegExp, (m: string) => string]> = [
    ['/usr/lib/postgresql', /^\d+(\.\d+)?$/, (v) => `/usr/lib/postgresql/${v}/bin`],
    ['/usr', /^pgsql-\d+(\.\d+)?$/, (v) => `/usr/${v}/bin`],
    ['/opt/homebrew/opt', /^postgresql@\d+(\.\d+)?$/, (v) => `/opt/homebrew/opt/${v}/bin`],
    ['/usr/local/opt', /^postgresql@\d+(\.\d+)?$/, (v) => `/usr/local/opt/${v}/bin`],
  ];
  for (const [parent, pattern, bin] of versioned) {
    const names = await readdir(parent).catch(() => [] as string[]);
    for (const n of names.filter((x) => pattern.test(x)).sort()) dirs.push(bin(n));
  }
  return dirs;
}

function versionOf(path: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return runProcess({
    tool: basename(path),
    command: path,
    args: ['--version'],
    env,
    signal: AbortSignal.timeout(15_000),
  }).catch(() => undefined);
}

/** Every distinct program named `tool` in the candidate folders, with its version. */
export async function findClients(
  tool: PgTool,
  env: NodeJS.ProcessEnv,
  pgBin?: string,
): Promise<PgClient[]> {
  const found: PgClient[] = [];
  const seen = new Set<string>();
  for (const dir of await candidateDirs(env, pgBin)) {
    const path = join(dir, tool);
    try {
      await access(path, constants.X_OK);
    } catch {
      continue;
    }
    let real = path;
    try {
      real = await realpath(path);
    } catch {
      // keep the path as given
    }
    const out = await versionOf(path, env);
    const parsed = out ? parseToolVersion(out) : undefined;
    if (!parsed) continue;
    // Debian's /usr/bin wrappers and the versioned folders can resolve to the same program.
    const key = `${real}|${parsed.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ tool, path, dir, ...parsed, fromPgBin: pgBin !== undefined && dir === pgBin });
  }
  return found;
}

/**
 * The client to dump a server of `serverMajor` with: one from pg-bin when it is new enough,
 * otherwise the oldest client whose major is at least the server's.
 */
export function pickDumpClient(clients: PgClient[], serverMajor: number): PgClient | undefined {
  const fit = clients.filter((c) => c.major >= serverMajor);
  const own = fit.find((c) => c.fromPgBin);
  if (own) return own;
  return [...fit].sort((a, b) => a.major - b.major)[0];
}

/** The client to read a dump of archive version `archive` with: pg-bin when it can, else the newest that can. */
export function pickRestoreClient(
  clients: PgClient[],
  archive: [number, number],
): PgClient | undefined {
  const fit = clients.filter(
    (c) => compareArchiveVersions(archiveVersionReadBy(c.major), archive) >= 0,
  );
  const own = fit.find((c) => c.fromPgBin);
  if (own) return own;
  return [...fit].sort((a, b) => b.major - a.major)[0];
}

function listClients(clients: PgClient[]): string {
  return clients.length ? clients.map((c) => `${c.version} (${c.path})`).join(', ') : 'none';
}

function pgBinOption(ctx: SourceContext): string | undefined {
  const v = ctx.options['pg-bin'];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** A program of the same folder as `client` (pg_dumpall beside pg_dump), checked to exist. */
export async function siblingTool(
  client: PgClient,
  tool: PgTool,
  env: NodeJS.ProcessEnv,
): Promise<PgClient> {
  const path = join(client.dir, tool);
  const out = await versionOf(path, env);
  const parsed = out ? parseToolVersion(out) : undefined;
  if (!parsed) {
    throw new ConfigError('pg-bin', `${tool} was not found beside ${client.path}`, {
      hint: `install the full PostgreSQL ${client.major} client package, or set {{option:pg-bin}} to a folder holding both`,
    });
  }
  return { ...client, tool, path, ...parsed };
}

/**
 * The pg_dump to use for a server of `serverMajor` (`serverVersion` for messages). Looks in
 * pg-bin, PATH and the per-version install folders; when none is new enough and the face can
 * install one (ctx.provideTool, on GitHub-hosted runners) asks it; otherwise fails with a
 * ConfigError naming the server version, the clients found and the fix.
 */
export async function resolveDumpClient(
  serverMajor: number,
  serverVersion: string,
  ctx: SourceContext,
): Promise<PgClient> {
  const pgBin = pgBinOption(ctx);
  const clients = await findClients('pg_dump', ctx.env, pgBin);
  const picked = pickDumpClient(clients, serverMajor);
  if (picked) return picked;
  if (ctx.provideTool) {
    ctx.log.info(
      `no pg_dump ${serverMajor} or newer found (found: ${listClients(clients)}); installing one`,
    );
    const dir = await ctx.provideTool('pg_dump', String(serverMajor));
    if (dir) {
      const provided = (await findClients('pg_dump', { ...ctx.env, PATH: '' }, dir)).filter(
        (c) => c.major >= serverMajor,
      );
      if (provided[0]) return provided[0];
    }
  }
  const newer = Math.floor(serverMajor);
  throw new ConfigError(
    'pg-bin',
    `the server runs PostgreSQL ${serverVersion}, but no pg_dump of major ${newer} or newer was found (found: ${listClients(clients)}); pg_dump cannot dump a server newer than itself`,
    {
      hint: `install the PostgreSQL ${newer} client (Debian/Ubuntu: postgresql-client-${newer} from apt.postgresql.org; RHEL: postgresql${newer}; macOS: brew install postgresql@${newer}) or set {{option:pg-bin}} to the folder holding pg_dump ${newer} or newer`,
    },
  );
}

/**
 * The pg_restore (or psql) able to read a dump of archive version `archive`, written by
 * `dumpedWith` (a pg_dump version, for messages). Fails with a ConfigError reporting versions.
 */
export async function resolveRestoreClient(
  tool: 'pg_restore' | 'psql',
  archive: [number, number],
  dumpedWith: string,
  ctx: SourceContext,
): Promise<PgClient> {
  const pgBin = pgBinOption(ctx);
  const clients = await findClients(tool, ctx.env, pgBin);
  const picked = pickRestoreClient(clients, archive);
  if (picked) return picked;
  const needed = archive[1] >= 16 ? 17 : archive[1] >= 15 ? 16 : archive[1] >= 14 ? 12 : 11;
  throw new ConfigError(
    'pg-bin',
    `the dump was written by pg_dump ${dumpedWith} (archive format ${formatArchiveVersion(archive)}), which no ${tool} found here can read (found: ${listClients(clients)})`,
    {
      hint: `install a PostgreSQL ${needed} or newer client, or set {{option:pg-bin}} to the folder holding ${tool} ${needed} or newer`,
    },
  );
}

const STDERR_TAIL_LINES = 12;

export interface ToolRun {
  child: ChildProcess;
  /** The runner's handle: stop() is SIGTERM, then SIGKILL after a grace period. */
  process: ProcessRun;
  stderr: { lines(ctx: SourceContext): string };
  /** Resolves when the process has exited and its output streams are closed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A program that runs a tool, with its arguments before the tool's path (`stdbuf -o 1M`). */
export interface ToolWrapper {
  command: string;
  args: string[];
}

/** What pg_dump gathers before each write to its stdout when run through stdbuf. */
const DUMP_WRITE_BUFFER = '1M';
const largeWriters = new Map<string, Promise<ToolWrapper | undefined>>();

/**
 * pg_dump writes its archive through C stdio, 4 KB per write, and every write that reaches
 * Lifeboat on its own costs the node process a wake-up, a read, a buffer and a stream event
 * (reading the stdout of a 188 MiB dump took 48,000 writes and about 0.34 s of CPU). Run
 * through coreutils' `stdbuf -o 1M`, which sets the size of pg_dump's stdout buffer, pg_dump
 * writes 1 MiB at a time and Node reads it in pieces of 32-64 KB, for less than half that CPU; the
 * bytes are the same. Used where `stdbuf` is on PATH and runs this client (`--version`, once
 * per process); otherwise pg_dump runs as it is.
 */
export function largeWriter(
  client: PgClient,
  env: NodeJS.ProcessEnv,
): Promise<ToolWrapper | undefined> {
  const key = `${client.path}\0${env.PATH ?? ''}`;
  let found = largeWriters.get(key);
  if (!found) {
    found = findLargeWriter(client, env);
    largeWriters.set(key, found);
  }
  return found;
}

async function findLargeWriter(
  client: PgClient,
  env: NodeJS.ProcessEnv,
): Promise<ToolWrapper | undefined> {
  if (process.platform === 'win32') return undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const command = join(dir, 'stdbuf');
    try {
      await access(command, constants.X_OK);
    } catch {
      continue;
    }
    const args = ['-o', DUMP_WRITE_BUFFER];
    const works = await runProcess({
      tool: 'stdbuf',
      command,
      args: [...args, client.path, '--version'],
      env,
      signal: AbortSignal.timeout(15_000),
    }).then(
      (out) => out.trim() !== '',
      () => false,
    );
    return works ? { command, args } : undefined;
  }
  return undefined;
}

export function startTool(
  client: PgClient,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin: 'ignore' | 'pipe',
  stdout: 'ignore' | 'pipe',
  ctx: SourceContext,
  wrapper?: ToolWrapper,
): ToolRun {
  const command = wrapper ? [wrapper.command, ...wrapper.args, client.path] : [client.path];
  ctx.log.debug(`running ${[...command, ...args].join(' ')}`);
  const run = startProcess({
    tool: basename(client.path),
    command: command[0]!,
    args: [...command.slice(1), ...args],
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
export async function runOverBody(
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

export async function bufferOf(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
