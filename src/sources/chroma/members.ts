/** A Chroma backup's members (`collections/<name>/collection.json`, `records.jsonl`) and its manifest details: reading and checking them. */
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { SourceManifest } from '../../archive/types.ts';
import { IntegrityError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import { isCollectionName, type ChromaTarget } from './client.ts';
import { IdDigest, embeddingDimension, recordProblem, type ChromaRecordLine } from './records.ts';
import type { SourceDetails } from '../types.ts';
import { detailsOf } from '../types.ts';

export const COLLECTION_MEMBER = 'collection.json';

export const RECORDS_MEMBER = 'records.jsonl';

/** What the manifest records of the collections: see `SourceDetailsByKind` in ../types.ts. */
export type ChromaDetails = SourceDetails<'chroma'>;
/** What the manifest records of each collection. */
export type ChromaCollectionDetails = ChromaDetails['collections'][number];

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function where(t: ChromaTarget): string {
  return `tenant '${t.tenant}', database '${t.database}' at ${t.base}`;
}

/** The manifest's details, checked: a backup whose details are not ours cannot be restored. */
export function chromaDetails(manifest: SourceManifest): ChromaDetails {
  const d = detailsOf(manifest, 'chroma');
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
export function memberOf(path: string): { collection: string; member: string } | undefined {
  const m = /^collections\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m || !isCollectionName(m[1]!)) return undefined;
  if (m[2] !== COLLECTION_MEMBER && m[2] !== RECORDS_MEMBER) return undefined;
  return { collection: m[1]!, member: m[2]! };
}

export async function readSmall(
  body: Readable,
  what: string,
  limit = 16 * 1024 * 1024,
): Promise<string> {
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

export function parseCollectionFile(text: string, what: string): CollectionFile {
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
export async function readRecords(
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

export function compareWithManifest(
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
