import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { setTimeout as delay } from 'node:timers/promises';
import { isProcessRunning } from '../core/process.ts';
import type { Options } from '../options/parse.ts';
import { bool, str } from '../options/parse.ts';
import { parseDuration } from '../retention/duration.ts';
import type { RunContext } from '../core/context.ts';
import type { OpenDestination } from './destinations.ts';
import { ConfigError, StorageError, describeErrorTemplate, isNotFound } from '../core/errors.ts';
import { formatDuration } from '../core/log.ts';

/**
 * One lock object per set in each destination keeps two backups or prunes of a set from
 * overlapping. It is created with the store's conditional create (createExclusive), names its
 * holder, expires by itself when its holder dies, and is refreshed while the holder works.
 */
export const LOCK_NAME = 'lifeboat.lock';

export function lockKey(set: string): string {
  return `${set}/${LOCK_NAME}`;
}

export interface LockRecord {
  owner: string;
  host: string;
  pid: number;
  command: string;
  runUrl?: string;
  acquiredAt: string;
  expiresAt: string;
  token: string;
}

export interface LockSettings {
  waitMs: number;
  ttlMs: number;
  breakLock: boolean;
}

const DEFAULT_TTL_MS = 15 * 60_000;
const POLL_MS = 5_000;

/** Parses lock-wait, lock-ttl and break-lock; ConfigError naming the option, before any work. */
export function lockSettings(options: Options): LockSettings {
  const wait = str(options, 'lock-wait') ?? '0s';
  const ttl = str(options, 'lock-ttl');
  const waitMs = /^0+$/.test(wait.trim()) ? 0 : parseDuration('lock-wait', wait).ms;
  const ttlMs = ttl ? parseDuration('lock-ttl', ttl).ms : DEFAULT_TTL_MS;
  if (ttlMs < 60_000) {
    // Shorter than this, a lock could lapse between two refreshes on a slow store.
    throw new ConfigError('lock-ttl', `'${ttl ?? ''}' is shorter than a minute`, {
      hint: 'give {{option:lock-ttl}} a duration of a minute or more, e.g. {{option:lock-ttl=15m}} (the default)',
    });
  }
  return { waitMs, ttlMs, breakLock: bool(options, 'break-lock') };
}

export function describeHolder(r: LockRecord | undefined): string {
  if (!r) return 'an unreadable lock (another run is writing it, or it is damaged)';
  const run = r.runUrl ? `, run ${r.runUrl}` : '';
  return `${r.owner} on ${r.host} (pid ${r.pid}, ${r.command}${run}) since ${r.acquiredAt}, expires ${r.expiresAt}`;
}

export interface HeldLocks {
  /** Destinations whose lock this run holds. */
  held: OpenDestination[];
  /** Destinations that could not be written at all (their lock or probe failed). */
  failed: Array<{ destination: OpenDestination; error: unknown }>;
  release(): Promise<void>;
  /** Aborted, with a LockLostError as its reason, when a refresh finds the lock no longer ours. */
  lost: AbortSignal;
  /** Throws the LockLostError if the lock was lost: checked before anything is deleted. */
  assertHeld(): void;
}

/**
 * Takes the set's lock on every destination, waiting up to lock-wait for a holder to finish.
 * A destination that cannot be written is reported in `failed` (that is the writability probe:
 * the lock is the first object written), so the others can still take the backup; a lock held
 * by another run fails the whole command with a message naming the holder.
 */
export async function lockSet(
  destinations: OpenDestination[],
  set: string,
  settings: LockSettings,
  ctx: RunContext,
  command: string,
): Promise<HeldLocks> {
  const sleep = ctx.sleep ?? ((ms: number) => delay(ms));
  const token = randomBytes(12).toString('hex');
  const record = (): LockRecord => {
    const now = ctx.now();
    const r: LockRecord = {
      owner: ownerName(),
      host: hostname(),
      pid: process.pid,
      command,
      acquiredAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + settings.ttlMs).toISOString(),
      token,
    };
    if (ctx.runUrl) r.runUrl = ctx.runUrl;
    return r;
  };
  const mine = record();
  const body = () => Buffer.from(JSON.stringify({ ...mine, expiresAt: record().expiresAt }) + '\n');
  const key = lockKey(set);
  const held: OpenDestination[] = [];
  const failed: HeldLocks['failed'] = [];

  const lost = new AbortController();
  const release = async () => {
    stopRefresh();
    for (const d of held.splice(0)) {
      try {
        const current = await readLock(d, key);
        if (current.record && current.record.token !== token) {
          ctx.log.warn(
            `${d.displayUrl}: the lock of ${set} was taken over by ${describeHolder(current.record)}; leaving it`,
          );
          continue;
        }
        await d.storage.delete(key);
      } catch (err) {
        ctx.log.warn(
          `${d.displayUrl}: could not remove the lock ${key} (${describeErrorTemplate(err)}); it expires by itself`,
        );
      }
    }
  };
  // Refreshed well before it expires, so a long dump keeps it; a dead run's lock lapses.
  // A refresh first checks the lock is still ours: overwriting a lock someone else now holds
  // would hide that two runs write the set at once.
  const refresh = async (d: OpenDestination) => {
    let current: ReadLock;
    try {
      current = await readLock(d, key);
    } catch (err) {
      ctx.log.warn(
        `${d.displayUrl}: could not read the lock ${key}: ${describeErrorTemplate(err)}`,
      );
      return;
    }
    if (current.missing || current.record?.token !== token) {
      held.splice(held.indexOf(d), 1);
      const by = current.missing ? 'removed' : `taken over by ${describeHolder(current.record)}`;
      lost.abort(
        new LockLostError(
          `${d.displayUrl}: this run's lock of set '${set}' was ${by} while the run held it; ` +
            'stopped, so two runs do not write the set at once',
          {
            hint:
              'another run removed it ({{option:break-lock=true}}) or it expired because refreshing failed: ' +
              'check what else backs up or prunes this set, then run again (raise {{option:lock-ttl}} if refreshes fail)',
          },
        ),
      );
      return;
    }
    try {
      await d.storage.put(key, Readable.from([body()]), { contentType: 'application/json' });
    } catch (err) {
      ctx.log.warn(
        `${d.displayUrl}: could not refresh the lock ${key}: ${describeErrorTemplate(err)}`,
      );
    }
  };
  let refreshing = false;
  const tick = async () => {
    // A slow store must not stack refreshes on top of each other.
    if (refreshing || lost.signal.aborted) return;
    refreshing = true;
    try {
      for (const d of [...held]) await refresh(d);
    } finally {
      refreshing = false;
    }
  };
  const stopRefresh = (ctx.repeat ?? repeatEvery)(
    Math.max(1000, Math.floor(settings.ttlMs / 3)),
    tick,
  );

  try {
    for (const d of destinations) {
      if (d.storage.capabilities && !d.storage.capabilities.conditionalCreate) {
        // Said once per run and store: the guarantee differs, the lock still works the same.
        ctx.log.info(
          `${d.displayUrl} declares no conditional create: the lock of ${set} is a check-then-write there (docs/storage.md); a workflow \`concurrency:\` group per set is the real guard`,
        );
      }
      try {
        await acquire(d);
        held.push(d);
        await probe(d, set);
      } catch (err) {
        if (err instanceof LockHeldError) throw err;
        // A plain line: the run's one failure, naming every destination, is the error.
        ctx.log.info(
          `Destination ${d.displayUrl} cannot be written: ${describeErrorTemplate(err)}`,
        );
        failed.push({ destination: d, error: err });
      }
    }
  } catch (err) {
    await release();
    throw err;
  }
  return {
    held,
    failed,
    release,
    lost: lost.signal,
    assertHeld: () => lost.signal.throwIfAborted(),
  };

  async function acquire(d: OpenDestination): Promise<void> {
    const deadline = ctx.now().getTime() + settings.waitMs;
    let broke = false;
    let waited = false;
    for (let round = 0; ; round++) {
      if (await d.storage.createExclusive(key, Buffer.from(JSON.stringify(mine) + '\n'))) return;
      const current = await readLock(d, key);
      if (current.missing) {
        if (round > 20) throw new StorageError(`${d.displayUrl}: ${key} flickers; giving up`);
        continue;
      }
      // Our own create, whose answer was lost and retried.
      if (current.record?.token === token) return;
      const holder = describeHolder(current.record);
      if (settings.breakLock && !broke) {
        ctx.log.warn(`${d.displayUrl}: break-lock: removing the lock of ${set} held by ${holder}`);
        await d.storage.delete(key);
        broke = true;
        continue;
      }
      const gone = current.record !== undefined && isDeadHere(current.record);
      if (gone || current.expiresAt <= ctx.now().getTime()) {
        ctx.log.warn(
          `${d.displayUrl}: the lock of ${set} held by ${holder} ` +
            `${gone ? 'belongs to a process of this host that no longer runs' : 'has expired'}; taking it over`,
        );
        // Delete only what we judged stale: a fresh lock written meanwhile is left alone.
        const again = await readLock(d, key);
        if (again.record?.token === current.record?.token) await d.storage.delete(key);
        continue;
      }
      const left = deadline - ctx.now().getTime();
      if (left <= 0) {
        throw new LockHeldError(
          `${d.displayUrl}: backup set '${set}' is locked by ${holder}` +
            (settings.waitMs > 0 ? `; waited ${formatDuration(settings.waitMs)}` : ''),
          {
            hint:
              'another backup or prune of this set is running: wait for it (raise {{option:lock-wait}}), ' +
              'or, if it is known to be dead, set {{option:break-lock=true}} once; a stale lock also expires by itself',
          },
        );
      }
      if (!waited) {
        ctx.log.info(
          `${d.displayUrl}: set '${set}' is locked by ${holder}; waiting up to ${formatDuration(left)}…`,
        );
        waited = true;
      }
      await sleep(Math.min(POLL_MS, left));
    }
  }

  /** Writes and deletes a small object, so an unwritable destination fails before any dump. */
  async function probe(d: OpenDestination, setName: string): Promise<void> {
    const probeKey = `${setName}/lifeboat-probe-${token}`;
    await d.storage.put(probeKey, Readable.from([Buffer.from('lifeboat write probe\n')]), {
      contentType: 'text/plain',
    });
    await d.storage.delete(probeKey);
  }
}

/** The lock is held by another live run: the command fails before doing anything. Exit 1. */
export class LockHeldError extends StorageError {}

/** Someone removed or took this run's lock while it worked: the run stops. Exit 1. */
export class LockLostError extends StorageError {}

/** The run's context whose signal also stops everything when the set's lock is lost. */
export function whileLocked(ctx: RunContext, locks: HeldLocks): RunContext {
  return { ...ctx, signal: ctx.signal ? AbortSignal.any([ctx.signal, locks.lost]) : locks.lost };
}

function repeatEvery(ms: number, tick: () => Promise<void>): () => void {
  const timer = setInterval(() => void tick(), ms);
  timer.unref();
  return () => clearInterval(timer);
}

interface ReadLock {
  missing: boolean;
  record: LockRecord | undefined;
  /** When it lapses (ms): its own expiresAt, or for an unreadable one its mtime + 15 min. */
  expiresAt: number;
}

async function readLock(d: OpenDestination, key: string): Promise<ReadLock> {
  let body: string;
  try {
    body = await text(await d.storage.get(key));
  } catch (err) {
    if (isNotFound(err)) return { missing: true, record: undefined, expiresAt: 0 };
    throw err;
  }
  try {
    const r = JSON.parse(body) as LockRecord;
    const expiresAt = Date.parse(r.expiresAt);
    if (typeof r.token === 'string' && Number.isFinite(expiresAt))
      return { missing: false, record: r, expiresAt };
  } catch {
    // being written (SFTP creates, then writes), or damaged: judged by its age below
  }
  const info = await d.storage.stat(key);
  if (!info) return { missing: true, record: undefined, expiresAt: 0 };
  return { missing: false, record: undefined, expiresAt: info.modified.getTime() + DEFAULT_TTL_MS };
}

/** A holder on this very host whose process is gone (a kill -9, a crash) can be replaced now. */
function isDeadHere(r: LockRecord): boolean {
  if (r.host !== hostname() || !Number.isInteger(r.pid) || r.pid <= 0) return false;
  return r.pid !== process.pid && !isProcessRunning(r.pid);
}

function ownerName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown user';
  }
}
