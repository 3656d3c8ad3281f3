import { StorageError } from '../core/errors.ts';

/**
 * Object keys come from our own naming and from manifests read back from storage, which may be
 * hostile. Every backend checks them here before touching anything, so a key can never name a
 * place outside the storage URL's prefix.
 */
const MAX_KEY_BYTES = 1024;

export function checkKey(key: string, where: string): string {
  const problem = keyProblem(key, false);
  if (problem) {
    throw new StorageError(`invalid object key ${JSON.stringify(key)} for ${where}: ${problem}`, {
      hint: "keys are relative paths like 'set/20261122T030000Z-abc.tar.zst' without '.' or '..' segments",
    });
  }
  return key;
}

/** A list prefix is a key prefix: '' lists everything, 'set/' one set. */
export function checkPrefix(prefix: string, where: string): string {
  const problem = prefix === '' ? undefined : keyProblem(prefix, true);
  if (problem) {
    throw new StorageError(
      `invalid list prefix ${JSON.stringify(prefix)} for ${where}: ${problem}`,
      {
        hint: "prefixes are relative paths like 'set/' without '.' or '..' segments",
      },
    );
  }
  return prefix;
}

function keyProblem(key: string, isPrefix: boolean): string | undefined {
  if (typeof key !== 'string' || key === '') return 'it is empty';
  if (key.startsWith('/')) return "it starts with '/'";
  if (key.includes('\\')) return "it contains '\\'";
  if (key.includes('\0')) return 'it contains a NUL character';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  const segments = key.split('/');
  // A prefix may end with '/', which leaves one empty last segment.
  if (isPrefix && segments.at(-1) === '') segments.pop();
  for (const s of segments) {
    if (s === '') return 'it has an empty path segment';
    if (s === '.' || s === '..') return `it has a '${s}' segment`;
  }
  return undefined;
}

/**
 * The small record of a set's last run of one command (result, time, last success), which
 * `notify-on: change` and the metrics read back on the next run. Not a backup: listing,
 * retention and restore match `<id>.manifest.json` only.
 */
export function lastRunKey(set: string, command: string): string {
  return `${set}/lifeboat-last-run.${command}.json`;
}

export const DRILL_SUFFIX = '.drill.json';

/**
 * A drill's result, beside the backup it drilled: its own object, so a drill never rewrites the
 * backup's (possibly immutable) archive or sidecars. Retention deletes it with the backup;
 * listing and restore never take it for a backup.
 */
export function drillKey(set: string, id: string): string {
  return `${set}/${id}${DRILL_SUFFIX}`;
}
