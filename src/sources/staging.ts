/**
 * Names and markers of what a restore stages: a new database called
 * `<target>_lifeboat_new_<UTC time>_<hex>` marked with who made it (host, pid, start time), or a
 * file or folder beside the target whose name carries the host and pid. A restore killed with
 * SIGKILL leaves them behind; the next restore into the same server or folder removes the ones it
 * can prove abandoned: made on this host by a process that no longer runs, or older than a day.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessRunning } from '../core/process.ts';

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

/**
 * Why a staged database with this marker is abandoned, or undefined when it may still be in use
 * (or is not provably ours: no marker, no drop).
 */
export function abandonedBecause(
  marker: StagingMarker | undefined,
  now = Date.now(),
): string | undefined {
  if (!marker) return undefined;
  if (marker.host === hostname() && marker.pid !== process.pid && !isProcessRunning(marker.pid))
    return `its restore (pid ${marker.pid} on ${marker.host}, started ${marker.started}) no longer runs`;
  if (now - Date.parse(marker.started) > STALE_AFTER_MS)
    return `it was staged at ${marker.started}, more than a day ago`;
  return undefined;
}

/** A short, fixed tag of this host for names on disk (host names may hold any character). */
function hostTag(host = hostname()): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 8);
}

const STAGED_PATH =
  /^\.(.+)\.lifeboat-(tmp|staging)-([0-9a-f]{8})-(\d+)-[0-9a-f]+(-wal|-shm|-journal)?$/;

/**
 * The name of a file or folder staged beside a target: `.<base>.lifeboat-<kind>-<host>-<pid>-<hex>`,
 * so that a later restore into the same place can tell who left it.
 */
export function stagedPathName(base: string, kind: 'tmp' | 'staging'): string {
  return `.${base}.lifeboat-${kind}-${hostTag()}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Removes what interrupted restores staged beside `base` in `dir`: made on this host by a process
 * that no longer runs, or untouched for more than a day. Returns the lines to log.
 */
export async function removeAbandonedBeside(dir: string, base: string): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = STAGED_PATH.exec(name);
    if (!m || m[1] !== base) continue;
    const path = join(dir, name);
    const pid = Number(m[4]);
    const here = m[3] === hostTag();
    let why: string | undefined;
    if (here && pid !== process.pid && !isProcessRunning(pid))
      why = `its restore (pid ${pid} on this host) no longer runs`;
    else if (!here) {
      const st = await lstat(path).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > STALE_AFTER_MS)
        why = 'another host staged it more than a day ago';
    }
    if (!why) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(`removed ${path}, left by an interrupted restore: ${why}`);
  }
  return removed;
}
