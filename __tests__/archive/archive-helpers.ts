import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { readArchive, type ArchiveItem } from '../../src/archive/reader.ts';
import { paddingFor } from '../../src/archive/tar.ts';
import { ArchiveWriter } from '../../src/archive/writer.ts';
import type { ArchiveHeader, Manifest, MemberMeta, MemberRecord } from '../../src/archive/types.ts';
import { FORMAT_VERSION } from '../../src/archive/types.ts';

export type MemberSpec =
  | { type: 'file'; path: string; data: Buffer; meta?: MemberMeta; stream?: boolean }
  | { type: 'directory'; path: string; meta?: MemberMeta }
  | { type: 'symlink'; path: string; target: string; meta?: MemberMeta };

export interface SourceSpec {
  name: string;
  members: MemberSpec[];
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Deterministic pseudo-random bytes (cheap to make in bulk, incompressible enough). */
export function pseudoRandom(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Streams `data` in small uneven pieces, as a dump tool's stdout would. */
export function piecewise(data: Buffer, piece = 7919): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += piece) pieces.push(data.subarray(i, i + piece));
  return Readable.from(pieces);
}

export function headerFor(sources: SourceSpec[], chunkSize: number, id = 'test-id'): ArchiveHeader {
  return {
    format: FORMAT_VERSION,
    id,
    name: 'test-set',
    createdAt: new Date(1_700_000_000_000).toISOString(),
    tool: { name: 'lifeboat', version: '0.0.0-test' },
    sources: sources.map((s) => ({ name: s.name, kind: 'dir', url: `dir:/data/${s.name}` })),
    chunkSize,
  };
}

export function manifestFor(
  header: ArchiveHeader,
  records: Record<string, MemberRecord[]>,
  compression: Manifest['compression'] = 'none',
): Manifest {
  return {
    format: header.format,
    id: header.id,
    name: header.name,
    createdAt: header.createdAt,
    finishedAt: new Date(1_700_000_001_000).toISOString(),
    tool: { name: 'lifeboat', version: '0.0.0-test', node: 'v24.0.0' },
    compression,
    encrypted: false,
    tags: [],
    chunkSize: header.chunkSize,
    sources: header.sources.map((s) => ({
      name: s.name,
      kind: s.kind,
      url: s.url,
      versions: {},
      inventory: {},
      members: records[s.name] ?? [],
      durationMs: 1,
    })),
  };
}

/** Writes an archive through ArchiveWriter while `consume` reads its stream. */
export async function writeArchive<T>(
  sources: SourceSpec[],
  chunkSize: number,
  consume: (stream: Readable) => Promise<T>,
  compression: Manifest['compression'] = 'none',
): Promise<{ result: T; records: Record<string, MemberRecord[]>; manifest: Manifest }> {
  const writer = new ArchiveWriter({ chunkSize });
  const consumed = consume(writer.stream);
  const header = headerFor(sources, chunkSize);
  await writer.writeHeader(header);
  const records: Record<string, MemberRecord[]> = {};
  for (const s of sources) {
    const sink = writer.sourceSink(s.name);
    for (const m of s.members) {
      if (m.type === 'file')
        await sink.addFile(m.path, m.stream ? piecewise(m.data) : m.data, m.meta);
      else if (m.type === 'directory') await sink.addDirectory(m.path, m.meta);
      else await sink.addSymlink(m.path, m.target, m.meta);
    }
    records[s.name] = sink.records();
  }
  const manifest = manifestFor(header, records, compression);
  await writer.finish(manifest);
  return { result: await consumed, records, manifest };
}

/** The uncompressed archive bytes for the given sources. */
export async function archiveBytes(sources: SourceSpec[], chunkSize: number): Promise<Buffer> {
  const { result } = await writeArchive(sources, chunkSize, (s) => buffer(s));
  return result;
}

export interface ReadMember {
  source: string;
  path: string;
  type: string;
  mode: number;
  mtime: Date;
  linkTarget?: string;
  data?: Buffer;
}

export interface ReadResult {
  header?: ArchiveHeader;
  members: ReadMember[];
  manifest?: Manifest;
  observed?: Record<string, MemberRecord[]>;
}

/** Reads a whole archive, collecting every body; rejects on the first error. */
export async function readAll(
  tar: Readable,
  options?: { maxEntrySize?: number },
): Promise<ReadResult> {
  const out: ReadResult = { members: [] };
  for await (const item of readArchive(tar, options) as AsyncGenerator<ArchiveItem>) {
    if (item.kind === 'header') out.header = item.header;
    else if (item.kind === 'manifest') {
      out.manifest = item.manifest;
      out.observed = item.observed;
    } else {
      const e = item.entry;
      const m: ReadMember = {
        source: item.source,
        path: e.path,
        type: e.type,
        mode: e.mode,
        mtime: e.mtime,
      };
      if (e.linkTarget !== undefined) m.linkTarget = e.linkTarget;
      if (e.body) m.data = await buffer(e.body);
      out.members.push(m);
    }
  }
  return out;
}

/** A raw ustar header block with any type flag (for hostile archives the writer never makes). */
export function rawHeader(name: string, flag: string, size: number, linkname = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 8, 'ascii');
  block.write('0000000\0', 108, 8, 'ascii');
  block.write('0000000\0', 116, 8, 'ascii');
  block.write(size.toString(8).padStart(11, '0') + '\0', 124, 12, 'ascii');
  block.write('14524337000\0', 136, 12, 'ascii');
  block.write(flag, 156, 1, 'ascii');
  block.write(linkname, 157, 100, 'utf8');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return block;
}

export function withPadding(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc(paddingFor(data.length))]);
}
