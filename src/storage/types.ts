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
   * SFTP, memory: `capabilities.rangeReads`); the others skip the bytes before it.
   */
  offset?: number;
}

/**
 * What a backend guarantees, declared by each one and checked by the conformance suite
 * (__tests__/storage/conformance.ts), so the engine asks instead of assuming:
 */
export interface StorageCapabilities {
  /**
   * A put becomes visible under its key only whole, and an interrupted put leaves nothing.
   * (Every backend today: temp name + rename, multipart completion, block commit, finalize.)
   */
  atomicPut: boolean;
  /**
   * createExclusive is one conditional write the store itself arbitrates (O_EXCL, If-None-Match,
   * a lease): of racing callers exactly one wins. false: a check-then-write with a narrow race,
   * so locks are advisory there (lock.ts says so in the log).
   */
  conditionalCreate: boolean;
  /** get with an offset reads from that byte at the store; false: the bytes before are skipped. */
  rangeReads: boolean;
  /** A completed put, or a delete, shows in list at once ('strong') or after a while ('eventual'). */
  listing: 'strong' | 'eventual';
  /** Requests worth running at once against this store (a few small reads of a listing). */
  maxConnections: number;
  /**
   * How a group (ObjectGroup) is committed: 'in-order' each member is visible once put and the
   * commit key, put last, is what makes the group count; 'on-commit' the members are held
   * (visible only to this instance) and stored together when the commit key is put, and a group
   * whose commit key is never put leaves nothing.
   */
  groupCommit: 'in-order' | 'on-commit';
}

/** What a wrapper or stand-in that knows nothing of its store may assume: the least. */
export const LEAST_CAPABILITIES: StorageCapabilities = Object.freeze({
  atomicPut: false,
  conditionalCreate: false,
  rangeReads: false,
  listing: 'eventual',
  maxConnections: 1,
  groupCommit: 'in-order',
});

/**
 * Several objects written as one unit: a backup is its archive, its sidecars and, last, its
 * commit record (the manifest). Every member key is the group's name followed by a suffix
 * that starts with '.', so a backend that stores a group as one unit (artifact) finds a
 * member's group from its key without knowing what the suffixes mean.
 */
export interface ObjectGroup {
  /** 'set/20261122T030000Z-abcdef'. */
  name: string;
  /** The keys that may be put before the commit key (not all need to be). */
  members: readonly string[];
  /** The key whose put commits the group; it is put last. */
  commit: string;
}

/**
 * A storage backend. Contract (enforced by __tests__/storage/conformance.ts):
 * - put streams the body and makes the object visible under `key` only once it is complete;
 *   an interrupted or failed put leaves nothing that `list` or `stat` returns under `key`.
 * - get returns the object's bytes; a missing key throws StorageError with notFound=true.
 *   Failures of get, and of reading the stream it returns, are StorageErrors classified by
 *   `reason`: 'not-found', 'denied' (credentials, permissions), 'truncated' (the stream ended
 *   before the object's last byte; transient, so a retried read resumes at the byte it
 *   reached), 'network' (transient), 'unavailable' (throttled, 5xx; transient), 'other'.
 * - list(prefix) returns every complete object whose key starts with prefix, in any order.
 * - delete of a missing key is not an error.
 * - createExclusive writes a small object only when none exists under the key; it returns
 *   false, writing nothing, when one exists. Atomic when `capabilities.conditionalCreate`.
 *   Locks are built on it.
 * - beginGroup announces a group before its first member is put; how the group becomes
 *   visible is `capabilities.groupCommit`. Keys put outside any group are objects of their own.
 * - Errors are StorageError; `transient` marks the ones worth retrying.
 */
export interface Storage {
  /** The URL with credentials removed, safe to log. */
  readonly displayUrl: string;
  readonly capabilities: StorageCapabilities;
  put(key: string, body: Readable, options?: PutOptions): Promise<PutResult>;
  get(key: string, options?: GetOptions): Promise<Readable>;
  createExclusive(key: string, body: Buffer): Promise<boolean>;
  stat(key: string): Promise<ObjectInfo | undefined>;
  list(prefix: string): Promise<ObjectInfo[]>;
  /** `signal` stops the request (and its retries) when the run is cancelled. */
  delete(key: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** Announce a group of keys about to be put (see ObjectGroup). Optional: 'in-order' needs none. */
  beginGroup?(group: ObjectGroup): void;
  /** Release connections (SFTP sessions, servers). Optional. */
  close?(): Promise<void>;
}

/** The group's name of a member key: the key up to the first '.' of its last segment. */
export function groupNameOf(key: string): string {
  const slash = key.lastIndexOf('/');
  const dot = key.indexOf('.', slash + 1);
  return dot > slash + 1 ? key.slice(0, dot) : key;
}

/** A group whose members do not extend its name breaks the contract above. */
export function checkGroup(group: ObjectGroup): ObjectGroup {
  for (const key of [...group.members, group.commit]) {
    if (groupNameOf(key) !== group.name) {
      throw new Error(`${key} is not a member key of group ${group.name} (<name>.<suffix>)`);
    }
  }
  return group;
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
