/**
 * Names and markers of staged databases: a restore's first phase writes into a new database
 * called `<target>_lifeboat_new_<UTC time>_<hex>` and marks it with who made it (host, pid,
 * start time). A restore killed with SIGKILL leaves it behind; the next restore against the same
 * server drops such databases when it can prove they are abandoned: made on this host by a
 * process that no longer runs, or older than a day.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export const STAGED_INFIX = '_lifeboat_new_';

/** After this long a staged database is abandoned whoever made it: no restore stages for a day. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface StagingMarker {
  lifeboat: 'staging';
  host: string;
  pid: number;
  started: string;
  /** The database the staged one was meant to become. */
  target: string;
}

function utcStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** `<base>_lifeboat_new_<UTC time>_<hex>`, the base shortened to fit `maxBytes` (63 for PostgreSQL, 64 for MySQL). */
export function stagedName(base: string, maxBytes: number, now = new Date()): string {
  const suffix = `${STAGED_INFIX}${utcStamp(now)}_${randomBytes(3).toString('hex')}`;
  let b = base;
  while (Buffer.byteLength(b + suffix) > maxBytes) b = b.slice(0, -1);
  return b + suffix;
}

export function stagingMarker(target: string, now = new Date()): StagingMarker {
  return {
    lifeboat: 'staging',
    host: hostname(),
    pid: process.pid,
    started: now.toISOString(),
    target,
  };
}

export function parseMarker(text: string | null | undefined): StagingMarker | undefined {
  if (!text) return undefined;
  try {
    const m = JSON.parse(text) as Partial<StagingMarker>;
    if (
      m?.lifeboat !== 'staging' ||
      typeof m.host !== 'string' ||
      typeof m.pid !== 'number' ||
      typeof m.started !== 'string' ||
      Number.isNaN(Date.parse(m.started))
    )
      return undefined;
    return m as StagingMarker;
  } catch {
    return undefined;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Why a staged database with this marker is abandoned, or undefined when it may still be in use
 * (or is not provably ours: no marker, no drop).
 */
export function abandonedBecause(
  marker: StagingMarker | undefined,
  now = Date.now(),
): string | undefined {
  if (!marker) return undefined;
  if (marker.host === hostname() && marker.pid !== process.pid && !running(marker.pid))
    return `its restore (pid ${marker.pid} on ${marker.host}, started ${marker.started}) no longer runs`;
  if (now - Date.parse(marker.started) > STALE_AFTER_MS)
    return `it was staged at ${marker.started}, more than a day ago`;
  return undefined;
}
