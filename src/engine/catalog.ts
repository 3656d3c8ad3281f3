import { rm } from 'node:fs/promises';
import type { Options } from '../options/parse.ts';
import { bool, lines, str } from '../options/parse.ts';
import type { BackupRow, RunReport } from '../report/report.ts';
import { checkFreshness, readWorkflowSchedule } from '../retention/freshness.ts';
import {
  formatPlan,
  isEmptyPolicy,
  parseDuration,
  parseRetentionPolicy,
  planRetention,
} from '../retention/policy.ts';
import { sourceContext } from './backup.ts';
import { createRunTemp, runTempRoot } from '../core/temp.ts';
import type { RunContext } from './context.ts';
import {
  closeDestinations,
  findBackup,
  listBackups,
  openDestinations,
  withDestinations,
  type CatalogEntry,
  type OpenDestination,
} from './destinations.ts';
import { ConfigError, FreshnessError } from './errors.ts';
import { formatDuration } from './log.ts';
import { backupKeys } from './naming.ts';
import { verifyStoredBackup } from './verify.ts';

export function toRow(e: CatalogEntry): BackupRow {
  return {
    set: e.set,
    id: e.id,
    time: e.manifest.createdAt,
    size: e.manifest.archive.size,
    sources: e.manifest.sources.map((s) => `${s.name} (${s.kind})`).join(', '),
    encrypted: e.manifest.encrypted,
    verified: Boolean(e.manifest.verifiedAt),
    tags: e.manifest.tags ?? [],
    location: `${e.destination.displayUrl} ${e.manifest.archive.key}`,
  };
}

export async function listCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  await withDestinations(options, ctx, async (destinations) => {
    for (const d of destinations) {
      const entries = await listBackups(d, str(options, 'name'), ctx);
      report.backups.push(...entries.map(toRow));
    }
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
    ctx.log.info(`Verifying ${entry.set}/${entry.id} on ${entry.destination.displayUrl}…`);
    await verifyStoredBackup(
      entry.destination,
      entry.manifest,
      ctx,
      sourceContext(ctx, options, tmpDir),
      {
        structural: true,
        checkSha256Sidecar: true,
      },
    );
    report.destinations.push({
      url: entry.destination.displayUrl,
      key: entry.manifest.archive.key,
      ok: true,
      size: entry.manifest.archive.size,
      sha256: entry.manifest.archive.sha256,
      verified: true,
    });
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
      hint: 'choose the set with the name option',
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
    const name = await resolveSet(options, d, ctx, set);
    const entries = (await listBackups(d, name, ctx)).filter((e) => e.set === name);
    const plan = planRetention(
      entries.map((e) => ({
        id: e.id,
        time: new Date(e.manifest.createdAt),
        verified: Boolean(e.manifest.verifiedAt) || !bool(options, 'verify-after-backup'),
      })),
      policy,
    );
    const text = formatPlan(plan, 'text');
    ctx.log.info(
      `Retention plan for ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}:\n${text}`,
    );
    report.sections.push({
      title: `Retention: ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}`,
      markdown: formatPlan(plan, 'markdown'),
    });
    kept += plan.keep.length;
    if (dryRun) continue;
    for (const r of plan.remove) {
      const e = entries.find((x) => x.id === r.id)!;
      const keys = backupKeys(name, r.id, e.manifest.compression);
      // The manifest goes first so a half-removed backup is never listed.
      for (const key of [keys.manifest, keys.sha256, e.manifest.archive.key])
        await d.storage.delete(key);
      removed++;
      ctx.log.info(`Removed ${name}/${r.id} from ${d.displayUrl}`);
    }
  }
  report.outputs['removed'] = String(removed);
  report.outputs['kept'] = String(kept);
}

export async function pruneCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  await withDestinations(options, ctx, (destinations) =>
    pruneSet(options, ctx, report, destinations),
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
    if (!ctx.env['GITHUB_WORKFLOW_REF']) {
      if (options.command === 'status') {
        throw new ConfigError(
          'schedule',
          'no schedule given and not running in a GitHub workflow',
          {
            hint: "set schedule to the cron line(s) your backups follow, e.g. '0 3 * * *'",
          },
        );
      }
      return undefined;
    }
    cron = await readWorkflowSchedule(ctx.env);
    if (cron.length === 0) {
      if (options.command === 'status') {
        throw new ConfigError('schedule', 'the calling workflow has no on.schedule', {
          hint: 'set the schedule option to the cron line(s) backups should follow',
        });
      }
      return undefined;
    }
  }
  const d = destinations[0]!;
  const name = await resolveSet(options, d, ctx, set);
  const entries = (await listBackups(d, name, ctx)).filter(
    (e) => e.set === name && e.manifest.verifiedAt,
  );
  const newest = entries.at(-1);
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
  const md = [
    `| | |`,
    `|---|---|`,
    `| set | ${name} |`,
    `| schedule | ${cron.map((c) => `\`${c}\``).join(', ')} |`,
    `| newest verified backup | ${newest ? `${newest.id} (${formatDuration(fr.ageMs ?? 0)} ago)` : 'none'} |`,
    `| expected interval | ${formatDuration(fr.expectedIntervalMs)} |`,
    `| last expected run | ${fr.lastExpected.toISOString()} |`,
    `| next expected run | ${fr.nextExpected.toISOString()} |`,
    `| verdict | ${fr.ok ? 'fresh' : '**stale**'} |`,
  ].join('\n');
  report.sections.push({ title: `Freshness: ${name}`, markdown: md });
  (fr.ok ? ctx.log.info : ctx.log.error)(fr.message);
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
