import { SET_STATES, STATE_LABELS, type Catalog } from './catalog.ts';
import {
  ageHtml,
  drillHtml,
  esc,
  page,
  setPagePath,
  stateBadge,
  storageHtml,
  timeHtml,
} from './parts.ts';
import { renderSetPage } from './set-page.ts';

function countsLine(catalog: Catalog): string {
  const counts = SET_STATES.map(
    (st) => [st, catalog.sets.filter((s) => s.state === st).length] as const,
  ).filter(([, n]) => n > 0);
  if (counts.length === 0) return 'No backup sets found.';
  return `${catalog.sets.length} set${catalog.sets.length === 1 ? '' : 's'}: ${counts.map(([st, n]) => `${n} ${STATE_LABELS[st]}`).join(', ')}.`;
}

function renderIndex(catalog: Catalog): string {
  const sets = [...catalog.sets].sort(
    (a, b) =>
      SET_STATES.indexOf(a.state) - SET_STATES.indexOf(b.state) || (a.name < b.name ? -1 : 1),
  );
  const destinations = catalog.destinations
    .map(
      (d) =>
        `<li>${esc(d.url)}${d.error ? ` <span class="bad">could not be read: ${esc(d.error)}</span>` : ''}</li>`,
    )
    .join('');
  const many = catalog.destinations.length > 1;
  const links = catalog.sets[0]?.links ?? {};
  const actions = [
    links.runBackup
      ? `<a href="${esc(links.runBackup)}" data-link="run-backup">run a backup now</a>`
      : '',
    links.restore ? `<a href="${esc(links.restore)}" data-link="restore">restore…</a>` : '',
  ].join('');
  const rows = sets
    .map((s) => {
      return `<tr data-set="${esc(s.name)}">
<th scope="row" data-label="set"><a href="${esc(setPagePath(s.name))}">${esc(s.name)}</a></th>
<td data-label="state">${stateBadge(s)}<br><span class="muted reason" data-field="reason">${esc(s.reason)}</span></td>
<td data-label="newest good backup">${s.newestGood ? `${timeHtml(s.newestGood.createdAt)}<br><span class="id" data-field="newest">${esc(s.newestGood.id)}</span>` : '<span class="bad" data-field="newest">none</span>'}</td>
<td data-label="age">${ageHtml(s, false)}</td>
<td data-label="next expected run" data-field="next">${s.nextExpected ? timeHtml(s.nextExpected) : '<span class="muted">no schedule</span>'}</td>
<td data-label="last drill" data-field="drill">${drillHtml(s)}</td>
<td data-label="storage used">${storageHtml(s, many)}</td>
</tr>`;
    })
    .join('\n');
  const healthy = catalog.sets.length > 0 && catalog.sets.every((s) => s.state === 'fresh');
  return page(
    // The tab says it too: a pinned tab shows a problem without being opened.
    `Lifeboat backups: ${
      healthy
        ? 'all fresh'
        : countsLine(catalog)
            .replace(/^\d+ sets?: /, '')
            .replace(/\.$/, '')
    }`,
    `<h1>Lifeboat backups</h1>
<p data-field="verdict"><strong>${healthy ? 'All backups are fresh and drilled.' : catalog.sets.length ? 'Some backups need attention.' : 'No backups found.'}</strong> ${esc(countsLine(catalog))}</p>
${actions ? `<p class="actions">${actions}</p>` : ''}
<p class="muted">Generated ${timeHtml(catalog.generatedAt)} UTC by ${esc(catalog.tool)}. Data for machines: <a href="catalog.json">catalog.json</a>.</p>
<h2>Sets</h2>
<div class="scroll">
<table class="cards" id="sets">
<caption class="muted">One row per backup set, worst state first. Times are UTC.</caption>
<thead><tr><th scope="col">set</th><th scope="col">state</th><th scope="col">newest good backup</th><th scope="col">age</th><th scope="col">next expected run</th><th scope="col">last drill</th><th scope="col">storage used</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>
<h2>Destinations</h2>
<ul>${destinations}</ul>`,
  );
}

/** Every file of the site by path: index.html, one page per set, catalog.json. */
export function renderSite(catalog: Catalog): Map<string, string> {
  const files = new Map<string, string>();
  files.set('index.html', renderIndex(catalog));
  for (const s of catalog.sets) files.set(setPagePath(s.name), renderSetPage(s, catalog));
  files.set('catalog.json', `${JSON.stringify(catalog)}\n`);
  return files;
}
