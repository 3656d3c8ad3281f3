import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type {
  ArchiveEntry,
  MemberMeta,
  MemberRecord,
  MemberSink,
} from '../../src/archive/types.ts';

interface Stored {
  record: MemberRecord;
  data?: Buffer;
}

/**
 * An in-memory MemberSink for testing sources without the archive: collects what a source
 * dumps and plays it back as ArchiveEntry values. Tests can also push hostile entries.
 */
export class MemberBuffer implements MemberSink {
  readonly stored: Stored[] = [];

  async addFile(path: string, body: Readable | Buffer, meta?: MemberMeta): Promise<MemberRecord> {
    const chunks: Buffer[] = [];
    if (Buffer.isBuffer(body)) chunks.push(body);
    else for await (const c of body) chunks.push(Buffer.from(c as Buffer));
    const data = Buffer.concat(chunks);
    const record: MemberRecord = {
      path,
      type: 'file',
      mode: meta?.mode ?? 0o644,
      mtime: (meta?.mtime ?? new Date()).toISOString(),
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      chunks: [
        { entry: path, size: data.length, sha256: createHash('sha256').update(data).digest('hex') },
      ],
    };
    this.stored.push({ record, data });
    return record;
  }

  async addDirectory(path: string, meta?: MemberMeta): Promise<MemberRecord> {
    const record: MemberRecord = {
      path,
      type: 'directory',
      mode: meta?.mode ?? 0o755,
      mtime: (meta?.mtime ?? new Date()).toISOString(),
    };
    this.stored.push({ record });
    return record;
  }

  async addSymlink(path: string, target: string, meta?: MemberMeta): Promise<MemberRecord> {
    const record: MemberRecord = {
      path,
      type: 'symlink',
      mode: meta?.mode ?? 0o777,
      mtime: (meta?.mtime ?? new Date()).toISOString(),
      linkTarget: target,
    };
    this.stored.push({ record });
    return record;
  }

  records(): MemberRecord[] {
    return this.stored.map((s) => s.record);
  }

  file(path: string): Buffer | undefined {
    return this.stored.find((s) => s.record.path === path)?.data;
  }

  async *entries(): AsyncGenerator<ArchiveEntry> {
    for (const s of this.stored) {
      const entry: ArchiveEntry = {
        path: s.record.path,
        type: s.record.type,
        mode: s.record.mode,
        mtime: new Date(s.record.mtime),
      };
      if (s.record.linkTarget !== undefined) entry.linkTarget = s.record.linkTarget;
      if (s.data) entry.body = Readable.from([s.data]);
      yield entry;
    }
  }
}
