/**
 * `<id>.drill.json`: what a drill proved about one backup. Dashboards read this shape, so it
 * changes only with a new `version`.
 */
export interface DrillCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DrillRecord {
  version: 1;
  backupId: string;
  set: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  rtoMs: number;
  backupAgeMs: number;
  checks: DrillCheck[];
}

/** Reads a stored record; anything that is not one (hand-edited, truncated) is undefined. */
export function parseDrillRecord(text: string): DrillRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = v as DrillRecord;
  if (
    typeof r !== 'object' ||
    r === null ||
    r.version !== 1 ||
    typeof r.backupId !== 'string' ||
    typeof r.set !== 'string' ||
    typeof r.ok !== 'boolean' ||
    typeof r.startedAt !== 'string' ||
    typeof r.finishedAt !== 'string' ||
    typeof r.rtoMs !== 'number' ||
    typeof r.backupAgeMs !== 'number' ||
    !Array.isArray(r.checks)
  ) {
    return undefined;
  }
  return r;
}
