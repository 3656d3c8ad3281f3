import type { Options } from '../options/parse.ts';
import { bool, lines } from '../options/parse.ts';
import { RunReport, type DestinationReport } from '../report/report.ts';
import { keyValueTable } from '../report/summary.ts';
import type { SidecarManifest, SourceManifest } from '../archive/types.ts';
import type { StagedRestore } from '../sources/types.ts';
import { driverForKind } from '../sources/registry.ts';
import { createBackup, type BackupOutcome } from './backup.ts';
import { encryptionFor, recipientsOf, type Encryption } from './encryption.ts';
import type { RunContext } from '../core/context.ts';
import { registerUrlSecrets, useDestinations, type CatalogEntry } from './destinations.ts';
import {
  ConfigError,
  IntegrityError,
  LifeboatError,
  SourceError,
  StorageError,
  describeError,
} from '../core/errors.ts';
import { endPhase, formatBytes, formatDuration, redactUrl, startPhase } from '../core/log.ts';
import { parseNamedLines } from '../core/url.ts';
import { readStoredArchive, type SourceReader } from './stored-archive.ts';
import { proveChainAnywhere } from './chain.ts';
import { chooseBackup, fullManifest, readKeysFor } from './choose-backup.ts';
import type { RunSession } from './session.ts';

/**
 * Restore, in two phases and one read of the stored object. Phase one: the archive streams once
 * (its `.sha256` sidecar checked first), every chunk checked as it passes, and each source's
 * driver stages its members in a new temporary database, file or folder and checks them there.
 * Only when the whole archive is proven (stored size and sha256, the inner manifest against the
 * sidecar and against what was read, the header id) does phase two commit each staged source
 * into its target. Any failure before that aborts every stage: the targets are untouched.
 */
export async function restoreBackup(
  session: RunSession,
  /** The backup, already chosen and opened by the caller (a drill), on a destination it closes. */
  chosen?: { entry: CatalogEntry; manifest: SidecarManifest },
): Promise<void> {
  const { options, ctx, report } = session;
  const keys = readKeysFor(session);
  const ownEncryption = encryptionFor(options, ctx, 'safety');
  const destinations = chosen ? [] : await useDestinations(session);
  const sctx = await session.sourceContext();
  const entry = chosen?.entry ?? (await chooseBackup(session, destinations, keys)).entry;
  const manifest = chosen?.manifest ?? (await fullManifest(entry, keys.identities));
  const { destination } = entry;
  // The safety backup of a target replaced by an encrypted backup is encrypted too: to the
  // recipients given, else to the identities that opened this one.
  const safetyEncryption =
    ownEncryption ??
    (manifest.encrypted && keys.identities ? recipientsOf(keys.identities) : undefined);
  report.name = entry.set;
  report.backupId = entry.id;
  report.sha256 = manifest.archive.sha256;
  report.size = manifest.archive.size;
  const readFrom: DestinationReport = {
    url: destination.displayUrl,
    key: manifest.archive.key,
    ok: true,
    size: manifest.archive.size,
    sha256: manifest.archive.sha256,
    verified: false,
  };
  report.destinations.push(readFrom);
  const targets = resolveTargets(
    lines(options, 'target'),
    manifest.sources.map((s) => s.name),
  );
  for (const url of targets.values()) registerUrlSecrets(url, ctx);
  ctx.log.info(`Restoring ${entry.set}/${entry.id} from ${destination.displayUrl}`);

  const overwrite = bool(options, 'overwrite');
  const t0 = Date.now();
  const safety = new SafetyBackups(session, entry, safetyEncryption);
  const staged: Array<{ sm: SourceManifest; stage: StagedRestore }> = [];
  // Whatever happens, nothing staged outlives the restore (a committed stage's abort is a no-op).
  session.defer('remove what was staged', async () => {
    for (const { sm, stage } of staged) {
      await stage.abort().catch((err: unknown) => {
        ctx.log.warn(`could not remove what was staged for ${sm.name}: ${(err as Error).message}`);
      });
    }
  });

  startPhase(
    ctx.log,
    `Verify ${entry.set}/${entry.id} while staging every source; no target is touched until it is proven`,
  );
  const stageSource: SourceReader = async (sm, members) => {
    const target = targets.get(sm.name)!;
    const driver = await driverForKind(sm.kind);
    ctx.log.info(`Staging ${sm.name} (${sm.kind}) for ${redactUrl(target)}…`);
    const stage = await driver.stage(
      members,
      {
        target,
        overwrite,
        manifest: sm,
        backupId: entry.id,
        safetyBackup: (sourceUrl) => safety.take(sm.name, sourceUrl),
      },
      sctx,
    );
    staged.push({ sm, stage });
  };
  // An incremental backup is its whole chain: every link is proven (into a private scratch
  // folder) before anything is staged beside a target.
  // Each link is opened with the run's key and, with allowed-signers, its signature checked.
  if (manifest.kind === 'incremental') {
    const { chain, proven } = await proveChainAnywhere(
      { ...entry, manifest },
      destinations,
      ctx,
      sctx,
      keys,
    );
    readFrom.url = chain.at(-1)!.destination.displayUrl;
    for (const sm of manifest.sources) {
      const p = proven.get(sm.name)!;
      await stageSource(p.manifest, p.members);
    }
    report.proofs.push(
      `every link of the chain (${chain.map((c) => c.id).join(' → ')}) was proven as below before anything was staged`,
    );
  } else {
    await readStoredArchive(destination, manifest, ctx, sctx, stageSource, {
      checkSha256Sidecar: true,
      ...(keys.identities ? { identities: keys.identities } : {}),
    });
  }
  endPhase(ctx.log);

  readFrom.verified = true;
  report.outputs['verified'] = 'true';
  report.proofs.push(
    `the .sha256 sidecar agrees with the manifest, and the stored object's size (${formatBytes(manifest.archive.size)}) and sha256 match it`,
    `every chunk's sha256 (${chunkCount(manifest)} chunks), the archive header and the inner manifest match the sidecar manifest`,
    'every source was staged apart from its target; no target was touched before all of the above',
  );
  const locations = await commitStaged(session, staged, targets, safety);
  report.outputs['location'] = locations.join('\n');
  ctx.log.info(
    `Restored ${entry.set}/${entry.id} in ${formatDuration(Date.now() - t0)} to ${locations.join(', ')}`,
  );
}

/**
 * Phase two: each staged source committed into its target, in order. A failed commit puts back
 * the ones already committed where their driver can, and says where everything is.
 */
async function commitStaged(
  session: RunSession,
  staged: Array<{ sm: SourceManifest; stage: StagedRestore }>,
  targets: Map<string, string>,
  safety: SafetyBackups,
): Promise<string[]> {
  const { ctx, report } = session;
  const locations: string[] = [];
  const committed: CommittedSource[] = [];
  for (const { sm, stage } of staged) {
    startPhase(ctx.log, `Restore ${sm.name} (${sm.kind}) into ${redactUrl(targets.get(sm.name)!)}`);
    let result;
    try {
      result = await stage.commit();
    } catch (err) {
      const own = safety.of(sm.name);
      const notReached = staged.slice(committed.length + 1).map((s) => s.sm.name);
      await rollBack(committed, ctx);
      throw afterPartialCommit(withSafetyHint(err, own ? [own] : []), committed, notReached);
    }
    committed.push({
      name: sm.name,
      location: result.location,
      safety: safety.of(sm.name),
      replaced: result.replaced === true,
      rollback: stage.rollback?.bind(stage),
      rolledBack: false,
      rollbackError: undefined,
    });
    locations.push(result.location);
    for (const note of result.notes ?? []) report.notes.push(note);
    report.sources.push({
      name: sm.name,
      kind: sm.kind,
      url: result.location,
      target: result.location,
      expectedInventory: sm.inventory,
      ...(result.inventory ? { inventory: result.inventory } : {}),
    });
    endPhase(ctx.log);
  }
  return locations;
}

/**
 * The safety backups a restore takes of the targets it replaces (drivers ask for one just
 * before their commit replaces data). Each is a run of its own: its own session and report, so
 * the restore's report keeps the restored backup's sha256, size and destinations; the restore's
 * report lists each one's report (`safetyBackups`) and gives it its own section, failed or not.
 */
class SafetyBackups {
  private readonly refs = new Map<string, string>();
  private readonly session: RunSession;
  private readonly entry: CatalogEntry;
  private readonly encryption: Encryption | undefined;

  constructor(session: RunSession, entry: CatalogEntry, encryption: Encryption | undefined) {
    this.session = session;
    this.entry = entry;
    this.encryption = encryption;
  }

  /** The safety backup taken of a source's target, as set/id. */
  of(source: string): string | undefined {
    return this.refs.get(source);
  }

  async take(source: string, sourceUrl: string): Promise<string> {
    const { ctx, report, options } = this.session;
    ctx.log.info(`Taking a safety backup of ${redactUrl(sourceUrl)} before overwriting it…`);
    const safetyOptions: Options = {
      command: 'backup',
      values: { ...options.values, source: [`${source}=${sourceUrl}`], command: 'backup' },
    };
    const own = new RunReport('backup');
    report.safetyBackups.push(own);
    const title = `Safety backup of ${source}`;
    let outcome: BackupOutcome;
    try {
      outcome = await this.session.runOwn(safetyOptions, own, (s) =>
        createBackup(s, {
          tags: ['safety'],
          set: `${this.entry.set}-safety`,
          destinations: [this.entry.destination],
          ...(this.encryption ? { encryption: this.encryption } : {}),
        }),
      );
    } catch (err) {
      own.error = describeError(err);
      own.finishedMs = Date.now();
      report.sections.push({
        title: `${title}: failed, the target was not replaced`,
        markdown: safetyTable(own, sourceUrl),
      });
      throw err;
    }
    own.finishedMs = Date.now();
    const ref = `${outcome.set}/${outcome.id}`;
    this.refs.set(source, ref);
    report.outputs['safety-backup-id'] = [...this.refs.values()].join('\n');
    report.sections.push({ title, markdown: safetyTable(own, sourceUrl) });
    return outcome.id;
  }
}

/** A safety backup's own report as the restore's summary shows it. */
function safetyTable(own: RunReport, sourceUrl: string): string {
  const rows: Array<[string, string]> = [];
  if (own.name && own.backupId) rows.push(['backup', `\`${own.name}/${own.backupId}\``]);
  rows.push(['taken of', redactUrl(sourceUrl)]);
  if (own.size !== undefined) rows.push(['size', formatBytes(own.size)]);
  if (own.sha256) rows.push(['sha256', `\`${own.sha256}\``]);
  const stored = own.destinations.filter((d) => d.ok).map((d) => d.url);
  if (stored.length) rows.push(['stored at', stored.join(', ')]);
  if (own.error) rows.push(['error', own.error]);
  return keyValueTable(rows);
}

function chunkCount(manifest: {
  sources: Array<{ members: Array<{ chunks?: unknown[] }> }>;
}): number {
  return manifest.sources.reduce(
    (n, s) => n + s.members.reduce((m, r) => m + (r.chunks?.length ?? 0), 0),
    0,
  );
}

/** A failed overwrite says where the previous data is kept. */
function withSafetyHint(err: unknown, safetyBackups: string[]): unknown {
  if (!safetyBackups.length) return err;
  const where = `the previous data is in the safety backup ${safetyBackups.join(', ')}`;
  if (err instanceof ConfigError) {
    const message = err.option ? err.message.slice(`${err.option}: `.length) : err.message;
    return new ConfigError(err.option, message, {
      cause: err.cause,
      hint: err.hintTemplate ? `${err.hintTemplate}; ${where}` : where,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  const hint =
    err instanceof LifeboatError && err.hintTemplate ? `${err.hintTemplate}; ${where}` : where;
  return new (sameKindAs(err))(message, { cause: err, hint });
}

/** The non-config error class matching `err`, so a rewrapped error keeps its exit code. */
function sameKindAs(
  err: unknown,
): typeof IntegrityError | typeof StorageError | typeof SourceError {
  if (err instanceof IntegrityError) return IntegrityError;
  if (err instanceof StorageError) return StorageError;
  return SourceError;
}

interface CommittedSource {
  name: string;
  location: string;
  /** The safety backup of the data it replaced, when it replaced any. */
  safety: string | undefined;
  replaced: boolean;
  rollback: (() => Promise<void>) | undefined;
  rolledBack: boolean;
  rollbackError: string | undefined;
}

/** A later commit failed: put back what the drivers can (newest first), note what they cannot. */
async function rollBack(committed: CommittedSource[], ctx: RunContext): Promise<void> {
  for (const c of [...committed].reverse()) {
    if (!c.rollback) continue;
    try {
      await c.rollback();
      c.rolledBack = true;
      ctx.log.info(`Put ${c.location} back as it was before this restore`);
    } catch (err) {
      c.rollbackError = err instanceof Error ? err.message : String(err);
    }
  }
}

/**
 * Sources are committed one after another. When a later one fails, the earlier ones are put back
 * where their driver can (a rename or swap); the message says exactly which targets were put back,
 * which still hold the restored data and where the data they replaced went, and which sources
 * were never reached, so nobody has to guess at 3 a.m.
 */
function afterPartialCommit(
  err: unknown,
  committed: CommittedSource[],
  notReached: string[],
): unknown {
  if (!committed.length) return err;
  const back = committed.filter((c) => c.rolledBack);
  const left = committed.filter((c) => !c.rolledBack);
  const parts = [errorText(err)];
  if (back.length) {
    parts.push(`put back as they were: ${back.map((c) => `${c.name} (${c.location})`).join(', ')}`);
  }
  if (left.length) {
    const why = (c: CommittedSource) =>
      c.rollbackError
        ? `; putting it back failed: ${c.rollbackError}`
        : c.rollback
          ? ''
          : '; its commit cannot be undone';
    parts.push(
      `already restored before this failure, and left in place: ${left
        .map((c) => `${c.name} into ${c.location} (${replacedWhat(c)}${why(c)})`)
        .join(', ')}`,
    );
  }
  if (notReached.length) parts.push(`not restored: ${notReached.join(', ')}`);
  const text = parts.join('; ');
  const hint = left.length
    ? 'fix the cause and restore again with {{option:overwrite=true}}, or restore the safety backups named above to go back'
    : 'fix the cause and restore again: every target is as it was before this restore';
  return rewrap(
    err,
    text,
    err instanceof LifeboatError && err.hintTemplate ? `${err.hintTemplate}; ${hint}` : hint,
  );
}

function replacedWhat(c: CommittedSource): string {
  if (c.safety) return `the data it replaced is in the safety backup ${c.safety}`;
  if (c.replaced) return 'it replaced the data there, of which no safety backup was taken';
  return 'a new target, nothing was replaced';
}

function errorText(err: unknown): string {
  if (err instanceof ConfigError && err.option) return err.message.slice(`${err.option}: `.length);
  return err instanceof Error ? err.message : String(err);
}

/** The same kind of error with a new message and hint, so the exit code does not change. */
function rewrap(err: unknown, message: string, hint: string): LifeboatError {
  if (err instanceof ConfigError) return new ConfigError(err.option, message, { cause: err, hint });
  return new (sameKindAs(err))(message, { cause: err, hint });
}

/** Maps each archived source to a target URL. A single unnamed target fits a single source. */
export function resolveTargets(targetLines: string[], sourceNames: string[]): Map<string, string> {
  const parsed = parseNamedLines(targetLines);
  if (parsed.length === 0) {
    throw new ConfigError('target', 'is required for restore', {
      hint: 'name a new place to restore into, e.g. sqlite:./restored.db, dir:./restored or postgres://host/newdb',
    });
  }
  const map = new Map<string, string>();
  if (parsed.length === 1 && !parsed[0]!.name) {
    if (sourceNames.length !== 1) {
      throw new ConfigError(
        'target',
        `this backup holds ${sourceNames.length} sources (${sourceNames.join(', ')})`,
        {
          hint: 'give one target per source as name=URL lines',
        },
      );
    }
    map.set(sourceNames[0]!, parsed[0]!.url);
    return map;
  }
  for (const { name, url } of parsed) {
    if (!name)
      throw new ConfigError('target', `'${redactUrl(url)}' has no source name`, {
        hint: 'write name=URL',
      });
    if (!sourceNames.includes(name)) {
      throw new ConfigError('target', `the backup has no source named '${name}'`, {
        hint: `its sources are: ${sourceNames.join(', ')}`,
      });
    }
    map.set(name, url);
  }
  const missing = sourceNames.filter((n) => !map.has(n));
  if (missing.length) {
    throw new ConfigError('target', `no target for source(s) ${missing.join(', ')}`, {
      hint: 'add name=URL lines for them',
    });
  }
  return map;
}
