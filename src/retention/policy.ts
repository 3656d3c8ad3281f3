import { ConfigError } from '../core/errors.ts';
import { parseDuration, subtractDuration, type Duration } from './duration.ts';
import { formatTime } from '../core/log.ts';

export { parseDuration, type Duration } from './duration.ts';

/** Counts are whole numbers; `Infinity` keeps one backup in every period that has one. */
export interface RetentionPolicy {
  last?: number;
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
  yearly?: number;
  within?: Duration;
}

export interface BackupRef {
  id: string;
  time: Date;
  verified: boolean;
  /** A drill restored it (it has an `<id>.drill.json`): the newest such backup is always kept. */
  drilled?: boolean;
}

export interface RetentionDecision {
  id: string;
  time: Date;
  verified: boolean;
  keep: boolean;
  /** Why it is kept: 'last 1', 'daily 2026-11-21', 'weekly 2026-W47', 'within 7d', 'newest verified' … */
  reasons: string[];
  /** Incremental chains: 'full <id>' or 'incremental 3 of <full id>' (or why the chain is broken). */
  chain?: string;
}

/** Both lists newest first. */
export interface RetentionPlan {
  keep: RetentionDecision[];
  remove: RetentionDecision[];
  policy?: RetentionPolicy;
}

type Period = 'last' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';

const PERIODS: readonly Period[] = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** ISO 8601 week of a UTC instant: the week belongs to the year that holds its Thursday. */
export function isoWeek(t: Date): { year: number; week: number } {
  const day = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
  const weekday = (t.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(day + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return { year, week };
}

/** The period a backup falls in, as a label that is also its identity ('2026-11-21'). */
export function periodLabel(period: Exclude<Period, 'last'>, t: Date): string {
  const y = pad(t.getUTCFullYear(), 4);
  const mo = pad(t.getUTCMonth() + 1);
  const d = pad(t.getUTCDate());
  switch (period) {
    case 'hourly':
      return `${y}-${mo}-${d}T${pad(t.getUTCHours())}`;
    case 'daily':
      return `${y}-${mo}-${d}`;
    case 'weekly': {
      const w = isoWeek(t);
      return `${pad(w.year, 4)}-W${pad(w.week)}`;
    }
    case 'monthly':
      return `${y}-${mo}`;
    case 'yearly':
      return y;
  }
}

export function isEmptyPolicy(p: RetentionPolicy): boolean {
  const anyCount = PERIODS.some((k) => (p[k] ?? 0) > 0);
  return !anyCount && !hasWithin(p);
}

function hasWithin(p: RetentionPolicy): p is RetentionPolicy & { within: Duration } {
  if (!p.within) return false;
  const c = p.within.calendar;
  return p.within.ms > 0 || (c !== undefined && c.years + c.months + c.days + c.ms > 0);
}

function newestFirst(a: BackupRef, b: BackupRef): number {
  const dt = b.time.getTime() - a.time.getTime();
  if (dt !== 0) return dt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const hasTime = (b: BackupRef): boolean =>
  b.time instanceof Date && !Number.isNaN(b.time.getTime());

/**
 * Pure. Semantics of restic's `forget`, in UTC: backups are walked newest first; each
 * `keep-<period> N` keeps the first (newest) backup it meets in each new period until it has
 * kept N, so periods without a backup never count, and when a rule runs out of backups before
 * N it also keeps the oldest one. `keep-within` keeps everything strictly newer than the newest
 * backup minus the duration. Rules are ORed. On top of that: an empty policy keeps everything,
 * the newest verified backup and the newest drilled one are always kept, and a backup without a
 * valid time is kept.
 */
export function planRetention(
  backups: BackupRef[],
  policy: RetentionPolicy,
  /** Ids that must stay whatever the policy says: the backup the current run just made. */
  protect: readonly string[] = [],
): RetentionPlan {
  const sorted = backups.filter(hasTime).sort(newestFirst);
  const reasons = new Map<BackupRef, string[]>(sorted.map((b) => [b, []]));
  const reasonsOf = (b: BackupRef): string[] => reasons.get(b)!;

  if (isEmptyPolicy(policy)) {
    for (const b of sorted) reasonsOf(b).push('no retention policy');
  } else if (sorted.length > 0) {
    const newest = sorted[0]!;
    const cutoff = hasWithin(policy)
      ? subtractDuration(newest.time, policy.within).getTime()
      : undefined;
    const buckets = PERIODS.map((period) => ({
      period,
      left: policy[period] ?? 0,
      last: undefined as string | undefined,
    }));
    sorted.forEach((b, nr) => {
      const isOldest = nr === sorted.length - 1;
      if (cutoff !== undefined && b.time.getTime() > cutoff)
        reasonsOf(b).push(`within ${policy.within!.text}`);
      for (const bucket of buckets) {
        if (!(bucket.left > 0)) continue;
        const label =
          bucket.period === 'last' ? String(nr + 1) : periodLabel(bucket.period, b.time);
        if (label !== bucket.last) {
          bucket.last = label;
          bucket.left--;
          reasonsOf(b).push(`${bucket.period} ${label}`);
        } else if (isOldest) {
          // restic keeps the oldest backup while a rule still has counts left: the longest history.
          reasonsOf(b).push(`oldest ${bucket.period} ${label}`);
        }
      }
    });
  }

  const newestVerified = sorted.find((b) => b.verified);
  if (newestVerified) reasonsOf(newestVerified).push('newest verified');
  // The last backup known to restore is worth more than any number of untested ones.
  const newestDrilled = sorted.find((b) => b.drilled);
  if (newestDrilled) reasonsOf(newestDrilled).push('newest drilled');
  // An overlapping run may have made newer backups; this run's own is never its victim.
  for (const b of sorted) if (protect.includes(b.id)) reasonsOf(b).push('made by this run');

  const decide = (b: BackupRef, why: string[]): RetentionDecision => ({
    id: b.id,
    time: b.time,
    verified: b.verified,
    keep: why.length > 0,
    reasons: why,
  });
  const decisions = sorted.map((b) => decide(b, reasonsOf(b)));
  // A backup whose time cannot be read is never removed: nothing says it is old.
  const undated = backups.filter((b) => !hasTime(b)).map((b) => decide(b, ['unknown time']));
  return {
    keep: [...decisions.filter((d) => d.keep), ...undated],
    remove: decisions.filter((d) => !d.keep),
    policy,
  };
}

/** A backup's place in an incremental chain, from its manifest. */
export interface ChainLink {
  kind?: 'full' | 'incremental';
  parent?: string;
  chainPosition?: number;
}

/**
 * Pure. Keeps whole chains: every backup a kept incremental needs (its parent, and so on back
 * to the full backup) is kept too, with the reason 'needed by <id>'. Every decision of a set
 * that has chains is labelled with its chain; an incremental whose parent is not listed is
 * labelled broken (it is kept or removed by the policy as it is: it cannot be restored anyway).
 */
export function keepChains(
  plan: RetentionPlan,
  links: ReadonlyMap<string, ChainLink>,
): RetentionPlan {
  if (![...links.values()].some((l) => l.kind !== undefined)) return plan;
  const all = new Map([...plan.keep, ...plan.remove].map((d) => [d.id, d]));
  const label = (id: string): string => {
    let cur = id;
    for (let guard = 0; guard < 100_000; guard++) {
      const l = links.get(cur);
      if (l?.kind !== 'incremental') break;
      if (!l.parent || !all.has(l.parent))
        return `incremental ${links.get(id)?.chainPosition ?? '?'}, broken: parent ${l.parent ?? '(none)'} missing`;
      cur = l.parent;
    }
    const own = links.get(id);
    return own?.kind === 'incremental'
      ? `incremental ${own.chainPosition ?? '?'} of ${cur}`
      : `full ${id}`;
  };
  for (const d of all.values()) d.chain = label(d.id);
  const keepIds = new Set(plan.keep.map((d) => d.id));
  for (const kept of plan.keep.slice()) {
    let cur = links.get(kept.id);
    while (cur?.kind === 'incremental' && cur.parent) {
      const parent = all.get(cur.parent);
      if (!parent) break;
      if (!keepIds.has(parent.id)) {
        keepIds.add(parent.id);
        parent.keep = true;
        parent.reasons.push(`needed by ${kept.id}`);
      }
      cur = links.get(parent.id);
    }
  }
  const order = (a: RetentionDecision, b: RetentionDecision): number =>
    b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  return {
    ...plan,
    keep: [...all.values()].filter((d) => keepIds.has(d.id)).sort(order),
    remove: [...all.values()].filter((d) => !keepIds.has(d.id)).sort(order),
  };
}

export type RetentionValues = {
  'keep-last'?: unknown;
  'keep-hourly'?: unknown;
  'keep-daily'?: unknown;
  'keep-weekly'?: unknown;
  'keep-monthly'?: unknown;
  'keep-yearly'?: unknown;
  'keep-within'?: unknown;
};

const COUNT_HINT = 'use a whole number such as 7 (0 turns the rule off), or unlimited';

function single(option: string, value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length > 1)
    throw new ConfigError(option, 'given more than once', { hint: 'give it once' });
  return value[0];
}

function parseCount(option: string, raw: unknown): number | undefined {
  const value = single(option, raw);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return value;
    if (value === -1 || value === Infinity) return Infinity;
    throw new ConfigError(option, `${value} is not a whole number`, { hint: COUNT_HINT });
  }
  if (typeof value !== 'string')
    throw new ConfigError(option, `expected a whole number`, { hint: COUNT_HINT });
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  if (/^(unlimited|all|-1)$/i.test(text)) return Infinity;
  throw new ConfigError(option, `'${text}' is not a whole number`, { hint: COUNT_HINT });
}

/** From option values (strings as typed, or numbers). Throws ConfigError naming the option. */
export function parseRetentionPolicy(values: RetentionValues): RetentionPolicy {
  const policy: RetentionPolicy = {};
  for (const period of PERIODS) {
    const n = parseCount(`keep-${period}`, values[`keep-${period}`]);
    if (n !== undefined) policy[period] = n;
  }
  const within = single('keep-within', values['keep-within']);
  if (within !== undefined && within !== null && String(within).trim() !== '') {
    if (typeof within !== 'string') {
      throw new ConfigError('keep-within', `'${String(within)}' has no unit`, {
        hint: "use a number and a unit: y, m (months), w, d, h — e.g. '30d', '2w', '1y6m', '12h'",
      });
    }
    const d = parseDuration('keep-within', within);
    if (d.ms <= 0) {
      throw new ConfigError('keep-within', `'${d.text}' is zero`, {
        hint: "give a positive duration such as '7d', or leave {{option:keep-within}} unset",
      });
    }
    policy.within = d;
  }
  return policy;
}

/** 'keep-last 3, keep-daily 7, keep-within 30d' — or 'none'. */
export function describePolicy(p: RetentionPolicy): string {
  const parts: string[] = [];
  for (const period of PERIODS) {
    const n = p[period];
    if (n !== undefined && n > 0) parts.push(`keep-${period} ${n === Infinity ? 'unlimited' : n}`);
  }
  if (hasWithin(p)) parts.push(`keep-within ${p.within.text}`);
  return parts.length ? parts.join(', ') : 'none';
}

const showTime = (t: Date): string => (Number.isNaN(t.getTime()) ? 'unknown' : formatTime(t));

/** Plain-text table of the plan for logs, or markdown for the job summary. Newest first. */
export function formatPlan(plan: RetentionPlan, format: 'text' | 'markdown'): string {
  const rows = [...plan.keep, ...plan.remove].sort((a, b) => {
    const ta = Number.isNaN(a.time.getTime()) ? Infinity : a.time.getTime();
    const tb = Number.isNaN(b.time.getTime()) ? Infinity : b.time.getTime();
    return tb - ta || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  });
  const summary = `keep ${plan.keep.length}, remove ${plan.remove.length}`;
  const policyText = plan.policy ? ` (policy: ${describePolicy(plan.policy)})` : '';
  if (format === 'markdown') {
    const cell = (s: string): string =>
      s
        .replace(/\\/g, '\\\\')
        .replace(/\|/g, '\\|')
        .replace(/[\r\n]+/g, ' ');
    const code = (s: string): string => `\`${cell(s).replace(/`/g, "'")}\``;
    const lines = [`**Retention: ${summary}**${policyText}`, ''];
    if (rows.length === 0) return [...lines, 'No backups.'].join('\n');
    const chains = rows.some((r) => r.chain);
    lines.push(
      `| action | backup | time (UTC) |${chains ? ' chain |' : ''} reasons |`,
      `|---|---|---|${chains ? '---|' : ''}---|`,
    );
    for (const r of rows) {
      lines.push(
        `| ${r.keep ? 'keep' : '**remove**'} | ${code(r.id)} | ${showTime(r.time)} |${chains ? ` ${cell(r.chain ?? '—')} |` : ''} ${cell(r.reasons.join(', ') || '—')} |`,
      );
    }
    return lines.join('\n');
  }
  const header = `Retention: ${summary}${policyText}`;
  if (rows.length === 0) return `${header}\nNo backups.`;
  const chains = rows.some((r) => r.chain);
  const table = [
    ['ACTION', 'BACKUP', 'TIME (UTC)', ...(chains ? ['CHAIN'] : []), 'REASONS'],
    ...rows.map((r) => [
      r.keep ? 'keep' : 'remove',
      r.id,
      showTime(r.time),
      ...(chains ? [r.chain ?? '-'] : []),
      r.reasons.join(', ') || '-',
    ]),
  ];
  const padded = chains ? 4 : 3;
  const widths = [...Array(padded).keys()].map((i) =>
    Math.max(...table.map((row) => row[i]!.length)),
  );
  const lines = table.map((row) =>
    row
      .map((c, i) => (i < padded ? c.padEnd(widths[i]!) : c))
      .join('  ')
      .trimEnd(),
  );
  return [header, ...lines].join('\n');
}
