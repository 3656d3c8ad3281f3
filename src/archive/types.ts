import type { Readable } from 'node:stream';

/** Archive format version written by this release. Every earlier version stays readable. */
export const FORMAT_VERSION = 1;

/**
 * Format of an encrypted backup's sidecar: a public index (what list, prune and status need)
 * whose full manifest is sealed to the recipients (docs/archive-format.md, format 2). The
 * archive inside, once decrypted, is format 1.
 */
export const INDEX_FORMAT = 2;

/** First tar entry of every archive. */
export const HEADER_ENTRY = 'lifeboat.json';
/** Last tar entry of every archive (before the tar end blocks). */
export const MANIFEST_ENTRY = 'lifeboat-manifest.json';

export type Compression = 'zstd' | 'gzip' | 'none';

export interface Inventory {
  /** Tables (or collections, key spaces) with exact row counts, as `schema.table` names. */
  tables?: Array<{ name: string; rows: number; estimated?: boolean }>;
  files?: number;
  totalBytes?: number;
  /** Anything else a source wants to record (sequences, key types, …). */
  extra?: Record<string, unknown>;
}

/** A chunk: one tar entry of a member stored in bounded-size pieces. */
export interface ChunkRecord {
  /** Full tar entry name. */
  entry: string;
  size: number;
  sha256: string;
}

/** One logical member of a source's folder, as the manifest lists it. */
export interface MemberRecord {
  /** Path relative to the source's folder, '/' separated, never absolute, never containing '..'. */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  /** ISO 8601. */
  mtime: string;
  /** Files: total size and sha256 of the reassembled content, and its chunks in order. */
  size?: number;
  sha256?: string;
  chunks?: ChunkRecord[];
  /** Symlinks: the link target exactly as stored. */
  linkTarget?: string;
  /**
   * Incremental backups: the id of the backup whose archive holds this file's bytes (the file
   * was unchanged, so it is referenced, not stored). Only in `SourceIncremental.unchanged`.
   */
  storedIn?: string;
}

/**
 * What an incremental backup of one source records beyond its stored members. Absent on full
 * backups (and on every format-1 archive written before incremental backups existed).
 */
export interface SourceIncremental {
  /** The backup this one is relative to. */
  parent: string;
  /** dir: files not stored in this archive, each with the backup whose archive holds it. */
  unchanged?: MemberRecord[];
  /** dir: paths the parent had that are gone now (for the record; the state is members + unchanged). */
  deleted?: string[];
  /** sqlite: the database copy, page by page. */
  pages?: {
    pageSize: number;
    pageCount: number;
    /** Pages stored in this archive (the rest are the parent's). */
    changed: number;
    /** The whole reassembled file: a restore checks it before using it. */
    size: number;
    sha256: string;
    /** The first 100 bytes of the file (SQLite's header), hex. */
    header: string;
  };
}

export interface SourceManifest {
  /** Folder name inside the archive; unique within a backup. */
  name: string;
  kind: string;
  /** Source URL with credentials removed. */
  url: string;
  /** Tool and server versions, e.g. { 'pg_dump': '15.19', server: '15.19' }. */
  versions: Record<string, string>;
  inventory: Inventory;
  members: MemberRecord[];
  /** Source-specific facts a restore needs (dump format, databases, mode…). */
  details?: Record<string, unknown>;
  durationMs: number;
  /** Incremental backups only: what is referenced from earlier backups of the chain. */
  incremental?: SourceIncremental;
}

/** The header entry: written first, so a reader knows what it holds before the data. */
export interface ArchiveHeader {
  format: number;
  id: string;
  name: string;
  createdAt: string;
  tool: { name: 'lifeboat'; version: string };
  sources: Array<{ name: string; kind: string; url: string }>;
  chunkSize: number;
}

/** The full manifest: written last inside the archive. */
export interface Manifest {
  format: number;
  id: string;
  name: string;
  createdAt: string;
  finishedAt: string;
  tool: { name: 'lifeboat'; version: string; node: string };
  compression: Compression;
  encrypted: boolean;
  /** e.g. ['safety'] for the backup a restore takes of its target before overwriting it. */
  tags: string[];
  chunkSize: number;
  sources: SourceManifest[];
  /**
   * Incremental chains (optional; absent means a full backup, as in every archive written
   * before chains existed). A chain is one full backup (position 0) and the incrementals that
   * follow it, each naming its parent.
   */
  kind?: 'full' | 'incremental';
  parent?: string;
  chainPosition?: number;
}

/** The sidecar `<id>.manifest.json`: the manifest plus what only exists after the archive is written. */
export interface SidecarManifest extends Manifest {
  archive: { key: string; size: number; sha256: string };
  /** ISO time the stored archive was read back and checked, if it was. */
  verifiedAt?: string;
  /** Format 2 (encrypted) index: who can open it, as age1… keys or SSH fingerprints. */
  recipients?: string[];
  /** Format 2 (encrypted) index: the full manifest, age-encrypted to the recipients, base64. */
  detail?: string;
}

export interface MemberMeta {
  mode?: number;
  mtime?: Date;
}

/**
 * Where a source writes its dump. Paths are relative to the source's folder. A file body of
 * unknown length is stored as bounded-size chunks; memory stays bounded whatever its size.
 * Calls must be sequential (await each before the next).
 */
export interface MemberSink {
  addFile(path: string, body: Readable | Buffer, meta?: MemberMeta): Promise<MemberRecord>;
  addDirectory(path: string, meta?: MemberMeta): Promise<MemberRecord>;
  addSymlink(path: string, target: string, meta?: MemberMeta): Promise<MemberRecord>;
}

/** One logical member read back from an archive, chunks already joined. */
export interface ArchiveEntry {
  /** Path relative to the source's folder (as in MemberRecord.path). */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  mtime: Date;
  linkTarget?: string;
  /**
   * Files: the content. Each chunk's sha256 is checked before its bytes are passed on; a
   * mismatch or a missing chunk makes the stream fail with an IntegrityError. Must be consumed
   * (or drained) before the next entry is requested.
   */
  body?: Readable;
}
