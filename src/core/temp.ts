/**
 * Per-run temporary folders: private (0700), under the temp root the face chose (RUNNER_TEMP
 * on a runner), each holding a marker that proves which process made it, so a later run can
 * remove what a killed run (kill -9, runner lost) left behind, and only that.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from './log.ts';
import { isProcessRunning } from './process.ts';

export const TEMP_PREFIX = 'lifeboat-';
export const TEMP_MARKER = '.lifeboat-run.json';

interface Marker {
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (Linux), to tell a reused pid apart. */
  startTicks?: string;
  createdAt: string;
}

/** Where temporary folders go: RUNNER_TEMP on a runner (TMPDIR may be unusable there), else the OS's. */
export function tempRootFor(env: NodeJS.ProcessEnv): string {
  return env['RUNNER_TEMP'] || tmpdir();
}

export async function createRunTemp(root: string): Promise<string> {
  const dir = await mkdtemp(join(root, TEMP_PREFIX));
  const marker: Marker = {
    pid: process.pid,
    host: hostname(),
    createdAt: new Date().toISOString(),
  };
  const ticks = startTicksOf(process.pid);
  if (ticks) marker.startTicks = ticks;
  await writeFile(join(dir, TEMP_MARKER), JSON.stringify(marker) + '\n', { mode: 0o600 });
  return dir;
}

/** Removes Lifeboat temp folders under root whose marker proves their run is gone. */
export async function sweepStaleTemp(root: string, log: Logger): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = join(root, name);
    let marker: Marker;
    try {
      marker = JSON.parse(await readFile(join(dir, TEMP_MARKER), 'utf8')) as Marker;
    } catch {
      continue; // no marker: not provably ours
    }
    const why = staleReason(marker);
    if (!why) continue;
    try {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
      log.info(`Removed the stale temporary folder ${dir} left by an earlier run (${why})`);
    } catch (err) {
      log.warn(`could not remove the stale temporary folder ${dir}: ${(err as Error).message}`);
    }
  }
  return removed;
}

function staleReason(marker: Marker): string | undefined {
  if (typeof marker.pid !== 'number' || marker.host !== hostname()) return undefined;
  if (!isProcessRunning(marker.pid)) return `process ${marker.pid} is no longer running`;
  const ticks = startTicksOf(marker.pid);
  if (marker.startTicks && ticks && ticks !== marker.startTicks)
    return `process ${marker.pid} is now a different process`;
  return undefined;
}

/** Field 22 of /proc/<pid>/stat; undefined where there is no procfs. */
function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The context's temp root; library callers and tests that set none get the OS's. */
export function runTempRoot(ctx: { tmpRoot?: string | undefined }): string {
  return ctx.tmpRoot ?? tmpdir();
}
