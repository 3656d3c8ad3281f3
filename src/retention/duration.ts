import { ConfigError } from '../core/errors.ts';

/**
 * A span of time as the user typed it. `ms` is exact for w/d/h/min/s and approximate for
 * months (30 days) and years (365 days); `calendar`, when present, lets retention subtract
 * months and years on the calendar the way restic does (2026-03-31 minus 1 month is 2026-03-03).
 */
export interface Duration {
  ms: number;
  text: string;
  calendar?: { years: number; months: number; days: number; ms: number };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = 'years' | 'months' | 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds';

const UNITS: Record<string, Unit> = {
  y: 'years',
  yr: 'years',
  year: 'years',
  years: 'years',
  mo: 'months',
  month: 'months',
  months: 'months',
  w: 'weeks',
  week: 'weeks',
  weeks: 'weeks',
  d: 'days',
  day: 'days',
  days: 'days',
  h: 'hours',
  hr: 'hours',
  hour: 'hours',
  hours: 'hours',
  min: 'minutes',
  mins: 'minutes',
  minute: 'minutes',
  minutes: 'minutes',
  s: 'seconds',
  sec: 'seconds',
  second: 'seconds',
  seconds: 'seconds',
};

const APPROX_MS: Record<Unit, number> = {
  years: 365 * DAY,
  months: 30 * DAY,
  weeks: 7 * DAY,
  days: DAY,
  hours: HOUR,
  minutes: MINUTE,
  seconds: 1000,
};

/**
 * Parses '30d', '2w', '1y6m', '12h', '1h30min', '90 minutes'. A bare `m` means months for
 * keep-within (restic's meaning, so '1y6m' works) and minutes for every other option
 * ('30m' grace); `mo` and `min` are never ambiguous.
 */
export function parseDuration(option: string, text: string): Duration {
  const trimmed = String(text).trim();
  const hint =
    option === 'keep-within'
      ? "use a number and a unit: y, m (months), w, d, h — e.g. '30d', '2w', '1y6m', '12h'"
      : "use a number and a unit: d, h, m (minutes), s — e.g. '30m', '2h', '1d'";
  if (!trimmed) throw new ConfigError(option, 'empty duration', { hint });
  const bareM: Unit = option === 'keep-within' ? 'months' : 'minutes';
  const parts: Record<Unit, number> = {
    years: 0,
    months: 0,
    weeks: 0,
    days: 0,
    hours: 0,
    minutes: 0,
    seconds: 0,
  };
  const token = /\s*(\d+)\s*([a-z]+)\s*/giy;
  let pos = 0;
  let matched = 0;
  while (pos < trimmed.length) {
    token.lastIndex = pos;
    const m = token.exec(trimmed);
    if (!m) {
      const bare = /^\d+$/.test(trimmed);
      throw new ConfigError(option, `'${trimmed}' is not a duration${bare ? ' (no unit)' : ''}`, {
        hint,
      });
    }
    const word = m[2]!.toLowerCase();
    const unit = word === 'm' ? bareM : UNITS[word];
    if (!unit) throw new ConfigError(option, `unknown unit '${m[2]}' in '${trimmed}'`, { hint });
    parts[unit] += Number(m[1]);
    pos = token.lastIndex;
    matched++;
  }
  if (matched === 0) throw new ConfigError(option, `'${trimmed}' is not a duration`, { hint });
  let ms = 0;
  for (const [unit, n] of Object.entries(parts) as Array<[Unit, number]>) ms += n * APPROX_MS[unit];
  if (!Number.isFinite(ms)) throw new ConfigError(option, `'${trimmed}' is too long`, { hint });
  const exactMs = parts.hours * HOUR + parts.minutes * MINUTE + parts.seconds * 1000;
  return {
    ms,
    text: trimmed,
    calendar: {
      years: parts.years,
      months: parts.months,
      days: parts.weeks * 7 + parts.days,
      ms: exactMs,
    },
  };
}

/** The instant `d` before `from`, on the UTC calendar when the duration has calendar parts. */
export function subtractDuration(from: Date, d: Duration): Date {
  if (!d.calendar) return new Date(from.getTime() - d.ms);
  const t = new Date(from.getTime());
  const { years, months, days, ms } = d.calendar;
  t.setUTCFullYear(t.getUTCFullYear() - years, t.getUTCMonth() - months, t.getUTCDate() - days);
  return new Date(t.getTime() - ms);
}

/** '2 d 3 h', '45 min', '12 s': coarse, for messages about ages and intervals. */
export function describeMs(ms: number): string {
  const neg = ms < 0;
  let rest = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(rest / 86_400);
  rest -= d * 86_400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const out: string[] = [];
  if (d) out.push(`${d} d`);
  if (h) out.push(`${h} h`);
  if (m && d === 0) out.push(`${m} min`);
  if (s && d === 0 && h === 0) out.push(`${s} s`);
  const text = out.length ? out.join(' ') : '0 s';
  return neg ? `-${text}` : text;
}
