import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { compressStream, zstdImplementation } from '../archive/compression.ts';
import { HashingStream, sha256sumLine } from '../archive/hash.ts';
import { ArchiveWriter } from '../archive/writer.ts';
import type { Compression, Manifest, SidecarManifest, SourceManifest } from '../archive/types.ts';
import { FORMAT_VERSION } from '../archive/types.ts';
import type { Options } from '../options/parse.ts';
import { bool, lines, num, str } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
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
import { createRunTemp, runTempRoot } from '../core/temp.ts';
import type { RunContext } from '../core/context.ts';
import { createBranches, pumpToBranches } from './fanout.ts';
import {
  closeDestinations,
  openDestinations,
  registerUrlSecrets,
  type OpenDestination,
} from './destinations.ts';
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
import { backupGroup, backupKeys, deriveSetName, newBackupId, validateSetName } from './naming.ts';
import { parseNamedLines } from '../core/url.ts';
import { progressOf } from '../core/progress.ts';
import { checkStoredArchive } from './verify.ts';
import { planChain } from './chain.ts';
import { encryptionFor, publicIndex, type Encryption } from './encryption.ts';
import { signingKeyFor } from './signing.ts';
import { AgeEncryptStream } from '../archive/age/index.ts';

export interface PlannedSource {
  name: string;
  url: string;
  source: Source;
}

export function sourceContext(ctx: RunContext, options: Options, tmpDir: string): SourceContext {
  const sctx: SourceContext = {
    cwd: ctx.cwd,
    log: ctx.log,
    redactor: ctx.redactor,
    env: ctx.env,
    tmpDir,
    options: options.values,
  };
  if (ctx.provideTool) sctx.provideTool = ctx.provideTool;
  if (ctx.signal) sctx.signal = ctx.signal;
  return sctx;
}

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
 * dump → tar (chunked members) → compress → sha256 → every destination in one pass, then the
 * stored copies are checked and only then the sidecars written: a backup is listed only once its
 * manifest sidecar exists, so nothing incomplete ever looks like a backup.
 */
export async function createBackup(
  options: Options,
  ctx: RunContext,
  report: RunReport,
  request: BackupRequest = {},
): Promise<BackupOutcome> {
  const encryption = request.encryption ?? encryptionFor(options, ctx);
  const signingKey = signingKeyFor(options, ctx);
  const tmpDir = await createRunTemp(runTempRoot(ctx));
  const sctx = sourceContext(ctx, options, tmpDir);
  const destinations = request.destinations ?? (await openDestinations(options, ctx));
  try {
    const planned = await planSources(options, ctx, sctx);
    // A safety backup takes one source of a restore: the checks belong to scheduled backups.
    const checks = planConsistency(
      request.tags?.includes('safety') ? [] : lines(options, 'consistency'),
      planned.map((p) => ({ name: p.name, kind: p.source.kind, url: p.url })),
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
    const chain = request.tags?.includes('safety')
      ? undefined
      : await planChain(options, ctx, destinations, set, planned);
    if (chain) {
      report.notes.push(
        chain.kind === 'full'
          ? 'full backup: starts a new incremental chain'
          : `incremental backup ${chain.position} of its chain, parent ${chain.parent!.id}`,
      );
    }
    ctx.log.info(
      `Backing up ${planned.map((p) => `${p.name} (${redactUrl(p.url)})`).join(', ')} as ${set}/${id} ` +
        `[${compression}${compression === 'zstd' ? ` via ${zstdImplementation()}` : ''}${encryption ? `, age-encrypted to ${encryption.fingerprints.join(', ')}` : ''}] to ${destinations.map((d) => d.displayUrl).join(', ')}`,
    );

    const writer = new ArchiveWriter();
    const compressor = compressStream(compression);
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
        signal: ctx.signal,
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
    const onAbort = (): void => writer.abort(abortReason(ctx.signal!));
    ctx.signal?.addEventListener('abort', onAbort, { once: true });

    const sourceManifests: SourceManifest[] = [];
    let manifest: Manifest | undefined;
    let consistency: ConsistencyResult[] = [];
    try {
      await writer.writeHeader({
        format: FORMAT_VERSION,
        id,
        name: set,
        createdAt: started.toISOString(),
        tool: { name: 'lifeboat', version: ctx.version },
        sources: planned.map((p) => ({
          name: p.name,
          kind: p.source.kind,
          url: p.source.displayUrl,
        })),
        chunkSize: writer.chunkSize,
      });
      for (const p of planned) {
        const t0 = Date.now();
        const sink = writer.sourceSink(p.name);
        startPhase(ctx.log, `Dump ${p.name} (${p.source.kind}), streaming to storage`);
        const progress = progressOf(ctx).start(`Dumping ${p.name}`, {
          read: () => writer.bytesWritten,
        });
        let result;
        try {
          result = await p.source.dump(sink, sctx, chain?.dumps.get(p.name));
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
        sourceManifests.push(sm);
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
      }
      consistency = await runConsistency(
        checks,
        num(options, 'consistency-tolerance') ?? 0,
        sctx,
        ctx,
        report,
      );
      for (const r of consistency) {
        const vectorName = checks.find((c) => c.line === r.line)?.vector.name;
        const sm = sourceManifests.find((m) => m.name === vectorName);
        if (sm)
          sm.details = {
            ...sm.details,
            consistency: [...((sm.details?.['consistency'] as unknown[]) ?? []), r],
          };
      }
      manifest = {
        format: FORMAT_VERSION,
        id,
        name: set,
        createdAt: started.toISOString(),
        finishedAt: ctx.now().toISOString(),
        tool: { name: 'lifeboat', version: ctx.version, node: process.version },
        compression,
        encrypted: Boolean(encryption),
        tags: request.tags ?? [],
        chunkSize: writer.chunkSize,
        sources: sourceManifests,
      };
      if (chain) {
        manifest.kind = chain.kind;
        if (chain.parent) manifest.parent = chain.parent.id;
        manifest.chainPosition = chain.position;
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
        throw everyDestinationFailed([...unwritable, ...own], report);
      throw err;
    } finally {
      ctx.signal?.removeEventListener('abort', onAbort);
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
          ...unwritable,
          ...results.map((r, i) => ({
            destination: destinations[i]!,
            error: (r as PromiseRejectedResult).reason as unknown,
          })),
        ],
        report,
      );
    }
    // A single destination's failed put leaves no reference: its error is reported below, and
    // no size or sha256 is claimed for an archive that was never stored.
    const reference = hasher
      ? { sha256: hasher.digest(), size: hasher.bytes }
      : results[0]!.status === 'fulfilled'
        ? results[0]!.value
        : undefined;
    const { sha256, size } = reference ?? { sha256: '', size: 0 };
    if (reference) {
      report.sha256 = sha256;
      report.size = size;
    }
    const sidecarBase: SidecarManifest = {
      ...manifest!,
      archive: { key: keys.archive, size, sha256 },
    };

    const stored: OpenDestination[] = [];
    const failures: string[] = [];
    let integrity = false;
    for (const { destination, error } of unwritable) {
      report.destinations.push({
        url: destination.displayUrl,
        key: keys.archive,
        ok: false,
        size,
        sha256,
        error: describeError(error),
        verified: false,
      } as RunReport['destinations'][number]);
      failures.push(`${destination.displayUrl}: ${describeErrorTemplate(error)}`);
    }
    let finalManifest: SidecarManifest | undefined;
    for (const [i, d] of destinations.entries()) {
      const dr = {
        url: d.displayUrl,
        key: keys.archive,
        ok: false,
        size,
        sha256,
      } as RunReport['destinations'][number];
      report.destinations.push(dr);
      const r = results[i]!;
      try {
        if (r.status === 'rejected') throw r.reason;
        if (r.value.sha256 !== sha256 || r.value.size !== size) {
          throw new IntegrityError(
            `${d.displayUrl} stored ${r.value.size} bytes with sha256 ${r.value.sha256}, but ${size} bytes with sha256 ${sha256} were sent`,
          );
        }
        const sidecar: SidecarManifest = { ...sidecarBase };
        if (bool(options, 'verify-after-backup')) {
          startPhase(ctx.log, `Read back ${keys.archive} from ${d.displayUrl}`);
          await checkStoredArchive(d, sidecar, { signal: ctx.signal });
          endPhase(ctx.log);
          sidecar.verifiedAt = ctx.now().toISOString();
          dr.verified = true;
        } else {
          dr.verified = false;
        }
        // A cancelled run must not make a backup visible: the sidecars come last.
        ctx.signal?.throwIfAborted();
        await d.storage.put(
          keys.sha256,
          Readable.from([sha256sumLine(sha256, keys.archive.split('/').pop()!)]),
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
            { contentType: 'text/plain' },
          );
        }
        await d.storage.put(keys.manifest, Readable.from([indexText]), {
          contentType: 'application/json',
        });
        dr.ok = true;
        stored.push(d);
        finalManifest ??= sidecar;
        ctx.log.info(
          `Stored ${formatBytes(size)} at ${d.displayUrl} ${keys.archive} (sha256 ${sha256})${signingKey ? `, signed by ${signingKey.fingerprint}` : ''}`,
        );
      } catch (err) {
        dr.error = describeError(err);
        failures.push(`${d.displayUrl}: ${describeErrorTemplate(err)}`);
        // A plain line: the run's one failure, which names every destination, is the error.
        ctx.log.info(`Destination ${d.displayUrl} failed: ${describeErrorTemplate(err)}`);
        await cleanupPartial(d, keys, ctx);
        if (err instanceof IntegrityError) integrity = true;
      }
    }
    ctx.signal?.throwIfAborted();
    if (failures.length > 0) {
      const total = destinations.length + unwritable.length;
      const message = `${failures.length} of ${total} destination(s) failed: ${failures.join('; ')}`;
      // Bytes that disagree are an integrity failure however many destinations there are.
      throw integrity ? new IntegrityError(message) : new StorageError(message);
    }
    // The backup is stored and intact; stores that disagree still fail the run.
    const inconsistent = consistencyFailure(consistency, `${set}/${id}`);
    if (inconsistent) throw inconsistent;
    return { id, set, manifest: finalManifest!, stored };
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
    if (!request.destinations) await closeDestinations(destinations);
  }
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
async function cleanupPartial(
  d: OpenDestination,
  keys: ReturnType<typeof backupKeys>,
  ctx: RunContext,
) {
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
