import { rm } from 'node:fs/promises';
import type { Options } from '../options/parse.ts';
import { bool, lines, str } from '../options/parse.ts';
import { RunReport } from '../report/report.ts';
import { keyValueTable } from '../report/summary.ts';
import type { ArchiveEntry, SourceManifest } from '../archive/types.ts';
import type { StagedRestore } from '../sources/types.ts';
import { driverForKind } from '../sources/registry.ts';
import { createBackup, sourceContext } from './backup.ts';
import { decryptionFor, encryptionFor, openManifest, recipientsOf } from './encryption.ts';
import { allowedSignersFor, requireSignature } from './signing.ts';
import { createRunTemp, runTempRoot } from '../core/temp.ts';
import type { RunContext } from '../core/context.ts';
import {
  closeDestinations,
  findBackup,
  openDestinations,
  registerUrlSecrets,
  type CatalogEntry,
} from './destinations.ts';
import {
  ConfigError,
  IntegrityError,
  LifeboatError,
  SourceError,
  StorageError,
} from '../core/errors.ts';
import { endPhase, formatBytes, formatDuration, redactUrl, startPhase } from '../core/log.ts';
import { parseNamedLines } from '../core/url.ts';
import { verifyStoredBackup } from './verify.ts';
import { proveChainAnywhere } from './chain.ts';

/**
 * Restore, in two phases and one read of the stored object. Phase one: the archive streams once
 * (its `.sha256` sidecar checked first), every chunk checked as it passes, and each source's
 * driver stages its members in a new temporary database, file or folder and checks them there.
 * Only when the whole archive is proven (stored size and sha256, the inner manifest against the
 * sidecar and against what was read, the header id) does phase two commit each staged source
 * into its target. Any failure before that aborts every stage: the targets are untouched.
 */
export async function restoreBackup(
  options: Options,
  ctx: RunContext,
  report: RunReport,
  /** The backup, already found by the caller (a drill), on a destination the caller closes. */
  found?: CatalogEntry,
): Promise<void> {
  const identities = decryptionFor(options, ctx);
  const ownEncryption = encryptionFor(options, ctx, 'safety');
  const signers = allowedSignersFor(options, ctx);
  const destinations = found ? [] : await openDestinations(options, ctx);
  const tmpDir = await createRunTemp(runTempRoot(ctx));
  const sctx = sourceContext(ctx, options, tmpDir);
  const staged: Array<{ sm: SourceManifest; stage: StagedRestore }> = [];
  const safetyBackups: string[] = [];
  const safetyOf = new Map<string, string>();
  try {
    const entry =
      found ??
      (await findBackup(
        destinations,
        str(options, 'name'),
        str(options, 'backup') ?? 'latest',
        ctx,
      ));
    const { destination } = entry;
    // An encrypted backup's full manifest is sealed: without the right key this fails here,
    // before any target is looked at.
    // A required signature is checked first: an unsigned or planted backup is refused before
    // its index is trusted for anything, and the index used is exactly the one signed.
    if (signers) entry.manifest = await requireSignature(destination, entry, signers, ctx);
    const manifest = await openManifest(entry.manifest, identities, `${entry.set}/${entry.id}`);
    // The safety backup of a target replaced by an encrypted backup is encrypted too: to the
    // recipients given, else to the identities that opened this one.
    const safetyEncryption =
      ownEncryption ?? (manifest.encrypted && identities ? recipientsOf(identities) : undefined);
    report.name = entry.set;
    report.backupId = entry.id;
    report.sha256 = manifest.archive.sha256;
    report.size = manifest.archive.size;
    const readFrom: RunReport['destinations'][number] = {
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
    const safetyBackup = (source: string) => async (sourceUrl: string) => {
      ctx.log.info(`Taking a safety backup of ${redactUrl(sourceUrl)} before overwriting it…`);
      const safetyOptions: Options = {
        command: 'backup',
        values: { ...options.values, source: [`${source}=${sourceUrl}`], command: 'backup' },
      };
      // Its own report: the restore's sha256, size and destinations stay the restored backup's.
      const safetyReport = new RunReport('backup');
      const outcome = await createBackup(safetyOptions, ctx, safetyReport, {
        tags: ['safety'],
        set: `${entry.set}-safety`,
        destinations: [destination],
        ...(safetyEncryption ? { encryption: safetyEncryption } : {}),
      });
      const ref = `${outcome.set}/${outcome.id}`;
      safetyBackups.push(ref);
      safetyOf.set(source, ref);
      report.outputs['safety-backup-id'] = safetyBackups.join('\n');
      report.sections.push({
        title: `Safety backup of ${source}`,
        markdown: keyValueTable([
          ['backup', `\`${ref}\``],
          ['taken of', redactUrl(sourceUrl)],
          ['size', formatBytes(outcome.manifest.archive.size)],
          ['sha256', `\`${outcome.manifest.archive.sha256}\``],
          ['stored at', outcome.stored.map((d) => d.displayUrl).join(', ')],
        ]),
      });
      return outcome.id;
    };

    startPhase(
      ctx.log,
      `Verify ${entry.set}/${entry.id} while staging every source; no target is touched until it is proven`,
    );
    const stageSource = async (sm: SourceManifest, members: AsyncIterable<ArchiveEntry>) => {
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
          safetyBackup: safetyBackup(sm.name),
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
        { identities, signers },
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
      await verifyStoredBackup(destination, manifest, ctx, sctx, {
        structural: false,
        checkSha256Sidecar: true,
        ...(identities ? { identities } : {}),
        onSource: stageSource,
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
    const locations: string[] = [];
    const committed: CommittedSource[] = [];
    for (const { sm, stage } of staged) {
      startPhase(
        ctx.log,
        `Restore ${sm.name} (${sm.kind}) into ${redactUrl(targets.get(sm.name)!)}`,
      );
      let result;
      try {
        result = await stage.commit();
      } catch (err) {
        const own = safetyOf.get(sm.name);
        const notReached = staged.slice(committed.length + 1).map((s) => s.sm.name);
        await rollBack(committed, ctx);
        throw afterPartialCommit(withSafetyHint(err, own ? [own] : []), committed, notReached);
      }
      committed.push({
        name: sm.name,
        location: result.location,
        safety: safetyOf.get(sm.name),
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
    report.outputs['location'] = locations.join('\n');
    ctx.log.info(
      `Restored ${entry.set}/${entry.id} in ${formatDuration(Date.now() - t0)} to ${locations.join(', ')}`,
    );
  } finally {
    for (const { sm, stage } of staged) {
      await stage.abort().catch((err: unknown) => {
        ctx.log.warn(`could not remove what was staged for ${sm.name}: ${(err as Error).message}`);
      });
    }
    await rm(tmpDir, { recursive: true, force: true });
    await closeDestinations(destinations);
  }
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
