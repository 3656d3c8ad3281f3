import type { Inventory } from '../archive/types.ts';

/**
 * What a run did, filled in by the engine as it goes so that a failed run can still explain
 * itself: the faces render it (job summary, CLI text, --json) in a `finally`.
 */
export interface SourceReport {
  name: string;
  kind: string;
  url: string;
  bytes?: number;
  durationMs?: number;
  inventory?: Inventory;
  versions?: Record<string, string>;
  /** Restore: where this source was restored to (credentials removed). */
  target?: string;
  /** Restore: the backup's own inventory, to show beside what the restored data holds. */
  expectedInventory?: Inventory;
}

export interface DestinationReport {
  url: string;
  key?: string;
  ok: boolean;
  size?: number;
  sha256?: string;
  verified?: boolean;
  error?: string;
}

export interface BackupRow {
  set: string;
  id: string;
  time: string;
  size: number;
  sources: string;
  encrypted: boolean;
  verified: boolean;
  tags: string[];
  location: string;
  /** Set when the backup's sidecar manifest cannot be read or parsed: why. */
  damaged?: string;
  /** Incremental chains: 'full' or 'incremental' (absent on damaged rows). */
  kind?: 'full' | 'incremental';
  /** An incremental's parent backup id, and its position in the chain (the full backup is 0). */
  parent?: string;
  chainPosition?: number;
  /** Its last drill, when one was recorded. */
  drill?: { ok: boolean; finishedAt: string; rtoMs: number };
  /** With allowed-signers: whether `<id>.sig` is a good signature of the index by an allowed key. */
  signature?: 'signed' | 'unsigned' | 'bad';
  /** Why the signature is not good. */
  signatureProblem?: string;
  /** Encrypted backups: who can open it (age1… keys, SSH fingerprints). */
  recipients?: string[];
}

export class RunReport {
  readonly startedAt = Date.now();
  command: string;
  name?: string;
  backupId?: string;
  sha256?: string;
  size?: number;
  finishedMs?: number;
  sources: SourceReport[] = [];
  destinations: DestinationReport[] = [];
  backups: BackupRow[] = [];
  /** Free-form sections (retention plan, freshness) as markdown. */
  sections: Array<{ title: string; markdown: string }> = [];
  notes: string[] = [];
  /** Checks that passed, in order, as one line each (what a restore or verify proved). */
  proofs: string[] = [];
  outputs: Record<string, string> = {};
  error?: string;
  /** Who was told about this run (notify targets), for the summary. */
  notifications: Array<{ target: string; ok: boolean; detail: string }> = [];
  /** The drill's result, for the metrics (set by drill). */
  drill?: { ok: boolean; rtoMs: number };
  /**
   * The safety backups a restore took before replacing its targets: each a run of its own with
   * its own report, so this one keeps the restored backup's facts.
   */
  safetyBackups: RunReport[] = [];

  constructor(command: string) {
    this.command = command;
  }

  get durationMs(): number {
    return (this.finishedMs ?? Date.now()) - this.startedAt;
  }
}
