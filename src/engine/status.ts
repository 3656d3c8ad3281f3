import type { Options } from '../options/parse.ts';
import { lines, str } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import { checkFreshness } from '../retention/freshness.ts';
import { parseDuration } from '../retention/policy.ts';
import type { RunContext } from '../core/context.ts';
import { withDestinations, type CatalogEntry, type OpenDestination } from './destinations.ts';
import { ConfigError, FreshnessError } from '../core/errors.ts';
import { endPhase, formatDuration, formatTime, startPhase } from '../core/log.ts';
import { describeDrill, keyValueTable } from '../report/summary.ts';
import { readDrillRecord } from './drill-record.ts';
import type { DrillRecord } from '../drill/record.ts';
import { indexBackups, newestWhere, readEntryOrWarn, type IndexedBackup } from './backup-index.ts';
import { goodBackupCheck, resolveSet } from './good-backups.ts';

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
  const name = await resolveSet(options, d, set);
  // From key names: the newest good backup is usually the newest one, so one manifest is read
  // (and one drill record).
  const indexed = (await indexBackups(d, name)).filter((b) => b.set === name);
  const good = goodBackupCheck(options, ctx, d);
  const { found: newest, read } = await newestWhere(indexed, ctx, good);
  const drilled = await lastGoodDrill(indexed, read, good, ctx);
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
 * The newest drilled good backup whose drill record reads: drill records are keys of their
 * own, so only drilled backups' manifests (most often already read) and records are read.
 */
async function lastGoodDrill(
  indexed: readonly IndexedBackup[],
  read: readonly CatalogEntry[],
  good: (e: CatalogEntry) => Promise<boolean>,
  ctx: RunContext,
): Promise<{ entry: CatalogEntry; record: DrillRecord } | undefined> {
  const known = new Map(read.map((e) => [e.id, e]));
  for (const b of [...indexed].reverse()) {
    if (!b.drilled) continue;
    const entry = known.get(b.id) ?? (await readEntryOrWarn(b, ctx));
    if (!entry || !(await good(entry))) continue;
    const record = await readDrillRecord(entry, ctx);
    if (record) return { entry, record };
  }
  return undefined;
}
