import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { isNotFound } from '../core/errors.ts';
import { lastRunKey } from '../storage/keys.ts';
import type { Storage } from '../storage/types.ts';

/** A set's last run of one command, as stored beside its backups. */
export interface LastRun {
  format: 1;
  set: string;
  command: string;
  ok: boolean;
  errorKind: string;
  /** When that run finished (ISO 8601). */
  at: string;
  /** When the last successful run finished, this one or an earlier one. */
  lastSuccessAt?: string;
  backupId?: string;
}

/** The stored record, or undefined when there is none (a first run) or it is not ours. */
export async function readLastRun(
  storage: Storage,
  set: string,
  command: string,
  signal?: AbortSignal,
): Promise<LastRun | undefined> {
  let body: string;
  try {
    body = await text(await storage.get(lastRunKey(set, command), { signal }));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  try {
    const r = JSON.parse(body) as Partial<LastRun>;
    if (r && r.format === 1 && typeof r.ok === 'boolean' && typeof r.at === 'string')
      return r as LastRun;
  } catch {
    // a damaged record is as good as none: the next write replaces it
  }
  return undefined;
}

export async function writeLastRun(
  storage: Storage,
  record: LastRun,
  signal?: AbortSignal,
): Promise<void> {
  const body = Buffer.from(`${JSON.stringify(record, null, 2)}\n`);
  await storage.put(lastRunKey(record.set, record.command), Readable.from([body]), {
    size: body.length,
    contentType: 'application/json',
    signal,
  });
}

/** The record this run leaves, carrying the last success forward from the previous one. */
export function nextLastRun(
  previous: LastRun | undefined,
  run: Pick<LastRun, 'set' | 'command' | 'ok' | 'errorKind' | 'backupId'> & { at: Date },
): LastRun {
  const at = run.at.toISOString();
  const record: LastRun = {
    format: 1,
    set: run.set,
    command: run.command,
    ok: run.ok,
    errorKind: run.errorKind,
    at,
  };
  const lastSuccessAt = run.ok ? at : previous?.lastSuccessAt;
  if (lastSuccessAt) record.lastSuccessAt = lastSuccessAt;
  if (run.backupId) record.backupId = run.backupId;
  return record;
}
