import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { compressStream } from '../archive/compression.ts';
import { HashingStream } from '../archive/hash.ts';
import { ArchiveWriter } from '../archive/writer.ts';
import type { Manifest, SourceManifest } from '../archive/types.ts';
import { FORMAT_VERSION } from '../archive/types.ts';
import { AgeEncryptStream } from '../archive/age/index.ts';
import { num } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import {
  checkConsistency,
  describeConsistency,
  type ConsistencyResult,
  type ConsistencySpec,
} from '../sources/consistency.ts';
import type { PutResult } from '../storage/types.ts';
import type { SourceContext } from '../sources/types.ts';
import type { RunContext } from '../core/context.ts';
import {
  IntegrityError,
  LifeboatError,
  SourceError,
  StorageError,
  describeError,
  describeErrorTemplate,
} from '../core/errors.ts';
import { endPhase, formatBytes, formatDuration, startPhase } from '../core/log.ts';
import { progressOf } from '../core/progress.ts';
import type { BackupPlan, PlannedSource } from './backup.ts';
import type { OpenDestination } from './destinations.ts';
import { createBranches, pumpToBranches } from './fanout.ts';
import type { RunSession } from './session.ts';

/*
 * A backup's stream phase (see createBackup): the archive written once while every source
 * dumps into it, compressed, encrypted and copied to every destination at the same time.
 */

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
export function everyDestinationFailed(
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

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

function throughput(bytes: number, ms: number): string {
  if (ms < 50 || bytes === 0) return '';
  return ` (${formatBytes((bytes / ms) * 1000)}/s)`;
}
