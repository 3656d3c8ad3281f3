import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { ConfigError } from '../core/errors.ts';
import { describeMs } from './duration.ts';
import { formatTime } from '../core/log.ts';

export interface FreshnessInput {
  cron: string[];
  /** Time of the newest verified backup; absent when there is none. */
  newest?: Date;
  now: Date;
  /**
   * How long after a scheduled time its backup may appear. Default: half the time until the
   * next scheduled run, and never less than 15 minutes (GitHub starts scheduled runs late,
   * often by 5–30 minutes under load, and the backup itself takes time).
   */
  graceMs?: number;
}

export interface FreshnessReport {
  ok: boolean;
  /** The latest scheduled run whose grace period is over: a backup at or after it must exist. */
  lastExpected: Date;
  /** The next scheduled run after now. */
  nextExpected: Date;
  /** Time from lastExpected to the scheduled run after it. */
  expectedIntervalMs: number;
  ageMs?: number;
  message: string;
  /** The latest scheduled time at or before now, grace or not. */
  lastScheduled: Date;
  /** The grace period applied to lastExpected. */
  graceMs: number;
}

/** Default grace floor; see FreshnessInput.graceMs. */
export const MIN_GRACE_MS = 15 * 60_000;

const SCHEDULE_HINT =
  "GitHub schedules use 5 fields in UTC: minute hour day-of-month month day-of-week, e.g. '0 3 * * *'";

// One field of POSIX cron as GitHub accepts it: lists of *, n, n-m, names, each with an
// optional /step. Extensions some parsers accept (L, W, #, ?, H, @daily) are refused so a
// schedule that GitHub would reject is not silently accepted here.
const FIELD =
  /^(?:\*|[0-9]+|[a-z]{3})(?:-(?:[0-9]+|[a-z]{3}))?(?:\/[0-9]+)?(?:,(?:\*|[0-9]+|[a-z]{3})(?:-(?:[0-9]+|[a-z]{3}))?(?:\/[0-9]+)?)*$/i;

/** Checks every line before any work starts; throws ConfigError naming `schedule`. */
export function checkSchedule(lines: readonly string[], now = new Date()): void {
  for (const l of lines) parseCron(l, now);
}

/** Validates one cron line the way GitHub's `on.schedule` would and parses it in UTC. */
function parseCron(expr: string, currentDate: Date): CronExpression {
  const text = expr.trim();
  if (!text) throw new ConfigError('schedule', 'empty cron expression', { hint: SCHEDULE_HINT });
  const fields = text.split(/\s+/);
  if (fields.length === 6) {
    throw new ConfigError(
      'schedule',
      `'${text}' has 6 fields (with seconds); GitHub only accepts 5-field cron`,
      {
        hint: `drop the seconds field: '${fields.slice(1).join(' ')}'`,
      },
    );
  }
  if (fields.length !== 5) {
    throw new ConfigError(
      'schedule',
      `'${text}' has ${fields.length} field${fields.length === 1 ? '' : 's'}, not 5`,
      {
        hint: SCHEDULE_HINT,
      },
    );
  }
  const bad = fields.find((f) => !FIELD.test(f));
  if (bad !== undefined) {
    throw new ConfigError(
      'schedule',
      `invalid cron expression '${text}': '${bad}' is not supported by GitHub schedules`,
      {
        hint: `${SCHEDULE_HINT}; each field is *, a number, a range a-b, a list a,b or a step */n`,
      },
    );
  }
  try {
    return CronExpressionParser.parse(text, { currentDate, tz: 'UTC' });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError('schedule', `invalid cron expression '${text}': ${reason}`, {
      hint: SCHEDULE_HINT,
      cause: err,
    });
  }
}

/** Every line's scheduled times, merged, from the latest at or before `now` going back. */
function* scheduledBackwards(lines: string[], now: Date): Generator<Date> {
  // prev() is strictly before currentDate; one ms later makes a run exactly at `now` count.
  const iterators = lines.map((l) => parseCron(l, new Date(now.getTime() + 1)));
  const heads = iterators.map((it) => it.prev().toDate());
  for (;;) {
    let best = 0;
    for (let i = 1; i < heads.length; i++)
      if (heads[i]!.getTime() > heads[best]!.getTime()) best = i;
    const t = heads[best]!;
    yield t;
    // Several lines firing at the same minute are one expected run.
    for (let i = 0; i < heads.length; i++) {
      if (heads[i]!.getTime() === t.getTime()) heads[i] = iterators[i]!.prev().toDate();
    }
  }
}

function nextAfter(lines: string[], now: Date): Date {
  let next: Date | undefined;
  for (const l of lines) {
    const t = parseCron(l, now).next().toDate();
    if (!next || t < next) next = t;
  }
  return next!;
}

function first(it: Generator<Date>): Date {
  return it.next().value as Date;
}

const iso = (t: Date): string => formatTime(t);

/** The latest scheduled run whose grace is over, and that grace. */
function lastExpectedRun(
  lines: string[],
  now: Date,
  nextExpected: Date,
  explicitGraceMs: number | undefined,
): { expected: Date; graceMs: number } {
  if (explicitGraceMs !== undefined) {
    const target = new Date(now.getTime() - explicitGraceMs);
    return { expected: first(scheduledBackwards(lines, target)), graceMs: explicitGraceMs };
  }
  // The default grace depends on the gap after each run, so walk back until one's grace is
  // over; a grace of max(15 min, half the gap) ends within a few runs.
  let following = nextExpected;
  for (const t of scheduledBackwards(lines, now)) {
    const graceMs = Math.max(MIN_GRACE_MS, Math.round((following.getTime() - t.getTime()) / 2));
    if (t.getTime() + graceMs <= now.getTime()) return { expected: t, graceMs };
    following = t;
  }
  throw new Error('unreachable: a cron schedule has no end');
}

/**
 * Compares the newest verified backup with the schedule. The run that must be covered is the
 * latest scheduled time whose grace period has passed; the check passes when the newest backup
 * is at or after it. With several cron lines the most recent expected run across all counts.
 */
export function checkFreshness(input: FreshnessInput): FreshnessReport {
  const { now, newest } = input;
  const lines = input.cron.map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) {
    throw new ConfigError('schedule', 'no cron expression given', {
      hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
    });
  }
  if (input.graceMs !== undefined && !(input.graceMs >= 0)) {
    throw new ConfigError('grace', `grace must not be negative`, {
      hint: "use a duration such as '30m' or '2h'",
    });
  }
  for (const l of lines) parseCron(l, now); // every line is checked, not only the ones reached

  const nextExpected = nextAfter(lines, now);
  const lastScheduled = first(scheduledBackwards(lines, now));
  const { expected, graceMs } = lastExpectedRun(lines, now, nextExpected, input.graceMs);
  const intervalMs = nextAfter(lines, expected).getTime() - expected.getTime();

  const ageMs = newest ? now.getTime() - newest.getTime() : undefined;
  const ok = newest !== undefined && newest.getTime() >= expected.getTime();
  const every = `expected every ${describeMs(intervalMs)}`;
  const nextText = `next expected run ${iso(nextExpected)}`;
  let message: string;
  if (!newest) {
    message = `No verified backup found; a backup was expected at ${iso(expected)} (${every}, grace ${describeMs(graceMs)}); ${nextText}.`;
  } else if (ok) {
    message = `Fresh: newest verified backup is ${describeMs(ageMs!)} old (${iso(newest)}); ${every}, last expected run ${iso(expected)}, ${nextText}.`;
  } else {
    message =
      `Stale: newest verified backup is ${describeMs(ageMs!)} old (${iso(newest)}), but a backup was expected at ` +
      `${iso(expected)} (${every}, grace ${describeMs(graceMs)}, missed or failed runs); ${nextText}.`;
  }
  const report: FreshnessReport = {
    ok,
    lastExpected: expected,
    nextExpected,
    expectedIntervalMs: intervalMs,
    message,
    lastScheduled,
    graceMs,
  };
  if (ageMs !== undefined) report.ageMs = ageMs;
  return report;
}
