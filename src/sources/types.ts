import type {
  ArchiveEntry,
  Inventory,
  MemberSink,
  SourceIncremental,
  SourceManifest,
} from '../archive/types.ts';
import type { Logger, Redactor } from '../core/log.ts';
import type { OptionValues } from '../options/schema.ts';

export interface SourceContext {
  log: Logger;
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  /** Folder that relative paths in URLs are resolved against. */
  cwd?: string;
  /** A private temporary folder for this run, removed afterwards. */
  tmpDir: string;
  /** The parsed options, typed by the schema: a misspelt name does not compile. */
  options: Readonly<OptionValues>;
  signal?: AbortSignal;
  /**
   * Provided by the action face on GitHub-hosted runners: install a client tool of a given
   * major version (e.g. 'pg_dump', '17') and return the folder holding its binaries, or
   * undefined when it cannot. The engine never installs anything itself.
   */
  provideTool?: (tool: string, majorVersion: string) => Promise<string | undefined>;
}

/** Relative paths are relative to the run's working directory, when the engine passes one. */
export function workingDir(ctx: SourceContext): string {
  const cwd = ctx.cwd;
  return typeof cwd === 'string' && cwd ? cwd : process.cwd();
}

export interface DumpResult {
  versions: Record<string, string>;
  inventory: Inventory;
  details?: Record<string, unknown>;
  /** Incremental dumps: what was referenced from the parent instead of stored. */
  incremental?: SourceIncremental;
}

/**
 * Passed to `dump` when the backup is part of an incremental chain. Without `parent` the dump
 * is the chain's full backup: it stores everything, plus whatever the next incremental needs
 * (SQLite: the page hashes).
 */
export interface IncrementalDump {
  parent?: {
    id: string;
    /** The parent's manifest section of this source (its whole state: members + unchanged). */
    manifest: SourceManifest;
    /** One member of this source from the parent's archive, checked against its manifest. */
    readMember(path: string): Promise<Buffer>;
  };
  /** Hash every file instead of trusting size, mode and mtime (`incremental-rehash`). */
  rehash: boolean;
}

/** How a source kind takes part in incremental chains. */
export interface IncrementalSupport {
  /** Whether an incremental can follow this parent (e.g. it recorded the page hashes). */
  canFollow(parent: SourceManifest): boolean;
  /**
   * Restore side, called for each link of the chain, full backup first, while that link's
   * archive is being proven: keep in `scratch` (a private folder, the same for every link)
   * what the final state needs.
   */
  absorb(
    members: AsyncIterable<ArchiveEntry>,
    link: { id: string; manifest: SourceManifest },
    last: SourceManifest,
    scratch: string,
    ctx: SourceContext,
  ): Promise<void>;
  /**
   * Once every link was proven: the final state as the members of a full backup, and the
   * manifest section such a full backup would have had (for the driver's stage/verify).
   */
  assemble(
    last: SourceManifest,
    scratch: string,
    ctx: SourceContext,
  ): Promise<{ members: AsyncIterable<ArchiveEntry>; manifest: SourceManifest }>;
}

/** A configured source, ready to dump. */
export interface Source {
  readonly kind: string;
  /** URL with credentials removed. */
  readonly displayUrl: string;
  /** Write the dump into the sink. Throws SourceError when the dump is incomplete for any reason. */
  dump(sink: MemberSink, ctx: SourceContext, incremental?: IncrementalDump): Promise<DumpResult>;
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

/** One kind of source: one folder in src/sources (its code and its options.ts) and one line in the registry. */
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
  /** Present for kinds that support `mode: incremental` (dir, sqlite). */
  incremental?: IncrementalSupport;
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

/**
 * What each source kind records in its manifest's `details`. A driver's `dump()` types its own
 * (`const details: SourceDetails<'redis'> = …`) and reads a backup's back with
 * `detailsOf(manifest, kind)`. The manifest is JSON from storage, so that view is `Partial`:
 * every field may be missing, and is checked where it is used. Kinds not listed here still read
 * `manifest.details` as a plain record.
 */
export interface SourceDetailsByKind {
  mysql: {
    flavour: 'mysql' | 'mariadb';
    serverVersion: string;
    /** Every dumped database: its name, member and defaults. */
    databases: Array<{ name: string; member: string; charset: string; collation: string }>;
    /** `<flavour> <version>` of the dump tool. */
    dumpTool: string;
  };
  redis: {
    mode: 'auto' | 'rdb' | 'logical';
    /** The RDB snapshot taken, or why the server refused it. */
    rdb?:
      | { refused: string }
      | {
          member: string;
          rdbVersion: number | undefined;
          checkedWith: string | undefined;
          diskless: boolean;
        };
    /** The logical key stream and the databases it holds. */
    logical?: { member: string; databases: number[]; format: number };
  };
  sqlite: { pageSize: number; journalMode: string; sqliteVersion: string };
  dir: { glob?: boolean };
  chroma: {
    tenant: string;
    database: string;
    /** True when the URL named no collection and every collection of the database was taken. */
    allCollections: boolean;
    collections: Array<{
      name: string;
      records: number;
      idDigest: string;
      dimension: number | null;
    }>;
  };
  'chroma-dir': { collections: string[] };
}

export type SourceDetails<K extends keyof SourceDetailsByKind> = SourceDetailsByKind[K];

/** A backup's `details` as its kind wrote them; every field may be missing (untrusted JSON). */
export function detailsOf<K extends keyof SourceDetailsByKind>(
  manifest: SourceManifest,
  _kind: K,
): Partial<SourceDetails<K>> {
  // `_kind` only names the view: the engine picked the driver by manifest.kind already.
  return (manifest.details ?? {}) as Partial<SourceDetails<K>>;
}
