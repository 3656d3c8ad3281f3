import { rm } from 'node:fs/promises';
import type { Options } from '../options/parse.ts';
import { bool, lines, str } from '../options/parse.ts';
import type { BackupRow, RunReport } from '../report/report.ts';
import { checkFreshness } from '../retention/freshness.ts';
import {
  formatPlan,
  isEmptyPolicy,
  keepChains,
  parseDuration,
  parseRetentionPolicy,
  planRetention,
} from '../retention/policy.ts';
import { sourceContext } from './backup.ts';
import { createRunTemp, runTempRoot } from '../core/temp.ts';
import { unlessAborted } from '../core/cancel.ts';
import type { RunContext } from '../core/context.ts';
import {
  closeDestinations,
  findBackup,
  listBackups,
  openDestinations,
  withDestinations,
  type CatalogEntry,
  type DamagedEntry,
  type OpenDestination,
} from './destinations.ts';
import { ConfigError, FreshnessError } from '../core/errors.ts';
import { endPhase, formatBytes, formatDuration, formatTime, startPhase } from '../core/log.ts';
import { backupKeys, backupTime } from './naming.ts';
import { drillKey } from '../storage/keys.ts';
import { lockSet, lockSettings, whileLocked, type LockSettings } from './lock.ts';
import { checkStoredArchive, verifyStoredBackup } from './verify.ts';
import { decryptionFor, openManifest } from './encryption.ts';
import { allowedSignersFor, checkSignature, ownSigner, requireSignature } from './signing.ts';
import { describeDrill, keyValueTable } from '../report/summary.ts';
import { lastDrill, readDrillRecord } from './drill-record.ts';
import { proveChainAnywhere } from './chain.ts';
import { driverForKind } from '../sources/registry.ts';

/**
 * What counts as a confirmed backup, for retention and freshness alike: its stored object was
 * read back and matched (`verifiedAt`), or, with verify-after-backup off, the store confirmed
 * the size and sha256 it received. A sidecar is only written after one of the two, so a listed
 * backup with a recorded sha256 and size is confirmed; a hand-made sidecar without them is not.
 */
export function isConfirmedBackup(manifest: CatalogEntry['manifest']): boolean {
  if (manifest.verifiedAt) return true;
  return /^[0-9a-f]{64}$/.test(manifest.archive.sha256) && manifest.archive.size > 0;
}

export function toRow(e: CatalogEntry): BackupRow {
  return {
    set: e.set,
    id: e.id,
    time: e.manifest.createdAt,
    size: e.manifest.archive.size,
    sources: e.manifest.sources.map((s) => `${s.name} (${s.kind})`).join(', '),
    encrypted: e.manifest.encrypted,
    ...(e.manifest.recipients ? { recipients: e.manifest.recipients } : {}),
    verified: Boolean(e.manifest.verifiedAt),
    tags: e.manifest.tags ?? [],
    location: `${e.destination.displayUrl} ${e.manifest.archive.key}`,
    kind: e.manifest.kind ?? 'full',
    ...(e.manifest.parent ? { parent: e.manifest.parent } : {}),
    ...(e.manifest.chainPosition !== undefined ? { chainPosition: e.manifest.chainPosition } : {}),
  };
}

function damagedRow(d: DamagedEntry): BackupRow {
  return {
    set: d.set,
    id: d.id,
    time: backupTime(d.id).toISOString(),
    size: 0,
    sources: '',
    encrypted: false,
    verified: false,
    tags: [],
    location: `${d.destination.displayUrl} ${d.key}`,
    damaged: d.reason,
  };
}

export async function listCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  const signers = allowedSignersFor(options, ctx);
  await withDestinations(options, ctx, async (destinations) => {
    for (const d of destinations) {
      const damaged: DamagedEntry[] = [];
      const entries = await listBackups(d, str(options, 'name'), ctx, damaged);
      const rows = entries.map(toRow);
      for (const [i, e] of entries.entries()) {
        const record = await readDrillRecord(e, ctx);
        if (record) {
          rows[i]!.drill = { ok: record.ok, finishedAt: record.finishedAt, rtoMs: record.rtoMs };
        }
      }
      if (signers) {
        for (const [i, e] of entries.entries()) {
          const check = await checkSignature(d, e, signers);
          rows[i]!.signature = check.state;
          if (check.reason) rows[i]!.signatureProblem = check.reason;
        }
      }
      report.backups.push(...rows, ...damaged.map(damagedRow));
      for (const x of damaged)
        ctx.log.warn(`${x.set}/${x.id} on ${d.displayUrl} is damaged: ${x.reason}`);
    }
    report.backups.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  });
  report.outputs['count'] = String(report.backups.length);
  report.outputs['backups'] = JSON.stringify(report.backups);
  const latest = report.backups.at(-1);
  if (latest) report.outputs['backup-id'] = latest.id;
}

export async function verifyCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  const identities = decryptionFor(options, ctx);
  const signers = allowedSignersFor(options, ctx);
  const destinations = await openDestinations(options, ctx);
  const tmpDir = await createRunTemp(runTempRoot(ctx));
  try {
    const entry = await findBackup(
      destinations,
      str(options, 'name'),
      str(options, 'backup') ?? 'latest',
      ctx,
    );
    report.name = entry.set;
    report.backupId = entry.id;
    report.sha256 = entry.manifest.archive.sha256;
    report.size = entry.manifest.archive.size;
    startPhase(ctx.log, `Verify ${entry.set}/${entry.id} on ${entry.destination.displayUrl}`);
    if (signers) {
      entry.manifest = await requireSignature(entry.destination, entry, signers, ctx);
      report.proofs.push(
        'the index carries a good SSHSIG signature by a key allowed-signers lists',
      );
    }
    if (entry.manifest.encrypted && !identities && entry.manifest.kind !== 'incremental') {
      // Without a key only the stored bytes can be proven; say plainly what was not checked.
      await checkStoredArchive(entry.destination, entry.manifest, {
        checkSha256Sidecar: true,
        signal: ctx.signal,
      });
      report.destinations.push({
        url: entry.destination.displayUrl,
        key: entry.manifest.archive.key,
        ok: true,
        size: entry.manifest.archive.size,
        sha256: entry.manifest.archive.sha256,
        verified: true,
      });
      endPhase(ctx.log);
      const note =
        'the backup is encrypted and no key was given: its stored size and sha256 were checked, its content was not (give age-identity or passphrase to check every chunk)';
      ctx.log.warn(note);
      report.notes.push(note);
      report.proofs.push(
        `the .sha256 sidecar agrees with the index, and the stored object's size (${formatBytes(entry.manifest.archive.size)}) and sha256 match`,
      );
      report.outputs['verified'] = 'true';
      return;
    }
    const manifest = await openManifest(entry.manifest, identities, `${entry.set}/${entry.id}`);
    const sctx = sourceContext(ctx, options, tmpDir);
    if (manifest.kind === 'incremental') {
      // An incremental: every link opened (and its signature checked, with allowed-signers),
      // proven, and the final state rebuilt and checked like a full one.
      const { chain, proven } = await proveChainAnywhere(
        { ...entry, manifest },
        destinations,
        ctx,
        sctx,
        { identities, signers },
      );
      for (const [name, p] of proven) {
        const driver = await driverForKind(p.manifest.kind);
        ctx.log.info(
          `Checking the structure of ${name} (${p.manifest.kind}) as rebuilt from the chain…`,
        );
        if (driver.verify) await driver.verify(p.members, p.manifest, sctx);
        else for await (const m of p.members) if (m.body) for await (const _ of m.body) void _;
      }
      report.proofs.push(
        `every link of the chain (${chain.map((c) => c.id).join(' → ')}) was proven, and the state rebuilt from it matches the backup's record`,
      );
    } else {
      await verifyStoredBackup(entry.destination, manifest, ctx, sctx, {
        structural: true,
        checkSha256Sidecar: true,
        ...(identities ? { identities } : {}),
      });
    }
    report.destinations.push({
      url: entry.destination.displayUrl,
      key: entry.manifest.archive.key,
      ok: true,
      size: entry.manifest.archive.size,
      sha256: entry.manifest.archive.sha256,
      verified: true,
    });
    endPhase(ctx.log);
    report.proofs.push(
      `the .sha256 sidecar agrees with the manifest, and the stored object's size (${formatBytes(entry.manifest.archive.size)}) and sha256 match`,
      "every chunk's sha256, the archive header and the inner manifest match the sidecar manifest",
      "each source's structure was checked where its kind has a check (SQLite integrity_check, dump table of contents, …)",
    );
    report.outputs['verified'] = 'true';
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
    await closeDestinations(destinations);
  }
}

/** The set name for prune/status: the option, else the only set in the first destination. */
async function resolveSet(
  options: Options,
  d: OpenDestination,
  ctx: RunContext,
  fallback?: string,
): Promise<string> {
  const named = str(options, 'name') ?? fallback;
  if (named) return named;
  const sets = [...new Set((await listBackups(d, undefined, ctx)).map((e) => e.set))].filter(
    (s) => !s.endsWith('-safety'),
  );
  if (sets.length === 1) return sets[0]!;
  throw new ConfigError(
    'name',
    sets.length ? `several backup sets found (${sets.join(', ')})` : 'no backup sets found',
    {
      hint: 'choose the set with {{option:name=<set>}}',
    },
  );
}

/**
 * Applies the retention policy to one set on every destination. Nothing is removed when the
 * policy is empty; the newest verified backup is never removed; the plan is logged first.
 */
export async function pruneSet(
  options: Options,
  ctx: RunContext,
  report: RunReport,
  destinations: OpenDestination[],
  set?: string,
  /** Backups this run made: never removed by its own retention. */
  protect: readonly string[] = [],
  /** Take the set's lock on each destination first (prune); a backup already holds it. */
  lock?: LockSettings,
): Promise<void> {
  const policy = parseRetentionPolicy(options.values as Parameters<typeof parseRetentionPolicy>[0]);
  if (isEmptyPolicy(policy)) {
    ctx.log.info('No keep-* option set: nothing to prune.');
    return;
  }
  const dryRun = bool(options, 'dry-run');
  let removed = 0;
  let kept = 0;
  for (const d of destinations) {
    startPhase(ctx.log, `Retention on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}`);
    const name = await resolveSet(options, d, ctx, set);
    const locks = lock && !dryRun ? await lockSet([d], name, lock, ctx, 'prune') : undefined;
    try {
      if (locks?.failed[0]) throw locks.failed[0].error;
      const counts = await pruneOne(
        options,
        locks ? whileLocked(ctx, locks) : ctx,
        report,
        d,
        name,
        policy,
        protect,
      );
      removed += counts.removed;
      kept += counts.kept;
    } catch (err) {
      if (locks?.lost.aborted) throw locks.lost.reason;
      throw err;
    } finally {
      await locks?.release();
    }
    endPhase(ctx.log);
  }
  report.outputs['removed'] = String(removed);
  report.outputs['kept'] = String(kept);
}

async function pruneOne(
  options: Options,
  ctx: RunContext,
  report: RunReport,
  d: OpenDestination,
  name: string,
  policy: ReturnType<typeof parseRetentionPolicy>,
  protect: readonly string[],
): Promise<{ removed: number; kept: number }> {
  const dryRun = bool(options, 'dry-run');
  let removed = 0;
  const entries = (await listBackups(d, name, ctx)).filter((e) => e.set === name);
  const good = await wellSigned(options, ctx, d, entries);
  // Chains stay whole: a kept incremental keeps every backup back to its full one.
  const plan = keepChains(
    planRetention(
      entries.map((e) => ({
        id: e.id,
        time: new Date(e.manifest.createdAt),
        verified: isConfirmedBackup(e.manifest) && good(e),
        drilled: e.drilled === true,
      })),
      policy,
      protect,
    ),
    new Map(
      entries.map((e) => [
        e.id,
        {
          kind: e.manifest.kind,
          parent: e.manifest.parent,
          chainPosition: e.manifest.chainPosition,
        },
      ]),
    ),
  );
  const text = formatPlan(plan, 'text');
  ctx.log.info(
    `Retention plan for ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}:\n${text}`,
  );
  report.sections.push({
    title: `Retention: ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}`,
    markdown: formatPlan(plan, 'markdown'),
  });
  const kept = plan.keep.length;
  if (dryRun) return { removed: 0, kept };
  for (const r of plan.remove) {
    // A cancel, or a lost lock, stops between backups, never halfway through one.
    ctx.signal?.throwIfAborted();
    const e = entries.find((x) => x.id === r.id)!;
    const keys = backupKeys(name, r.id, e.manifest.compression);
    // The manifest goes first so a half-removed backup is never listed. A cancel stops the
    // deleting at once, even mid-request: whatever is left is kept or unlisted, never lost.
    // The drill record goes with the backup it describes.
    const drill = e.drilled ? [drillKey(name, r.id)] : [];
    for (const key of [keys.manifest, keys.sig, keys.sha256, e.manifest.archive.key, ...drill])
      await unlessAborted(d.storage.delete(key, { signal: ctx.signal }), ctx.signal);
    removed++;
    ctx.log.info(`Removed ${name}/${r.id} from ${d.displayUrl}`);
  }
  return { removed, kept };
}

export async function pruneCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  // Checked before anything is listed or locked.
  parseRetentionPolicy(options.values as Parameters<typeof parseRetentionPolicy>[0]);
  const lock = lockSettings(options);
  await withDestinations(options, ctx, (destinations) =>
    pruneSet(options, ctx, report, destinations, undefined, [], lock),
  );
}

/** Freshness: fails when the newest verified backup is older than the schedule allows. */
export async function statusCheck(
  options: Options,
  ctx: RunContext,
  report: RunReport,
  destinations: OpenDestination[],
  set?: string,
): Promise<{ ok: boolean; message: string } | undefined> {
  let cron = lines(options, 'schedule');
  const explicit = cron.length > 0;
  if (!explicit) {
    if (!ctx.workflowSchedule) {
      if (options.command === 'status') {
        throw new ConfigError(
          'schedule',
          'no schedule given and not running in a GitHub workflow',
          {
            hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
          },
        );
      }
      return undefined;
    }
    cron = await ctx.workflowSchedule();
    if (cron.length === 0) {
      if (options.command === 'status') {
        throw new ConfigError('schedule', 'the calling workflow has no on.schedule', {
          hint: "set the cron line(s) backups should follow, e.g. {{option:schedule='0 3 * * *'}}",
        });
      }
      return undefined;
    }
  }
  const d = destinations[0]!;
  startPhase(ctx.log, `Freshness on ${d.displayUrl}`);
  const name = await resolveSet(options, d, ctx, set);
  const listed = (await listBackups(d, name, ctx)).filter((e) => e.set === name);
  const good = await wellSigned(options, ctx, d, listed);
  const entries = listed.filter((e) => isConfirmedBackup(e.manifest) && good(e));
  const newest = entries.at(-1);
  const drilled = await lastDrill(entries, ctx);
  const graceText = str(options, 'grace');
  let graceMs: number | undefined;
  if (graceText) {
    graceMs = parseDuration('grace', graceText).ms;
  }
  const input: Parameters<typeof checkFreshness>[0] = { cron, now: ctx.now() };
  if (newest) input.newest = new Date(newest.manifest.createdAt);
  if (graceMs !== undefined) input.graceMs = graceMs;
  const fr = checkFreshness(input);
  report.outputs['fresh'] = String(fr.ok);
  if (fr.ageMs !== undefined) report.outputs['newest-age-ms'] = String(fr.ageMs);
  report.outputs['next-expected'] = fr.nextExpected.toISOString();
  if (drilled) {
    report.outputs['drill-ok'] = String(drilled.record.ok);
    report.outputs['rto-ms'] = String(drilled.record.rtoMs);
  }
  report.sections.push({
    title: `Freshness: ${name}`,
    markdown: keyValueTable([
      ['set', name],
      ['schedule', cron.map((c) => `\`${c}\``).join(', ')],
      [
        'newest verified backup',
        newest
          ? `\`${newest.id}\` (${formatDuration(fr.ageMs ?? 0)} ago)${newest.manifest.verifiedAt ? '' : ', confirmed by the store at upload, not read back'}`
          : 'none',
      ],
      [
        'last drill',
        drilled
          ? `\`${drilled.entry.id}\`: ${describeDrill(drilled.record)}`
          : 'none (no backup of this set was drilled)',
      ],
      ['expected interval', formatDuration(fr.expectedIntervalMs)],
      ['last expected run', formatTime(fr.lastExpected)],
      ['next expected run', formatTime(fr.nextExpected)],
      ['verdict', fr.ok ? 'fresh' : '**stale**'],
    ]),
  });
  // The verdict is a plain line: a stale status fails the run, and that failure is the one
  // error annotation; a backup run that finds its set stale warns instead.
  ctx.log.info(fr.message);
  endPhase(ctx.log);
  return { ok: fr.ok, message: fr.message };
}

export async function statusCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  const result = await withDestinations(options, ctx, (destinations) =>
    statusCheck(options, ctx, report, destinations),
  );
  if (result && !result.ok) {
    throw new FreshnessError(result.message, {
      hint: 'check that the scheduled backup workflow runs and succeeds',
    });
  }
}

/**
 * With allowed-signers, only a backup whose signature is good counts as a good one for
 * retention and freshness (an unsigned or planted backup never becomes "the newest good").
 */
async function wellSigned(
  options: Options,
  ctx: RunContext,
  d: OpenDestination,
  entries: CatalogEntry[],
): Promise<(e: CatalogEntry) => boolean> {
  const signers = allowedSignersFor(options, ctx) ?? ownSigner(options, ctx);
  if (!signers) return () => true;
  const good = new Set<string>();
  for (const e of entries) {
    const check = await checkSignature(d, e, signers);
    if (check.state === 'signed') good.add(e.id);
    else
      ctx.log.warn(
        `${e.set}/${e.id} is ${check.state}: ${check.reason ?? ''}; not counted as a good backup`,
      );
  }
  return (e) => good.has(e.id);
}
