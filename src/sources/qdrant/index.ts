/**
 * Qdrant source (`qdrant://host:6333[/collection]`, `qdrant+https://…`), through Qdrant's
 * snapshot API.
 *
 * Per collection: `POST /collections/{c}/snapshots`, the snapshot streamed from
 * `GET /collections/{c}/snapshots/{name}` into the archive as `collections/<c>/collection.snapshot`
 * (its sha256 and size compared with what Qdrant reported), then the server-side snapshot deleted,
 * also when anything failed. `collections/<c>/collection.json` beside it keeps the collection's
 * info (vector configs, points count) as Qdrant described it.
 *
 * Restore spools each snapshot to the run's temporary folder (sha256 and tar layout checked:
 * that is the staging), and commit uploads it with
 * `POST /collections/{new}/snapshots/upload?priority=snapshot&checksum=…` into a new collection
 * (the target URL's collection for a backup of one, or each name plus `collection-suffix`). An
 * existing collection is refused without `overwrite`; with it, a safety backup of it is taken
 * first. Qdrant cannot rename collections, so an upload that replaced one cannot be undone
 * except from that safety backup.
 */
import { collectionTargets } from '../collection-targets.ts';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArchiveEntry, Inventory, MemberSink, SourceManifest } from '../../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import type {
  DumpResult,
  RestoreRequest,
  RestoreResult,
  Source,
  SourceContext,
  SourceDriver,
  StagedRestore,
} from '../types.ts';
import { Qdrant, isQdrantCollectionName, parseQdrantUrl, type QdrantTarget } from './client.ts';
import { checkSnapshotTar } from './snapshot-tar.ts';

export const INFO_MEMBER = 'collection.json';
export const SNAPSHOT_MEMBER = 'collection.snapshot';

export interface QdrantCollectionDetails {
  name: string;
  points: number | null;
  /** The snapshot's name on the server when it was taken. */
  snapshot: string;
  size: number;
  sha256: string;
  vectors: VectorSummary;
}

export interface QdrantDetails {
  allCollections: boolean;
  collections: QdrantCollectionDetails[];
}

/** Vector configs: one unnamed `{size, distance}` or named ones, and sparse vector names. */
export type VectorSummary = {
  vectors: Record<string, { size: number | null; distance: string | null }>;
  sparse: string[];
};

function summarize(info: Record<string, unknown>): VectorSummary {
  const params = ((info['config'] as Record<string, unknown> | undefined)?.['params'] ??
    {}) as Record<string, unknown>;
  const v = params['vectors'] as Record<string, unknown> | undefined;
  const out: VectorSummary = { vectors: {}, sparse: [] };
  const one = (p: unknown) => {
    const o = (p ?? {}) as Record<string, unknown>;
    return {
      size: typeof o['size'] === 'number' ? o['size'] : null,
      distance: typeof o['distance'] === 'string' ? o['distance'] : null,
    };
  };
  if (v && typeof v['size'] === 'number') out.vectors[''] = one(v);
  else if (v) for (const [name, p] of Object.entries(v)) out.vectors[name] = one(p);
  const sparse = params['sparse_vectors'];
  if (sparse && typeof sparse === 'object') out.sparse = Object.keys(sparse).sort();
  return out;
}

function pointsOf(info: Record<string, unknown> | undefined): number | null {
  const n = info?.['points_count'];
  return typeof n === 'number' ? n : null;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Counts and hashes what passes through. */
class Measure extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.push(chunk);
    done();
  }
}

class QdrantSource implements Source {
  readonly kind = 'qdrant';
  readonly displayUrl: string;
  private readonly target: QdrantTarget;

  constructor(url: string, ctx: SourceContext) {
    this.target = parseQdrantUrl(url, 'source', ctx);
    this.displayUrl = this.target.displayUrl;
  }

  async dump(sink: MemberSink, ctx: SourceContext): Promise<DumpResult> {
    const q = new Qdrant(this.target, 'source', ctx);
    const version = await q.version();
    let names: string[];
    if (this.target.collection) {
      if (!(await q.collection(this.target.collection))) {
        throw new ConfigError(
          'source',
          `Qdrant at ${this.target.base} has no collection '${this.target.collection}'`,
          {
            hint: 'check the collection name in the source URL, or leave it out to back up every collection',
          },
        );
      }
      names = [this.target.collection];
    } else {
      names = await q.collections();
      ctx.log.info(
        `Qdrant ${this.displayUrl}: no collection in the URL, so every collection: ${names.length} (${names.join(', ') || 'none'})`,
      );
    }
    const details: QdrantCollectionDetails[] = [];
    for (const name of names) {
      if (!isQdrantCollectionName(name)) {
        throw new SourceError(`Qdrant collection name '${name}' cannot be stored as a path`);
      }
      const info = await q.collection(name);
      if (!info) throw new SourceError(`Qdrant collection '${name}' vanished during the backup`);
      await sink.addFile(
        `collections/${name}/${INFO_MEMBER}`,
        Buffer.from(`${JSON.stringify({ name, info })}\n`),
      );
      const snap = await q.createSnapshot(name);
      ctx.log.info(
        `Qdrant collection '${name}': snapshot ${snap.name} (${formatBytes(snap.size)}), streaming it…`,
      );
      let measured: Measure | undefined;
      try {
        const body = await q.download(name, snap.name);
        measured = new Measure();
        const out = new PassThrough();
        const piping = pipeline(body, measured, out);
        const [record] = await Promise.all([
          sink.addFile(`collections/${name}/${SNAPSHOT_MEMBER}`, out),
          piping,
        ]);
        const sha256 = measured.hash.digest('hex');
        if (measured.bytes !== snap.size || record.size !== snap.size) {
          throw new IntegrityError(
            `Qdrant snapshot ${snap.name} of '${name}': ${measured.bytes} bytes arrived, Qdrant reported ${snap.size}`,
            { hint: 'the download was cut short or the snapshot changed: run the backup again' },
          );
        }
        if (snap.checksum && snap.checksum.toLowerCase() !== sha256) {
          throw new IntegrityError(
            `Qdrant snapshot ${snap.name} of '${name}': its sha256 is ${sha256}, Qdrant reported ${snap.checksum}`,
            { hint: 'the download was damaged or the snapshot changed: run the backup again' },
          );
        }
        if (!snap.checksum) {
          ctx.log.warn(
            `Qdrant reported no checksum for snapshot ${snap.name}: only its size was compared`,
          );
        }
        details.push({
          name,
          points: pointsOf(info),
          snapshot: snap.name,
          size: snap.size,
          sha256,
          vectors: summarize(info),
        });
      } finally {
        await q.deleteSnapshot(name, snap.name).catch((err: unknown) => {
          ctx.log.warn(
            `could not delete the snapshot ${snap.name} of '${name}' on the server (delete it by hand): ${message(err)}`,
          );
        });
      }
    }
    const out: QdrantDetails = { allCollections: !this.target.collection, collections: details };
    return {
      versions: { qdrant: version },
      inventory: {
        tables: details.map((d) => ({
          name: d.name,
          rows: d.points ?? 0,
          estimated: true,
        })),
        totalBytes: details.reduce((n, d) => n + d.size, 0),
        extra: {
          allCollections: !this.target.collection,
          collections: details.map((d) => ({
            name: d.name,
            points: d.points,
            vectors: d.vectors.vectors,
            sparseVectors: d.vectors.sparse,
          })),
        },
      },
      details: out as unknown as Record<string, unknown>,
    };
  }
}

export function qdrantDetails(manifest: SourceManifest): QdrantDetails {
  const d = manifest.details as Partial<QdrantDetails> | undefined;
  const ok =
    d &&
    Array.isArray(d.collections) &&
    d.collections.every(
      (c) =>
        typeof c?.name === 'string' &&
        isQdrantCollectionName(c.name) &&
        typeof c.sha256 === 'string' &&
        typeof c.size === 'number',
    );
  if (!ok)
    throw new IntegrityError(
      `${manifest.name}: the manifest's Qdrant details are missing or malformed`,
    );
  return d as QdrantDetails;
}

function memberOf(path: string): { collection: string; member: string } | undefined {
  const i = path.lastIndexOf('/');
  if (!path.startsWith('collections/') || i <= 'collections/'.length) return undefined;
  const collection = path.slice('collections/'.length, i);
  const member = path.slice(i + 1);
  if (!isQdrantCollectionName(collection) || collection.includes('/')) return undefined;
  if (member !== INFO_MEMBER && member !== SNAPSHOT_MEMBER) return undefined;
  return { collection, member };
}

/** Reads one snapshot member: its sha256 and size against the manifest and its tar layout. */
async function checkSnapshotMember(
  body: NodeJS.ReadableStream,
  expected: QdrantCollectionDetails,
  what: string,
  spool?: string,
): Promise<void> {
  const measured = new Measure();
  const tee = new PassThrough();
  const checking = checkSnapshotTar(tee, what);
  const writes: Array<Promise<unknown>> = [pipeline(body, measured, tee)];
  if (spool) {
    // A second reader of the same bytes: the file the commit uploads.
    const copy = new PassThrough();
    measured.pipe(copy);
    writes.push(pipeline(copy, createWriteStream(spool, { flags: 'wx', mode: 0o600 })));
  }
  await Promise.all([...writes, checking]);
  const sha256 = measured.hash.digest('hex');
  if (measured.bytes !== expected.size || sha256 !== expected.sha256) {
    throw new IntegrityError(
      `${what}: ${measured.bytes} bytes with sha256 ${sha256}, the manifest says ${expected.size} bytes with ${expected.sha256}`,
    );
  }
}

function targetNames(
  details: QdrantDetails,
  target: QdrantTarget,
  suffix: string,
): Map<string, string> {
  return collectionTargets({
    store: 'Qdrant',
    collections: details.collections,
    targetCollection: target.collection,
    suffix,
    isValid: isQdrantCollectionName,
    renameHint: 'leave the collection out of the target URL and use {{option:collection-suffix}}',
  });
}

function collectionUrl(url: string, name: string): string {
  const u = new URL(url.trim());
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

async function stageQdrant(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  const target = parseQdrantUrl(request.target, 'target', ctx);
  const details = qdrantDetails(request.manifest);
  const suffixOption = ctx.options['collection-suffix'];
  const suffix = typeof suffixOption === 'string' ? suffixOption.trim() : '';
  const names = targetNames(details, target, suffix);
  const q = new Qdrant(target, 'target', ctx);
  await q.version();
  const existing = async () => {
    const out: string[] = [];
    for (const n of names.values()) if (await q.collection(n)) out.push(n);
    return out;
  };
  const present = await existing();
  if (present.length && !request.overwrite) {
    throw new ConfigError(
      'target',
      `Qdrant collection${present.length > 1 ? 's' : ''} ${present.map((n) => `'${n}'`).join(', ')} already exist${present.length > 1 ? '' : 's'} at ${target.base}`,
      {
        hint: 'restore into new collections with {{option:collection-suffix=_restored}} or a collection in the target URL, or set {{option:overwrite=true}} (a safety backup is taken first)',
      },
    );
  }

  const spools = new Map<string, string>();
  const removeSpools = async () => {
    for (const s of spools.values()) await rm(s, { force: true });
  };
  try {
    const wanted = new Map(details.collections.map((c) => [c.name, c]));
    for await (const m of members) {
      const parts = m.type === 'file' && m.body ? memberOf(m.path) : undefined;
      const expected = parts ? wanted.get(parts.collection) : undefined;
      if (!parts || !expected) {
        throw new IntegrityError(`unexpected member '${m.path}' (${m.type}) in a Qdrant backup`);
      }
      if (parts.member === INFO_MEMBER) {
        m.body!.resume();
        await new Promise((ok, fail) => m.body!.once('end', ok).once('error', fail));
        continue;
      }
      if (spools.has(parts.collection)) throw new IntegrityError(`${m.path} appears twice`);
      const spool = join(ctx.tmpDir, `qdrant-${randomBytes(6).toString('hex')}.snapshot`);
      spools.set(parts.collection, spool);
      await checkSnapshotMember(m.body!, expected, `${request.manifest.name}/${m.path}`, spool);
    }
    for (const c of details.collections) {
      if (!spools.has(c.name))
        throw new IntegrityError(`the backup holds no snapshot of collection '${c.name}'`);
    }
  } catch (err) {
    await removeSpools();
    throw err;
  }

  const location = target.base.replace(/^http(s?):/, (_, s: string) =>
    s ? 'qdrant+https:' : 'qdrant:',
  );
  /** Collections this commit created (none of that name existed): what a rollback removes. */
  const created: string[] = [];
  const removeCreated = async () => {
    for (const name of created.splice(0)) {
      await q.deleteCollection(name).catch((err: unknown) => {
        ctx.log.warn(`could not remove the restored Qdrant collection '${name}': ${message(err)}`);
      });
    }
  };
  const commit = async (): Promise<RestoreResult> => {
    const now = await existing();
    if (now.length && !request.overwrite) {
      throw new ConfigError(
        'target',
        `Qdrant collection ${now.map((n) => `'${n}'`).join(', ')} appeared during the restore; nothing was changed`,
        { hint: 'pass {{option:overwrite=true}} or use {{option:collection-suffix}}' },
      );
    }
    const notes: string[] = [];
    if (now.length && request.safetyBackup) {
      for (const n of now) {
        const id = await request.safetyBackup(collectionUrl(request.target, n));
        notes.push(`safety backup of Qdrant collection '${n}' taken first: ${id}`);
      }
    }
    const tables: Array<{ name: string; rows: number }> = [];
    for (const c of details.collections) {
      const name = names.get(c.name)!;
      if (!now.includes(name)) created.push(name);
      try {
        await q.upload(name, spools.get(c.name)!, c.sha256);
      } catch (err) {
        // New collections this commit made go again; replaced ones are in their safety backups.
        await removeCreated();
        throw err;
      }
      const info = await q.collection(name);
      const points = pointsOf(info);
      // Qdrant verified the upload against the snapshot's sha256; its points count is
      // approximate, so a different one is worth a warning, not a failed restore.
      if (c.points !== null && points !== null && points !== c.points) {
        const line = `Qdrant collection '${name}' reports ${points} points after the upload, the backup recorded ${c.points} (Qdrant's count is approximate; the snapshot itself matched its sha256)`;
        ctx.log.warn(line);
        notes.push(line);
      }
      tables.push({ name, rows: points ?? 0 });
    }
    ctx.log.info(
      `Restored ${tables.length} Qdrant collection${tables.length === 1 ? '' : 's'} at ${target.base}: ${tables.map((t) => `${t.name} (${t.rows} points)`).join(', ')}`,
    );
    if (now.length) notes.push(`replaced: ${now.join(', ')}`);
    return { location, inventory: { tables }, notes, replaced: now.length > 0 };
  };
  // A rollback (a later source failed) removes the collections this restore created; replaced
  // ones cannot be put back here (Qdrant has no rename): their safety backups are named.
  return { location, commit, abort: removeSpools, rollback: removeCreated };
}

async function verifyQdrant(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
): Promise<void> {
  const details = qdrantDetails(manifest);
  const wanted = new Map(details.collections.map((c) => [c.name, c]));
  const seen = new Set<string>();
  for await (const m of members) {
    const parts = m.type === 'file' && m.body ? memberOf(m.path) : undefined;
    const expected = parts ? wanted.get(parts.collection) : undefined;
    if (!parts || !expected) {
      throw new IntegrityError(`unexpected member '${m.path}' (${m.type}) in a Qdrant backup`);
    }
    if (parts.member === INFO_MEMBER) {
      m.body!.resume();
      await new Promise((ok, fail) => m.body!.once('end', ok).once('error', fail));
      continue;
    }
    await checkSnapshotMember(m.body!, expected, `${manifest.name}/${m.path}`);
    seen.add(parts.collection);
  }
  for (const c of details.collections) {
    if (!seen.has(c.name))
      throw new IntegrityError(`${manifest.name}: collection '${c.name}' has no snapshot`);
  }
}

async function inventoryQdrant(url: string, ctx: SourceContext): Promise<Inventory> {
  const target = parseQdrantUrl(url, 'target', ctx);
  const q = new Qdrant(target, 'target', ctx);
  const names = target.collection ? [target.collection] : await q.collections();
  const tables: Array<{ name: string; rows: number; estimated: boolean }> = [];
  for (const n of names) {
    const info = await q.collection(n);
    if (info) tables.push({ name: n, rows: pointsOf(info) ?? 0, estimated: true });
  }
  return { tables };
}

export const qdrantDriver: SourceDriver = {
  kind: 'qdrant',
  schemes: ['qdrant', 'qdrant+https', 'qdrant+http'],
  open: (url, ctx) => new QdrantSource(url, ctx),
  stage: stageQdrant,
  verify: (members, manifest) => verifyQdrant(members, manifest),
  inventory: inventoryQdrant,
};
