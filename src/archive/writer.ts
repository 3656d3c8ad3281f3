import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { SourceError } from '../core/errors.ts';
import { END_OF_ARCHIVE, encodeHeader, isSafeRelativePath, paddingFor } from './tar.ts';
import type { TarHeader } from './tar.ts';
import { FORMAT_VERSION, HEADER_ENTRY, MANIFEST_ENTRY } from './types.ts';
import type {
  ArchiveHeader,
  ChunkRecord,
  Manifest,
  MemberMeta,
  MemberRecord,
  MemberSink,
} from './types.ts';

export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
/** No chunk may be larger than this, so a reader can refuse anything bigger outright. */
export const MAX_CHUNK_SIZE = 256 * 1024 * 1024;
/** Largest header or manifest JSON a reader accepts by default. */
export const MAX_JSON_SIZE = 16 * 1024 * 1024;
/** Vendor prefix of Lifeboat's pax keywords. */
export const PAX_VENDOR = 'LIFEBOAT';

const PART_SUFFIX = '.lbpart-';

/** Entry name of part `n` of a member stored in more than one chunk. */
export function partEntryName(memberEntry: string, n: number): string {
  return `${memberEntry}${PART_SUFFIX}${String(n).padStart(6, '0')}`;
}

/** Source folder names: one safe path segment, never clashing with the archive's own entries. */
export function isValidSourceName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && name.length <= 200;
}

type SourceSink = MemberSink & { records(): MemberRecord[] };

/**
 * Writes a Lifeboat archive (format v1, see docs/archive-format.md) as an uncompressed tar
 * stream. File members are cut into chunks of at most `chunkSize` bytes; each chunk is held in
 * memory only until its sha256 is known, so memory stays bounded whatever a member's size.
 */
export class ArchiveWriter {
  readonly chunkSize: number;
  /** The uncompressed tar bytes. Writes wait while the consumer is slow. */
  readonly stream: Readable;
  #wake: (() => void) | undefined;
  #failed: Error | undefined;
  #state: 'new' | 'open' | 'finished' = 'new';
  #queue: Promise<unknown> = Promise.resolve();
  #sources = new Set<string>();
  #currentSource: string | undefined;
  /** Output bytes queued before a file member's input waits: deep enough that the producer
   * (pg_dump) keeps running while the consumer (zstd) works through the previous chunk. */
  readonly #queueLimit: number;

  constructor(options: { chunkSize?: number } = {}) {
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw new RangeError(`chunkSize must be an integer between 1 and ${MAX_CHUNK_SIZE}`);
    }
    this.chunkSize = chunkSize;
    this.#queueLimit = Math.min(chunkSize, 8 * 1024 * 1024);
    this.stream = new Readable({
      highWaterMark: this.#queueLimit,
      read: () => this.#wakeUp(),
      destroy: (err, callback) => {
        this.#failed ??=
          err ?? new Error('the archive stream was closed before the archive was finished');
        this.#wakeUp();
        callback(err);
      },
    });
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #push(buf: Buffer): Promise<void> {
    if (this.#failed) throw this.#failed;
    if (buf.length === 0) return;
    if (!this.stream.push(buf)) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
      if (this.#failed) throw this.#failed;
    }
  }

  /** Runs archive writes one after another, whatever the callers do. */
  #serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #writeJson(name: string, value: unknown, pretty: boolean, time: string): Promise<void> {
    const json = Buffer.from(JSON.stringify(value, null, pretty ? 2 : undefined) + '\n', 'utf8');
    if (json.length > MAX_JSON_SIZE) {
      throw new SourceError(
        `${name} would be ${json.length} bytes, more than the ${MAX_JSON_SIZE} bytes readers accept`,
        { hint: 'back up fewer members per archive (for example split a directory source)' },
      );
    }
    const sha256 = createHash('sha256').update(json).digest('hex');
    await this.#push(
      encodeHeader({
        name,
        type: 'file',
        size: json.length,
        mode: 0o644,
        mtimeMs: Number.isSafeInteger(Date.parse(time)) ? Date.parse(time) : Date.now(),
        records: [[`${PAX_VENDOR}.sha256`, sha256]],
      }),
    );
    await this.#push(json);
    await this.#push(zeros(paddingFor(json.length)));
  }

  /** Writes HEADER_ENTRY; must be the first call. */
  writeHeader(header: ArchiveHeader): Promise<void> {
    return this.#serialize(async () => {
      if (this.#state !== 'new')
        throw new Error('ArchiveWriter.writeHeader() must be called once, first');
      if (header.format !== FORMAT_VERSION)
        throw new Error(`this writer writes format ${FORMAT_VERSION}`);
      if (header.chunkSize !== this.chunkSize) {
        throw new Error(
          `header.chunkSize (${header.chunkSize}) differs from the writer's (${this.chunkSize})`,
        );
      }
      this.#state = 'open';
      await this.#writeJson(HEADER_ENTRY, header, true, header.createdAt);
    });
  }

  /** A sink for one source; member paths are written under `${sourceName}/`. */
  sourceSink(sourceName: string): SourceSink {
    if (!isValidSourceName(sourceName))
      throw new Error(`invalid source folder name '${sourceName}'`);
    if (this.#sources.has(sourceName))
      throw new Error(`source folder '${sourceName}' was already written`);
    this.#sources.add(sourceName);
    const records: MemberRecord[] = [];
    const paths = new Set<string>();
    const symlinks = new Set<string>();

    const begin = (path: string): string => {
      if (this.#state !== 'open') {
        throw new Error(
          this.#state === 'new' ? 'write the archive header first' : 'the archive is finished',
        );
      }
      if (this.#currentSource !== sourceName && this.#currentSource !== undefined) {
        const done = this.#currentSource;
        if (records.length > 0) {
          throw new Error(
            `members of '${sourceName}' must be written together (after '${done}' started)`,
          );
        }
      }
      this.#currentSource = sourceName;
      const p = path.endsWith('/') ? path.slice(0, -1) : path;
      if (!isSafeRelativePath(p)) {
        throw new SourceError(
          `cannot store member '${path}' of ${sourceName}: the path must be relative without '.' or '..' parts`,
        );
      }
      if (paths.has(p)) throw new SourceError(`member '${p}' of ${sourceName} was written twice`);
      const parts = p.split('/');
      for (let i = 1; i < parts.length; i++) {
        if (symlinks.has(parts.slice(0, i).join('/'))) {
          throw new SourceError(`member '${p}' of ${sourceName} lies under a symlink member`);
        }
      }
      paths.add(p);
      return p;
    };

    const sink: SourceSink = {
      addFile: (path, body, meta) =>
        this.#serialize(async () => {
          const p = begin(path);
          const record = await this.#writeFile(`${sourceName}/${p}`, p, body, meta);
          records.push(record);
          return record;
        }),
      addDirectory: (path, meta) =>
        this.#serialize(async () => {
          const p = begin(path);
          const { mode, mtimeMs } = metaOf(meta, 0o755);
          await this.#push(
            encodeHeader({
              name: `${sourceName}/${p}/`,
              type: 'directory',
              size: 0,
              mode,
              mtimeMs,
            }),
          );
          const record: MemberRecord = {
            path: p,
            type: 'directory',
            mode,
            mtime: new Date(mtimeMs).toISOString(),
          };
          records.push(record);
          return record;
        }),
      addSymlink: (path, target, meta) =>
        this.#serialize(async () => {
          const p = begin(path);
          if (target === '' || target.includes('\0'))
            throw new SourceError(`symlink '${p}' has an invalid target`);
          const { mode, mtimeMs } = metaOf(meta, 0o777);
          await this.#push(
            encodeHeader({
              name: `${sourceName}/${p}`,
              type: 'symlink',
              size: 0,
              mode,
              mtimeMs,
              linkname: target,
            }),
          );
          symlinks.add(p);
          const record: MemberRecord = {
            path: p,
            type: 'symlink',
            mode,
            mtime: new Date(mtimeMs).toISOString(),
            linkTarget: target,
          };
          records.push(record);
          return record;
        }),
      records: () => records.map((r) => ({ ...r })),
    };
    return sink;
  }

  async #writeFile(
    entry: string,
    path: string,
    body: Readable | Buffer,
    meta?: MemberMeta,
  ): Promise<MemberRecord> {
    const { mode, mtimeMs } = metaOf(meta, 0o644);
    const chunkSize = this.chunkSize;
    // Each piece is hashed as it arrives (still hot in cache), once for its chunk and, from the
    // second chunk on, once for the whole member; a member of one chunk has the chunk's hash.
    let memberHash: Hash | undefined;
    let chunkHash = createHash('sha256');
    const chunks: ChunkRecord[] = [];
    let total = 0;
    let pending: Buffer[] = [];
    let pendingLen = 0;
    let fileSha = '';

    const add = (piece: Buffer): void => {
      pending.push(piece);
      pendingLen += piece.length;
      chunkHash.update(piece);
      memberHash?.update(piece);
    };

    /** Pushes the pending chunk (header, data, padding) without waiting for the consumer. */
    const emit = (last: boolean): void => {
      const n = chunks.length;
      const single = last && n === 0;
      if (!single && !memberHash) {
        memberHash = createHash('sha256');
        for (const piece of pending) memberHash.update(piece);
      }
      const sha256 = chunkHash.digest('hex');
      chunkHash = createHash('sha256');
      total += pendingLen;
      const name = single ? entry : partEntryName(entry, n);
      const records: TarHeader['records'] = [
        [`${PAX_VENDOR}.member`, path],
        [`${PAX_VENDOR}.part`, String(n)],
        [`${PAX_VENDOR}.sha256`, sha256],
      ];
      chunks.push({ entry: name, size: pendingLen, sha256 });
      if (last) {
        fileSha = single ? sha256 : memberHash!.digest('hex');
        records.push(
          [`${PAX_VENDOR}.parts`, String(chunks.length)],
          [`${PAX_VENDOR}.size`, String(total)],
          [`${PAX_VENDOR}.member-sha256`, fileSha],
        );
      }
      this.#pushNow(encodeHeader({ name, type: 'file', size: pendingLen, mode, mtimeMs, records }));
      for (const piece of pending) this.#pushNow(piece);
      this.#pushNow(zeros(paddingFor(pendingLen)));
      pending = [];
      pendingLen = 0;
    };

    /**
     * Takes a piece. Synchronous while the output queue has room; when a chunk fills it, the
     * rest of the piece waits for the consumer (the returned promise), so the queue stays
     * bounded by its limit plus one chunk.
     */
    const take = (input: Buffer): Promise<void> | undefined => {
      let piece = input;
      // Emit a chunk only once a byte beyond it is known to exist: then no chunk is empty and
      // the last chunk is known when it is written.
      while (pendingLen + piece.length > chunkSize) {
        const need = chunkSize - pendingLen;
        add(piece.subarray(0, need));
        piece = piece.subarray(need);
        emit(false);
        if (this.#full()) {
          const rest = piece;
          return this.#room().then(() => take(rest));
        }
      }
      if (piece.length > 0) add(piece);
      return undefined;
    };

    try {
      if (Buffer.isBuffer(body)) {
        await take(body);
      } else {
        await this.#consume(body, take);
      }
      emit(true);
      if (this.#full()) await this.#room();
    } catch (err) {
      // Parts already written cannot be taken back: the archive is unusable from here on.
      if (chunks.length > 0) this.abort(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    return {
      path,
      type: 'file',
      mode,
      mtime: new Date(mtimeMs).toISOString(),
      size: total,
      sha256: fileSha,
      chunks,
    };
  }

  #bytesWritten = 0;

  /** Uncompressed tar bytes produced so far (for progress reports). */
  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** Queues bytes on the output whatever its fill level (callers bound it with #room). */
  #pushNow(buf: Buffer): void {
    if (this.#failed) throw this.#failed;
    if (buf.length > 0) {
      this.#bytesWritten += buf.length;
      this.stream.push(buf);
    }
  }

  #full(): boolean {
    return this.stream.readableLength >= this.#queueLimit;
  }

  /** Waits until the consumer has taken the output queue below its limit. */
  async #room(): Promise<void> {
    while (this.#full()) {
      if (this.#failed) throw this.#failed;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    if (this.#failed) throw this.#failed;
  }

  /**
   * Feeds a body's pieces to `take` as they arrive ('data' events hand over each buffer as
   * read; async iteration would concatenate whatever is buffered into new copies), pausing
   * the body while the output queue is full.
   */
  #consume(body: Readable, take: (piece: Buffer) => Promise<void> | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      /** Work still waiting for room in the output queue; later pieces go behind it, in order. */
      let queue: Promise<void> | undefined;
      let ended = false;
      let settled = false;
      const done = (err?: unknown): void => {
        if (settled) return;
        settled = true;
        body.off('data', onData);
        body.off('end', onEnd);
        body.off('error', onError);
        body.off('close', onClose);
        if (err === undefined) resolve();
        else {
          // Like leaving a for-await loop: the producer learns nobody reads any more.
          if (!body.destroyed) body.destroy();
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      };
      const settleQueue = async (): Promise<void> => {
        let seen: Promise<void> | undefined;
        while (seen !== queue) {
          seen = queue;
          await seen;
        }
        queue = undefined;
        if (ended) done();
        else body.resume();
      };
      const onData = (piece: unknown): void => {
        if (settled) return;
        try {
          const buf = toBuffer(piece);
          if (queue) {
            queue = queue.then(() => take(buf));
            return;
          }
          const wait = take(buf);
          if (!wait) return;
          body.pause();
          queue = wait;
          settleQueue().catch(done);
        } catch (err) {
          done(err);
        }
      };
      const onEnd = (): void => {
        ended = true;
        if (!queue) done();
      };
      const onError = (err: Error): void => done(err);
      const onClose = (): void => {
        if (!ended) {
          done(
            body.errored ??
              Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }),
          );
        }
      };
      if (body.readableEnded) {
        done(new Error('the member body was already read'));
        return;
      }
      if (body.errored) {
        done(body.errored);
        return;
      }
      body.on('data', onData);
      body.on('end', onEnd);
      body.on('error', onError);
      body.on('close', onClose);
      body.resume();
    });
  }

  /** Writes MANIFEST_ENTRY, then the tar end-of-archive blocks, and ends `stream`. */
  finish(manifest: Manifest): Promise<void> {
    return this.#serialize(async () => {
      if (this.#state !== 'open') {
        throw new Error(
          this.#state === 'new'
            ? 'write the archive header first'
            : 'the archive is already finished',
        );
      }
      this.#state = 'finished';
      await this.#writeJson(MANIFEST_ENTRY, manifest, false, manifest.finishedAt);
      await this.#push(END_OF_ARCHIVE);
      if (this.#failed) throw this.#failed;
      this.stream.push(null);
    });
  }

  /** Fails the stream (the consumer sees the error); used when a dump fails midway. */
  abort(err: Error): void {
    this.#state = 'finished';
    this.#failed ??= err;
    if (!this.stream.destroyed) this.stream.destroy(err);
    this.#wakeUp();
  }
}

const ZEROS = Buffer.alloc(512);

/** Tar padding (under 512 bytes) from one shared zero block; nothing downstream writes to it. */
function zeros(n: number): Buffer {
  return ZEROS.subarray(0, n);
}

function toBuffer(piece: unknown): Buffer {
  if (Buffer.isBuffer(piece)) return piece;
  if (piece instanceof Uint8Array)
    return Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
  if (typeof piece === 'string') return Buffer.from(piece, 'utf8');
  throw new TypeError('a member body must produce bytes');
}

function metaOf(
  meta: MemberMeta | undefined,
  defaultMode: number,
): { mode: number; mtimeMs: number } {
  const mode = (meta?.mode ?? defaultMode) & 0o7777;
  const mtimeMs = (meta?.mtime ?? new Date()).getTime();
  if (!Number.isSafeInteger(mtimeMs)) throw new SourceError('member mtime is not a valid date');
  return { mode, mtimeMs };
}
