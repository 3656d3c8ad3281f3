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
import type { Inventory } from '../../archive/types.ts';
import type { SourceContext, SourceDriver } from '../types.ts';
import { ChromaClient, parseChromaUrl } from './client.ts';
import { ChromaSource } from './dump.ts';
import { stageChroma } from './restore.ts';
import { verifyChroma } from './verify.ts';

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
