/** What every scratch target is and does, and the helpers the per-kind ones share. */
import type { Inventory, SourceManifest } from '../../archive/types.ts';
import { ConfigError } from '../../core/errors.ts';
import type { SourceContext } from '../../sources/types.ts';
import { describeLiteral, type Assertion } from '../assert.ts';

/**
 * Where a drill restores one source, and what it can do there: tell whether the place is already
 * taken (a drill never restores over anything), run assertions, and remove it afterwards.
 */
export interface Scratch {
  source: string;
  kind: string;
  /** The restore target (may hold credentials: never log it, use displayUrl). */
  url: string;
  displayUrl: string;
  /** A table name of the backup's inventory as the scratch copy names it (MySQL, Redis). */
  tableName(name: string): string;
  /**
   * Vector stores: each collection of the backup and the scratch collection it is restored into
   * (`<name>_drill_<short id>`, through the restore's `collection-suffix`).
   */
  collections?: ReadonlyMap<string, string>;
  /** The `collection-suffix` the restore must use (vector stores). */
  collectionSuffix?: string;
  /**
   * The scratch copy's own inventory, when the source driver's would see more than the scratch
   * (a vector server holds other collections beside the drill's).
   */
  inventory?(): Promise<Inventory>;
  /**
   * What the scratch copy's structure has that the inventory cannot say: a vector collection's
   * dimension or vector configuration against the backup's. Each difference names what differs.
   */
  differences?(): Promise<string[]>;
  /** What is already at the scratch place, or undefined when it is free. */
  occupied(): Promise<string | undefined>;
  remove(): Promise<void>;
  check(a: Assertion, inventory: Inventory | undefined): Promise<{ ok: boolean; detail: string }>;
}

export interface ScratchRequest {
  manifest: SourceManifest;
  /** The user's target line for this source, if any. */
  target: string | undefined;
  backupId: string;
  /** A private folder for file scratch copies (SQLite, dir:). */
  folder: string;
  sctx: SourceContext;
}

/** `<base>_drill_<short id>`: the backup id's random part, so a kept scratch names its backup. */
export function scratchName(base: string, backupId: string, maxBytes: number): string {
  const suffix = `_drill_${backupId.slice(-6)}`;
  let b = base.replace(/[^A-Za-z0-9_]+/g, '_');
  while (Buffer.byteLength(b + suffix) > maxBytes) b = b.slice(0, -1);
  return b + suffix;
}

export function needTarget(r: ScratchRequest, example: string): string {
  if (!r.target) {
    throw new ConfigError(
      'target',
      `a drill of ${r.manifest.name} (${r.manifest.kind}) needs a server to restore into`,
      { hint: `name a scratch server, e.g. {{option:target=${example}}}` },
    );
  }
  return r.target;
}

export function withPath(url: string, path: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(path)}`;
  u.searchParams.delete('dbname');
  return u.toString();
}

export const firstValue = (row: Record<string, unknown> | undefined): unknown =>
  row ? Object.values(row)[0] : undefined;

export function sqlDetail(
  a: Extract<Assertion, { family: 'sql' }>,
  got: unknown,
  ok: boolean,
): string {
  const shown = got === undefined ? 'no row' : got === null ? 'NULL' : String(got);
  return `${shown} ${ok ? 'satisfies' : 'does not satisfy'} ${a.op} ${describeLiteral(a.expected)}`;
}

export function wrongFamily(a: Assertion, kind: string): ConfigError {
  return new ConfigError('assert', `a '${a.family}' assertion cannot run against a ${kind} source`);
}

/** Calls `stop` once when the run is cancelled; returns the unsubscribe. */
export function onAbort(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    stop();
    return () => {};
  }
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}

/** A query the scratch copy refused: the assertion is wrong (a typo, a missing table), not the data. */
export function queryFailed(query: string, err: unknown, sctx: SourceContext): unknown {
  // A cancel ended the connection under the query: the run was cancelled, the query is fine.
  if (sctx.signal?.aborted) return sctx.signal.reason;
  return new ConfigError(
    'assert',
    `'${query}' failed on the restored copy: ${sctx.redactor.redact((err as Error)?.message ?? String(err))}`,
    { hint: 'fix the query (it runs read-only against the restored data)' },
  );
}
