import type { Readable } from 'node:stream';
import type { Logger, Redactor } from '../core/log.ts';
import type { OptionValues } from '../options/schema.ts';

/** One stored object. Keys are relative to the storage URL's prefix and use '/' separators. */
export interface ObjectInfo {
  key: string;
  size: number;
  modified: Date;
  /** sha256 (hex) the store recorded for the object, when it keeps one. */
  sha256?: string;
}

export interface PutOptions {
  /** Expected sha256 (hex) when the caller knows it up front (sidecars); stored as metadata where possible. */
  sha256?: string;
  /** Size in bytes when known up front. */
  size?: number;
  contentType?: string;
  signal?: AbortSignal;
}

export interface PutResult {
  size: number;
  /** sha256 (hex) of the bytes as the store received them, computed in the same pass. */
  sha256: string;
}

export interface GetOptions {
  signal?: AbortSignal;
  /**
   * Start at this byte instead of the first: a read cut off by a reset connection resumes
   * where it stopped. Backends use a range read where the store has one (file, S3, Azure,
   * SFTP, memory); the others skip the bytes before it.
   */
  offset?: number;
}

/**
 * A storage backend. Contract (enforced by __tests__/storage/conformance.ts):
 * - put streams the body and makes the object visible under `key` only once it is complete;
 *   an interrupted or failed put leaves nothing that `list` or `stat` returns under `key`.
 * - get returns the object's bytes; a missing key throws StorageError with notFound=true.
 * - list(prefix) returns every complete object whose key starts with prefix, in any order.
 * - delete of a missing key is not an error.
 * - createExclusive writes a small object only when none exists under the key, atomically
 *   where the store has conditional writes (docs/storage.md lists the guarantee per backend);
 *   it returns false, writing nothing, when one exists. Locks are built on it.
 * - Errors are StorageError; `transient` marks the ones worth retrying. A failure while the
 *   stream returned by get is read is a StorageError too.
 */
export interface Storage {
  /** The URL with credentials removed, safe to log. */
  readonly displayUrl: string;
  put(key: string, body: Readable, options?: PutOptions): Promise<PutResult>;
  get(key: string, options?: GetOptions): Promise<Readable>;
  createExclusive(key: string, body: Buffer): Promise<boolean>;
  stat(key: string): Promise<ObjectInfo | undefined>;
  list(prefix: string): Promise<ObjectInfo[]>;
  /** `signal` stops the request (and its retries) when the run is cancelled. */
  delete(key: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** Release connections (SFTP sessions, servers). Optional. */
  close?(): Promise<void>;
}

export interface StorageContext {
  log: Logger;
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  /** The parsed options, typed by the schema: a misspelt name does not compile. */
  options: Readonly<OptionValues>;
  /** Where a storage that must spool puts its temporary folder (RUNNER_TEMP on a runner). */
  tmpRoot?: string;
}

export interface StorageFactory {
  /** URL schemes handled, without the colon: 'file', 's3', … */
  schemes: string[];
  create(url: string, ctx: StorageContext): Storage | Promise<Storage>;
}
