/** A set's state from its backups, schedule and drills: pure functions, no storage. */
import { CronExpressionParser } from 'cron-parser';
import type { CatalogBackup, CatalogSet, SetState } from '../report/html/catalog.ts';
import { checkFreshness } from '../retention/freshness.ts';
import { formatDuration, formatTime } from '../core/log.ts';

/** Scheduled runs looked at per set for the timeline's gaps (a 5-minute cron over a year is 100k). */
const MAX_SCHEDULED = 2000;

export interface AssessInput {
  name: string;
  /** Oldest first. */
  backups: CatalogBackup[];
  cron: string[];
  now: Date;
  graceMs?: number | undefined;
  /** A restore's safety copies (`<set>-safety`): kept, not scheduled, not drilled. */
  isSafety?: boolean;
}

/** A set's state and the facts behind it (a pure function of its backups and schedule). */
export function assessSet(input: AssessInput): CatalogSet {
  const { name, backups, cron, now } = input;
  const good = backups.filter(
    (b) => !b.damaged && b.confirmed && (input.isSafety || !b.tags.includes('safety')),
  );
  const newest = good.at(-1);
  const drilled = backups.filter((b) => b.drill);
  const lastDrill = drilled
    .map((b) => b.drill!)
    .sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : 1))
    .at(-1);
  const set: CatalogSet = {
    name,
    state: 'fresh',
    reason: '',
    schedule: cron,
    storage: [],
    backups,
    gaps: [],
    retention: [],
    links: {},
  };
  if (newest) {
    set.newestGood = {
      id: newest.id,
      createdAt: newest.createdAt,
      ageMs: now.getTime() - Date.parse(newest.createdAt),
    };
  }
  if (lastDrill) set.lastDrill = lastDrill;
  let fresh: ReturnType<typeof checkFreshness> | undefined;
  if (cron.length) {
    const input2: Parameters<typeof checkFreshness>[0] = { cron, now };
    if (newest) input2.newest = new Date(newest.createdAt);
    if (input.graceMs !== undefined) input2.graceMs = input.graceMs;
    fresh = checkFreshness(input2);
    set.nextExpected = fresh.nextExpected.toISOString();
    set.lastExpected = fresh.lastExpected.toISOString();
    set.expectedIntervalMs = fresh.expectedIntervalMs;
    const first = backups[0] ? new Date(backups[0].createdAt) : undefined;
    const runs = first ? scheduledBetween(cron, first, fresh.lastExpected) : [];
    set.gaps = gapsIn(runs, good, now).map((t) => t.toISOString());
    if (newest) {
      set.missedRuns = scheduledBetween(
        cron,
        new Date(newest.createdAt),
        fresh.lastExpected,
      ).length;
    }
  }
  const damaged = backups.filter((b) => b.damaged);
  const [state, reason] = ((): [SetState, string] => {
    if (damaged.length) {
      const d = damaged.at(-1)!;
      const more = damaged.length > 1 ? ` (${damaged.length} damaged backups)` : '';
      return ['damaged', `backup ${d.id} cannot be used: ${d.damaged}${more}`];
    }
    if (input.isSafety && !cron.length) {
      return ['unscheduled', 'safety copies a restore took of the data it replaced'];
    }
    if (!newest) return ['failing', 'no good backup: nothing has been stored and confirmed'];
    if (lastDrill && !lastDrill.ok) {
      const failed = lastDrill.checks.filter((c) => !c.ok).map((c) => c.name);
      return [
        'failing',
        `the last drill (${formatTime(lastDrill.finishedAt)}, backup ${lastDrill.backupId}) failed${failed.length ? `: ${failed.join(', ')}` : ''}`,
      ];
    }
    if (fresh && (set.missedRuns ?? 0) >= 2) {
      return [
        'failing',
        `${set.missedRuns} scheduled runs missed; the newest good backup is ${formatDuration(set.newestGood!.ageMs)} old`,
      ];
    }
    if (fresh && !fresh.ok) {
      return [
        'late',
        `the run expected at ${formatTime(fresh.lastExpected)} left no backup; the newest good one is ${formatDuration(set.newestGood!.ageMs)} old`,
      ];
    }
    if (!lastDrill) {
      return [
        'never-drilled',
        `${fresh ? 'on schedule' : 'no schedule given, so freshness is not checked'}, but no restore drill has been recorded`,
      ];
    }
    if (!fresh) return ['unscheduled', 'no schedule given, so freshness is not checked'];
    return ['fresh', `on schedule; the last drill passed (RTO ${formatDuration(lastDrill.rtoMs)})`];
  })();
  set.state = state;
  set.reason = reason;
  return set;
}

/**
 * Scheduled times in (from, to], oldest first, at most MAX_SCHEDULED (the newest ones).
 * cron-parser parses each line (it is the reference); walking its fields day by day is about a
 * hundred times faster than its prev(), which a 400-backup timeline would call 400 times per set.
 */
export function scheduledBetween(cron: string[], from: Date, to: Date): Date[] {
  if (to <= from) return [];
  const times = new Set<number>();
  for (const line of cron) {
    const f = CronExpressionParser.parse(line.trim(), { tz: 'UTC' }).fields;
    const minutes = [...f.minute.values].map(Number).sort((a, b) => b - a);
    const hours = [...f.hour.values].map(Number).sort((a, b) => b - a);
    const months = new Set(f.month.values.map(Number));
    const doms = new Set(f.dayOfMonth.values.map(Number));
    const dows = new Set(f.dayOfWeek.values.map((v) => Number(v) % 7));
    const domAny = f.dayOfMonth.isWildcard;
    const dowAny = f.dayOfWeek.isWildcard;
    const found: number[] = [];
    const day = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()));
    while (found.length < MAX_SCHEDULED && day.getTime() + 86_400_000 > from.getTime()) {
      const domOk = doms.has(day.getUTCDate());
      const dowOk = dows.has(day.getUTCDay());
      // POSIX cron: with both day fields restricted, either one matching is enough.
      const dayOk = domAny && dowAny ? true : domAny ? dowOk : dowAny ? domOk : domOk || dowOk;
      if (months.has(day.getUTCMonth() + 1) && dayOk) {
        for (const h of hours) {
          for (const m of minutes) {
            const t = day.getTime() + h * 3_600_000 + m * 60_000;
            if (t > from.getTime() && t <= to.getTime() && found.length < MAX_SCHEDULED)
              found.push(t);
          }
        }
      }
      day.setUTCDate(day.getUTCDate() - 1);
    }
    for (const t of found) times.add(t);
  }
  return [...times]
    .sort((a, b) => a - b)
    .slice(-MAX_SCHEDULED)
    .map((t) => new Date(t));
}

/** Scheduled runs with no good backup between them and the next run (or now, for the last). */
function gapsIn(runs: Date[], good: CatalogBackup[], now: Date): Date[] {
  const times = good.map((b) => Date.parse(b.createdAt));
  const gaps: Date[] = [];
  let j = 0;
  runs.forEach((t, i) => {
    const end = runs[i + 1]?.getTime() ?? now.getTime();
    while (j < times.length && times[j]! < t.getTime()) j++;
    if (!(j < times.length && times[j]! < end)) gaps.push(t);
  });
  return gaps;
}
