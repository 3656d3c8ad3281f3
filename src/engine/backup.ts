import { Readable } from 'node:stream';
import { zstdImplementation } from '../archive/compression.ts';
import { sha256sumLine } from '../archive/hash.ts';
import type { Compression, SidecarManifest } from '../archive/types.ts';
import type { SigningKey } from '../archive/sshsig.ts';
import type { Options } from '../options/parse.ts';
import { bool, lines, str } from '../options/parse.ts';
import type { DestinationReport } from '../report/report.ts';
import {
  consistencyFailure,
  planConsistency,
  type ConsistencySpec,
} from '../sources/consistency.ts';
import { driverForUrl } from '../sources/registry.ts';
import type { Source, SourceContext } from '../sources/types.ts';
import type { RunContext } from '../core/context.ts';
import {
  ConfigError,
  IntegrityError,
  LifeboatError,
  StorageError,
  describeError,
  describeErrorTemplate,
} from '../core/errors.ts';
import { endPhase, formatBytes, redactUrl, startPhase } from '../core/log.ts';
import { parseNamedLines } from '../core/url.ts';
import { everyDestinationFailed, streamArchive, type StreamedArchive } from './backup-stream.ts';
import { planChain, type ChainPlan } from './chain.ts';
import { registerUrlSecrets, useDestinations, type OpenDestination } from './destinations.ts';
import { encryptionFor, publicIndex, type Encryption } from './encryption.ts';
import {
  backupGroup,
  backupKeys,
  deriveSetName,
  newBackupId,
  validateSetName,
  type BackupKeys,
} from './naming.ts';
import { sourceContextOf, type RunSession } from './session.ts';
import { signingKeyFor } from './signing.ts';
import { checkStoredArchive } from './verify.ts';

export interface PlannedSource {
  name: string;
  url: string;
  source: Source;
}

/** A source driver's view of a run (kept for callers that have no session at hand). */
export const sourceContext = sourceContextOf;

/** Parses the source lines into drivers, checking every URL before anything runs. */
export async function planSources(
  options: Options,
  ctx: RunContext,
  sctx: SourceContext,
): Promise<PlannedSource[]> {
  const parsed = parseNamedLines(lines(options, 'source'));
  if (parsed.length === 0) {
    throw new ConfigError('source', 'is required for backup', {
      hint: 'name what to back up, e.g. sqlite:./app.db or postgres://user@host/db',
    });
  }
  const planned: PlannedSource[] = [];
  for (const { name, url } of parsed) {
    registerUrlSecrets(url, ctx);
    const driver = await driverForUrl(url, 'source');
    const source = driver.open(url, sctx);
    let folder = name ?? driver.kind;
    if (name && planned.some((p) => p.name === name)) {
      throw new ConfigError('source', `the name '${name}' is used twice`, {
        hint: 'give each source its own name=',
      });
    }
    for (let i = 2; planned.some((p) => p.name === folder); i++)
      folder = `${name ?? driver.kind}-${i}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(folder) || folder.startsWith('lifeboat')) {
      throw new ConfigError('source', `'${folder}' is not a valid source name`, {
        hint: 'use letters, digits, dot, dash and underscore; names may not start with "lifeboat"',
      });
    }
    planned.push({ name: folder, url, source });
  }
  return planned;
}

export interface BackupOutcome {
  id: string;
  set: string;
  manifest: SidecarManifest;
  /** Destinations that hold a complete, checked copy. */
  stored: OpenDestination[];
}

export interface BackupRequest {
  /** Extra manifest tags ('safety'). */
  tags?: string[];
  /** Set name override (safety backups). */
  set?: string;
  /** Destinations already open (safety backups reuse the restore's). */
  destinations?: OpenDestination[];
  /** Destinations that failed their write probe: reported as failed, not written to. */
  unwritable?: Array<{ destination: OpenDestination; error: unknown }>;
  /** Recipients when not from the options (a safety backup of an encrypted restore). */
  encryption?: Encryption;
}

/** The set a backup goes to, from the options alone (no source is opened). */
export function backupSetName(options: Options, request: BackupRequest = {}): string {
  const first = parseNamedLines(lines(options, 'source'))[0];
  if (!first && !request.set && !str(options, 'name')) {
    throw new ConfigError('source', 'is required for backup', {
      hint: 'name what to back up, e.g. sqlite:./app.db or postgres://user@host/db',
    });
  }
  return validateSetName(request.set ?? str(options, 'name') ?? deriveSetName(first!.url));
}

/**
 * A backup in four steps, each a function of its own:
 * - plan: sources, destinations, id, keys, incremental chain and checks, before any byte moves;
 * - stream: dump → tar (chunked members) → compress → encrypt → every destination in one pass;
 * - commit: per destination, the stored copy is checked and only then its sidecars written (a
 *   backup is listed only once its index exists, so nothing incomplete looks like a backup);
 * - record: the report, and the run's verdict over every destination.
 */
export async function createBackup(
  session: RunSession,
  request: BackupRequest = {},
): Promise<BackupOutcome> {
  const plan = await planBackup(session, request);
  const streamed = await streamArchive(session, plan);
  const committed = await commitBackup(session, plan, streamed);
  return recordBackup(session, plan, streamed, committed);
}

export interface BackupPlan {
  id: string;
  set: string;
  started: Date;
  compression: Compression;
  keys: BackupKeys;
  sources: PlannedSource[];
  /** The destinations written to, and those that failed their lock or probe before. */
  destinations: OpenDestination[];
  unwritable: Array<{ destination: OpenDestination; error: unknown }>;
  chain: ChainPlan | undefined;
  consistency: ConsistencySpec[];
  encryption: Encryption | undefined;
  signingKey: SigningKey | undefined;
  tags: string[];
  sctx: SourceContext;
}

/** Everything decided before the first byte is dumped; bad input fails here. */
export async function planBackup(
  session: RunSession,
  request: BackupRequest = {},
): Promise<BackupPlan> {
  const { options, ctx, report } = session;
  const encryption = request.encryption ?? encryptionFor(options, ctx);
  const signingKey = signingKeyFor(options, ctx);
  const sctx = await session.sourceContext();
  const destinations = request.destinations ?? (await useDestinations(session));
  const sources = await planSources(options, ctx, sctx);
  const safety = request.tags?.includes('safety') === true;
  // A safety backup takes one source of a restore: the checks belong to scheduled backups.
  const consistency = planConsistency(
    safety ? [] : lines(options, 'consistency'),
    sources.map((p) => ({ name: p.name, kind: p.source.kind, url: p.url })),
    sctx,
  );
  const set = backupSetName(options, request);
  const unwritable = request.unwritable ?? [];
  const compression = (str(options, 'compression') ?? 'zstd') as Compression;
  const started = ctx.now();
  const id = newBackupId(started);
  const keys = backupKeys(set, id, compression, Boolean(encryption));
  report.name = set;
  report.backupId = id;
  // None could take even the lock and probe: nothing is dumped.
  if (destinations.length === 0) throw everyDestinationFailed(unwritable, report);
  // The archive, its sidecars and the manifest that commits them are one group to the stores.
  for (const d of destinations) d.storage.beginGroup?.(backupGroup(set, id, keys));
  // Safety backups (a restore's copy of its target) are always full.
  const chain = safety ? undefined : await planChain(options, ctx, destinations, set, sources);
  if (chain) {
    report.notes.push(
      chain.kind === 'full'
        ? 'full backup: starts a new incremental chain'
        : `incremental backup ${chain.position} of its chain, parent ${chain.parent!.id}`,
    );
  }
  ctx.log.info(
    `Backing up ${sources.map((p) => `${p.name} (${redactUrl(p.url)})`).join(', ')} as ${set}/${id} ` +
      `[${compression}${compression === 'zstd' ? ` via ${zstdImplementation()}` : ''}${encryption ? `, age-encrypted to ${encryption.fingerprints.join(', ')}` : ''}] to ${destinations.map((d) => d.displayUrl).join(', ')}`,
  );
  return {
    id,
    set,
    started,
    compression,
    keys,
    sources,
    destinations,
    unwritable,
    chain,
    consistency,
    encryption,
    signingKey,
    tags: request.tags ?? [],
    sctx,
  };
}

/** What one destination made of the backup. */
export interface DestinationOutcome {
  destination: OpenDestination;
  ok: boolean;
  verified: boolean;
  /** The sidecar manifest as committed there (with its read-back stamp). */
  sidecar?: SidecarManifest;
  error?: unknown;
}

export interface CommittedBackup {
  /** Per destination, in the plan's order (destinations that failed their probe not included). */
  outcomes: DestinationOutcome[];
  /** The sidecar manifest every destination commits (before its read-back stamp). */
  sidecar: SidecarManifest;
}

/**
 * Commits the streamed archive on every destination that received it whole: its bytes checked
 * against the reference (and, with verify-after-backup, read back), then its sidecars written.
 * A destination that fails is cleaned up so no half-written backup is left there; the others
 * go on.
 */
export async function commitBackup(
  session: RunSession,
  plan: BackupPlan,
  streamed: StreamedArchive,
): Promise<CommittedBackup> {
  const { ctx, options } = session;
  const { keys } = plan;
  const { sha256, size } = streamed.reference ?? { sha256: '', size: 0 };
  const sidecar: SidecarManifest = {
    ...streamed.manifest,
    archive: { key: keys.archive, size, sha256 },
  };
  const outcomes: DestinationOutcome[] = [];
  for (const [i, d] of plan.destinations.entries()) {
    const outcome: DestinationOutcome = { destination: d, ok: false, verified: false };
    outcomes.push(outcome);
    const put = streamed.puts[i]!;
    try {
      if (put.status === 'rejected') throw put.reason;
      if (put.value.sha256 !== sha256 || put.value.size !== size) {
        throw new IntegrityError(
          `${d.displayUrl} stored ${put.value.size} bytes with sha256 ${put.value.sha256}, but ${size} bytes with sha256 ${sha256} were sent`,
        );
      }
      const stored: SidecarManifest = { ...sidecar };
      if (bool(options, 'verify-after-backup')) {
        startPhase(ctx.log, `Read back ${keys.archive} from ${d.displayUrl}`);
        await checkStoredArchive(d, stored, { signal: session.signal });
        endPhase(ctx.log);
        stored.verifiedAt = ctx.now().toISOString();
        outcome.verified = true;
      }
      // A cancelled run must not make a backup visible: the sidecars come last.
      session.signal?.throwIfAborted();
      await writeSidecars(d, plan, stored);
      outcome.ok = true;
      outcome.sidecar = stored;
      ctx.log.info(
        `Stored ${formatBytes(size)} at ${d.displayUrl} ${keys.archive} (sha256 ${sha256})${plan.signingKey ? `, signed by ${plan.signingKey.fingerprint}` : ''}`,
      );
    } catch (err) {
      outcome.error = err;
      // A plain line: the run's one failure, which names every destination, is the error.
      ctx.log.info(`Destination ${d.displayUrl} failed: ${describeErrorTemplate(err)}`);
      await cleanupPartial(d, keys, ctx);
    }
  }
  return { outcomes, sidecar };
}

/**
 * The commit record on one destination: the `.sha256` sidecar, the signature, and last the
 * index (the sidecar manifest), whose existence is what makes the backup visible.
 */
async function writeSidecars(
  d: OpenDestination,
  plan: BackupPlan,
  sidecar: SidecarManifest,
): Promise<void> {
  const { keys, encryption, signingKey } = plan;
  await d.storage.put(
    keys.sha256,
    Readable.from([sha256sumLine(sidecar.archive.sha256, keys.archive.split('/').pop()!)]),
  );
  // An encrypted backup's sidecar is its public index; the manifest travels sealed.
  const index = encryption ? await publicIndex(sidecar, encryption) : sidecar;
  const indexText = JSON.stringify(index, null, 2) + '\n';
  // The signature covers the index bytes exactly (sha256 and size of the stored object
  // included); it is stored before the index, which is what makes a backup visible.
  if (signingKey) {
    await d.storage.put(
      keys.sig,
      Readable.from([signingKey.sign(Buffer.from(indexText, 'utf8'))]),
      {
        contentType: 'text/plain',
      },
    );
  }
  await d.storage.put(keys.manifest, Readable.from([indexText]), {
    contentType: 'application/json',
  });
}

/**
 * The report and the verdict: the archive's size and sha256 (when one was stored), one line per
 * destination (those that failed their probe first), and the run's one error when any
 * destination failed or the stores disagree (consistency).
 */
export function recordBackup(
  session: RunSession,
  plan: BackupPlan,
  streamed: StreamedArchive,
  committed: CommittedBackup,
): BackupOutcome {
  const { report } = session;
  const { keys } = plan;
  const { sha256, size } = committed.sidecar.archive;
  if (streamed.reference) {
    report.sha256 = sha256;
    report.size = size;
  }
  const failures: string[] = [];
  let integrity = false;
  for (const { destination, error } of plan.unwritable) {
    report.destinations.push({
      url: destination.displayUrl,
      key: keys.archive,
      ok: false,
      size,
      sha256,
      error: describeError(error),
      verified: false,
    });
    failures.push(`${destination.displayUrl}: ${describeErrorTemplate(error)}`);
  }
  for (const o of committed.outcomes) {
    const dr: DestinationReport = {
      url: o.destination.displayUrl,
      key: keys.archive,
      ok: o.ok,
      size,
      sha256,
      verified: o.verified,
    };
    if (!o.ok) {
      dr.error = describeError(o.error);
      failures.push(`${o.destination.displayUrl}: ${describeErrorTemplate(o.error)}`);
      if (o.error instanceof IntegrityError) integrity = true;
    }
    report.destinations.push(dr);
  }
  session.signal?.throwIfAborted();
  if (failures.length > 0) {
    const total = plan.destinations.length + plan.unwritable.length;
    const message = `${failures.length} of ${total} destination(s) failed: ${failures.join('; ')}`;
    // Bytes that disagree are an integrity failure however many destinations there are.
    throw integrity ? new IntegrityError(message) : new StorageError(message);
  }
  // The backup is stored and intact; stores that disagree still fail the run.
  const inconsistent = consistencyFailure(streamed.consistency, `${plan.set}/${plan.id}`);
  if (inconsistent) throw inconsistent;
  const stored = committed.outcomes.filter((o) => o.ok);
  return {
    id: plan.id,
    set: plan.set,
    manifest: stored[0]!.sidecar!,
    stored: stored.map((o) => o.destination),
  };
}

/** Removes whatever a failed backup may have left so nothing half-written looks like a backup. */
async function cleanupPartial(d: OpenDestination, keys: BackupKeys, ctx: RunContext) {
  for (const key of [keys.manifest, keys.sig, keys.sha256, keys.archive]) {
    try {
      await d.storage.delete(key);
    } catch (err) {
      ctx.log.warn(`could not remove ${key} from ${d.displayUrl}: ${(err as Error).message}`);
    }
  }
}

export function isLifeboatError(err: unknown): err is LifeboatError {
  return err instanceof LifeboatError;
}
