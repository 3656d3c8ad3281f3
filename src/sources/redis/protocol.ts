/**
 * A minimal RESP2 client: enough for AUTH, SELECT, SCAN, TYPE, DUMP, PTTL, RESTORE, INFO and the
 * replication handshake (SYNC), over TCP, TLS or a unix socket. Commands are pipelined: every
 * reply is matched to its command in order, so a batch costs one round trip.
 *
 * Large values never have to be held whole: `replies()` hands a long bulk string reply (a DUMP
 * of a big key) on as its bytes arrive, and `callStreaming()` writes a command whose argument
 * (a RESTORE payload) is read piece by piece, both with backpressure on the socket.
 */
import { once } from 'node:events';
import net from 'node:net';
import { Readable } from 'node:stream';
import tls from 'node:tls';

export type RespValue = string | number | Buffer | null | RespValue[] | RedisReplyError;

/** An error reply from the server (`-ERR …`, `-NOPERM …`, `-BUSYKEY …`). */
export class RedisReplyError extends Error {
  /** First word of the reply: ERR, NOPERM, WRONGPASS, BUSYKEY, … */
  readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = 'RedisReplyError';
    this.code = message.split(' ')[0] ?? 'ERR';
  }
}

export interface RedisConnectOptions {
  host?: string;
  port?: number;
  /** Unix socket path instead of host/port. */
  path?: string;
  tls?: boolean;
  username?: string;
  password?: string;
  /** Database to SELECT after connecting. */
  db?: number;
  signal?: AbortSignal;
}

/**
 * A bulk string reply longer than the caller's threshold, handed on as it arrives: `length` from
 * its `$<len>` line, then its bytes from `body`, which must be read to the end before the next
 * reply on the connection can arrive. `body` fails if the connection drops before the end.
 */
export class BulkStream {
  readonly length: number;
  readonly body: Readable;
  constructor(length: number, body: Readable) {
    this.length = length;
    this.body = body;
  }
}

/** An argument of `callStreaming` whose `length` bytes come from `pieces`. */
export interface BulkSource {
  length: number;
  pieces: AsyncIterable<Buffer> | Iterable<Buffer>;
}

interface Pending {
  resolve: (value: RespValue | BulkStream) => void;
  reject: (err: Error) => void;
  /** A top-level bulk string reply longer than this comes as a BulkStream. */
  streamAbove?: number;
}

/** Bytes a streamed bulk string's body buffers before the socket is paused. */
const BODY_HIGH_WATER = 1024 * 1024;

/**
 * Incremental RESP2 parser. Bulk strings come back as Buffers (binary safe).
 *
 * Linear in the reply's size, however it is cut into socket chunks: arrays are built up on a
 * stack as their elements arrive (an element is never parsed twice), and while a bulk string is
 * incomplete the arriving chunks are only collected, then joined once when enough bytes are
 * there. A 512 MB value costs one copy, not one copy of everything so far per 64 KiB chunk.
 */
export class RespParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Chunks that arrived while the value being read still needed more bytes than they bring. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes the incomplete value needs from `pos` before parsing it again can succeed. */
  private need = 0;
  /** Arrays whose elements are still arriving, outermost first. */
  private readonly open: Array<{ items: RespValue[]; remaining: number }> = [];
  /** Bytes (payload and the final CRLF) of a bulk string being streamed; 0 when none is. */
  private streamLeft = 0;
  /** Top-level bulk strings longer than this are streamed (set for each `next()`). */
  private streamAbove: number | undefined;
  /** Bytes copied to join chunks (a test holds this linear in the reply size). */
  copiedBytes = 0;

  push(data: Buffer): void {
    const available = this.buf.length - this.pos + this.pendingBytes + data.length;
    if (available < this.need) {
      this.pending.push(data);
      this.pendingBytes += data.length;
      return;
    }
    if (this.pos >= this.buf.length && this.pending.length === 0) {
      this.buf = data;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), ...this.pending, data]);
      this.copiedBytes += this.buf.length;
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.pos = 0;
    this.need = 0;
  }

  /** Unparsed bytes left over (the start of a raw payload after SYNC). */
  takeRest(): Buffer {
    const rest = Buffer.concat([this.buf.subarray(this.pos), ...this.pending]);
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    this.pending = [];
    this.pendingBytes = 0;
    this.need = 0;
    return rest;
  }

  /**
   * One complete reply, or undefined when more bytes are needed. With `streamAbove`, a top-level
   * bulk string longer than that is not collected: its length comes back as `{ bulk }` and its
   * bytes from `piece()`, which must be called until it returns null before `next()` again.
   */
  next(): { value: RespValue } | undefined;
  next(streamAbove: number | undefined): { value: RespValue } | { bulk: number } | undefined;
  next(streamAbove?: number): { value: RespValue } | { bulk: number } | undefined {
    if (this.streamLeft > 0) throw new Error('a streamed bulk string is still being read');
    if (this.pending.length) return undefined;
    this.streamAbove = streamAbove;
    for (;;) {
      const start = this.pos;
      const item = this.item();
      if (item === undefined) {
        this.pos = start;
        return undefined;
      }
      if ('bulk' in item) return item;
      let value: RespValue;
      if ('array' in item) {
        if (item.array > 0) {
          this.open.push({ items: [], remaining: item.array });
          continue;
        }
        value = item.array < 0 ? null : [];
      } else {
        value = item.value;
      }
      // Hand the value to the array it belongs to; a full array is itself a value.
      for (;;) {
        const top = this.open.at(-1);
        if (!top) return { value };
        top.items.push(value);
        if (--top.remaining > 0) break;
        this.open.pop();
        value = top.items;
      }
    }
  }

  /**
   * The next bytes of the bulk string being streamed (a view of the received chunk, not a
   * copy); null once it and its CRLF have been read; undefined when more bytes are needed.
   */
  piece(): Buffer | null | undefined {
    const avail = this.buf.length - this.pos;
    if (this.streamLeft > 2) {
      if (avail === 0) return undefined;
      const n = Math.min(avail, this.streamLeft - 2);
      const out = this.buf.subarray(this.pos, this.pos + n);
      this.pos += n;
      this.streamLeft -= n;
      return out;
    }
    // The CRLF after the payload, which may itself be cut by a chunk boundary.
    const n = Math.min(avail, this.streamLeft);
    this.pos += n;
    this.streamLeft -= n;
    return this.streamLeft === 0 ? null : undefined;
  }

  private line(): string | undefined {
    const end = this.buf.indexOf('\r\n', this.pos);
    if (end < 0) return undefined;
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 2;
    return s;
  }

  /** One scalar, or an array's header; undefined (pos anywhere) when more bytes are needed. */
  private item(): { value: RespValue } | { array: number } | { bulk: number } | undefined {
    const start = this.pos;
    if (this.pos >= this.buf.length) return undefined;
    const type = String.fromCharCode(this.buf[this.pos]!);
    this.pos++;
    const line = this.line();
    if (line === undefined) return undefined;
    switch (type) {
      case '+':
        return { value: line };
      case '-':
        return { value: new RedisReplyError(line) };
      case ':':
        return { value: Number(line) };
      case '$': {
        const len = Number(line);
        if (len < 0) return { value: null };
        if (this.streamAbove !== undefined && len > this.streamAbove && this.open.length === 0) {
          this.streamLeft = len + 2;
          return { bulk: len };
        }
        if (this.pos + len + 2 > this.buf.length) {
          this.need = this.pos + len + 2 - start;
          return undefined;
        }
        const value = Buffer.from(this.buf.subarray(this.pos, this.pos + len));
        this.pos += len + 2;
        return { value };
      }
      case '*':
        return { array: Number(line) };
      default:
        throw new Error(`unexpected RESP type byte '${type}'`);
    }
  }
}

const CRLF = Buffer.from('\r\n');

/** Bytes a reply holds (for the budget of `replies()`); a streamed one holds none itself. */
function replySize(v: RespValue | BulkStream): number {
  if (Buffer.isBuffer(v)) return v.length;
  if (typeof v === 'string') return v.length;
  if (Array.isArray(v)) return v.reduce((a: number, x) => a + replySize(x), 16);
  return 16;
}

export function encodeCommand(args: Array<string | number | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RedisConnection {
  private readonly socket: net.Socket;
  private readonly parser = new RespParser();
  private readonly pending: Pending[] = [];
  private failure: Error | undefined;
  private detached = false;
  /** The body of the bulk string reply being streamed, if any. */
  private body: Readable | undefined;
  /** Parsing stopped and the socket paused: a reader is behind (see hold()). */
  private held = false;
  private draining = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  static async connect(opts: RedisConnectOptions): Promise<RedisConnection> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      let s: net.Socket;
      if (opts.path) s = net.connect({ path: opts.path }, () => done());
      else if (opts.tls) {
        const host = opts.host ?? '127.0.0.1';
        s = tls.connect(
          { host, port: opts.port ?? 6379, servername: net.isIP(host) ? undefined : host },
          () => done(),
        );
      } else
        s = net.connect({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 6379 }, () => done());
      function done() {
        s.off('error', onError);
        resolve(s);
      }
      s.once('error', onError);
      opts.signal?.addEventListener('abort', () => s.destroy(new Error('aborted')), { once: true });
    });
    socket.setNoDelay(true);
    const conn = new RedisConnection(socket);
    try {
      if (opts.password !== undefined && opts.password !== '') {
        const args = opts.username
          ? ['AUTH', opts.username, opts.password]
          : ['AUTH', opts.password];
        await conn.call(...args);
      }
      if (opts.db !== undefined && opts.db !== 0) await conn.call('SELECT', opts.db);
    } catch (err) {
      conn.close();
      throw err;
    }
    return conn;
  }

  private onData(d: Buffer): void {
    if (this.detached) return;
    this.parser.push(d);
    this.drain();
  }

  /** Hands parsed replies (and pieces of a streamed one) to their commands until held or short of bytes. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (!this.held && !this.failure) {
        if (this.body) {
          const piece = this.parser.piece();
          if (piece === undefined) return;
          if (piece === null) {
            const done = this.body;
            this.body = undefined;
            done.push(null);
          } else if (!this.body.push(piece)) this.hold();
          continue;
        }
        const head = this.pending[0];
        if (!head) return;
        const out = this.parser.next(head.streamAbove);
        if (!out) return;
        this.pending.shift();
        if ('bulk' in out) {
          this.body = new Readable({ highWaterMark: BODY_HIGH_WATER, read: () => this.release() });
          head.resolve(new BulkStream(out.bulk, this.body));
        } else head.resolve(out.value);
      }
    } catch (err) {
      this.fail(err as Error);
      this.socket.destroy();
    } finally {
      this.draining = false;
    }
  }

  /** Stop reading: the socket is paused, and TCP flow control holds the server back. */
  private hold(): void {
    if (this.held) return;
    this.held = true;
    this.socket.pause();
  }

  private release(): void {
    if (!this.held) return;
    this.held = false;
    if (!this.detached) this.socket.resume();
    this.drain();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    while (this.pending.length) this.pending.shift()!.reject(err);
    const body = this.body;
    this.body = undefined;
    body?.destroy(this.failure);
  }

  /** Send commands in one write; replies (error replies included, as RedisReplyError) in order. */
  pipeline(commands: Array<Array<string | number | Buffer>>): Promise<RespValue[]> {
    if (this.failure) return Promise.reject(this.failure);
    const replies = commands.map(
      () =>
        new Promise<RespValue>((resolve, reject) =>
          this.pending.push({ resolve: resolve as Pending['resolve'], reject }),
        ),
    );
    this.socket.write(Buffer.concat(commands.map(encodeCommand)));
    return Promise.all(replies);
  }

  /**
   * Send commands in one write and yield their replies in order as they arrive, with bounded
   * memory whatever the replies' sizes: a top-level bulk string longer than `streamAbove` comes
   * as a BulkStream (its body must be read to the end before the next reply is yielded), and
   * while more than `budget` bytes of whole replies wait to be taken the socket is paused.
   * Abandoning the generator early leaves the connection unusable: close it.
   */
  async *replies(
    commands: Array<Array<string | number | Buffer>>,
    opts: { streamAbove: number; budget: number },
  ): AsyncGenerator<RespValue | BulkStream> {
    if (this.failure) throw this.failure;
    type Settled = { value: RespValue | BulkStream; size: number } | { error: Error };
    const queue: Settled[] = [];
    let queued = 0;
    let wake: (() => void) | undefined;
    const settle = (s: Settled) => {
      queue.push(s);
      if ('size' in s) {
        queued += s.size;
        if (queued > opts.budget) this.hold();
      }
      wake?.();
    };
    for (let i = 0; i < commands.length; i++) {
      this.pending.push({
        resolve: (value) => settle({ value, size: replySize(value) }),
        reject: (error) => settle({ error }),
        streamAbove: opts.streamAbove,
      });
    }
    this.socket.write(Buffer.concat(commands.map(encodeCommand)));
    for (let i = 0; i < commands.length; i++) {
      while (!queue.length) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const s = queue.shift()!;
      if ('error' in s) throw s.error;
      queued -= s.size;
      if (queued <= opts.budget && !this.body) this.release();
      yield s.value;
    }
  }

  /** One command; an error reply rejects with RedisReplyError. */
  async call(...args: Array<string | number | Buffer>): Promise<RespValue> {
    const [reply] = await this.pipeline([args]);
    if (reply instanceof RedisReplyError) throw reply;
    return reply!;
  }

  /**
   * One command with arguments whose bytes are read as they are sent (a RESTORE payload):
   * written piece by piece, waiting for the socket to drain, never built whole. An error reply
   * rejects with RedisReplyError; a source that fails or brings the wrong number of bytes
   * closes the connection (the server is left mid-command).
   */
  async callStreaming(...args: Array<string | number | Buffer | BulkSource>): Promise<RespValue> {
    if (this.failure) throw this.failure;
    const reply = new Promise<RespValue | BulkStream>((resolve, reject) =>
      this.pending.push({ resolve, reject }),
    );
    // A failed write below rejects `reply` too; that rejection is reported from here instead.
    reply.catch(() => undefined);
    try {
      let head: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
      for (const a of args) {
        if (typeof a === 'object' && !Buffer.isBuffer(a)) {
          head.push(Buffer.from(`$${a.length}\r\n`));
          await this.write(Buffer.concat(head));
          head = [];
          let sent = 0;
          for await (const piece of a.pieces) {
            sent += piece.length;
            if (sent > a.length) break;
            await this.write(piece);
          }
          if (sent !== a.length)
            throw new Error(`an argument of ${a.length} bytes brought ${sent}`);
          head.push(CRLF);
        } else {
          const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
          head.push(Buffer.from(`$${b.length}\r\n`), b, CRLF);
        }
      }
      await this.write(Buffer.concat(head));
    } catch (err) {
      this.fail(err as Error);
      this.socket.destroy();
      throw err;
    }
    const r = await reply;
    if (r instanceof RedisReplyError) throw r;
    return r as RespValue;
  }

  /** Write with backpressure: waits for 'drain' when the socket's buffer is full. */
  private async write(buf: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.socket.write(buf)) return;
    const ac = new AbortController();
    try {
      await Promise.race([
        once(this.socket, 'drain', { signal: ac.signal }),
        once(this.socket, 'close', { signal: ac.signal }),
      ]);
    } finally {
      ac.abort();
    }
    if (this.failure) throw this.failure;
  }

  /**
   * Send a command whose answer is a raw byte stream (SYNC) and take over the socket: returns
   * the socket and the bytes already received past any parsed replies.
   */
  detach(args: Array<string | number | Buffer>): { socket: net.Socket; head: Buffer } {
    this.detached = true;
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    this.socket.removeAllListeners('error');
    const head = this.parser.takeRest();
    this.socket.write(encodeCommand(args));
    return { socket: this.socket, head };
  }

  close(): void {
    this.detached = true;
    this.socket.destroy();
  }
}

export function asText(v: RespValue): string {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v === null) return '';
  if (v instanceof RedisReplyError) throw v;
  return String(v);
}

/** Parse `INFO` output into key → value. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
