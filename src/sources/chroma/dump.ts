/** Backup: each collection's description, then its records read in pages and streamed as JSON Lines. */
import { Readable } from 'node:stream';
import type { MemberSink } from '../../archive/types.ts';
import { ConfigError, SourceError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import type { DumpResult, Source, SourceContext } from '../types.ts';
import {
  ChromaClient,
  isCollectionName,
  parseChromaUrl,
  type ChromaCollection,
  type ChromaTarget,
} from './client.ts';
import { IdDigest, encodeEmbedding, type ChromaRecordLine } from './records.ts';
import { COLLECTION_MEMBER, RECORDS_MEMBER, where } from './members.ts';
import type { ChromaCollectionDetails, ChromaDetails } from './members.ts';

const INCLUDE_ALL = ['embeddings', 'documents', 'metadatas', 'uris'];

/** Records per page read: about 4 MB of JSON whatever the dimension. */
function pageSize(dimension: number | null): number {
  const d = dimension && dimension > 0 ? dimension : 384;
  return Math.max(50, Math.min(1000, Math.floor(400_000 / d)));
}

export class ChromaSource implements Source {
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
      details: out,
    };
  }
}
