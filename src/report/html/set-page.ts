import { formatBytes, formatDuration, formatTime } from '../../core/log.ts';
import { STATE_LABELS, type Catalog, type CatalogBackup, type CatalogSet } from './catalog.ts';
import { renderTimeline } from './timeline.ts';
import { drillHtml, esc, page, stateBadge, storageHtml, ageHtml, timeHtml } from './parts.ts';

/** Missed runs listed by time on the page; the rest are counted. */
const GAPS_LISTED = 20;

function backupStatus(b: CatalogBackup): string {
  if (b.damaged) return `<span class="bad">damaged</span>`;
  if (!b.confirmed) return `<span class="bad">not confirmed</span>`;
  if (b.tags.includes('safety')) return 'safety copy';
  return b.verifiedAt
    ? '<span class="ok">read back</span>'
    : '<span class="ok">confirmed at upload</span>';
}

function sourcesHtml(b: CatalogBackup): string {
  if (b.sources.length === 0) return '';
  const items = b.sources.map((s) => {
    const inventory = [
      s.tables !== undefined ? `${s.tables} tables, ${s.rows ?? 0} rows` : '',
      s.files !== undefined ? `${s.files} files` : '',
      s.totalBytes !== undefined ? formatBytes(s.totalBytes) : '',
    ]
      .filter(Boolean)
      .join(', ');
    const versions = Object.entries(s.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    return `<li><strong>${esc(s.name)}</strong> (${esc(s.kind)}) <code>${esc(s.url)}</code>${inventory ? `<br>inventory: ${esc(inventory)}` : ''}${versions ? `<br>versions: ${esc(versions)}` : ''}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

function drillDetails(b: CatalogBackup): string {
  const d = b.drill;
  if (!d) return '';
  const checks = d.checks
    .map(
      (c) =>
        `<li><span class="${c.ok ? 'ok' : 'bad'}">${c.ok ? 'passed' : 'failed'}</span> ${esc(c.name)}${c.detail ? `: ${esc(c.detail)}` : ''}</li>`,
    )
    .join('');
  return `<p>Drill ${timeHtml(d.finishedAt)}: <span class="${d.ok ? 'ok' : 'bad'}">${d.ok ? 'passed' : 'failed'}</span>, RTO ${esc(formatDuration(d.rtoMs))}</p><ul>${checks}</ul>`;
}

function backupRow(b: CatalogBackup, s: CatalogSet): string {
  const copies = b.copies
    .map(
      (c) =>
        `<li>${esc(c.destination)} <code>${esc(c.key)}</code>${c.damaged ? ` <span class="bad">damaged: ${esc(c.damaged)}</span>` : ''}</li>`,
    )
    .join('');
  const restore =
    s.links.restore && !b.damaged
      ? `<a href="${esc(s.links.restore)}" aria-label="restore backup ${esc(b.id)}" data-link="restore">restore…</a>`
      : '';
  const drill = b.drill
    ? `<span class="${b.drill.ok ? 'ok' : 'bad'}">${b.drill.ok ? 'passed' : 'failed'}</span>`
    : '<span class="muted">—</span>';
  return `<tr id="b-${esc(b.id)}" data-backup="${esc(b.id)}">
<th scope="row" data-label="backup"><span class="id">${esc(b.id)}</span><br>${timeHtml(b.createdAt)}</th>
<td data-label="status" data-field="status">${backupStatus(b)}</td>
<td data-label="size" data-field="size" data-bytes="${b.size}">${b.damaged ? '—' : esc(formatBytes(b.size))}</td>
<td data-label="duration">${b.durationMs !== undefined ? esc(formatDuration(b.durationMs)) : '—'}</td>
<td data-label="encryption" data-field="encryption">${b.encrypted ? 'encrypted' : 'not encrypted'}</td>
<td data-label="signature" data-field="signature">${b.signed ? 'signed' : 'not signed'}</td>
<td data-label="drill">${drill}</td>
<td data-label="details"><details><summary>sources, checksums, copies</summary>
${sourcesHtml(b)}
${chainHtml(b)}<p>sha256 <code>${esc(b.sha256 || '—')}</code>${b.compression ? `, ${esc(b.compression)}` : ''}${b.tool ? `, ${esc(b.tool)}` : ''}${b.verifiedAt ? `, read back ${timeHtml(b.verifiedAt)}` : ''}${b.damaged ? `<br><span class="bad">${esc(b.damaged)}</span>` : ''}</p>
<ul>${copies}</ul>${drillDetails(b)}</details></td>
<td data-label="actions" class="actions">${restore}</td>
</tr>`;
}

/** Incremental chains: which chain a backup belongs to (restores read it back to the full one). */
function chainHtml(b: CatalogBackup): string {
  if (b.kind === 'incremental') {
    return `<p data-field="chain">incremental ${b.chainPosition ?? '?'} of its chain, parent <a href="#b-${esc(b.parent ?? '')}">${esc(b.parent ?? '?')}</a></p>\n`;
  }
  if (b.kind === 'full') return '<p data-field="chain">full backup (starts a chain)</p>\n';
  return '';
}

function retentionHtml(s: CatalogSet): string {
  if (s.retention.length === 0) {
    return '<p class="muted">No keep-* policy given to the report: the next prune is not previewed.</p>';
  }
  return s.retention
    .map((r) => {
      const rows = r.remove
        .map(
          (d) =>
            `<tr><td class="id">${esc(d.id)}</td><td>not kept by any rule (${esc(r.policy)})</td></tr>`,
        )
        .join('');
      return `<h3>${esc(r.destination)}</h3>
<p data-field="retention">The next prune would keep ${r.keep.length} and delete ${r.remove.length} (policy: ${esc(r.policy)}).</p>
${r.remove.length ? `<div class="scroll"><table><thead><tr><th scope="col">would delete</th><th scope="col">reason</th></tr></thead><tbody>${rows}</tbody></table></div>` : ''}`;
    })
    .join('\n');
}

function gapsHtml(s: CatalogSet): string {
  if (s.schedule.length === 0)
    return '<p class="muted">No schedule given: gaps are not checked.</p>';
  if (s.gaps.length === 0) return '<p>Every scheduled run in the timeline left a good backup.</p>';
  const shown = s.gaps.slice(-GAPS_LISTED).reverse();
  const more = s.gaps.length - shown.length;
  return `<p data-field="gaps">${s.gaps.length} scheduled run${s.gaps.length === 1 ? '' : 's'} left no good backup${more ? ` (newest ${shown.length} listed)` : ''}:</p>
<ul>${shown.map((g) => `<li>${timeHtml(g)}</li>`).join('')}</ul>`;
}

export function renderSetPage(s: CatalogSet, catalog: Catalog): string {
  const links = [
    s.links.runBackup
      ? `<a href="${esc(s.links.runBackup)}" data-link="run-backup">run a backup now</a>`
      : '',
    s.links.restore ? `<a href="${esc(s.links.restore)}" data-link="restore">restore…</a>` : '',
  ].join('');
  const newestFirst = [...s.backups].reverse();
  return page(
    `${s.name}: ${STATE_LABELS[s.state]} (Lifeboat)`,
    `<p><a href="../index.html">← all sets</a></p>
<h1>${esc(s.name)} ${stateBadge(s)}</h1>
<p data-field="reason">${esc(s.reason)}</p>
${links ? `<p class="actions">${links}</p>` : ''}
<dl class="facts">
<dt>newest good backup</dt><dd data-field="newest">${s.newestGood ? `<span class="id">${esc(s.newestGood.id)}</span>, ${timeHtml(s.newestGood.createdAt)}` : '<span class="bad">none</span>'}</dd>
<dt>age</dt><dd>${ageHtml(s)}</dd>
<dt>times</dt><dd>UTC</dd>
<dt>schedule</dt><dd>${s.schedule.length ? s.schedule.map((c) => `<code>${esc(c)}</code>`).join(', ') : '<span class="muted">none given</span>'}</dd>
<dt>next expected run</dt><dd data-field="next">${s.nextExpected ? timeHtml(s.nextExpected) : '<span class="muted">—</span>'}</dd>
<dt>last drill</dt><dd data-field="drill">${drillHtml(s)}</dd>
<dt>storage used</dt><dd>${storageHtml(s)}</dd>
<dt>backups</dt><dd data-field="count">${s.backups.length}</dd>
</dl>
<h2>Timeline</h2>
${renderTimeline(s, catalog.generatedAt)}
${gapsHtml(s)}
<h2>Retention preview</h2>
${retentionHtml(s)}
<h2>Backups</h2>
<div class="scroll">
<table class="cards" id="backups">
<caption class="muted">Newest first. Times are UTC.</caption>
<thead><tr><th scope="col">backup</th><th scope="col">status</th><th scope="col">size</th><th scope="col">duration</th><th scope="col">encryption</th><th scope="col">signature</th><th scope="col">drill</th><th scope="col">details</th><th scope="col">actions</th></tr></thead>
<tbody>
${newestFirst.map((b) => backupRow(b, s)).join('\n')}
</tbody>
</table>
</div>
<p class="muted">Generated ${esc(formatTime(catalog.generatedAt))} by ${esc(catalog.tool)}.</p>`,
  );
}
