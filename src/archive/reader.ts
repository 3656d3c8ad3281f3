import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { IntegrityError } from '../core/errors.ts';
import { TarReader, isSafeRelativePath, type ParsedEntry } from './tar.ts';
import { FORMAT_VERSION, HEADER_ENTRY, MANIFEST_ENTRY } from './types.ts';
import type { ArchiveEntry, ArchiveHeader, ChunkRecord, Manifest, MemberRecord } from './types.ts';
import {
  MAX_CHUNK_SIZE,
  MAX_JSON_SIZE,
  PAX_VENDOR,
  isValidSourceName,
  partEntryName,
} from './writer.ts';

export type ArchiveItem =
  | { kind: 'header'; header: ArchiveHeader }
  | { kind: 'member'; source: string; entry: ArchiveEntry }
  | { kind: 'manifest'; manifest: Manifest; observed: Record<string, MemberRecord[]> };

/**
 * Largest chunk size a reader buffers by default. Writers use 4–8 MiB; the format allows up to
 * 256 MiB, but a reader holds one chunk in memory, so a header that declares more than this is
 * refused before any chunk is buffered (pass `maxChunkSize` to read such an archive).
 */
export const READER_MAX_CHUNK_SIZE = 64 * 1024 * 1024;

export interface ReadArchiveOptions {
  /** Largest file chunk accepted (default: twice the header's chunkSize). */
  maxEntrySize?: number;
  /** Largest chunk size the header may declare (default READER_MAX_CHUNK_SIZE, 64 MiB). */
  maxChunkSize?: number;
  /** Largest header or manifest JSON accepted (default 16 MiB). */
  maxJsonSize?: number;
}

const HINT_DAMAGED =
  'the stored copy is damaged: restore from another destination or another backup';

function q(s: string): string {
  return JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);
}

function damaged(message: string): IntegrityError {
  return new IntegrityError(message, { hint: HINT_DAMAGED });
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function paxSha(e: ParsedEntry, key: string): string {
  const v = e.pax.get(`${PAX_VENDOR}.${key}`);
  if (v === undefined || !SHA256_HEX.test(v))
    throw damaged(`entry ${q(e.name)} has no valid ${PAX_VENDOR}.${key} record`);
  return v;
}

function paxInt(e: ParsedEntry, key: string): number | undefined {
  const v = e.pax.get(`${PAX_VENDOR}.${key}`);
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(v))
    throw damaged(`entry ${q(e.name)} has a malformed ${PAX_VENDOR}.${key} record`);
  return Number(v);
}

async function readJson(reader: TarReader, e: ParsedEntry, limit: number): Promise<unknown> {
  if (e.type !== 'file') throw damaged(`${e.name} is not a regular file entry`);
  if (e.size > limit) throw damaged(`${e.name} is ${e.size} bytes, more than the allowed ${limit}`);
  const expected = paxSha(e, 'sha256');
  const body = await reader.readBody(e.name);
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== expected)
    throw damaged(`${e.name} does not match its sha256 (${actual}, expected ${expected})`);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw damaged(`${e.name} is not valid JSON`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkFormat(v: Record<string, unknown>, what: string): void {
  const f = v.format;
  if (typeof f !== 'number' || !Number.isSafeInteger(f) || f < 1)
    throw damaged(`${what} has no valid format number`);
  if (f > FORMAT_VERSION) {
    throw new IntegrityError(
      `archive format ${f} is newer than this release reads (up to ${FORMAT_VERSION})`,
      {
        hint: 'use a newer Lifeboat release to read this backup',
      },
    );
  }
}

function parseHeader(v: unknown): ArchiveHeader {
  if (!isObject(v)) throw damaged(`${HEADER_ENTRY} is not a JSON object`);
  checkFormat(v, HEADER_ENTRY);
  const cs = v.chunkSize;
  if (typeof cs !== 'number' || !Number.isSafeInteger(cs) || cs < 1 || cs > MAX_CHUNK_SIZE) {
    throw damaged(`${HEADER_ENTRY} has an invalid chunkSize`);
  }
  if (typeof v.id !== 'string' || v.id === '') throw damaged(`${HEADER_ENTRY} has no backup id`);
  if (typeof v.name !== 'string' || typeof v.createdAt !== 'string')
    throw damaged(`${HEADER_ENTRY} is incomplete`);
  if (!Array.isArray(v.sources)) throw damaged(`${HEADER_ENTRY} has no source list`);
  const names = new Set<string>();
  for (const s of v.sources as unknown[]) {
    if (
      !isObject(s) ||
      typeof s.name !== 'string' ||
      typeof s.kind !== 'string' ||
      typeof s.url !== 'string'
    ) {
      throw damaged(`${HEADER_ENTRY} has a malformed source`);
    }
    if (!isValidSourceName(s.name) || names.has(s.name))
      throw damaged(`${HEADER_ENTRY} has an invalid source name ${q(s.name)}`);
    names.add(s.name);
  }
  return v as unknown as ArchiveHeader;
}

const MEMBER_TYPES = new Set(['file', 'directory', 'symlink']);

function parseManifest(v: unknown, header: ArchiveHeader): Manifest {
  if (!isObject(v)) throw damaged(`${MANIFEST_ENTRY} is not a JSON object`);
  checkFormat(v, MANIFEST_ENTRY);
  if (v.format !== header.format || v.id !== header.id || v.chunkSize !== header.chunkSize) {
    throw damaged(
      `${MANIFEST_ENTRY} belongs to another archive than ${HEADER_ENTRY} (format, id or chunkSize differ)`,
    );
  }
  if (!Array.isArray(v.sources)) throw damaged(`${MANIFEST_ENTRY} has no source list`);
  const names: string[] = [];
  for (const s of v.sources as unknown[]) {
    if (!isObject(s) || typeof s.name !== 'string' || !Array.isArray(s.members)) {
      throw damaged(`${MANIFEST_ENTRY} has a malformed source`);
    }
    for (const m of s.members as unknown[]) {
      if (!isObject(m) || typeof m.path !== 'string' || !MEMBER_TYPES.has(m.type as string)) {
        throw damaged(`${MANIFEST_ENTRY} has a malformed member in source ${q(s.name)}`);
      }
      if (m.chunks !== undefined && !Array.isArray(m.chunks)) {
        throw damaged(`${MANIFEST_ENTRY} has malformed chunks for ${q(m.path)}`);
      }
    }
    names.push(s.name);
  }
  const headerNames = header.sources.map((s) => s.name);
  if (names.join('\0') !== headerNames.join('\0')) {
    throw damaged(
      `${MANIFEST_ENTRY} lists sources [${names.join(', ')}], the header [${headerNames.join(', ')}]`,
    );
  }
  return v as unknown as Manifest;
}

interface Limits {
  chunkSize: number;
  maxEntrySize: number;
}

function checkChunkSize(e: ParsedEntry, limits: Limits): void {
  if (e.size > limits.maxEntrySize || e.size > limits.chunkSize) {
    throw damaged(
      `entry ${q(e.name)} is ${e.size} bytes, more than the archive's chunk size allows`,
    );
  }
}

/** Reads the chunks of one file member on demand, checking each before handing it on. */
class FileMember {
  readonly chunks: ChunkRecord[] = [];
  size = 0;
  sha256 = '';
  done = false;
  error: Error | undefined;
  readonly body: Readable;
  readonly #reader: TarReader;
  readonly #limits: Limits;
  readonly #path: string;
  readonly #entryBase: string;
  readonly #hash = createHash('sha256');
  #current: ParsedEntry | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #pumping = false;

  constructor(reader: TarReader, first: ParsedEntry, source: string, path: string, limits: Limits) {
    this.#reader = reader;
    this.#limits = limits;
    this.#path = path;
    this.#entryBase = `${source}/${path}`;
    this.#current = first;
    this.body = new Readable({ read: () => this.#pump() });
  }

  #pump(): void {
    if (this.#pumping || this.done) return;
    this.#pumping = true;
    this.#step().then(
      (data) => {
        this.#pumping = false;
        if (this.body.destroyed) return;
        for (const piece of data) this.body.push(piece);
        if (this.done) this.body.push(null);
      },
      (err: Error) => {
        this.#pumping = false;
        this.body.destroy(err);
      },
    );
  }

  #step(): Promise<Buffer[]> {
    const run = this.#chain.then(() => this.#readPart());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** The next chunk, checked, as the pieces it arrived in (held until its sha256 matched). */
  async #readPart(): Promise<Buffer[]> {
    if (this.error) throw this.error;
    if (this.done) return [];
    try {
      const n = this.chunks.length;
      let e: ParsedEntry | null | undefined = this.#current;
      this.#current = undefined;
      if (!e) {
        e = await this.#reader.next();
        const expected = partEntryName(this.#entryBase, n);
        if (
          !e ||
          e.type !== 'file' ||
          e.name !== expected ||
          e.pax.get(`${PAX_VENDOR}.member`) !== this.#path ||
          paxInt(e, 'part') !== n
        ) {
          throw damaged(
            `member ${q(this.#entryBase)}: chunk ${n} is missing or out of order` +
              (e ? ` (found ${q(e.name)} instead)` : ' (the archive ends first)'),
          );
        }
        checkChunkSize(e, this.#limits);
      }
      const expectedSha = paxSha(e, 'sha256');
      const data = await this.#reader.readBodyPieces(`chunk ${q(e.name)}`);
      const chunkHash = createHash('sha256');
      let length = 0;
      for (const piece of data) {
        chunkHash.update(piece);
        length += piece.length;
      }
      const sha = chunkHash.digest('hex');
      if (sha !== expectedSha) {
        throw damaged(
          `chunk ${q(e.name)} does not match its sha256 (${sha}, expected ${expectedSha})`,
        );
      }
      const parts = paxInt(e, 'parts');
      const single = n === 0 && parts === 1;
      // Writers cut members at exactly chunkSize and never leave an empty last chunk.
      if (parts === undefined ? length !== this.#limits.chunkSize : n > 0 && length === 0) {
        throw damaged(
          `chunk ${q(e.name)} has ${length} bytes, which the format does not allow there`,
        );
      }
      if (!single) for (const piece of data) this.#hash.update(piece);
      this.size += length;
      this.chunks.push({ entry: e.name, size: length, sha256: sha });
      if (parts !== undefined) {
        const size = paxInt(e, 'size');
        const memberSha = paxSha(e, 'member-sha256');
        const actual = single ? sha : this.#hash.digest('hex');
        if (parts !== this.chunks.length || size !== this.size || memberSha !== actual) {
          throw damaged(
            `member ${q(this.#entryBase)} does not match its record: ${this.chunks.length} chunks, ${this.size} bytes, ` +
              `sha256 ${actual}; expected ${parts} chunks, ${size} bytes, sha256 ${memberSha}`,
          );
        }
        this.sha256 = actual;
        this.done = true;
      }
      return data;
    } catch (err) {
      this.error = err as Error;
      throw err;
    }
  }

  /** Reads (and checks) whatever the consumer left unread, so the next entry can be parsed. */
  async drain(): Promise<void> {
    const unread = !this.done;
    try {
      while (!this.done) await this.#step();
    } catch (err) {
      if (!this.body.destroyed) this.body.destroy(err as Error);
      throw err;
    }
    if (unread && !this.body.destroyed && !this.body.readableEnded) this.body.destroy();
  }
}

/**
 * Parses an uncompressed Lifeboat tar stream (format ≤ FORMAT_VERSION), treating it as hostile.
 * Yields the header, then each logical member (chunks joined, each checked before its bytes are
 * passed on), then the manifest with what was actually read. A member's body must be consumed
 * (or left alone; it is then read and checked here) before the next item is requested.
 */
export async function* readArchive(
  tar: Readable,
  options: ReadArchiveOptions = {},
): AsyncGenerator<ArchiveItem> {
  const reader = new TarReader(tar);
  let member: FileMember | undefined;
  try {
    const first = await reader.next();
    if (!first) throw damaged('archive is empty: it ends before its header');
    if (first.name !== HEADER_ENTRY) {
      throw damaged(
        `archive does not start with ${HEADER_ENTRY} (found ${q(first.name)}): not a Lifeboat archive`,
      );
    }
    const maxJson = options.maxJsonSize ?? MAX_JSON_SIZE;
    const header = parseHeader(await readJson(reader, first, maxJson));
    yield { kind: 'header', header };

    const maxChunk = options.maxChunkSize ?? READER_MAX_CHUNK_SIZE;
    if (header.chunkSize > maxChunk) {
      throw damaged(
        `archive declares chunks of ${header.chunkSize} bytes, more than this reader's limit of ${maxChunk}`,
      );
    }
    const limits: Limits = {
      chunkSize: header.chunkSize,
      maxEntrySize: options.maxEntrySize ?? 2 * header.chunkSize,
    };
    const declared = new Set(header.sources.map((s) => s.name));
    const observed: Record<string, MemberRecord[]> = {};
    let current: string | undefined;
    let paths = new Set<string>();
    let symlinks = new Set<string>();

    for (;;) {
      const e = await reader.next();
      if (!e) throw damaged(`archive is truncated: it ends before ${MANIFEST_ENTRY}`);
      if (e.name === MANIFEST_ENTRY) {
        const manifest = parseManifest(await readJson(reader, e, maxJson), header);
        const after = await reader.next();
        if (after) throw damaged(`archive has an entry after ${MANIFEST_ENTRY}: ${q(after.name)}`);
        await reader.expectEnd();
        yield { kind: 'manifest', manifest, observed };
        return;
      }

      const name = e.type === 'directory' && e.name.endsWith('/') ? e.name.slice(0, -1) : e.name;
      if (!isSafeRelativePath(name)) throw damaged(`archive holds an unsafe path ${q(e.name)}`);
      const slash = name.indexOf('/');
      if (slash === -1) throw damaged(`archive holds an unexpected top-level entry ${q(e.name)}`);
      const source = name.slice(0, slash);
      if (!declared.has(source))
        throw damaged(`archive holds a folder ${q(source)} its header does not list`);
      if (source !== current) {
        if (observed[source])
          throw damaged(`members of source ${q(source)} are not stored together`);
        observed[source] = [];
        current = source;
        paths = new Set();
        symlinks = new Set();
      }
      const records = observed[source]!;

      let path = name.slice(slash + 1);
      if (e.type === 'file') {
        const m = e.pax.get(`${PAX_VENDOR}.member`);
        if (m === undefined)
          throw damaged(`file entry ${q(e.name)} has no ${PAX_VENDOR}.member record`);
        if (!isSafeRelativePath(m)) throw damaged(`archive holds an unsafe member path ${q(m)}`);
        const part = paxInt(e, 'part');
        const single = paxInt(e, 'parts') === 1;
        const expected = single ? `${source}/${m}` : partEntryName(`${source}/${m}`, 0);
        if (part !== 0 || e.name !== expected) {
          throw damaged(
            `entry ${q(e.name)} is not the first chunk of a member (chunks missing or out of order)`,
          );
        }
        path = m;
      } else if (e.type === 'symlink' && e.linkname === '') {
        throw damaged(`symlink ${q(e.name)} has no target`);
      }
      if (paths.has(path)) throw damaged(`member ${q(`${source}/${path}`)} appears twice`);
      const segments = path.split('/');
      for (let i = 1; i < segments.length; i++) {
        if (symlinks.has(segments.slice(0, i).join('/'))) {
          throw damaged(`member ${q(`${source}/${path}`)} lies under a symlink member`);
        }
      }
      paths.add(path);

      const mtime = new Date(e.mtimeMs);
      if (Number.isNaN(mtime.getTime())) throw damaged(`entry ${q(e.name)} has an invalid mtime`);
      const entry: ArchiveEntry = { path, type: e.type, mode: e.mode, mtime };
      const record: MemberRecord = { path, type: e.type, mode: e.mode, mtime: mtime.toISOString() };
      if (e.type === 'symlink') {
        symlinks.add(path);
        entry.linkTarget = e.linkname;
        record.linkTarget = e.linkname;
        records.push(record);
        yield { kind: 'member', source, entry };
      } else if (e.type === 'directory') {
        records.push(record);
        yield { kind: 'member', source, entry };
      } else {
        checkChunkSize(e, limits);
        member = new FileMember(reader, e, source, path, limits);
        record.size = 0;
        record.sha256 = '';
        record.chunks = member.chunks;
        records.push(record);
        entry.body = member.body;
        yield { kind: 'member', source, entry };
        await member.drain();
        record.size = member.size;
        record.sha256 = member.sha256;
        member = undefined;
      }
    }
  } finally {
    if (member && !member.body.destroyed) member.body.destroy(member.error);
    await reader.close();
  }
}

function describe(r: MemberRecord | undefined): string {
  if (!r) return 'nothing';
  return r.type === 'file' ? `a file of ${r.size} bytes (sha256 ${r.sha256})` : `a ${r.type}`;
}

/** Compares what was read (observed) with the manifest; IntegrityError naming the first difference. */
export function checkManifestConsistency(
  manifest: Manifest,
  observed: Record<string, MemberRecord[]>,
): void {
  const listed = new Set(manifest.sources.map((s) => s.name));
  for (const name of Object.keys(observed)) {
    if (!listed.has(name))
      throw damaged(`archive holds source ${q(name)}, which its manifest does not list`);
  }
  for (const s of manifest.sources) {
    const seen = observed[s.name] ?? [];
    const count = Math.max(s.members.length, seen.length);
    for (let i = 0; i < count; i++) {
      const want = s.members[i];
      const got = seen[i];
      const where = `source ${q(s.name)} member ${i + 1} (${q(want?.path ?? got?.path ?? '?')})`;
      if (!want || !got) {
        throw damaged(
          `${where}: the manifest lists ${describe(want)}, the archive holds ${describe(got)}`,
        );
      }
      const fields = ['path', 'type', 'mode', 'mtime', 'size', 'sha256', 'linkTarget'] as const;
      for (const f of fields) {
        if (want[f] !== got[f]) {
          throw damaged(
            `${where}: ${f} differs (manifest ${JSON.stringify(want[f]) ?? 'none'}, archive ${JSON.stringify(got[f]) ?? 'none'})`,
          );
        }
      }
      const wc = want.chunks ?? [];
      const gc = got.chunks ?? [];
      if (wc.length !== gc.length) {
        throw damaged(
          `${where}: the manifest lists ${wc.length} chunks, the archive holds ${gc.length}`,
        );
      }
      for (let j = 0; j < wc.length; j++) {
        const a = wc[j]!;
        const b = gc[j]!;
        if (a.entry !== b.entry || a.size !== b.size || a.sha256 !== b.sha256) {
          throw damaged(
            `${where}: chunk ${j} differs (manifest ${q(a.entry)} ${a.size} bytes, archive ${q(b.entry)} ${b.size} bytes)`,
          );
        }
      }
    }
  }
}
