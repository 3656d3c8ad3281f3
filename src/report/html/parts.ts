import { formatBytes, formatDuration, formatTime } from '../../core/log.ts';
import { SET_STATES, STATE_LABELS, type CatalogSet } from './catalog.ts';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text and attribute values alike: everything from storage is untrusted. */
export function esc(s: string | number): string {
  const text = String(s);
  // Most values (ids, sizes, times) have nothing to escape: one test, no copy.
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ENTITIES[c]!) : text;
}

/** The set's page, relative to the site's root: a safe file name whatever the set is called. */
export function setPagePath(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
  return `sets/${safe}.html`;
}

/** Light and dark colours per state; the label is always written too (never colour alone). */
export const STATE_COLOURS: Readonly<Record<CatalogSet['state'], { light: string; dark: string }>> =
  {
    fresh: { light: '#1a7f37', dark: '#3fb950' },
    late: { light: '#9a6700', dark: '#d29922' },
    failing: { light: '#cf222e', dark: '#f85149' },
    damaged: { light: '#8250df', dark: '#bc8cff' },
    'never-drilled': { light: '#0969da', dark: '#58a6ff' },
    unscheduled: { light: '#57606a', dark: '#8b949e' },
  };

const stateVars = (mode: 'light' | 'dark') =>
  SET_STATES.map((s) => `--state-${s}:${STATE_COLOURS[s][mode]};`).join('');

const CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--link:#0969da;--bar:#54aeff;--dot:#8250df;--gap:#cf222e;${stateVars('light')}}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;--link:#4493f8;--bar:#1f6feb;--dot:#bc8cff;--gap:#f85149;${stateVars('dark')}}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:1rem;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
h1{font-size:1.5rem;margin:.2rem 0 .5rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}
.muted{color:var(--muted)}
code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;vertical-align:top;padding:.35rem .45rem;border-bottom:1px solid var(--line)}
thead th{background:var(--panel)}
.state{display:inline-block;padding:.05rem .55rem;border-radius:1rem;color:#fff;font-weight:600;font-size:.85em;white-space:nowrap}
@media (prefers-color-scheme:dark){.state{color:#0d1117}}
${SET_STATES.map((s) => `.state-${s}{background:var(--state-${s})}`).join('\n')}
.bad{color:var(--state-failing);font-weight:600}.ok{color:var(--state-fresh)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.actions a{display:inline-block;margin:.2rem .6rem .2rem 0}
figure{margin:0}svg{width:100%;height:auto;background:var(--panel);border:1px solid var(--line)}
svg text{fill:var(--muted);font-size:12px}

.id{font-size:.8em;color:var(--muted)}
time{white-space:nowrap}
#sets .reason{display:block;max-width:17rem;font-size:.9em}
details{margin:.2rem 0}summary{cursor:pointer}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg)}
@media (max-width:700px){
body{padding:.5rem}
table.cards thead{position:absolute;left:-9999px}
table.cards tr{display:block;border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.3rem}
table.cards td{display:block;border:0;padding:.15rem .3rem}
table.cards td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}
dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4rem}
}
`;

/** One page: inline CSS, no script, and a policy that forbids every request (file:// or Pages alike). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<main id="main">
${body}
</main>
</body>
</html>
`;
}

export function stateBadge(s: CatalogSet): string {
  return `<span class="state state-${s.state}" data-state="${s.state}">${esc(STATE_LABELS[s.state])}</span>`;
}

/** `2026-11-30 03:05` (every page says times are UTC), unbroken; the exact instant stays in the datetime attribute. */
export function timeHtml(iso: string): string {
  const shown = formatTime(iso).replace(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d):\d\dZ$/, '$1 $2');
  return `<time datetime="${esc(iso)}" title="${esc(formatTime(iso))}">${esc(shown)}</time>`;
}

export function drillHtml(s: CatalogSet): string {
  const d = s.lastDrill;
  if (!d) return '<span class="muted">never drilled</span>';
  return `<span class="${d.ok ? 'ok' : 'bad'}">${d.ok ? 'passed' : 'failed'}</span> ${timeHtml(d.finishedAt)}, RTO&nbsp;<span data-field="rto">${esc(formatDuration(d.rtoMs))}</span>`;
}

/** Bytes per destination; the destination is named when there are several. */
export function storageHtml(s: CatalogSet, named = true): string {
  if (s.storage.length === 0) return '<span class="muted">nothing stored</span>';
  return s.storage
    .map(
      (u) =>
        `<span data-field="used" data-bytes="${u.bytes}">${esc(formatBytes(u.bytes))}</span>${named ? ` <span class="muted">on ${esc(u.destination)}</span>` : ''}`,
    )
    .join('<br>');
}

export function ageHtml(s: CatalogSet, withInterval = true): string {
  if (!s.newestGood) return '<span class="muted">—</span>';
  const every =
    withInterval && s.expectedIntervalMs
      ? ` <span class="muted">(expected every ${esc(formatDuration(s.expectedIntervalMs))})</span>`
      : '';
  return `<span data-field="age" data-ms="${s.newestGood.ageMs}">${esc(formatDuration(s.newestGood.ageMs))}</span>${every}`;
}
