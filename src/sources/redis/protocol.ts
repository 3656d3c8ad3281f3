/**
 * A minimal RESP2 client: enough for AUTH, SELECT, SCAN, TYPE, DUMP, PTTL, RESTORE, INFO and the
 * replication handshake (SYNC), over TCP, TLS or a unix socket. Commands are pipelined: every
 * reply is matched to its command in order, so a batch costs one round trip.
 */
import net from 'node:net';
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

interface Pending {
  resolve: (value: RespValue) => void;
  reject: (err: Error) => void;
}

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

  /** One complete reply, or undefined when more bytes are needed. */
  next(): { value: RespValue } | undefined {
    if (this.pending.length) return undefined;
    for (;;) {
      const start = this.pos;
      const item = this.item();
      if (item === undefined) {
        this.pos = start;
        return undefined;
      }
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

  private line(): string | undefined {
    const end = this.buf.indexOf('\r\n', this.pos);
    if (end < 0) return undefined;
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 2;
    return s;
  }

  /** One scalar, or an array's header; undefined (pos anywhere) when more bytes are needed. */
  private item(): { value: RespValue } | { array: number } | undefined {
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
    for (;;) {
      if (this.pending.length === 0) return;
      let out: { value: RespValue } | undefined;
      try {
        out = this.parser.next();
      } catch (err) {
        this.fail(err as Error);
        this.socket.destroy();
        return;
      }
      if (!out) return;
      this.pending.shift()!.resolve(out.value);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    while (this.pending.length) this.pending.shift()!.reject(err);
  }

  /** Send commands in one write; replies (error replies included, as RedisReplyError) in order. */
  pipeline(commands: Array<Array<string | number | Buffer>>): Promise<RespValue[]> {
    if (this.failure) return Promise.reject(this.failure);
    const replies = commands.map(
      () => new Promise<RespValue>((resolve, reject) => this.pending.push({ resolve, reject })),
    );
    this.socket.write(Buffer.concat(commands.map(encodeCommand)));
    return Promise.all(replies);
  }

  /** One command; an error reply rejects with RedisReplyError. */
  async call(...args: Array<string | number | Buffer>): Promise<RespValue> {
    const [reply] = await this.pipeline([args]);
    if (reply instanceof RedisReplyError) throw reply;
    return reply!;
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
