import { formatBytes, formatDuration } from '../engine/log.ts';
import type { RunReport } from './report.ts';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The job summary (and the CLI's closing block), as markdown. Works for failed runs too. */
export function renderSummary(report: RunReport): string {
  const out: string[] = [];
  const ok = !report.error;
  out.push(`## Lifeboat ${report.command}: ${ok ? '✅ succeeded' : '❌ failed'}`);
  out.push('');
  if (report.error) {
    out.push('```');
    out.push(report.error);
    out.push('```');
    out.push('');
  }
  const facts: Array<[string, string]> = [];
  if (report.name) facts.push(['backup set', report.name]);
  if (report.backupId) facts.push(['backup id', `\`${report.backupId}\``]);
  if (report.size !== undefined) facts.push(['archive size', formatBytes(report.size)]);
  if (report.sha256) facts.push(['sha256', `\`${report.sha256}\``]);
  facts.push(['duration', formatDuration(report.durationMs)]);
  if (report.outputs['location']) facts.push(['location', esc(report.outputs['location'])]);
  out.push('| | |', '|---|---|', ...facts.map(([k, v]) => `| ${k} | ${v} |`), '');

  if (report.sources.length) {
    out.push(
      '### Sources',
      '',
      '| source | kind | location | data | time | throughput | inventory |',
      '|---|---|---|---|---|---|---|',
    );
    for (const s of report.sources) {
      const tables = s.inventory?.tables;
      const inv = tables
        ? `${tables.length} tables, ${tables.reduce((n, t) => n + t.rows, 0)} rows`
        : s.inventory?.files !== undefined
          ? `${s.inventory.files} files`
          : '';
      const tp =
        s.bytes && s.durationMs
          ? `${formatBytes((s.bytes / Math.max(s.durationMs, 1)) * 1000)}/s`
          : '';
      out.push(
        `| ${esc(s.name)} | ${s.kind} | ${esc(s.url)} | ${s.bytes !== undefined ? formatBytes(s.bytes) : ''} | ${
          s.durationMs !== undefined ? formatDuration(s.durationMs) : ''
        } | ${tp} | ${inv} |`,
      );
    }
    out.push('');
  }
  if (report.destinations.length) {
    out.push(
      '### Destinations',
      '',
      '| destination | object | result | verified |',
      '|---|---|---|---|',
    );
    for (const d of report.destinations) {
      out.push(
        `| ${esc(d.url)} | ${esc(d.key ?? '')} | ${d.ok ? 'stored' : `failed: ${esc(d.error ?? '')}`} | ${d.verified ? 'yes' : 'no'} |`,
      );
    }
    out.push('');
  }
  if (report.backups.length || report.command === 'list') {
    out.push('### Backups', '');
    out.push(renderBackupTable(report, 'markdown'), '');
  }
  for (const s of report.sections) out.push(`### ${s.title}`, '', s.markdown, '');
  if (report.notes.length) out.push('### Notes', '', ...report.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

export function renderBackupTable(report: RunReport, format: 'markdown' | 'text'): string {
  const header = ['set', 'id', 'time', 'size', 'sources', 'encrypted', 'verified', 'location'];
  const rows = report.backups.map((b) => [
    b.set + (b.tags.length ? ` [${b.tags.join(',')}]` : ''),
    b.id,
    b.time.replace(/\.\d+Z$/, 'Z'),
    formatBytes(b.size),
    b.sources,
    b.encrypted ? 'yes' : 'no',
    b.damaged ? 'DAMAGED' : b.verified ? 'yes' : 'no',
    b.damaged ? `${b.location} (${b.damaged})` : b.location,
  ]);
  if (rows.length === 0) return format === 'markdown' ? '_no backups_' : 'no backups';
  if (format === 'markdown') {
    return [
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
    ].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
