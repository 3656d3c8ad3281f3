import { formatBytes, formatDuration, formatTime } from '../../core/log.ts';
import type { CatalogSet } from './catalog.ts';
import { esc } from './parts.ts';

const W = 960;
const LEFT = 70;
const RIGHT = 20;
const SIZE_TOP = 24;
const SIZE_BOTTOM = 124;
const DUR_TOP = 150;
const DUR_BOTTOM = 210;
const AXIS = 232;
const H = 250;

const n1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/**
 * Sizes as bars, durations as dots, scheduled runs that left no backup as dashed red lines,
 * damaged backups as red crosses. The description says the same in words for screen readers.
 */
export function renderTimeline(s: CatalogSet, generatedAt: string): string {
  const backups = s.backups;
  if (backups.length === 0 && s.gaps.length === 0) {
    return '<p class="muted">No backups to chart.</p>';
  }
  const times = [
    ...backups.map((b) => Date.parse(b.createdAt)),
    ...s.gaps.map((g) => Date.parse(g)),
  ];
  const t0 = Math.min(...times);
  const t1 = Math.max(Date.parse(generatedAt), ...times, t0 + 3_600_000);
  const x = (t: number): number => LEFT + ((t - t0) / (t1 - t0)) * (W - LEFT - RIGHT);
  const good = backups.filter((b) => !b.damaged);
  const maxSize = Math.max(1, ...good.map((b) => b.size));
  const durations = good.filter((b) => b.durationMs !== undefined).map((b) => b.durationMs!);
  const maxDur = Math.max(1, ...durations);
  const barW = Math.max(
    1.5,
    Math.min(10, ((W - LEFT - RIGHT) / Math.max(1, backups.length)) * 0.6),
  );

  const parts: string[] = [];
  for (const g of s.gaps) {
    const gx = n1(x(Date.parse(g)));
    parts.push(
      `<line class="gap" x1="${gx}" x2="${gx}" y1="${SIZE_TOP}" y2="${DUR_BOTTOM}"><title>missed run ${esc(formatTime(g))}</title></line>`,
    );
  }
  for (const b of backups) {
    const bx = x(Date.parse(b.createdAt));
    if (b.damaged) {
      const cy = SIZE_BOTTOM - 8;
      parts.push(
        `<path class="damaged" d="M${n1(bx - 5)} ${cy - 5}l10 10m0-10l-10 10"><title>${esc(b.id)}: damaged</title></path>`,
      );
      continue;
    }
    const h = Math.max(1, (b.size / maxSize) * (SIZE_BOTTOM - SIZE_TOP));
    const label = `${b.id}: ${formatBytes(b.size)}${b.durationMs !== undefined ? `, ${formatDuration(b.durationMs)}` : ''}${b.confirmed ? '' : ', not confirmed'}`;
    parts.push(
      `<rect class="bar${b.confirmed ? '' : ' unconfirmed'}" x="${n1(bx - barW / 2)}" y="${n1(SIZE_BOTTOM - h)}" width="${n1(barW)}" height="${n1(h)}"><title>${esc(label)}</title></rect>`,
    );
    if (b.drill) {
      const ok = b.drill.ok;
      parts.push(
        `<circle class="${ok ? 'drill-ok' : 'drill-failed'}" cx="${n1(bx)}" cy="${SIZE_TOP - 10}" r="4"><title>${esc(`${b.id}: drill ${ok ? 'passed' : 'failed'}, RTO ${formatDuration(b.drill.rtoMs)}`)}</title></circle>`,
      );
    }
    if (b.durationMs !== undefined) {
      const dy = DUR_BOTTOM - (b.durationMs / maxDur) * (DUR_BOTTOM - DUR_TOP);
      parts.push(`<circle class="dur" cx="${n1(bx)}" cy="${n1(dy)}" r="2.5"></circle>`);
    }
  }
  const damaged = backups.length - good.length;
  const drilled = backups.filter((b) => b.drill);
  const sizes = good.map((b) => b.size);
  const desc = [
    `${backups.length} backup${backups.length === 1 ? '' : 's'} from ${formatTime(new Date(t0))} to ${formatTime(new Date(t1))}.`,
    sizes.length
      ? `Sizes from ${formatBytes(Math.min(...sizes))} to ${formatBytes(Math.max(...sizes))}.`
      : '',
    durations.length
      ? `Durations from ${formatDuration(Math.min(...durations))} to ${formatDuration(maxDur)}.`
      : '',
    s.schedule.length
      ? `${s.gaps.length} scheduled run${s.gaps.length === 1 ? '' : 's'} left no good backup.`
      : '',
    damaged ? `${damaged} damaged.` : '',
    drilled.length
      ? `${drilled.length} drilled, ${drilled.filter((b) => !b.drill!.ok).length} of them failed.`
      : 'Never drilled.',
  ]
    .filter(Boolean)
    .join(' ');
  return `<figure>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="tl-title" aria-describedby="tl-desc" xmlns="http://www.w3.org/2000/svg">
<title id="tl-title">Backups of ${esc(s.name)} over time: size and duration</title>
<desc id="tl-desc">${esc(desc)}</desc>
<style>.bar{fill:var(--bar)}.unconfirmed{fill:none;stroke:var(--gap)}.dur{fill:var(--dot)}.gap{stroke:var(--gap);stroke-dasharray:4 3;stroke-width:1.5}.damaged{stroke:var(--gap);stroke-width:2.5;fill:none}.axis{stroke:var(--line)}.drill-ok{fill:var(--state-fresh)}.drill-failed{fill:var(--state-failing)}</style>
<line class="axis" x1="${LEFT}" x2="${W - RIGHT}" y1="${SIZE_BOTTOM}" y2="${SIZE_BOTTOM}"></line>
<line class="axis" x1="${LEFT}" x2="${W - RIGHT}" y1="${DUR_BOTTOM}" y2="${DUR_BOTTOM}"></line>
<text aria-hidden="true" x="4" y="${SIZE_TOP + 4}">${esc(formatBytes(maxSize))}</text>
<text aria-hidden="true" x="4" y="${SIZE_BOTTOM}">size</text>
<text aria-hidden="true" x="4" y="${DUR_TOP + 4}">${esc(formatDuration(maxDur))}</text>
<text aria-hidden="true" x="4" y="${DUR_BOTTOM}">duration</text>
<text aria-hidden="true" x="${LEFT}" y="${AXIS}">${esc(formatTime(new Date(t0)).slice(0, 10))}</text>
<text aria-hidden="true" x="${W - RIGHT}" y="${AXIS}" text-anchor="end">${esc(formatTime(new Date(t1)).slice(0, 10))}</text>
${parts.join('\n')}
</svg>
<figcaption class="muted">${esc(desc)} Bars: archive size; dots: backup duration; dashed red lines: scheduled runs that left no good backup; red crosses: damaged backups; circles above: drills (green passed, red failed).</figcaption>
</figure>`;
}
