/** Backup: the RDB snapshot through the replication protocol, and the logical key stream. */
import type net from 'node:net';
import { Readable } from 'node:stream';
import type { Inventory, MemberSink } from '../../archive/types.ts';
import { SourceError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import {
  STREAM_PAYLOAD_ABOVE,
  encodeEnd,
  encodeHeader,
  encodeKey,
  encodeKeyHead,
  encodeSelect,
} from './format.ts';
import { BulkStream, RedisConnection, RedisReplyError, asText, parseInfo } from './protocol.ts';
import type { RespValue } from './protocol.ts';
import type { DumpResult, Source, SourceContext, SourceDetails } from '../types.ts';
import { connect } from './connection.ts';
import { inventoryFrom, keyspace, scanTypes } from './inventory.ts';
import type { TypeCounts } from './inventory.ts';
import { LOGICAL_MEMBER, RDB_MEMBER, mode } from './url.ts';
import type { RedisTarget } from './url.ts';
import { checkedRdb } from './verify.ts';

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

/** Whole replies (small DUMPs) that may wait to be written before the socket is paused. */
const REPLY_BUDGET = 8 * 1024 * 1024;
/** Small key records are written in runs of about this many bytes. */
const OUT_BATCH = 1024 * 1024;

/**
 * The logical stream of the given databases; fills `byDb` with per-type counts as it goes.
 *
 * Memory stays bounded whatever the values' sizes. TYPE, PTTL and DUMP of a SCAN page are
 * still pipelined in one write, but the replies are taken one at a time as they arrive: while
 * more than REPLY_BUDGET bytes of them wait, the socket is paused (TCP then holds the server
 * back; the rest of the page waits in the server's output buffer, as it would have anyway). A
 * DUMP reply longer than STREAM_PAYLOAD_ABOVE is never collected: its record's header is
 * written from the reply's `$<len>` line and its bytes are passed on as they arrive.
 */
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
      const replies = conn.replies(
        keys.flatMap((k) => [
          ['TYPE', k],
          ['PTTL', k],
          ['DUMP', k],
        ]),
        { streamAbove: STREAM_PAYLOAD_ABOVE, budget: REPLY_BUDGET },
      );
      const take = async () => {
        const r = await replies.next();
        if (r.done) throw new SourceError('redis: a reply is missing');
        return r.value;
      };
      let out: Buffer[] = [];
      let outBytes = 0;
      for (const key of keys) {
        const name = JSON.stringify(key.toString('utf8'));
        const t = await take();
        const ttl = await take();
        const payload = await take();
        for (const r of [t, ttl, payload]) {
          if (r instanceof RedisReplyError) {
            throw new SourceError(`redis: reading key ${name} of db ${db} failed: ${r.message}`, {
              hint: 'the user needs +scan +type +pttl +dump (ACL: +@read +@keyspace)',
            });
          }
        }
        const gone = Number(ttl) === -2;
        if (payload instanceof BulkStream) {
          let got = 0;
          try {
            if (gone) {
              // Deleted before PTTL, then written again before DUMP: not part of this backup.
              for await (const piece of payload.body) got += (piece as Buffer).length;
              continue;
            }
            const type = asText(t as RespValue);
            types[type] = (types[type] ?? 0) + 1;
            if (out.length) yield Buffer.concat(out);
            out = [];
            outBytes = 0;
            yield encodeKeyHead(key, Number(ttl), type, payload.length);
            for await (const piece of payload.body) {
              got += (piece as Buffer).length;
              yield piece as Buffer;
            }
          } catch (err) {
            if (err instanceof SourceError) throw err;
            throw new SourceError(
              `redis: reading key ${name} of db ${db} failed after ${formatBytes(got)} of its ${formatBytes(payload.length)}: ${(err as Error).message}`,
              { cause: err },
            );
          }
          total++;
          continue;
        }
        // Expired or deleted between SCAN and DUMP: it is simply not part of the backup.
        if (!Buffer.isBuffer(payload) || gone) continue;
        const type = asText(t as RespValue);
        types[type] = (types[type] ?? 0) + 1;
        const rec = encodeKey(key, Number(ttl), type, payload);
        out.push(rec);
        outBytes += rec.length;
        total++;
        if (outBytes >= OUT_BATCH) {
          yield Buffer.concat(out);
          out = [];
          outBytes = 0;
        }
      }
      if (out.length) yield Buffer.concat(out);
    } while (cursor !== '0');
  }
  yield encodeEnd(total);
}

export class RedisSource implements Source {
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
    const details: SourceDetails<'redis'> = { mode: m };
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
