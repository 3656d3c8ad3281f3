import type { ArchiveEntry, Inventory, MemberSink, SourceManifest } from '../archive/types.ts';
import type { Logger, Redactor } from '../engine/log.ts';

export interface SourceContext {
  log: Logger;
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  /** Folder that relative paths in URLs are resolved against. */
  cwd?: string;
  /** A private temporary folder for this run, removed afterwards. */
  tmpDir: string;
  /** Options a source may read (exclude, overwrite, …), by option name. */
  options: Readonly<Record<string, unknown>>;
  signal?: AbortSignal;
  /**
   * Provided by the action face on GitHub-hosted runners: install a client tool of a given
   * major version (e.g. 'pg_dump', '17') and return the folder holding its binaries, or
   * undefined when it cannot. The engine never installs anything itself.
   */
  provideTool?: (tool: string, majorVersion: string) => Promise<string | undefined>;
}

export interface DumpResult {
  versions: Record<string, string>;
  inventory: Inventory;
  details?: Record<string, unknown>;
}

/** A configured source, ready to dump. */
export interface Source {
  readonly kind: string;
  /** URL with credentials removed. */
  readonly displayUrl: string;
  /** Write the dump into the sink. Throws SourceError when the dump is incomplete for any reason. */
  dump(sink: MemberSink, ctx: SourceContext): Promise<DumpResult>;
}

export interface RestoreRequest {
  /** Target URL (or path) the user named; a source validates it and throws ConfigError if wrong. */
  target: string;
  /** Replace an existing non-empty target. Without it, a non-empty target is refused. */
  overwrite: boolean;
  /** The manifest section of the source being restored. */
  manifest: SourceManifest;
  backupId: string;
  /**
   * Take a normal backup of the current target (tagged 'safety') before overwriting it;
   * returns its backup id. Provided by the engine; databases call it when overwriting.
   */
  safetyBackup?: (sourceUrl: string) => Promise<string>;
}

export interface RestoreResult {
  /** Where the data now is, credentials removed. */
  location: string;
  inventory?: Inventory;
  /** Lines worth showing in the log and summary. */
  notes?: string[];
  /** The commit replaced data that was there (with or without a safety backup). */
  replaced?: boolean;
}

/**
 * A restore's first phase, done: the data sits in a new temporary database, file or folder (for
 * Redis, a checked spool; nothing applied), checked by the source itself. The target is untouched
 * until `commit`; `abort` removes what was staged.
 */
export interface StagedRestore {
  /** Where commit will put the data, credentials removed. */
  location: string;
  /**
   * Move the staged data into place (rename, swap, apply), taking the safety backup first when
   * it replaces existing data. Called once, only after every check of the archive passed.
   */
  commit(): Promise<RestoreResult>;
  /** Remove whatever was staged. Idempotent; safe after a failed or successful commit. */
  abort(): Promise<void>;
  /**
   * Put the target back as it was before a successful commit, when a later source of the same
   * restore fails. Only drivers whose commit is a rename or swap have one (Redis's replay cannot
   * be undone); called before abort.
   */
  rollback?(): Promise<void>;
}

/** One kind of source: one file in src/sources and one line in the registry. */
export interface SourceDriver {
  kind: string;
  /** URL schemes (without ':') this driver accepts, e.g. ['postgres', 'postgresql']. */
  schemes: string[];
  /** Validate a source URL (ConfigError naming the option on bad input) and return a Source. */
  open(url: string, ctx: SourceContext): Source;
  /**
   * Restore's first phase: read the members of one source folder (all of them) into a new
   * temporary place beside the target and check the result (structure, inventory). Refuses a
   * non-empty target without overwrite before reading anything. Throws after cleaning up.
   */
  stage(
    members: AsyncIterable<ArchiveEntry>,
    request: RestoreRequest,
    ctx: SourceContext,
  ): Promise<StagedRestore>;
  /** Structural check of the dumped members (beyond checksums): integrity_check, pg_restore --list, … */
  verify?(
    members: AsyncIterable<ArchiveEntry>,
    manifest: SourceManifest,
    ctx: SourceContext,
  ): Promise<void>;
  /** Inventory of a live target (for drills and overwrite checks). */
  inventory?(url: string, ctx: SourceContext): Promise<Inventory>;
}

/** Both phases at once, for callers that have already proven the archive (and for tests). */
export async function restoreNow(
  driver: SourceDriver,
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<RestoreResult> {
  const staged = await driver.stage(members, request, ctx);
  try {
    return await staged.commit();
  } finally {
    await staged.abort();
  }
}
