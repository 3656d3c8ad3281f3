import { text } from 'node:stream/consumers';
import { openStorage } from '../storage/registry.ts';
import { withRetry } from '../storage/retry.ts';
import type { Storage } from '../storage/types.ts';
import type { SidecarManifest } from '../archive/types.ts';
import type { Options } from '../options/parse.ts';
import { lines } from '../options/parse.ts';
import { runTempRoot } from '../core/temp.ts';
import type { RunContext } from '../core/context.ts';
import { ConfigError, IntegrityError, StorageError, isNotFound } from '../core/errors.ts';
import { redactUrl } from '../core/log.ts';
import { withProgress } from './metered-storage.ts';
import { progressOf } from '../core/progress.ts';
import { isBackupId } from './naming.ts';
import {
  damagedOf,
  indexBackups,
  newestFirst,
  readEntries,
  readEntry,
  setsOf,
  type IndexedBackup,
} from './backup-index.ts';
import type { RunSession } from './session.ts';

export interface OpenDestination {
  url: string;
  displayUrl: string;
  storage: Storage;
}

/** Opens every destination line (with retries around each backend), registering URL secrets first. */
export async function openDestinations(
  options: Options,
  ctx: RunContext,
): Promise<OpenDestination[]> {
  const urls = lines(options, 'destination');
  if (urls.length === 0) {
    throw new ConfigError('destination', 'is required', {
      hint: 'name where backups live, e.g. file:./backups or s3://bucket/prefix',
    });
  }
  const out: OpenDestination[] = [];
  for (const url of urls) {
    registerUrlSecrets(url, ctx);
    const storage = await openStorage(url, {
      log: ctx.log,
      redactor: ctx.redactor,
      env: ctx.env,
      options: options.values,
      tmpRoot: runTempRoot(ctx),
    });
    out.push({
      url,
      displayUrl: storage.displayUrl || redactUrl(url),
      storage: withProgress(withRetry(storage, { log: ctx.log }), progressOf(ctx)),
    });
  }
  return out;
}

/** Opens the destination lines for a session, each closed when the session ends. */
export async function useDestinations(session: RunSession): Promise<OpenDestination[]> {
  const opened: OpenDestination[] = [];
  session.defer('close the destinations', () => closeDestinations(opened));
  opened.push(...(await openDestinations(session.options, session.ctx)));
  return opened;
}

/** Opens the destinations for one command and closes them however it ends. */
export async function withDestinations<T>(
  options: Options,
  ctx: RunContext,
  use: (destinations: OpenDestination[]) => Promise<T>,
): Promise<T> {
  const destinations = await openDestinations(options, ctx);
  try {
    return await use(destinations);
  } finally {
    await closeDestinations(destinations);
  }
}

export async function closeDestinations(destinations: OpenDestination[]): Promise<void> {
  await Promise.allSettled(destinations.map((d) => d.storage.close?.()));
}

/** Passwords in URLs are secrets: mask them (and their encodings) before anything is logged. */
export function registerUrlSecrets(url: string, ctx: RunContext): void {
  try {
    const u = new URL(url);
    if (u.password) {
      ctx.redactor.add(u.password);
      ctx.redactor.add(decodeURIComponent(u.password));
    }
    for (const [k, v] of u.searchParams)
      if (/pass|secret|token|key|sig/i.test(k)) ctx.redactor.add(v);
  } catch {
    // not a URL with an authority (sqlite:, dir:, file:): nothing secret in it
  }
}

export interface CatalogEntry {
  set: string;
  id: string;
  time: Date;
  manifest: SidecarManifest;
  destination: OpenDestination;
  /** A drill's record (`<id>.drill.json`) sits beside it. */
  drilled?: boolean;
}

/** A backup whose sidecar manifest exists but cannot be read or parsed. */
export interface DamagedEntry {
  set: string;
  id: string;
  key: string;
  reason: string;
  destination: OpenDestination;
}

/**
 * Reads the sidecar manifests under `set/` (or every set). Unreadable ones go to `damaged` when
 * the caller passes it (so `latest` cannot silently become an older backup), else are warned
 * about and skipped. Commands that need fewer than all start from `indexBackups`
 * (backup-index.ts) and read only the manifests they need.
 */
export async function listBackups(
  destination: OpenDestination,
  set: string | undefined,
  ctx: RunContext,
  damaged?: DamagedEntry[],
): Promise<CatalogEntry[]> {
  return readEntries(await indexBackups(destination, set), ctx, damaged);
}

function damagedError(d: DamagedEntry, asked: string): IntegrityError {
  return new IntegrityError(
    `${asked === 'latest' ? 'the newest backup' : 'backup'} ${d.set}/${d.id} on ${d.destination.displayUrl} is damaged: ${d.reason}`,
    {
      hint: `its manifest ${d.key} cannot be used; restore an older backup by id (\`lifeboat list\` shows them), or repair the manifest`,
    },
  );
}

export async function readSidecarManifest(
  destination: OpenDestination,
  key: string,
): Promise<SidecarManifest> {
  const body = await text(await destination.storage.get(key));
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new IntegrityError(`${key} on ${destination.displayUrl} is not valid JSON`);
  }
  const m = parsed as SidecarManifest;
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.id !== 'string' ||
    typeof m.format !== 'number' ||
    !Array.isArray(m.sources) ||
    typeof m.archive?.key !== 'string' ||
    typeof m.archive?.sha256 !== 'string'
  ) {
    throw new IntegrityError(`${key} on ${destination.displayUrl} is not a Lifeboat manifest`);
  }
  return m;
}

/**
 * Finds the backup to restore or verify: an id or 'latest' in a set. The first destination
 * that has it wins. Without a set name, a set is inferred when the storage holds just one.
 */
export async function findBackup(
  destinations: OpenDestination[],
  set: string | undefined,
  which: string,
  ctx: RunContext,
): Promise<CatalogEntry> {
  if (which !== 'latest' && !isBackupId(which)) {
    throw new ConfigError('backup', `'${which}' is not a backup id`, {
      hint: "use 'latest' or an id as `lifeboat list` shows it, e.g. 20261122T030000Z-abcdef",
    });
  }
  const errors: string[] = [];
  let brokenCopy: DamagedEntry | undefined;
  for (const destination of destinations) {
    let indexed: IndexedBackup[];
    try {
      indexed = await indexBackups(destination, set);
    } catch (err) {
      errors.push(`${destination.displayUrl}: ${(err as Error).message}`);
      continue;
    }
    const sets = setsOf(indexed);
    if (!set && which === 'latest' && sets.length > 1) {
      throw new ConfigError(
        'name',
        `${destination.displayUrl} holds several backup sets (${sets.join(', ')})`,
        {
          hint: 'choose one with {{option:name=<set>}}',
        },
      );
    }
    // Ids sort by time: `latest` reads the newest manifest (of the newest second's, the last
    // created), and an older one only past a safety copy; an id reads its own.
    const candidates =
      which === 'latest' ? await newestFirst(indexed) : indexed.filter((b) => b.id === which);
    for (const b of candidates) {
      ctx.signal?.throwIfAborted();
      let entry: CatalogEntry;
      try {
        entry = await readEntry(b);
      } catch (err) {
        if (isNotFound(err)) continue;
        const broken = damagedOf(b, err);
        // A damaged newer backup must not silently make `latest` an older one.
        if (which === 'latest') {
          if (broken.set.endsWith('-safety')) continue;
          throw damagedError(broken, which);
        }
        // Asked for by id: another destination may hold a readable copy.
        brokenCopy ??= broken;
        break;
      }
      if (which === 'latest' && entry.manifest.tags?.includes('safety')) continue;
      return entry;
    }
  }
  if (brokenCopy) throw damagedError(brokenCopy, which);
  const where = destinations.map((d) => d.displayUrl).join(', ');
  if (errors.length === destinations.length) {
    throw new StorageError(`could not list backups: ${errors.join('; ')}`);
  }
  throw new ConfigError(
    'backup',
    which === 'latest'
      ? `no backups${set ? ` of set '${set}'` : ''} found in ${where}`
      : `backup ${which} not found in ${where}`,
    { hint: 'run `lifeboat list` with the same destination to see what is there' },
  );
}
