import type { RunContext } from '../core/context.ts';
import { isNotFound } from '../core/errors.ts';
import { eachLimited, STORE_READ_CONCURRENCY } from '../core/limit.ts';
import {
  readSidecarManifest,
  type CatalogEntry,
  type DamagedEntry,
  type OpenDestination,
} from './destinations.ts';
import { backupTime, isBackupId, parseDrillKey } from './naming.ts';

/**
 * A backup as its key names show it, before any manifest is read: backup ids sort by time
 * (docs/archive-format.md), so one listing orders a set's backups, tells which were drilled and
 * which objects each has. Commands then read only the manifests they need: `latest` the newest
 * one, status the newest good one, prune the ones it keeps.
 */
export interface IndexedBackup {
  set: string;
  id: string;
  /** From the id, to the second. */
  time: Date;
  /** `<set>/<id>.manifest.json`: the backup's commit record. */
  manifestKey: string;
  /** Every listed object of the backup (`<set>/<id>.*`), the manifest included. */
  keys: string[];
  /** A drill's record (`<id>.drill.json`) sits beside it. */
  drilled: boolean;
  destination: OpenDestination;
}

const MEMBER = /^([^/]+)\/([^/.]+)\.[^/]+$/;
const MANIFEST = /^([^/]+)\/([^/]+)\.manifest\.json$/;

/**
 * One listing of `set/` (or of every set): the committed backups, oldest first (by id, then
 * set). A backup without its manifest is not committed and not indexed.
 */
export async function indexBackups(
  destination: OpenDestination,
  set: string | undefined,
): Promise<IndexedBackup[]> {
  const objects = await destination.storage.list(set ? `${set}/` : '');
  const members = new Map<string, string[]>();
  const drilled = new Set<string>();
  for (const o of objects) {
    const drill = parseDrillKey(o.key);
    if (drill) drilled.add(`${drill.set}/${drill.id}`);
    const m = MEMBER.exec(o.key);
    if (!m || !isBackupId(m[2]!)) continue;
    const group = `${m[1]}/${m[2]}`;
    let keys = members.get(group);
    if (!keys) members.set(group, (keys = []));
    keys.push(o.key);
  }
  const out: IndexedBackup[] = [];
  for (const o of objects) {
    const m = MANIFEST.exec(o.key);
    if (!m || !isBackupId(m[2]!)) continue;
    const group = `${m[1]}/${m[2]}`;
    out.push({
      set: m[1]!,
      id: m[2]!,
      time: backupTime(m[2]!),
      manifestKey: o.key,
      keys: members.get(group) ?? [o.key],
      drilled: drilled.has(group),
      destination,
    });
  }
  return out.sort(byId);
}

function byId(a: { id: string; set: string }, b: { id: string; set: string }): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.set < b.set ? -1 : a.set > b.set ? 1 : 0;
}

/**
 * Newest first. An id names the second its backup started, so two backups started within one
 * second tie on time and their ids order by the random suffix: the newest second's backups are
 * read and ordered by their manifests' `createdAt` (to the millisecond). One that cannot be read
 * counts as newest, so a damaged newer backup is reported, never silently passed over.
 */
export async function newestFirst(backups: readonly IndexedBackup[]): Promise<IndexedBackup[]> {
  const out = [...backups].reverse();
  const second = out[0]?.time.getTime();
  const head = out.filter((b) => b.time.getTime() === second);
  if (head.length < 2) return out;
  const created = new Map<IndexedBackup, number>();
  await Promise.all(
    head.map(async (b) => {
      let t = Number.NaN;
      try {
        t = Date.parse((await readEntry(b)).manifest.createdAt);
      } catch {
        // Unreadable: the caller reads it again and reports why.
      }
      created.set(b, Number.isNaN(t) ? Number.POSITIVE_INFINITY : t);
    }),
  );
  head.sort((a, b) => created.get(b)! - created.get(a)! || (a.id < b.id ? 1 : -1));
  return [...head, ...out.filter((b) => b.time.getTime() !== second)];
}

/** The names of the sets a listing holds, from key names alone. */
export function setsOf(indexed: readonly IndexedBackup[]): string[] {
  return [...new Set(indexed.map((b) => b.set))];
}

/** Reads one backup's sidecar manifest (its public index): a CatalogEntry, or throws. */
export async function readEntry(b: IndexedBackup): Promise<CatalogEntry> {
  const manifest = await readSidecarManifest(b.destination, b.manifestKey);
  const entry: CatalogEntry = {
    set: b.set,
    id: b.id,
    time: b.time,
    manifest,
    destination: b.destination,
  };
  if (b.drilled) entry.drilled = true;
  return entry;
}

export function damagedOf(b: IndexedBackup, err: unknown): DamagedEntry {
  return {
    set: b.set,
    id: b.id,
    key: b.manifestKey,
    reason: (err as Error).message,
    destination: b.destination,
  };
}

/**
 * Reads the manifests of `backups`, a few at a time (as many as the store declares it serves
 * at once, at most STORE_READ_CONCURRENCY). A manifest gone since the listing is skipped;
 * unreadable ones go to `damaged` when the caller passes it, else are warned about and skipped.
 */
export async function readEntries(
  backups: readonly IndexedBackup[],
  ctx: RunContext,
  damaged?: DamagedEntry[],
): Promise<CatalogEntry[]> {
  const entries: CatalogEntry[] = [];
  const limit = Math.max(
    1,
    Math.min(
      STORE_READ_CONCURRENCY,
      backups[0]?.destination.storage.capabilities?.maxConnections ?? STORE_READ_CONCURRENCY,
    ),
  );
  await eachLimited(backups, limit, ctx.signal, async (b) => {
    try {
      entries.push(await readEntry(b));
    } catch (err) {
      if (isNotFound(err)) return;
      if (damaged) damaged.push(damagedOf(b, err));
      else
        ctx.log.warn(
          `skipping ${b.manifestKey} on ${b.destination.displayUrl}: ${(err as Error).message}`,
        );
    }
  });
  entries.sort(byId);
  damaged?.sort(byId);
  return entries;
}

/**
 * Reads one backup's entry, or undefined when its manifest is gone since the listing or
 * unreadable (warned about and passed over, as a full listing would).
 */
export async function readEntryOrWarn(
  b: IndexedBackup,
  ctx: RunContext,
): Promise<CatalogEntry | undefined> {
  try {
    return await readEntry(b);
  } catch (err) {
    if (!isNotFound(err))
      ctx.log.warn(
        `skipping ${b.manifestKey} on ${b.destination.displayUrl}: ${(err as Error).message}`,
      );
    return undefined;
  }
}

/**
 * Walks `backups` newest first, reading one manifest at a time, and returns the first entry
 * `accept` takes (with every entry read on the way, newest first). Unreadable manifests are
 * warned about and passed over, as a full listing would.
 */
export async function newestWhere(
  backups: readonly IndexedBackup[],
  ctx: RunContext,
  accept: (e: CatalogEntry) => boolean | Promise<boolean>,
): Promise<{ found: CatalogEntry | undefined; read: CatalogEntry[] }> {
  const read: CatalogEntry[] = [];
  for (const b of [...backups].reverse()) {
    ctx.signal?.throwIfAborted();
    const entry = await readEntryOrWarn(b, ctx);
    if (!entry) continue;
    read.push(entry);
    if (await accept(entry)) return { found: entry, read };
  }
  return { found: undefined, read };
}
