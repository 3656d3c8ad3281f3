/**
 * How Chroma records are written into the archive: JSON Lines, one record per line,
 * `{"id", "embedding", "document", "metadata", "uri"}`, with the embedding as base64 of its
 * little-endian float32 values (exactly what Chroma stores; 4 bytes a dimension instead of
 * about 11 as decimal text). `jq` reads it; `Buffer.from(e, 'base64')` gives the floats back.
 *
 * And the id digest a backup records for each collection, so verify and restore can prove they
 * hold the same ids: the sum, modulo 2^256, of the sha256 of every id. A sum does not depend on
 * the order records arrive in (Chroma pages in its own order) and needs no memory beyond itself.
 */
import { createHash } from 'node:crypto';

export interface ChromaRecordLine {
  id: string;
  /** base64 of little-endian float32 values, or null for a record without an embedding. */
  embedding: string | null;
  document: string | null;
  metadata: Record<string, unknown> | null;
  uri: string | null;
}

const MOD = 1n << 256n;

export class IdDigest {
  private sum = 0n;
  count = 0;

  add(id: string): void {
    this.sum = (this.sum + BigInt(`0x${createHash('sha256').update(id).digest('hex')}`)) % MOD;
    this.count++;
  }

  hex(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

export function encodeEmbedding(values: readonly number[]): string {
  const f = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) f[i] = values[i]!;
  // Float32Array is in the machine's byte order; every platform Node runs on is little-endian.
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
}

/** The embedding's floats, or undefined when the text is not a whole number of float32s. */
export function decodeEmbedding(base64: string): number[] | undefined {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 4 !== 0) return undefined;
  const out: number[] = new Array<number>(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/** Dimension of a base64 embedding (bytes / 4), or -1 when malformed. */
export function embeddingDimension(base64: string): number {
  const bytes = Buffer.byteLength(base64, 'base64');
  return bytes % 4 === 0 ? bytes / 4 : -1;
}

/** Checks one parsed JSONL line; a reason when it is not a record. */
export function recordProblem(r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null) return 'not a JSON object';
  const o = r as Record<string, unknown>;
  if (typeof o['id'] !== 'string' || !o['id']) return 'no id';
  if (o['embedding'] !== null && typeof o['embedding'] !== 'string') return 'bad embedding';
  if (o['document'] !== null && o['document'] !== undefined && typeof o['document'] !== 'string')
    return 'bad document';
  if (o['uri'] !== null && o['uri'] !== undefined && typeof o['uri'] !== 'string') return 'bad uri';
  const m = o['metadata'];
  if (m !== null && m !== undefined && (typeof m !== 'object' || Array.isArray(m)))
    return 'bad metadata';
  return undefined;
}
