import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { compressStream, zstdImplementation } from '../archive/compression.ts';
import { HashingStream, sha256sumLine } from '../archive/hash.ts';
import { ArchiveWriter } from '../archive/writer.ts';
import type { Compression, Manifest, SidecarManifest, SourceManifest } from '../archive/types.ts';
import type { PutResult } from '../storage/types.ts';
import { FORMAT_VERSION } from '../archive/types.ts';
import type { Options } from '../options/parse.ts';
import { bool, lines, num, str } from '../options/parse.ts';
import type { DestinationReport, RunReport } from '../report/report.ts';
import {
  checkConsistency,
  consistencyFailure,
  describeConsistency,
  planConsistency,
  type ConsistencyResult,
  type ConsistencySpec,
} from '../sources/consistency.ts';
import { driverForUrl } from '../sources/registry.ts';
import type { Source, SourceContext } from '../sources/types.ts';
import type { RunContext } from '../core/context.ts';
import { createBranches, pumpToBranches } from './fanout.ts';
import { registerUrlSecrets, useDestinations, type OpenDestination } from './destinations.ts';
import { RunSession, sourceContextOf } from './session.ts';
import {
  ConfigError,
  IntegrityError,
  LifeboatError,
  SourceError,
  StorageError,
  describeError,
  describeErrorTemplate,
} from '../core/errors.ts';
import { endPhase, formatBytes, formatDuration, redactUrl, startPhase } from '../core/log.ts';
import {
  backupKeys,
  deriveSetName,
  newBackupId,
  validateSetName,
  type BackupKeys,
} from './naming.ts';
import { parseNamedLines } from '../core/url.ts';
import { progressOf } from '../core/progress.ts';
import { checkStoredArchive } from './verify.ts';
import { planChain, type ChainPlan } from './chain.ts';
import { encryptionFor, publicIndex, type Encryption } from './encryption.ts';
import { signingKeyFor } from './signing.ts';
import type { SigningKey } from '../archive/sshsig.ts';
import { AgeEncryptStream } from '../archive/age/index.ts';

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

export interface StreamedArchive {
  manifest: Manifest;
  /** Each destination's put of the archive, in the plan's order. */
  puts: Array<PromiseSettledResult<PutResult>>;
  /** The size and sha256 every store must hold; unset when the only put failed. */
  reference: { sha256: string; size: number } | undefined;
  consistency: ConsistencyResult[];
}

/**
 * One archive stream, written once: each source's dump writes members into the archive writer,
 * and the compressed (and encrypted) bytes go to every destination at the same time.
 */
export async function streamArchive(
  session: RunSession,
  plan: BackupPlan,
): Promise<StreamedArchive> {
  const { ctx, report, options } = session;
  const { destinations, keys, encryption, sctx } = plan;
  const writer = new ArchiveWriter();
  const compressor = compressStream(plan.compression);
  // Encryption is the last stage before the stores: what is hashed and stored is ciphertext.
  const encryptor = encryption ? new AgeEncryptStream(encryption.recipients) : undefined;
  // Each put hashes and counts the bytes it receives. With one destination that is the
  // reference; with several, one hash here is what every store must have received.
  const hasher = destinations.length > 1 ? new HashingStream() : undefined;
  const stages = [writer.stream, compressor, encryptor, hasher].filter(
    (s): s is NonNullable<typeof s> => s !== undefined,
  );
  const compressed = (pipeline as (...s: unknown[]) => Readable)(...stages, () => undefined);
  // Failures surface through the pump and the puts; these listeners only keep a late 'error'
  // (after the pipeline has torn down) from crashing the process.
  for (const s of stages) s.on('error', () => undefined);
  const branches = createBranches(destinations.length);
  const puts = destinations.map((d, i) => {
    const put = d.storage.put(keys.archive, branches[i]!.stream as Readable, {
      contentType: 'application/octet-stream',
      signal: session.signal,
    });
    branches[i]!.settle(put);
    return put;
  });
  // Observe rejections now; they are inspected below.
  const settledPuts = Promise.allSettled(puts);
  const pump = pumpToBranches(compressed, branches);
  const pumpSettled = pump.then(
    () => undefined,
    (err: unknown) => err,
  );
  // A cancel stops the archive itself, so a source that does not watch the signal still
  // fails its next write instead of dumping on.
  const onAbort = (): void => writer.abort(abortReason(session.signal!));
  session.signal?.addEventListener('abort', onAbort, { once: true });

  let manifest: Manifest;
  let consistency: ConsistencyResult[];
  try {
    await writer.writeHeader({
      format: FORMAT_VERSION,
      id: plan.id,
      name: plan.set,
      createdAt: plan.started.toISOString(),
      tool: { name: 'lifeboat', version: ctx.version },
      sources: plan.sources.map((p) => ({
        name: p.name,
        kind: p.source.kind,
        url: p.source.displayUrl,
      })),
      chunkSize: writer.chunkSize,
    });
    const sourceManifests: SourceManifest[] = [];
    for (const p of plan.sources) {
      sourceManifests.push(await dumpSource(session, plan, writer, p));
    }
    consistency = await runConsistency(
      plan.consistency,
      num(options, 'consistency-tolerance') ?? 0,
      sctx,
      ctx,
      report,
    );
    for (const r of consistency) {
      const vectorName = plan.consistency.find((c) => c.line === r.line)?.vector.name;
      const sm = sourceManifests.find((m) => m.name === vectorName);
      if (sm)
        sm.details = {
          ...sm.details,
          consistency: [...((sm.details?.['consistency'] as unknown[]) ?? []), r],
        };
    }
    manifest = {
      format: FORMAT_VERSION,
      id: plan.id,
      name: plan.set,
      createdAt: plan.started.toISOString(),
      finishedAt: ctx.now().toISOString(),
      tool: { name: 'lifeboat', version: ctx.version, node: process.version },
      compression: plan.compression,
      encrypted: Boolean(encryption),
      tags: plan.tags,
      chunkSize: writer.chunkSize,
      sources: sourceManifests,
    };
    if (plan.chain) {
      manifest.kind = plan.chain.kind;
      if (plan.chain.parent) manifest.parent = plan.chain.parent.id;
      manifest.chainPosition = plan.chain.position;
    }
    await writer.finish(manifest);
    const pumpError = await pumpSettled;
    if (pumpError) throw pumpError;
  } catch (err) {
    writer.abort(err instanceof Error ? err : new Error(String(err)));
    const results = await settledPuts;
    // When the destinations failed first, the dump only saw its output close: report why
    // each destination failed instead of "Premature close".
    const own = results.flatMap((r, i) =>
      r.status === 'rejected' && r.reason !== err && !(r.reason instanceof SourceError)
        ? [{ destination: destinations[i]!, error: r.reason as unknown }]
        : [],
    );
    if (own.length === destinations.length && !(err instanceof SourceError))
      throw everyDestinationFailed([...plan.unwritable, ...own], report);
    throw err;
  } finally {
    session.signal?.removeEventListener('abort', onAbort);
  }

  startPhase(ctx.log, `Upload to ${destinations.map((d) => d.displayUrl).join(', ')}`);
  const results = await settledPuts;
  for (const [i, r] of results.entries()) {
    if (r.status === 'fulfilled')
      ctx.log.info(
        `${destinations[i]!.displayUrl} received ${formatBytes(r.value.size)}, sha256 ${r.value.sha256}`,
      );
  }
  endPhase(ctx.log);
  if (results.every((r) => r.status === 'rejected')) {
    throw everyDestinationFailed(
      [
        ...plan.unwritable,
        ...results.map((r, i) => ({
          destination: destinations[i]!,
          error: (r as PromiseRejectedResult).reason as unknown,
        })),
      ],
      report,
    );
  }
  // A single destination's failed put leaves no reference: its error is reported later, and
  // no size or sha256 is claimed for an archive that was never stored.
  const reference = hasher
    ? { sha256: hasher.digest(), size: hasher.bytes }
    : results[0]!.status === 'fulfilled'
      ? { sha256: results[0]!.value.sha256, size: results[0]!.value.size }
      : undefined;
  return { manifest, puts: results, reference, consistency };
}

/** One source's dump into the archive; what it dumped goes into the report as it finishes. */
async function dumpSource(
  session: RunSession,
  plan: BackupPlan,
  writer: ArchiveWriter,
  p: PlannedSource,
): Promise<SourceManifest> {
  const { ctx, report } = session;
  const t0 = Date.now();
  const sink = writer.sourceSink(p.name);
  startPhase(ctx.log, `Dump ${p.name} (${p.source.kind}), streaming to storage`);
  const progress = progressOf(ctx).start(`Dumping ${p.name}`, {
    read: () => writer.bytesWritten,
  });
  let result;
  try {
    result = await p.source.dump(sink, plan.sctx, plan.chain?.dumps.get(p.name));
  } finally {
    progress.end();
  }
  const records = sink.records();
  const bytes = records.reduce((n, r) => n + (r.size ?? 0), 0);
  const sm: SourceManifest = {
    name: p.name,
    kind: p.source.kind,
    url: p.source.displayUrl,
    versions: result.versions,
    inventory: result.inventory,
    members: records,
    durationMs: Date.now() - t0,
  };
  if (result.details) sm.details = result.details;
  if (result.incremental) sm.incremental = result.incremental;
  report.sources.push({
    name: p.name,
    kind: p.source.kind,
    url: p.source.displayUrl,
    bytes,
    durationMs: sm.durationMs,
    inventory: result.inventory,
    versions: result.versions,
  });
  endPhase(ctx.log);
  ctx.log.info(
    `Dumped ${p.name}: ${formatBytes(bytes)} in ${formatDuration(sm.durationMs)}${throughput(bytes, sm.durationMs)}`,
  );
  return sm;
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

/**
 * The `consistency` checks, right after the dumps: each reads its SQL ids and its vector ids at
 * the same moment. Logged and reported; the caller fails the run once the backup is stored.
 */
async function runConsistency(
  checks: ConsistencySpec[],
  tolerance: number,
  sctx: SourceContext,
  ctx: RunContext,
  report: RunReport,
): Promise<ConsistencyResult[]> {
  if (!checks.length) return [];
  startPhase(ctx.log, 'Check SQL ids against vector collections');
  const results: ConsistencyResult[] = [];
  for (const check of checks) {
    const r = await checkConsistency(check, tolerance, sctx);
    results.push(r);
    const [head, ...rest] = describeConsistency(r);
    if (r.ok) ctx.log.info(head!);
    else ctx.log.warn(head!);
    for (const line of rest) ctx.log.info(line);
  }
  endPhase(ctx.log);
  report.sections.push({
    title: 'Consistency (SQL ids ⇔ vectors)',
    markdown: [
      '| check | SQL ids | vectors | missing | orphans | duplicates | result |',
      '|---|---|---|---|---|---|---|',
      ...results.map(
        (r) =>
          `| \`${r.line.replaceAll('|', '\\|')}\` | ${r.sqlCount} | ${r.vectorCount} | ${r.missing.count} | ${r.orphans.count} | ${r.duplicates.count} | ${r.ok ? 'ok' : `**failed** (tolerance ${r.tolerance})`} |`,
      ),
      '',
      'The stores are not snapshotted together: this measures how far apart they were when the check ran, just after the dumps.',
    ].join('\n'),
  });
  return results;
}

/** Every destination failed before anything was stored: one error naming each one's reason. */
function everyDestinationFailed(
  failed: Array<{ destination: OpenDestination; error: unknown }>,
  report: RunReport,
): LifeboatError {
  for (const { destination, error } of failed) {
    if (report.destinations.some((d) => d.url === destination.displayUrl)) continue;
    report.destinations.push({
      url: destination.displayUrl,
      key: '',
      ok: false,
      size: 0,
      sha256: '',
      error: describeError(error),
      verified: false,
    } as RunReport['destinations'][number]);
  }
  const message =
    `${failed.length} of ${failed.length} destination(s) failed: ` +
    failed
      .map(({ destination, error }) => `${destination.displayUrl}: ${describeErrorTemplate(error)}`)
      .join('; ');
  return failed.some(({ error }) => error instanceof IntegrityError)
    ? new IntegrityError(message)
    : new StorageError(message);
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

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

function throughput(bytes: number, ms: number): string {
  if (ms < 50 || bytes === 0) return '';
  return ` (${formatBytes((bytes / ms) * 1000)}/s)`;
}

export function isLifeboatError(err: unknown): err is LifeboatError {
  return err instanceof LifeboatError;
}
