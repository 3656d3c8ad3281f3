/**
 * Chroma source (`chroma://host:8000[/collection]`, `chroma+https://…`), through Chroma's HTTP
 * API (v2).
 *
 * Per collection, two members under `collections/<name>/`:
 * - `collection.json`: name, metadata, configuration (HNSW/SPANN settings, embedding function)
 *   and dimension, everything needed to create the collection again;
 * - `records.jsonl`: every record (id, embedding, document, metadata, uri), read in pages and
 *   streamed into the archive as JSON Lines (records.ts), so memory stays bounded.
 * The manifest's details hold each collection's record count and id digest; verify and restore
 * prove them.
 *
 * Restore creates new collections (the target URL's tenant/database, `collection-suffix` appended to
 * each name, or the target URL's collection name for a backup of one), staged under a temporary
 * name and renamed into place once every check passed. An existing collection of the same name
 * is refused without `overwrite`; with it, a safety backup of it is taken first and it is kept
 * aside until the whole restore succeeded.
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
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
import {
  ChromaClient,
  isCollectionName,
  parseChromaUrl,
  type ChromaCollection,
  type ChromaTarget,
} from './client.ts';
import {
  IdDigest,
  decodeEmbedding,
  embeddingDimension,
  encodeEmbedding,
  recordProblem,
  type ChromaRecordLine,
} from './records.ts';

export const COLLECTION_MEMBER = 'collection.json';
export const RECORDS_MEMBER = 'records.jsonl';

/** What the manifest records of each collection. */
export interface ChromaCollectionDetails {
  name: string;
  records: number;
  /** IdDigest of every id (records.ts). */
  idDigest: string;
  dimension: number | null;
}

export interface ChromaDetails {
  tenant: string;
  database: string;
  /** True when the URL named no collection and every collection of the database was taken. */
  allCollections: boolean;
  collections: ChromaCollectionDetails[];
}

const INCLUDE_ALL = ['embeddings', 'documents', 'metadatas', 'uris'];

/** Records per page read: about 4 MB of JSON whatever the dimension. */
function pageSize(dimension: number | null): number {
  const d = dimension && dimension > 0 ? dimension : 384;
  return Math.max(50, Math.min(1000, Math.floor(400_000 / d)));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function where(t: ChromaTarget): string {
  return `tenant '${t.tenant}', database '${t.database}' at ${t.base}`;
}

class ChromaSource implements Source {
  readonly kind = 'chroma';
  readonly displayUrl: string;
  private readonly target: ChromaTarget;

  constructor(url: string, ctx: SourceContext) {
    this.target = parseChromaUrl(url, 'source', ctx);
    this.displayUrl = this.target.displayUrl;
  }

  async dump(sink: MemberSink, ctx: SourceContext): Promise<DumpResult> {
    const client = new ChromaClient(this.target, 'source', ctx.signal);
    const version = await client.version();
    await client.checkDatabase();
    let collections: ChromaCollection[];
    if (this.target.collection) {
      const c = await client.getCollection(this.target.collection);
      if (!c) {
        throw new ConfigError(
          'source',
          `Chroma has no collection '${this.target.collection}' in ${where(this.target)}`,
          {
            hint: 'check the collection name in the source URL, or leave it out to back up every collection',
          },
        );
      }
      collections = [c];
    } else {
      collections = (await client.listCollections()).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
      ctx.log.info(
        `Chroma ${this.displayUrl}: no collection in the URL, so every collection of ${where(this.target)}: ${collections.length} (${collections.map((c) => c.name).join(', ') || 'none'})`,
      );
    }

    const details: ChromaCollectionDetails[] = [];
    let totalBytes = 0;
    for (const c of collections) {
      if (!isCollectionName(c.name)) {
        throw new SourceError(`Chroma collection name '${c.name}' cannot be stored as a path`);
      }
      const before = await client.count(c.id);
      await sink.addFile(
        `collections/${c.name}/${COLLECTION_MEMBER}`,
        Buffer.from(
          `${JSON.stringify({
            name: c.name,
            id: c.id,
            metadata: c.metadata ?? null,
            configuration: c.configuration_json ?? null,
            dimension: c.dimension ?? null,
          })}\n`,
        ),
      );
      const digest = new IdDigest();
      let dimension = c.dimension ?? null;
      let bytes = 0;
      const page = pageSize(dimension);
      async function* lines(): AsyncGenerator<Buffer> {
        for (let offset = 0; ; offset += page) {
          const r = await client.get(c.id, offset, page, INCLUDE_ALL);
          const n = r.ids.length;
          if (!n) return;
          let text = '';
          for (let i = 0; i < n; i++) {
            const e = r.embeddings?.[i];
            if (e && dimension === null) dimension = e.length;
            const line: ChromaRecordLine = {
              id: r.ids[i]!,
              embedding: e ? encodeEmbedding(e) : null,
              document: r.documents?.[i] ?? null,
              metadata: r.metadatas?.[i] ?? null,
              uri: r.uris?.[i] ?? null,
            };
            digest.add(line.id);
            text += `${JSON.stringify(line)}\n`;
          }
          const buf = Buffer.from(text);
          bytes += buf.length;
          yield buf;
          if (n < page) return;
        }
      }
      await sink.addFile(`collections/${c.name}/${RECORDS_MEMBER}`, Readable.from(lines()));
      const after = await client.count(c.id);
      if (digest.count !== before && digest.count !== after) {
        throw new SourceError(
          `Chroma collection '${c.name}' changed while it was read: ${digest.count} records read, ${before} before and ${after} after`,
          {
            hint: 'back up when nothing deletes records, or stop the writers (Chroma has no snapshot to read from)',
          },
        );
      }
      if (before !== after) {
        ctx.log.warn(
          `Chroma collection '${c.name}' changed while it was read (${before} records before, ${after} after); the backup holds ${digest.count}`,
        );
      }
      totalBytes += bytes;
      details.push({ name: c.name, records: digest.count, idDigest: digest.hex(), dimension });
      ctx.log.info(
        `Chroma collection '${c.name}': ${digest.count} records${dimension ? ` of ${dimension} dimensions` : ''}, ${formatBytes(bytes)}`,
      );
    }
    const out: ChromaDetails = {
      tenant: this.target.tenant,
      database: this.target.database,
      allCollections: !this.target.collection,
      collections: details,
    };
    return {
      versions: { chroma: version },
      inventory: {
        tables: details.map((d) => ({ name: d.name, rows: d.records })),
        totalBytes,
        extra: {
          allCollections: !this.target.collection,
          collections: details.map((d) => ({
            name: d.name,
            records: d.records,
            dimension: d.dimension,
          })),
        },
      },
      details: out as unknown as Record<string, unknown>,
    };
  }
}

/** The manifest's details, checked: a backup whose details are not ours cannot be restored. */
export function chromaDetails(manifest: SourceManifest): ChromaDetails {
  const d = manifest.details as Partial<ChromaDetails> | undefined;
  const ok =
    d &&
    typeof d.tenant === 'string' &&
    typeof d.database === 'string' &&
    Array.isArray(d.collections) &&
    d.collections.every(
      (c) =>
        typeof c?.name === 'string' &&
        isCollectionName(c.name) &&
        typeof c.records === 'number' &&
        typeof c.idDigest === 'string',
    );
  if (!ok)
    throw new IntegrityError(
      `${manifest.name}: the manifest's Chroma details are missing or malformed`,
    );
  return d as ChromaDetails;
}

/** `collections/<name>/<member>` split, or undefined for anything else. */
function memberOf(path: string): { collection: string; member: string } | undefined {
  const m = /^collections\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m || !isCollectionName(m[1]!)) return undefined;
  if (m[2] !== COLLECTION_MEMBER && m[2] !== RECORDS_MEMBER) return undefined;
  return { collection: m[1]!, member: m[2]! };
}

async function readSmall(body: Readable, what: string, limit = 16 * 1024 * 1024): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new IntegrityError(`${what} is larger than ${formatBytes(limit)}`);
    parts.push(b);
  }
  return Buffer.concat(parts).toString('utf8');
}

interface CollectionFile {
  name: string;
  metadata: Record<string, unknown> | null;
  configuration: Record<string, unknown> | null;
  dimension: number | null;
}

function parseCollectionFile(text: string, what: string): CollectionFile {
  let j: Partial<CollectionFile>;
  try {
    j = JSON.parse(text) as Partial<CollectionFile>;
  } catch {
    throw new IntegrityError(`${what} is not JSON`);
  }
  if (typeof j?.name !== 'string') throw new IntegrityError(`${what} names no collection`);
  return {
    name: j.name,
    metadata: j.metadata && typeof j.metadata === 'object' ? j.metadata : null,
    configuration: j.configuration && typeof j.configuration === 'object' ? j.configuration : null,
    dimension: typeof j.dimension === 'number' ? j.dimension : null,
  };
}

/**
 * Reads records.jsonl line by line, checking each line, and hands batches to `onBatch` (when
 * given). Returns the count and id digest.
 */
async function readRecords(
  body: Readable,
  what: string,
  onBatch?: (batch: ChromaRecordLine[]) => Promise<void>,
  batchSize = 1000,
): Promise<{ digest: IdDigest; dimension: number | null }> {
  const digest = new IdDigest();
  let dimension: number | null = null;
  let batch: ChromaRecordLine[] = [];
  let lineNo = 0;
  const rl = createInterface({ input: body, crlfDelay: Infinity });
  for await (const line of rl) {
    lineNo++;
    if (!line) continue;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      throw new IntegrityError(`${what}, line ${lineNo}: not JSON`);
    }
    const problem = recordProblem(r);
    if (problem) throw new IntegrityError(`${what}, line ${lineNo}: ${problem}`);
    const rec = r as ChromaRecordLine;
    if (rec.embedding !== null) {
      const d = embeddingDimension(rec.embedding);
      if (d < 0) throw new IntegrityError(`${what}, line ${lineNo}: malformed embedding`);
      if (dimension === null) dimension = d;
      else if (d !== dimension) {
        throw new IntegrityError(
          `${what}, line ${lineNo}: embedding of ${d} dimensions among ones of ${dimension}`,
        );
      }
    }
    digest.add(rec.id);
    if (onBatch) {
      batch.push(rec);
      if (batch.length >= batchSize) {
        const b = batch;
        batch = [];
        await onBatch(b);
      }
    }
  }
  if (onBatch && batch.length) await onBatch(batch);
  return { digest, dimension };
}

function compareWithManifest(
  what: string,
  expected: ChromaCollectionDetails,
  got: { count: number; digest: string },
): void {
  if (got.count !== expected.records) {
    throw new IntegrityError(
      `${what} holds ${got.count} records, the manifest says ${expected.records}`,
    );
  }
  if (got.digest !== expected.idDigest) {
    throw new IntegrityError(`${what}: its ids do not match the manifest's id digest`);
  }
}

/** Id digest and count of a live collection, read in pages of ids only. */
async function liveDigest(client: ChromaClient, id: string): Promise<IdDigest> {
  const digest = new IdDigest();
  const page = 5000;
  for (let offset = 0; ; offset += page) {
    const r = await client.get(id, offset, page, []);
    for (const i of r.ids) digest.add(i);
    if (r.ids.length < page) break;
  }
  return digest;
}

function stamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .toLowerCase();
}

/** `<name>_lifeboat_<kind>_<time>_<hex>`, shortened to Chroma's 512 characters. */
function asideName(name: string, kind: 'new' | 'old'): string {
  const suffix = `_lifeboat_${kind}_${stamp()}_${randomBytes(3).toString('hex')}`;
  return name.slice(0, 512 - suffix.length) + suffix;
}

/** The target collection for each collection in the backup. */
function targetNames(
  details: ChromaDetails,
  target: ChromaTarget,
  suffix: string,
): Map<string, string> {
  const out = new Map<string, string>();
  if (target.collection) {
    if (details.collections.length !== 1) {
      throw new ConfigError(
        'target',
        `the backup holds ${details.collections.length} Chroma collections; a collection in the target URL renames a backup of one`,
        {
          hint: 'leave the collection out of the target URL; use {{option:collection-suffix}} or another ?database=… to restore beside the originals',
        },
      );
    }
    out.set(details.collections[0]!.name, target.collection + suffix);
  } else {
    for (const c of details.collections) out.set(c.name, c.name + suffix);
  }
  for (const name of out.values()) {
    if (!isCollectionName(name)) {
      throw new ConfigError('target', `'${name}' is not a valid Chroma collection name`, {
        hint: 'choose a collection-suffix of letters, digits, dots, dashes and underscores',
      });
    }
  }
  return out;
}

/** The target URL narrowed to one collection (for a safety backup of it). */
function collectionUrl(url: string, target: ChromaTarget, name: string): string {
  const u = new URL(url.trim());
  u.pathname = `/${name}`;
  u.search = '';
  u.searchParams.set('tenant', target.tenant);
  u.searchParams.set('database', target.database);
  return u.toString();
}

interface StagedCollection {
  source: string;
  target: string;
  stagedName: string;
  stagedId: string;
  expected: ChromaCollectionDetails;
  /** Set once records were read. */
  read?: boolean;
  /** After commit: the replaced collection, renamed aside. */
  asideId?: string;
  asideName?: string;
  committed?: boolean;
}

async function stageChroma(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  const target = parseChromaUrl(request.target, 'target', ctx);
  const details = chromaDetails(request.manifest);
  const suffixOption = ctx.options['collection-suffix'];
  const suffix = typeof suffixOption === 'string' ? suffixOption.trim() : '';
  const names = targetNames(details, target, suffix);
  const client = new ChromaClient(target, 'target', ctx.signal);
  const preflight = await client.preflight();
  const location = `${target.displayUrl.replace(/\?.*$/, '')}?tenant=${target.tenant}&database=${target.database}`;

  const existing = async (): Promise<string[]> => {
    const out: string[] = [];
    for (const name of names.values()) if (await client.getCollection(name)) out.push(name);
    return out;
  };
  const present = await existing().catch((err: unknown) => {
    // A tenant or database that does not exist yet holds no collection.
    if ((err as { status?: number }).status === 404) return [] as string[];
    throw err;
  });
  if (present.length && !request.overwrite) {
    throw new ConfigError(
      'target',
      `Chroma collection${present.length > 1 ? 's' : ''} ${present.map((n) => `'${n}'`).join(', ')} already exist${present.length > 1 ? '' : 's'} in ${where(target)}`,
      {
        hint: 'restore into new collections with {{option:collection-suffix=_restored}} or another ?database=… in the target URL, or set {{option:overwrite=true}} (a safety backup is taken first)',
      },
    );
  }
  const createdDatabase = await client.ensureDatabase();

  const staged = new Map<string, StagedCollection>();
  const dropStaged = async () => {
    await dropCollections();
    // A database this restore created goes again when nothing was put in it.
    if (createdDatabase) await client.deleteDatabaseIfEmpty().catch(() => {});
  };
  const dropCollections = async () => {
    for (const s of staged.values()) {
      if (s.committed) continue;
      await client.deleteCollection(s.stagedName, s.stagedId).catch((err: unknown) => {
        ctx.log.warn(
          `could not remove the staged Chroma collection '${s.stagedName}': ${message(err)}`,
        );
      });
    }
  };
  const batchSize = Math.max(1, Math.min(preflight.max_batch_size || 1000, 1000));
  const base64 = preflight.supports_base64_encoding === true;
  try {
    const wanted = new Map(details.collections.map((c) => [c.name, c]));
    for await (const m of members) {
      const parts = m.type === 'file' && m.body ? memberOf(m.path) : undefined;
      const expected = parts ? wanted.get(parts.collection) : undefined;
      if (!parts || !expected) {
        throw new IntegrityError(`unexpected member '${m.path}' (${m.type}) in a Chroma backup`);
      }
      const what = `${request.manifest.name}/${m.path}`;
      if (parts.member === COLLECTION_MEMBER) {
        if (staged.has(parts.collection)) throw new IntegrityError(`${what} appears twice`);
        const file = parseCollectionFile(await readSmall(m.body!, what), what);
        const targetName = names.get(parts.collection)!;
        const stagedName = asideName(targetName, 'new');
        const created = await client.createCollection(
          stagedName,
          file.metadata,
          file.configuration,
        );
        staged.set(parts.collection, {
          source: parts.collection,
          target: targetName,
          stagedName,
          stagedId: created.id,
          expected,
        });
        continue;
      }
      const s = staged.get(parts.collection);
      if (!s || s.read) throw new IntegrityError(`${what} is out of place`);
      const { digest } = await readRecords(
        m.body!,
        what,
        async (batch) => {
          const payload = {
            ids: batch.map((r) => r.id),
            embeddings: batch.map((r) => {
              if (r.embedding === null)
                throw new IntegrityError(`${what}: record '${r.id}' has no embedding`);
              return base64 ? r.embedding : decodeEmbedding(r.embedding)!;
            }),
            documents: batch.map((r) => r.document ?? null),
            metadatas: batch.map((r) =>
              r.metadata && Object.keys(r.metadata).length ? r.metadata : null,
            ),
            uris: batch.map((r) => r.uri ?? null),
          };
          await client.add(s.stagedId, JSON.stringify(payload));
        },
        batchSize,
      );
      compareWithManifest(what, expected, { count: digest.count, digest: digest.hex() });
      s.read = true;
    }
    for (const c of details.collections) {
      const s = staged.get(c.name);
      if (!s?.read)
        throw new IntegrityError(`the backup holds no records member for collection '${c.name}'`);
      const live = await liveDigest(client, s.stagedId);
      compareWithManifest(`the staged collection '${s.stagedName}'`, c, {
        count: live.count,
        digest: live.hex(),
      });
    }
  } catch (err) {
    await dropStaged();
    throw err;
  }

  const commit = async (): Promise<RestoreResult> => {
    const now = await existing();
    if (now.length && !request.overwrite) {
      throw new ConfigError(
        'target',
        `Chroma collection ${now.map((n) => `'${n}'`).join(', ')} appeared in ${where(target)} during the restore; nothing was changed`,
        {
          hint: 'pass {{option:overwrite=true}} or restore into new collections with {{option:collection-suffix}}',
        },
      );
    }
    const notes: string[] = [];
    if (now.length && request.safetyBackup) {
      for (const name of now) {
        const id = await request.safetyBackup(collectionUrl(request.target, target, name));
        notes.push(`safety backup of Chroma collection '${name}' taken first: ${id}`);
      }
    }
    try {
      for (const s of staged.values()) {
        const old = await client.getCollection(s.target);
        if (old) {
          s.asideName = asideName(s.target, 'old');
          await client.renameCollection(old.id, s.asideName);
          s.asideId = old.id;
        }
        await client.renameCollection(s.stagedId, s.target);
        s.committed = true;
      }
    } catch (err) {
      // Half done: put every replaced collection back before the error goes up.
      await undo().catch((e: unknown) => {
        ctx.log.error(`could not put the previous Chroma collections back: ${message(e)}`);
      });
      throw err;
    }
    const tables = details.collections.map((c) => ({ name: names.get(c.name)!, rows: c.records }));
    ctx.log.info(
      `Restored ${tables.length} Chroma collection${tables.length === 1 ? '' : 's'} into ${where(target)}: ${tables.map((t) => `${t.name} (${t.rows})`).join(', ')}`,
    );
    if (now.length) notes.push(`replaced: ${now.join(', ')}`);
    return { location, inventory: { tables }, notes, replaced: now.length > 0 };
  };
  /** Removes what the commit put in place and renames the replaced collections back. */
  const undo = async () => {
    for (const s of staged.values()) {
      if (s.committed) {
        await client.deleteCollection(s.target, s.stagedId);
        s.committed = false;
        s.stagedId = '';
      }
      if (s.asideId) {
        await client.renameCollection(s.asideId, s.target);
        s.asideId = undefined;
      }
    }
  };
  const rollback = undo;
  const abort = async () => {
    for (const s of staged.values()) {
      if (!s.committed && s.stagedId)
        await client.deleteCollection(s.stagedName, s.stagedId).catch((err: unknown) => {
          ctx.log.warn(
            `could not remove the staged Chroma collection '${s.stagedName}': ${message(err)}`,
          );
        });
      if (s.committed && s.asideId && s.asideName) {
        await client.deleteCollection(s.asideName, s.asideId).catch((err: unknown) => {
          ctx.log.warn(
            `could not remove the replaced Chroma collection '${s.asideName}': ${message(err)}`,
          );
        });
      }
      s.stagedId = '';
      s.asideId = undefined;
    }
    if (createdDatabase) await client.deleteDatabaseIfEmpty().catch(() => {});
  };
  return { location, commit, abort, rollback };
}

async function verifyChroma(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
): Promise<void> {
  const details = chromaDetails(manifest);
  const wanted = new Map(details.collections.map((c) => [c.name, c]));
  const seen = new Set<string>();
  const described = new Set<string>();
  for await (const m of members) {
    const parts = m.type === 'file' && m.body ? memberOf(m.path) : undefined;
    const expected = parts ? wanted.get(parts.collection) : undefined;
    if (!parts || !expected) {
      throw new IntegrityError(`unexpected member '${m.path}' (${m.type}) in a Chroma backup`);
    }
    const what = `${manifest.name}/${m.path}`;
    if (parts.member === COLLECTION_MEMBER) {
      const file = parseCollectionFile(await readSmall(m.body!, what), what);
      if (file.name !== parts.collection) {
        throw new IntegrityError(`${what} describes collection '${file.name}'`);
      }
      described.add(parts.collection);
      continue;
    }
    if (!described.has(parts.collection) || seen.has(parts.collection))
      throw new IntegrityError(`${what} is out of place`);
    const { digest, dimension } = await readRecords(m.body!, what);
    compareWithManifest(what, expected, { count: digest.count, digest: digest.hex() });
    if (expected.dimension !== null && dimension !== null && dimension !== expected.dimension) {
      throw new IntegrityError(
        `${what}: embeddings of ${dimension} dimensions, the manifest says ${expected.dimension}`,
      );
    }
    seen.add(parts.collection);
  }
  for (const c of details.collections) {
    if (!seen.has(c.name))
      throw new IntegrityError(`${manifest.name}: collection '${c.name}' has no records member`);
  }
}

async function inventoryChroma(url: string, ctx: SourceContext): Promise<Inventory> {
  const target = parseChromaUrl(url, 'target', ctx);
  const client = new ChromaClient(target, 'target', ctx.signal);
  await client.checkDatabase();
  const all = target.collection
    ? [await client.getCollection(target.collection)].filter((c) => c !== undefined)
    : await client.listCollections();
  const tables: Array<{ name: string; rows: number }> = [];
  for (const c of all) tables.push({ name: c.name, rows: await client.count(c.id) });
  return { tables: tables.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

export const chromaDriver: SourceDriver = {
  kind: 'chroma',
  schemes: ['chroma', 'chroma+https', 'chroma+http'],
  open: (url, ctx) => new ChromaSource(url, ctx),
  stage: stageChroma,
  verify: (members, manifest) => verifyChroma(members, manifest),
  inventory: inventoryChroma,
};
