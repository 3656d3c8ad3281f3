/**
 * Redis source (`redis://[user:password@]host[:port][/db]`, `rediss://` for TLS).
 *
 * Two members, chosen by the `redis-mode` option:
 * - `dump.rdb`: the server's RDB snapshot, taken through the replication protocol (SYNC, as
 *   `redis-cli --rdb` does). It holds every database of the server. A client cannot load an RDB
 *   into a running server, so it is restored as a file (for disaster recovery: copy it into the
 *   data directory of a stopped server).
 * - `keys.lbr`: a logical stream (SCAN + DUMP + PTTL, format in redis-format.ts) of the URL's
 *   database, or of every non-empty one when the URL names none. It is what a restore into a
 *   live `redis://` target replays with RESTORE, keeping TTLs.
 *
 * `auto` (default) takes both, the RDB only when the server allows replication commands
 * (managed services often do not; a warning says so). `rdb` takes only the snapshot and fails
 * when refused; `logical` takes only the key stream.
 */
import { startProcess } from '../core/process.ts';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import type net from 'node:net';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ArchiveEntry, Inventory, MemberSink, SourceManifest } from '../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../core/errors.ts';
import { formatBytes, redactUrl } from '../core/log.ts';
import { parseUrl, schemeOf } from '../core/url.ts';
import {
  RdbStreamCheck,
  dumpPayloadProblem,
  encodeEnd,
  encodeHeader,
  encodeKey,
  encodeSelect,
  readLogical,
} from './redis-format.ts';
import { RedisConnection, RedisReplyError, asText, parseInfo } from './redis-protocol.ts';
import type { RedisConnectOptions, RespValue } from './redis-protocol.ts';
import type {
  DumpResult,
  RestoreRequest,
  RestoreResult,
  Source,
  SourceContext,
  SourceDriver,
  StagedRestore,
} from './types.ts';
import { removeAbandonedBeside, stagedPathName } from './staging.ts';

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

async function connect(
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

/** Non-empty databases and their key counts, from INFO keyspace. */
async function keyspace(conn: RedisConnection): Promise<Map<number, number>> {
  const info = parseInfo(asText(await conn.call('INFO', 'keyspace')));
  const out = new Map<number, number>();
  for (const [k, v] of Object.entries(info)) {
    const m = /^db(\d+)$/.exec(k);
    const keys = /keys=(\d+)/.exec(v);
    if (m && keys) out.set(Number(m[1]), Number(keys[1]));
  }
  return out;
}

async function dbSize(conn: RedisConnection, db: number): Promise<number> {
  const [, size] = await conn.pipeline([['SELECT', db], ['DBSIZE']]);
  if (size instanceof RedisReplyError) throw size;
  return Number(size);
}

type TypeCounts = Record<string, number>;

/** SCAN one database in batches; `each` gets the keys of every batch. */
async function scanDb(
  conn: RedisConnection,
  each: (keys: Buffer[]) => Promise<void>,
): Promise<void> {
  let cursor = '0';
  do {
    const reply = (await conn.call('SCAN', cursor, 'COUNT', 1000)) as RespValue[];
    cursor = asText(reply[0]!);
    const keys = (reply[1] as Buffer[]) ?? [];
    if (keys.length) await each(keys);
  } while (cursor !== '0');
}

/** Keys per type in one database (a live scan). */
async function scanTypes(conn: RedisConnection, db: number): Promise<TypeCounts> {
  await conn.call('SELECT', db);
  const types: TypeCounts = {};
  await scanDb(conn, async (keys) => {
    const replies = await conn.pipeline(keys.map((k) => ['TYPE', k]));
    for (const t of replies) {
      const type = asText(t);
      if (type !== 'none') types[type] = (types[type] ?? 0) + 1;
    }
  });
  return types;
}

function inventoryFrom(byDb: Map<number, TypeCounts>, note?: string): Inventory {
  const dbs = [...byDb.keys()].sort((a, b) => a - b);
  const keysByType: Record<string, TypeCounts> = {};
  for (const db of dbs) keysByType[`db${db}`] = byDb.get(db)!;
  const extra: Record<string, unknown> = { keysByType };
  if (note) extra.note = note;
  return {
    tables: dbs.map((db) => ({
      name: `db${db}`,
      rows: Object.values(byDb.get(db)!).reduce((a, b) => a + b, 0),
    })),
    extra,
  };
}

/** A tool on PATH (or undefined). */
async function findTool(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      const s = await stat(p);
      if (s.isFile() && s.mode & 0o111) return p;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Runs `redis-check-rdb /dev/stdin` fed by the caller; resolves to its verdict. */
function startRdbCheck(tool: string, env: NodeJS.ProcessEnv) {
  // Node gives a child a socket, not a pipe, as stdin, and /dev/stdin cannot open a socket:
  // `cat` turns it into a real pipe. The tool path travels as $0, never through the shell's parser.
  // No abort signal here: abort() below, which every failed or cancelled stream reaches, ends it.
  const run = startProcess({
    tool: 'redis-check-rdb',
    command: 'sh',
    args: ['-c', 'cat | "$0" /dev/stdin', tool],
    env: { PATH: env.PATH ?? process.env.PATH ?? '' },
    stdin: 'pipe',
    stdout: 'pipe',
  });
  const stdin = run.stdin!;
  let output = '';
  run.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const done = run.exited.then((status) => ({
    ok: status.code === 0,
    output: status.spawnError ? status.spawnError.message : `${output}\n${run.stderrTail()}`,
  }));
  return {
    async write(chunk: Buffer) {
      if (stdin.destroyed || !run.running) return;
      if (!stdin.write(chunk)) await Promise.race([once(stdin, 'drain'), done]);
    },
    async finish() {
      stdin.end();
      return done;
    },
    abort() {
      // Closing its input ends `cat`, then the checker; killing `sh` would leave both running.
      stdin.destroy();
    },
  };
}

/** Streams an RDB (or any bytes) through the CRC check and redis-check-rdb; throws when either objects. */
async function* checkedRdb(
  source: AsyncIterable<Buffer>,
  ctx: SourceContext,
  onDone: (facts: { size: number; version: number | undefined; checker: string }) => void,
  makeError: (msg: string) => Error,
): AsyncGenerator<Buffer> {
  const check = new RdbStreamCheck();
  const tool = await findTool('redis-check-rdb', ctx.env);
  const ext = tool ? startRdbCheck(tool, ctx.env) : undefined;
  let finished = false;
  try {
    for await (const chunk of source) {
      check.update(chunk);
      if (ext) await ext.write(chunk);
      yield chunk;
    }
    const verdict = check.finish();
    if (verdict.problems.length)
      throw makeError(`the RDB snapshot is not whole: ${verdict.problems.join('; ')}`);
    if (!verdict.checksummed)
      ctx.log.warn('redis: the server writes RDB files without checksums (rdbchecksum no)');
    if (ext) {
      const r = await ext.finish();
      finished = true;
      if (!r.ok)
        throw makeError(
          `redis-check-rdb rejected the snapshot: ${r.output.trim().split('\n').slice(-3).join(' | ')}`,
        );
    } else
      ctx.log.debug(
        'redis: redis-check-rdb not found; checked the RDB magic, EOF marker and CRC-64 only',
      );
  } finally {
    // A failed or abandoned stream must not leave the checker waiting on its input.
    if (!finished) ext?.abort();
  }
  onDone({
    size: check.size,
    version: check.version,
    checker: tool ? 'redis-check-rdb + crc64' : 'crc64',
  });
}

/**
 * Ask for an RDB through the replication protocol. Resolves once the server has either started
 * sending the payload or refused (error reply, or closed the connection).
 */
async function openRdbSync(
  conn: RedisConnection,
): Promise<{ refused: string } | { stream: AsyncGenerator<Buffer>; diskless: boolean }> {
  try {
    await conn.call('REPLCONF', 'capa', 'eof');
  } catch (err) {
    conn.close();
    return { refused: (err as Error).message };
  }
  // Redis 7+: send only the snapshot and do not keep us as a replica. Older servers say no.
  await conn.pipeline([['REPLCONF', 'rdb-only', '1']]);
  const { socket, head } = conn.detach(['SYNC']);
  const it = socketChunks(socket, head);
  let buf = Buffer.alloc(0);
  for (;;) {
    // The server sends bare newlines as keep-alives while it prepares the snapshot.
    let i = 0;
    while (i < buf.length && buf[i] === 0x0a) i++;
    buf = buf.subarray(i);
    const end = buf.indexOf('\r\n');
    if (end >= 0) break;
    const r = await it.next();
    if (r.done)
      return { refused: 'the server closed the connection instead of sending a snapshot' };
    buf = Buffer.concat([buf, r.value]);
  }
  const end = buf.indexOf('\r\n');
  const line = buf.toString('latin1', 0, end);
  const rest = buf.subarray(end + 2);
  if (line.startsWith('-')) {
    socket.destroy();
    return { refused: line.slice(1) };
  }
  if (line.startsWith('$EOF:')) {
    const mark = Buffer.from(line.slice(5), 'latin1');
    return { stream: untilMark(it, rest, mark, socket), diskless: true };
  }
  if (/^\$\d+$/.test(line))
    return { stream: exactly(it, rest, Number(line.slice(1)), socket), diskless: false };
  socket.destroy();
  return { refused: `unexpected reply to SYNC: ${line.slice(0, 80)}` };
}

async function* socketChunks(socket: net.Socket, head: Buffer): AsyncGenerator<Buffer> {
  if (head.length) yield head;
  for await (const chunk of socket) yield chunk as Buffer;
}

async function* exactly(
  it: AsyncGenerator<Buffer>,
  first: Buffer,
  length: number,
  socket: net.Socket,
): AsyncGenerator<Buffer> {
  let left = length;
  try {
    let chunk: Buffer | undefined = first;
    while (left > 0) {
      if (!chunk) {
        const r = await it.next();
        if (r.done)
          throw new SourceError(
            `the connection closed after ${length - left} of ${length} snapshot bytes`,
          );
        chunk = r.value;
      }
      const part = chunk.subarray(0, left);
      left -= part.length;
      if (part.length) yield part;
      chunk = undefined;
    }
  } finally {
    socket.destroy();
  }
}

async function* untilMark(
  it: AsyncGenerator<Buffer>,
  first: Buffer,
  mark: Buffer,
  socket: net.Socket,
): AsyncGenerator<Buffer> {
  // Hold back the last mark-length bytes: the payload ends where the mark appears.
  let hold = first;
  try {
    for (;;) {
      const at = hold.indexOf(mark);
      if (at >= 0) {
        if (at > 0) yield hold.subarray(0, at);
        return;
      }
      if (hold.length > mark.length) {
        yield hold.subarray(0, hold.length - mark.length);
        hold = hold.subarray(hold.length - mark.length);
      }
      const r = await it.next();
      if (r.done) throw new SourceError('the connection closed before the end of the snapshot');
      hold = Buffer.concat([hold, r.value]);
    }
  } finally {
    socket.destroy();
  }
}

/** The logical stream of the given databases; fills `byDb` with per-type counts as it goes. */
async function* logicalStream(
  conn: RedisConnection,
  dbs: number[],
  meta: Record<string, unknown>,
  byDb: Map<number, TypeCounts>,
  ctx: SourceContext,
): AsyncGenerator<Buffer> {
  yield encodeHeader(meta);
  let total = 0;
  for (const db of dbs) {
    await conn.call('SELECT', db);
    yield encodeSelect(db);
    const types: TypeCounts = {};
    byDb.set(db, types);
    let cursor = '0';
    do {
      if (ctx.signal?.aborted) throw new SourceError('redis: dump aborted');
      const reply = (await conn.call('SCAN', cursor, 'COUNT', 1000)) as RespValue[];
      cursor = asText(reply[0]!);
      const keys = (reply[1] as Buffer[]) ?? [];
      if (!keys.length) continue;
      const replies = await conn.pipeline(
        keys.flatMap((k) => [
          ['TYPE', k],
          ['PTTL', k],
          ['DUMP', k],
        ]),
      );
      const out: Buffer[] = [];
      for (let i = 0; i < keys.length; i++) {
        const [t, ttl, payload] = replies.slice(i * 3, i * 3 + 3);
        for (const r of [t, ttl, payload]) {
          if (r instanceof RedisReplyError) {
            throw new SourceError(
              `redis: reading key ${JSON.stringify(keys[i]!.toString('utf8'))} of db ${db} failed: ${r.message}`,
              {
                hint: 'the user needs +scan +type +pttl +dump (ACL: +@read +@keyspace)',
              },
            );
          }
        }
        // Expired or deleted between SCAN and DUMP: it is simply not part of the backup.
        if (!Buffer.isBuffer(payload) || Number(ttl) === -2) continue;
        const type = asText(t!);
        types[type] = (types[type] ?? 0) + 1;
        out.push(encodeKey(keys[i]!, Number(ttl), type, payload));
        total++;
      }
      if (out.length) yield Buffer.concat(out);
    } while (cursor !== '0');
  }
  yield encodeEnd(total);
}

function mode(ctx: SourceContext): RedisMode {
  const m = ctx.options['redis-mode'] ?? 'auto';
  if (m !== 'auto' && m !== 'rdb' && m !== 'logical') {
    throw new ConfigError('redis-mode', `'${String(m)}' is not a Redis mode`, {
      hint: 'use auto, rdb or logical',
    });
  }
  return m;
}

class RedisSource implements Source {
  readonly kind = 'redis';
  readonly displayUrl: string;
  private readonly target: RedisTarget;

  constructor(target: RedisTarget) {
    this.target = target;
    this.displayUrl = target.displayUrl;
  }

  async dump(sink: MemberSink, ctx: SourceContext): Promise<DumpResult> {
    const m = mode(ctx);
    const conn = await connect(this.target, 'source', ctx, this.target.db);
    const details: Record<string, unknown> = { mode: m };
    const versions: Record<string, string> = {};
    let inventory: Inventory | undefined;
    try {
      const info = parseInfo(asText(await conn.call('INFO', 'server')));
      versions.server = info.redis_version ?? 'unknown';
      const space = await keyspace(conn);
      const dbs =
        this.target.db !== undefined ? [this.target.db] : [...space.keys()].sort((a, b) => a - b);
      if (this.target.db !== undefined) await conn.call('SELECT', this.target.db);

      if (m !== 'logical') {
        const rdbConn = await connect(this.target, 'source', ctx);
        const sync = await openRdbSync(rdbConn);
        if ('refused' in sync) {
          const why = ctx.redactor.redact(sync.refused);
          if (m === 'rdb') {
            throw new SourceError(`redis: the server refused the replication snapshot (${why})`, {
              hint: 'managed services often forbid SYNC; set {{option:redis-mode=logical}} (or auto) to back up with SCAN + DUMP',
            });
          }
          ctx.log.warn(
            `redis: the server refused the RDB snapshot (${why}); continuing with the logical key stream only`,
          );
          details.rdb = { refused: why };
        } else {
          ctx.log.info(`redis: taking the RDB snapshot of ${this.displayUrl} (all databases)`);
          let facts: { size: number; version: number | undefined; checker: string } | undefined;
          const body = checkedRdb(
            sync.stream,
            ctx,
            (f) => (facts = f),
            (msg) => new SourceError(`redis: ${msg}`),
          );
          await sink.addFile(RDB_MEMBER, Readable.from(body), { mode: 0o600 });
          details.rdb = {
            member: RDB_MEMBER,
            rdbVersion: facts?.version,
            checkedWith: facts?.checker,
            diskless: sync.diskless,
          };
          ctx.log.info(
            `redis: RDB snapshot ${formatBytes(facts?.size ?? 0)}, checked with ${facts?.checker}`,
          );
          if (m === 'rdb') {
            // The snapshot holds every database: inventory them all (a live scan at dump time).
            const byDb = new Map<number, TypeCounts>();
            for (const db of [...space.keys()].sort((a, b) => a - b))
              byDb.set(db, await scanTypes(conn, db));
            inventory = inventoryFrom(byDb, 'live scan taken beside the RDB snapshot');
          }
        }
      }

      if (m !== 'rdb') {
        const byDb = new Map<number, TypeCounts>();
        const meta = { redisVersion: versions.server, createdAt: new Date().toISOString() };
        ctx.log.info(
          `redis: writing the logical key stream of db ${dbs.join(', ') || '(none: server is empty)'}`,
        );
        const rec = await sink.addFile(
          LOGICAL_MEMBER,
          Readable.from(logicalStream(conn, dbs, meta, byDb, ctx)),
          {
            mode: 0o600,
          },
        );
        details.logical = { member: LOGICAL_MEMBER, databases: dbs, format: 1 };
        inventory = inventoryFrom(byDb);
        ctx.log.info(
          `redis: ${inventory.tables!.reduce((a, t) => a + t.rows, 0)} keys, ${formatBytes(rec.size ?? 0)}`,
        );
      }
    } finally {
      conn.close();
    }
    return { versions, inventory: inventory ?? { tables: [] }, details };
  }
}

/** `file:` URL or plain path → absolute path (RDB restores). */
function filePathOf(target: string): string {
  if (target.startsWith('file://')) return fileURLToPath(target);
  if (target.startsWith('file:')) return resolvePath(target.slice(5));
  return resolvePath(target);
}

async function stageRdbFile(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  let path = filePathOf(request.target);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) path = join(path, 'dump.rdb');
  else if (request.target.endsWith('/')) path = join(path, 'dump.rdb');
  const there = await stat(path).catch(() => undefined);
  if (there && !request.overwrite) {
    throw new ConfigError('target', `${path} already exists`, {
      hint: 'choose a new path, or set {{option:overwrite=true}} to replace it',
    });
  }
  for (const line of await removeAbandonedBeside(dirname(path), basename(path)))
    ctx.log.info(`redis: ${line}`);
  const tmp = join(dirname(path), stagedPathName(basename(path), 'tmp'));
  let written = false;
  try {
    for await (const entry of members) {
      if (entry.path !== RDB_MEMBER || !entry.body || written) {
        entry.body?.resume();
        continue;
      }
      await mkdir(dirname(path), { recursive: true });
      const fh = await open(tmp, 'wx', 0o600);
      try {
        const check = checkedRdb(
          entry.body,
          ctx,
          () => {},
          (msg) => new IntegrityError(`redis: ${msg}`),
        );
        for await (const chunk of check) await fh.write(chunk);
        await fh.sync();
      } finally {
        await fh.close();
      }
      written = true;
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  if (!written) {
    throw new ConfigError(
      'target',
      'this backup holds no RDB snapshot (it was taken in logical mode or the server refused SYNC)',
      {
        hint: 'restore it into a live server with a redis://host:port/db target',
      },
    );
  }
  return {
    location: path,
    async commit() {
      if (!request.overwrite && (await stat(path).catch(() => undefined))) {
        throw new ConfigError(
          'target',
          `${path} appeared during the restore; nothing was changed`,
          {
            hint: 'choose a new path, or set {{option:overwrite=true}} to replace it',
          },
        );
      }
      await rename(tmp, path);
      return {
        location: path,
        notes: [
          `RDB snapshot written to ${path}; a running server cannot load it. To use it: stop Redis, copy it to the`,
          "server's `dir`/`dbfilename` (CONFIG GET dir / dbfilename), disable appendonly or remove the AOF, start Redis.",
        ],
      };
    },
    abort: () => rm(tmp, { force: true }),
  };
}

/** Keys the target already holds in the databases the backup writes to. */
async function busyDatabases(
  conn: RedisConnection,
  dbs: number[],
  mapDb: (db: number) => number,
): Promise<string[]> {
  const busy: string[] = [];
  for (const db of dbs) {
    const n = await dbSize(conn, mapDb(db));
    if (n > 0) busy.push(`db ${mapDb(db)} holds ${n} keys`);
  }
  return busy;
}

/**
 * The logical restore's staging applies nothing: it spools the key stream to the run's private
 * temporary folder while checking every DUMP payload's CRC-64 and the key counts against the
 * manifest. Commit replays the spool with RESTORE.
 */
async function stageLogical(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  const target = parseRedisUrl(request.target, 'target', ctx.env);
  const logical = request.manifest.details?.logical as { databases?: number[] } | undefined;
  if (!logical) {
    throw new ConfigError(
      'target',
      'this backup holds only an RDB snapshot (redis-mode: rdb), which a live server cannot load',
      {
        hint: 'restore it to a file path ({{option:target=/path/to/dump.rdb}}) and place it in the data directory of a stopped Redis; take future backups with {{option:redis-mode=auto}}',
      },
    );
  }
  const sourceDbs = logical.databases ?? [];
  if (target.db !== undefined && sourceDbs.length > 1) {
    throw new ConfigError(
      'target',
      `the backup holds databases ${sourceDbs.join(', ')}; a target with /${target.db} can take only one`,
      {
        hint: 'leave the database out of the target URL to restore each into its own number',
      },
    );
  }
  const mapDb = (db: number) => target.db ?? db;
  const conn = await connect(target, 'target', ctx);
  try {
    const busy = await busyDatabases(conn, sourceDbs, mapDb);
    if (busy.length && !request.overwrite) {
      throw new ConfigError('target', `${target.displayUrl} is not empty (${busy.join(', ')})`, {
        hint: 'restore into an empty database (e.g. another /db number), or set {{option:overwrite=true}} to replace the keys the backup holds',
      });
    }
  } finally {
    conn.close();
  }

  const spool = join(ctx.tmpDir, `redis-${randomBytes(6).toString('hex')}.keys`);
  let keys = 0;
  try {
    let sawLogical = false;
    for await (const entry of members) {
      if (entry.path !== LOGICAL_MEMBER || !entry.body || sawLogical) {
        entry.body?.resume();
        continue;
      }
      sawLogical = true;
      const fh = await open(spool, 'wx', 0o600);
      try {
        for await (const chunk of entry.body) await fh.write(chunk as Buffer);
        await fh.sync();
      } finally {
        await fh.close();
      }
      keys = await checkLogical(createReadStream(spool), request.manifest);
    }
    if (!sawLogical)
      throw new IntegrityError(`redis: the backup lacks its ${LOGICAL_MEMBER} member`);
  } catch (err) {
    await rm(spool, { force: true });
    throw err;
  }
  ctx.log.info(`redis: ${keys} keys checked (DUMP payload CRC-64 and counts); none applied yet`);
  return {
    location: target.displayUrl,
    commit: () => applyLogical(spool, target, sourceDbs, mapDb, request, ctx),
    abort: () => rm(spool, { force: true }),
  };
}

async function applyLogical(
  spool: string,
  target: RedisTarget,
  sourceDbs: number[],
  mapDb: (db: number) => number,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<RestoreResult> {
  const conn = await connect(target, 'target', ctx);
  const notes: string[] = [];
  try {
    const busy = await busyDatabases(conn, sourceDbs, mapDb);
    if (busy.length && !request.overwrite) {
      throw new ConfigError(
        'target',
        `${target.displayUrl} was written to during the restore (${busy.join(', ')}); nothing was changed`,
        {
          hint: 'make sure nothing writes to the target database, or set {{option:overwrite=true}}',
        },
      );
    }
    if (busy.length && request.safetyBackup) {
      const id = await request.safetyBackup(request.target);
      notes.push(`safety backup of the target taken first: ${id}`);
    }
    const replace = request.overwrite;
    let batch: Array<Array<string | number | Buffer>> = [];
    let batchBytes = 0;
    let restored = 0;
    const flush = async () => {
      if (!batch.length) return;
      const cmds = batch;
      batch = [];
      batchBytes = 0;
      const replies = await conn.pipeline(cmds);
      replies.forEach((r, i) => {
        if (!(r instanceof RedisReplyError)) return;
        const cmd = cmds[i]!;
        if (cmd[0] === 'SELECT')
          throw new SourceError(
            `redis: SELECT ${String(cmd[1])} failed on the target: ${r.message}`,
          );
        const key = JSON.stringify((cmd[1] as Buffer).toString('utf8'));
        if (r.code === 'BUSYKEY') {
          throw new SourceError(`redis: key ${key} appeared in the target during the restore`, {
            hint: 'make sure nothing writes to the target database, or set {{option:overwrite=true}}',
          });
        }
        throw new SourceError(`redis: RESTORE of key ${key} failed: ${r.message}`, {
          hint: /payload version|checksum/i.test(r.message)
            ? `the target Redis is older than the one backed up (${request.manifest.versions.server}); restore into the same or a newer version`
            : undefined,
        });
      });
    };
    for await (const rec of readLogical(createReadStream(spool))) {
      if (rec.tag === 'select') {
        batch.push(['SELECT', mapDb(rec.db)]);
      } else if (rec.tag === 'key') {
        const ttl = rec.pttl > 0 ? rec.pttl : 0;
        const cmd: Array<string | number | Buffer> = ['RESTORE', rec.key, ttl, rec.payload];
        if (replace) cmd.push('REPLACE');
        batch.push(cmd);
        batchBytes += rec.payload.length + rec.key.length;
        restored++;
        if (batch.length >= 500 || batchBytes >= 8 * 1024 * 1024) await flush();
      }
    }
    await flush();
    const byDb = new Map<number, TypeCounts>();
    for (const db of sourceDbs) byDb.set(mapDb(db), await scanTypes(conn, mapDb(db)));
    notes.push(
      `${restored} keys restored into ${target.displayUrl}${replace ? ' (existing keys replaced)' : ''}`,
    );
    return { location: target.displayUrl, inventory: inventoryFrom(byDb), notes };
  } finally {
    conn.close();
    await rm(spool, { force: true });
  }
}

/**
 * Reads a logical key stream to the end: every DUMP payload's CRC-64 checked and the keys
 * counted by type against the manifest. Returns the number of keys.
 */
async function checkLogical(
  body: AsyncIterable<Buffer | string>,
  manifest: SourceManifest,
): Promise<number> {
  const byDb = new Map<number, TypeCounts>();
  let types: TypeCounts | undefined;
  let keys = 0;
  try {
    for await (const rec of readLogical(body)) {
      if (rec.tag === 'select') byDb.set(rec.db, (types = {}));
      else if (rec.tag === 'key') {
        if (!types) throw new Error('a key record comes before any select record');
        const problem = dumpPayloadProblem(rec.payload);
        if (problem) throw new Error(`key ${JSON.stringify(rec.key.toString('utf8'))}: ${problem}`);
        types[rec.type] = (types[rec.type] ?? 0) + 1;
        keys++;
      }
    }
  } catch (err) {
    throw new IntegrityError(`redis: ${LOGICAL_MEMBER} is damaged: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const found = inventoryFrom(byDb).extra!.keysByType;
  const listed = manifest.inventory.extra?.keysByType;
  if (manifest.details?.mode !== 'rdb' && JSON.stringify(found) !== JSON.stringify(listed)) {
    throw new IntegrityError(
      `redis: ${LOGICAL_MEMBER} holds ${JSON.stringify(found)} but the manifest lists ${JSON.stringify(listed)}`,
    );
  }
  return keys;
}

async function verifyMembers(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
  ctx: SourceContext,
): Promise<void> {
  const expectRdb = Boolean((manifest.details?.rdb as { member?: string } | undefined)?.member);
  const expectLogical = Boolean(manifest.details?.logical);
  let sawRdb = false;
  let sawLogical = false;
  for await (const entry of members) {
    if (entry.path === RDB_MEMBER && entry.body) {
      sawRdb = true;
      for await (const _ of checkedRdb(
        entry.body,
        ctx,
        () => {},
        (msg) => new IntegrityError(`redis: ${msg}`),
      )) {
        // the checks run as the bytes pass
      }
    } else if (entry.path === LOGICAL_MEMBER && entry.body) {
      sawLogical = true;
      await checkLogical(entry.body as AsyncIterable<Buffer>, manifest);
    } else entry.body?.resume();
  }
  if (expectRdb && !sawRdb)
    throw new IntegrityError(`redis: the backup lacks its ${RDB_MEMBER} member`);
  if (expectLogical && !sawLogical)
    throw new IntegrityError(`redis: the backup lacks its ${LOGICAL_MEMBER} member`);
}

export const redisDriver: SourceDriver = {
  kind: 'redis',
  schemes: ['redis', 'rediss'],

  open(url: string, ctx: SourceContext): Source {
    const target = parseRedisUrl(url, 'source', ctx.env);
    ctx.redactor.add(target.conn.password);
    mode(ctx);
    return new RedisSource(target);
  },

  async stage(members, request, ctx) {
    const scheme = schemeOf(request.target);
    if (scheme === 'redis' || scheme === 'rediss') return stageLogical(members, request, ctx);
    if (scheme === undefined || scheme === 'file' || /^[a-zA-Z]:[\\/]/.test(request.target)) {
      return stageRdbFile(members, request, ctx);
    }
    throw new ConfigError(
      'target',
      `a Redis backup restores into redis:// (or rediss://) or a file path, not '${scheme}:'`,
      {
        hint: 'use redis://host:6379/<db> for a live server, or a path such as /var/lib/redis/dump.rdb for the snapshot',
      },
    );
  },

  verify: verifyMembers,

  async inventory(url, ctx) {
    const target = parseRedisUrl(url, 'target', ctx.env);
    const conn = await connect(target, 'target', ctx);
    try {
      const dbs =
        target.db !== undefined
          ? [target.db]
          : [...(await keyspace(conn)).keys()].sort((a, b) => a - b);
      const byDb = new Map<number, TypeCounts>();
      for (const db of dbs) byDb.set(db, await scanTypes(conn, db));
      return inventoryFrom(byDb);
    } finally {
      conn.close();
    }
  },
};
