/**
 * The dashboard's data: what `lifeboat report` gathers from the destinations, written as
 * `catalog.json` and rendered into the site. Plain JSON (times as ISO strings) so machines
 * read the same facts the page shows.
 */
export const CATALOG_VERSION = 1;

/** Worst first: the overview sorts by it and a set shows the worst that applies. */
export const SET_STATES = [
  'damaged',
  'failing',
  'late',
  'never-drilled',
  'unscheduled',
  'fresh',
] as const;
export type SetState = (typeof SET_STATES)[number];

export const STATE_LABELS: Readonly<Record<SetState, string>> = {
  damaged: 'damaged',
  failing: 'failing',
  late: 'late',
  'never-drilled': 'never drilled',
  unscheduled: 'no schedule',
  fresh: 'fresh',
};

/** `<id>.drill.json`, as `lifeboat drill` stores it beside the backup. */
export interface DrillRecord {
  version: number;
  backupId: string;
  set: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  rtoMs: number;
  backupAgeMs: number;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
}

export interface CatalogSource {
  name: string;
  kind: string;
  /** Credentials removed (as the manifest holds it). */
  url: string;
  versions: Record<string, string>;
  tables?: number;
  rows?: number;
  files?: number;
  totalBytes?: number;
}

/** One stored copy of a backup. */
export interface CatalogCopy {
  destination: string;
  key: string;
  size: number;
  /** Why this copy's manifest cannot be used, when it cannot. */
  damaged?: string;
}

export interface CatalogBackup {
  id: string;
  createdAt: string;
  finishedAt?: string;
  durationMs?: number;
  size: number;
  sha256: string;
  compression?: string;
  encrypted: boolean;
  signed: boolean;
  /** Incremental chains: 'full' or 'incremental', the parent's id and the position (full = 0). */
  kind?: 'full' | 'incremental';
  parent?: string;
  chainPosition?: number;
  /** When the stored archive was read back and matched. */
  verifiedAt?: string;
  /** Read back, or size and sha256 confirmed by the store: retention and freshness count it. */
  confirmed: boolean;
  tags: string[];
  tool?: string;
  sources: CatalogSource[];
  copies: CatalogCopy[];
  /** Set when no copy has a usable manifest. */
  damaged?: string;
  drill?: DrillRecord;
}

export interface RetentionPreview {
  destination: string;
  policy: string;
  keep: Array<{ id: string; reasons: string[] }>;
  remove: Array<{ id: string; reasons: string[] }>;
}

export interface CatalogSet {
  name: string;
  state: SetState;
  /** One sentence: why the set is in this state. */
  reason: string;
  newestGood?: { id: string; createdAt: string; ageMs: number };
  schedule: string[];
  nextExpected?: string;
  lastExpected?: string;
  expectedIntervalMs?: number;
  /** Scheduled runs since the newest good backup whose grace is over. */
  missedRuns?: number;
  lastDrill?: DrillRecord;
  storage: Array<{ destination: string; bytes: number; objects: number }>;
  /** Oldest first. */
  backups: CatalogBackup[];
  /** Scheduled runs in the timeline's window that left no good backup (ISO times). */
  gaps: string[];
  retention: RetentionPreview[];
  links: { runBackup?: string; restore?: string };
}

export interface Catalog {
  version: number;
  generatedAt: string;
  tool: string;
  destinations: Array<{ url: string; error?: string }>;
  sets: CatalogSet[];
}
