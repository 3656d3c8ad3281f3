import { connectConfig, connectError } from './connect.ts';
import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { type Stats } from 'ssh2';
import { IntegrityError, StorageError } from '../../core/errors.ts';
import { redactUrl } from '../../core/log.ts';
import { checkAnnounced, chunksOf } from '../body.ts';
import { checkKey, checkPrefix } from '../keys.ts';
import { classifyNodeError } from '../retry.ts';
import type {
  GetOptions,
  ObjectInfo,
  PutOptions,
  PutResult,
  Storage,
  StorageCapabilities,
  StorageContext,
  StorageFactory,
} from '../types.ts';
import {
  CONNECTION_LOST,
  Client,
  NO_CONNECTION,
  NO_SUCH_FILE,
  PERMISSION_DENIED,
  PIECE_BYTES,
  TEMP_MARK,
  TEMP_NAME,
  WINDOW,
} from './protocol.ts';
import { type SftpSettings, parseSftpSettings } from './settings.ts';
import { Session } from './session.ts';
import { SftpReadStream } from './read-stream.ts';

/**
 * `sftp://user@host[:port]/path` (absolute path; `/~/path` is relative to the login directory).
 * Credentials come from sftp-private-key / sftp-password (or LIFEBOAT_SFTP_PRIVATE_KEY /
 * LIFEBOAT_SFTP_PASSWORD), the host key is checked against sftp-host-fingerprint or
 * sftp-known-hosts, and each put writes a temporary name and renames it into place.
 * SFTP keeps no object metadata: stat carries no sha256, verification is the engine's (sidecar).
 */
export const sftpStorage: StorageFactory = {
  schemes: ['sftp'],
  create(url, ctx) {
    return openSftp(url, ctx);
  },
};

export function openSftp(url: string, ctx: StorageContext): Storage {
  return new SftpStorage(redactUrl(url), parseSftpSettings(url, ctx), ctx);
}

export class SftpStorage implements Storage {
  readonly displayUrl: string;
  /**
   * Temp file + rename; exclusive creates (open with O_EXCL); positioned reads; one SSH
   * connection whose channel serves a few requests at once.
   */
  readonly capabilities: StorageCapabilities = {
    atomicPut: true,
    conditionalCreate: true,
    rangeReads: true,
    listing: 'strong',
    maxConnections: 4,
    groupCommit: 'in-order',
  };
  private readonly settings: SftpSettings;
  private readonly ctx: StorageContext;
  private session?: Promise<Session>;
  private readonly madeDirs = new Set<string>();
  private warnedUnknownHost = false;

  constructor(displayUrl: string, settings: SftpSettings, ctx: StorageContext) {
    this.displayUrl = displayUrl;
    this.settings = settings;
    this.ctx = ctx;
  }

  private open(): Promise<Session> {
    if (!this.session) {
      const p = this.connect();
      this.session = p;
      p.catch(() => {
        if (this.session === p) this.session = undefined;
      });
    }
    return this.session;
  }

  private connect(): Promise<Session> {
    const s = this.settings;
    const client = new Client();
    const { config, verdict: verdictOf } = connectConfig(s, (type, fingerprint) => {
      if (this.warnedUnknownHost) return;
      this.warnedUnknownHost = true;
      this.ctx.log.warn(
        `${this.displayUrl}: accepting the server's unpinned host key ${type} ${fingerprint} ({{option:sftp-accept-unknown-host=true}}); ` +
          `pin it with {{option:sftp-host-fingerprint=${fingerprint}}}`,
      );
    });
    if (s.password) {
      client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
        finish(prompts.map(() => s.password!));
      });
    }

    return new Promise<Session>((resolve, reject) => {
      let ready = false;
      client.on('error', (err: Error & { level?: string }) => {
        if (ready) {
          this.ctx.log.debug(`${this.displayUrl}: connection error: ${err.message}`);
          return;
        }
        client.end();
        reject(connectError(this.displayUrl, this.settings, err, verdictOf()));
      });
      client.on('close', () => {
        if (!ready)
          reject(
            new StorageError(`${this.displayUrl}: the server closed the connection`, {
              transient: true,
            }),
          );
        this.session = undefined;
      });
      // Request/response traffic stalls on Nagle + delayed ACK (~40 ms a round trip) otherwise.
      client.on('connect', () => client.setNoDelay(true));
      client.on('ready', () => {
        ready = true;
        client.sftp((err, sftp) => {
          if (err) {
            client.end();
            reject(
              new StorageError(
                `${this.displayUrl}: the server refused the SFTP subsystem: ${err.message}`,
                {
                  cause: err,
                  hint: 'enable SFTP on the server (Subsystem sftp internal-sftp in sshd_config) or check the account is not restricted to a shell',
                },
              ),
            );
            return;
          }
          const rootOf = (home: string) => (s.fromHome ? posix.join(home, s.path) : s.path);
          if (!s.fromHome) {
            resolve(this.track(new Session(client, sftp, rootOf(''))));
            return;
          }
          sftp.realpath('.', (e, home) => {
            if (e) {
              client.end();
              reject(this.mapError(e, 'finding the login directory'));
            } else resolve(this.track(new Session(client, sftp, rootOf(home))));
          });
        });
      });
      client.connect(config);
    });
  }

  /** Fails the session's outstanding and future requests once its connection goes away. */
  private track(session: Session): Session {
    const lost = () => {
      session.markLost(
        new StorageError(`${this.displayUrl}: the connection to the server was lost`, {
          transient: true,
        }),
      );
      if (this.session) {
        const current = this.session;
        void current.then((s) => {
          if (s === session && this.session === current) this.session = undefined;
        });
      }
    };
    session.client.once('close', lost);
    session.sftp.once('close', lost);
    return session;
  }

  private mapError(err: unknown, what: string): StorageError {
    if (err instanceof StorageError) return err;
    const where = `${this.displayUrl}: ${what} failed`;
    const e = err as Error & { code?: unknown };
    const message = e instanceof Error ? e.message : String(err);
    if (typeof e?.code === 'number') {
      if (e.code === NO_SUCH_FILE)
        return new StorageError(`${where}: no such file`, { cause: err, notFound: true });
      if (e.code === PERMISSION_DENIED) {
        return new StorageError(`${where}: permission denied`, {
          cause: err,
          reason: 'denied',
          hint: `give user '${this.settings.username}' write access to ${this.settings.path || 'the login directory'} on the server`,
        });
      }
      if (e.code === NO_CONNECTION || e.code === CONNECTION_LOST) {
        return new StorageError(`${where}: ${message}`, { cause: err, transient: true });
      }
      return new StorageError(`${where}: ${message}`, { cause: err });
    }
    if (
      message === 'No response from server' ||
      /not connected|channel .*closed|No SFTP/i.test(message)
    ) {
      return new StorageError(`${where}: the connection was lost`, { cause: err, transient: true });
    }
    const node = classifyNodeError(err);
    return new StorageError(`${where}: ${message}`, {
      cause: err,
      transient: node.transient,
      notFound: node.notFound,
      reason: node.reason,
    });
  }

  private remotePath(root: string, key: string): string {
    checkKey(key, this.displayUrl);
    return root === '' ? key : posix.join(root, key);
  }

  private async mkdirs(session: Session, dir: string): Promise<void> {
    const sftp = session.sftp;
    if (dir === '' || dir === '.' || dir === '/' || this.madeDirs.has(dir)) return;
    const st = await session
      .run<Stats | undefined>((cb) => sftp.stat(dir, cb))
      .catch((err: { code?: unknown }) => {
        if (err?.code === NO_SUCH_FILE) return undefined;
        throw err;
      });
    if (st) {
      if (!st.isDirectory())
        throw new StorageError(`${this.displayUrl}: ${dir} exists and is not a directory`);
    } else {
      await this.mkdirs(session, posix.dirname(dir));
      await session
        .run<void>((cb) => sftp.mkdir(dir, cb))
        .catch(async (err: unknown) => {
          // Another writer may have made it between our stat and mkdir.
          const again = await session.run<Stats>((cb) => sftp.stat(dir, cb)).catch(() => undefined);
          if (!again?.isDirectory()) throw err;
        });
    }
    this.madeDirs.add(dir);
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    checkKey(key, this.displayUrl);
    const signal = options.signal;
    let bodyError: unknown;
    body.once('error', (err) => {
      bodyError ??= err;
    });
    let session: Session;
    let target: string;
    try {
      signal?.throwIfAborted();
      session = await this.open();
      target = this.remotePath(session.root, key);
      await this.mkdirs(session, posix.dirname(target));
    } catch (err) {
      // The body is left unread, so withRetry may hand it to another attempt.
      throw this.mapError(err, `upload of ${key}`);
    }
    const { sftp } = session;
    const temp = `${target}${TEMP_MARK}${randomBytes(8).toString('hex')}`;
    const hash = createHash('sha256');
    let handle: Buffer | undefined;
    let size = 0;
    try {
      handle = await session.run<Buffer>((cb) => sftp.open(temp, 'w', { mode: 0o600 }, cb));
      const h = handle;
      const inFlight = new Set<Promise<void>>();
      let failure: unknown;
      let offset = 0;
      for await (const chunk of chunksOf(body, signal)) {
        hash.update(chunk);
        size += chunk.length;
        for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
          const piece = chunk.subarray(at, Math.min(at + PIECE_BYTES, chunk.length));
          const position = offset;
          offset += piece.length;
          const p: Promise<void> = session
            .run<void>((cb) => sftp.write(h, piece, 0, piece.length, position, cb))
            .then(
              () => undefined,
              (err: unknown) => {
                failure ??= err;
              },
            )
            .finally(() => inFlight.delete(p));
          inFlight.add(p);
          while (inFlight.size >= WINDOW) await Promise.race(inFlight);
          if (failure) throw failure;
        }
        signal?.throwIfAborted();
      }
      await Promise.all(inFlight);
      if (failure) throw failure;
      signal?.throwIfAborted();
      const stored = await session.run<Stats>((cb) => sftp.fstat(h, cb));
      if (stored.size !== size) {
        throw new StorageError(
          `${this.displayUrl}: upload of ${key} stored ${stored.size} of ${size} bytes`,
          { transient: true },
        );
      }
      await session.run<unknown>((cb) => sftp.ext_openssh_fsync(h, cb)).catch(() => undefined);
      handle = undefined;
      await session.run<void>((cb) => sftp.close(h, cb));
      const sha256 = hash.digest('hex');
      checkAnnounced(key, this.displayUrl, options, { size, sha256 });
      await this.renameIntoPlace(session, temp, target);
      return { size, sha256 };
    } catch (err) {
      if (handle) {
        const h = handle;
        await session.run<void>((cb) => sftp.close(h, cb)).catch(() => undefined);
      }
      await session.run<void>((cb) => sftp.unlink(temp, cb)).catch(() => undefined);
      if (bodyError !== undefined && err === bodyError) throw err;
      if (err instanceof IntegrityError) throw err;
      throw this.mapError(err, `upload of ${key}`);
    }
  }

  /** posix-rename@openssh.com replaces atomically; plain SFTP rename refuses an existing target. */
  private async renameIntoPlace(session: Session, temp: string, target: string): Promise<void> {
    const sftp = session.sftp;
    try {
      await session.run<void>((cb) => sftp.ext_openssh_rename(temp, target, cb));
      return;
    } catch (err) {
      if (!(err instanceof Error) || !/does not support/.test(err.message)) throw err;
    }
    try {
      await session.run<void>((cb) => sftp.rename(temp, target, cb));
    } catch {
      this.ctx.log.debug(
        `${this.displayUrl}: server lacks posix-rename; replacing ${target} in two steps`,
      );
      await session.run<void>((cb) => sftp.unlink(target, cb)).catch(() => undefined);
      await session.run<void>((cb) => sftp.rename(temp, target, cb));
    }
  }

  /**
   * open with O_CREAT|O_EXCL ('wx'), which the server refuses when the file exists. The content
   * is written after the create, so a reader may briefly see an empty file.
   */
  async createExclusive(key: string, body: Buffer): Promise<boolean> {
    checkKey(key, this.displayUrl);
    let session: Session;
    let path: string;
    try {
      session = await this.open();
      path = this.remotePath(session.root, key);
      await this.mkdirs(session, posix.dirname(path));
    } catch (err) {
      throw this.mapError(err, `create of ${key}`);
    }
    const { sftp } = session;
    let handle: Buffer;
    try {
      handle = await session.run<Buffer>((cb) => sftp.open(path, 'wx', { mode: 0o600 }, cb));
    } catch (err) {
      const exists = await session
        .run<Stats>((cb) => sftp.stat(path, cb))
        .then(
          () => true,
          () => false,
        );
      if (exists) return false;
      throw this.mapError(err, `create of ${key}`);
    }
    try {
      await session.run<void>((cb) => sftp.write(handle, body, 0, body.length, 0, cb));
      await session.run<void>((cb) => sftp.close(handle, cb));
      return true;
    } catch (err) {
      await session.run<void>((cb) => sftp.close(handle, cb)).catch(() => undefined);
      await session.run<void>((cb) => sftp.unlink(path, cb)).catch(() => undefined);
      throw this.mapError(err, `create of ${key}`);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    checkKey(key, this.displayUrl);
    try {
      options.signal?.throwIfAborted();
      const session = await this.open();
      const { sftp, root } = session;
      const path = this.remotePath(root, key);
      const handle = await session.run<Buffer>((cb) => sftp.open(path, 'r', cb));
      let size: number;
      try {
        const st = await session.run<Stats>((cb) => sftp.fstat(handle, cb));
        if (!st.isFile()) {
          throw new StorageError(`${this.displayUrl}: ${key} is not a regular file`, {
            notFound: true,
          });
        }
        size = st.size;
      } catch (err) {
        await session.run<void>((cb) => sftp.close(handle, cb)).catch(() => undefined);
        throw err;
      }
      const stream = new SftpReadStream(
        session,
        handle,
        size,
        `${this.displayUrl} ${key}`,
        (err) => this.mapError(err, `download of ${key}`),
        options.offset ?? 0,
      );
      options.signal?.addEventListener(
        'abort',
        () => stream.destroy(options.signal!.reason as Error),
        { once: true },
      );
      return stream;
    } catch (err) {
      throw this.mapError(err, `download of ${key}`);
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    checkKey(key, this.displayUrl);
    try {
      const session = await this.open();
      const { sftp, root } = session;
      const st = await session.run<Stats>((cb) => sftp.stat(this.remotePath(root, key), cb));
      if (!st.isFile()) return undefined;
      return { key, size: st.size, modified: new Date(st.mtime * 1000) };
    } catch (err) {
      const mapped = this.mapError(err, `stat of ${key}`);
      if (mapped.notFound) return undefined;
      throw mapped;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    checkPrefix(prefix, this.displayUrl);
    try {
      const session = await this.open();
      const { sftp, root } = session;
      const out: ObjectInfo[] = [];
      const startRel = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      const walk = async (rel: string): Promise<void> => {
        const dir = rel === '' ? root || '.' : posix.join(root || '.', rel);
        let entries;
        try {
          entries = await session.run<Array<{ filename: string; attrs: Stats }>>((cb) =>
            sftp.readdir(dir, cb),
          );
        } catch (err) {
          if ((err as { code?: unknown }).code === NO_SUCH_FILE) return;
          throw err;
        }
        for (const entry of entries) {
          const name = entry.filename;
          if (name === '.' || name === '..' || TEMP_NAME.test(name)) continue;
          const key = rel + name;
          if (entry.attrs.isDirectory()) {
            if ((key + '/').startsWith(prefix) || prefix.startsWith(key + '/'))
              await walk(key + '/');
          } else if (entry.attrs.isFile() && key.startsWith(prefix)) {
            out.push({ key, size: entry.attrs.size, modified: new Date(entry.attrs.mtime * 1000) });
          }
        }
      };
      await walk(startRel);
      return out;
    } catch (err) {
      throw this.mapError(err, `listing of '${prefix}'`);
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key, this.displayUrl);
    try {
      const session = await this.open();
      const { sftp, root } = session;
      const path = this.remotePath(root, key);
      try {
        await session.run<void>((cb) => sftp.unlink(path, cb));
      } finally {
        await this.removeEmptyDirs(session, posix.dirname(path));
      }
    } catch (err) {
      const mapped = this.mapError(err, `delete of ${key}`);
      if (!mapped.notFound) throw mapped;
    }
  }

  /** A set folder emptied by a delete goes too, so a failed first backup leaves nothing. */
  private async removeEmptyDirs(session: Session, dir: string): Promise<void> {
    const root = session.root.replace(/\/+$/, '');
    // Below the storage root only: a relative root is the login folder ('' → paths like 'set').
    const inside = (d: string) =>
      session.root === ''
        ? d !== '.' && d !== '' && !d.startsWith('/')
        : d.startsWith(`${root}/`) && d !== root;
    for (let d = dir; inside(d); d = posix.dirname(d)) {
      const removed = await session
        .run<void>((cb) => session.sftp.rmdir(d, cb))
        .then(
          () => true,
          () => false, // not empty, or gone: stop
        );
      if (!removed) return;
      this.madeDirs.delete(d);
    }
  }

  async close(): Promise<void> {
    const current = this.session;
    this.session = undefined;
    if (!current) return;
    const s = await current.catch(() => undefined);
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.client.once('close', () => resolve());
      s.client.end();
    });
  }
}
