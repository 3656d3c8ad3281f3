import type { Inventory } from '../archive/types.ts';
import { formatBytes, formatDuration, formatTime } from '../core/log.ts';
import type { DrillRecord } from '../drill/record.ts';
import type { RunReport, SourceReport } from './report.ts';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * A two-column table whose first pair is its header row: GitHub needs a header, and an empty
 * one shows as a blank bar above the facts.
 */
export function keyValueTable(rows: Array<[string, string]>): string {
  if (rows.length === 0) return '';
  const [[k0, v0], ...rest] = rows as [[string, string], ...Array<[string, string]>];
  return [
    `| ${esc(k0)} | ${esc(v0)} |`,
    '|---|---|',
    ...rest.map(([k, v]) => `| ${esc(k)} | ${esc(v)} |`),
  ].join('\n');
}

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
  facts.push(['started', formatTime(new Date(report.startedAt))]);
  facts.push(['duration', formatDuration(report.durationMs)]);
  const restoring = report.command === 'restore' || report.command === 'drill';
  if (report.outputs['location'] && !restoring)
    facts.push(['location', report.outputs['location']]);
  out.push(keyValueTable(facts), '');

  if (restoring) out.push(...restoredSection(report));
  else if (report.sources.length) out.push(...sourcesSection(report.sources));
  if (report.proofs.length) {
    out.push(
      ok ? '### What was proven' : '### What was proven before the failure',
      '',
      ...report.proofs.map((p) => `- ${p}`),
      '',
    );
  }
  if (report.destinations.length) out.push(...destinationsSection(report));
  if (report.backups.length || report.command === 'list') {
    out.push('### Backups', '');
    out.push(renderBackupTable(report, 'markdown'), '');
  }
  for (const s of report.sections) out.push(`### ${s.title}`, '', s.markdown, '');
  if (report.notifications.length) out.push(...notificationsSection(report));
  if (report.notes.length) out.push('### Notes', '', ...report.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

/** Who was told about this run, and what each target answered. */
function notificationsSection(report: RunReport): string[] {
  const out = ['### Notified', '', '| target | result |', '|---|---|'];
  for (const n of report.notifications)
    out.push(`| ${esc(n.target)} | ${n.ok ? esc(n.detail) : `failed: ${esc(n.detail)}`} |`);
  out.push('');
  return out;
}

function destinationsSection(report: RunReport): string[] {
  // restore and verify read a stored backup; backup writes one.
  const reading = ['restore', 'verify', 'drill'].includes(report.command);
  const out = [
    reading ? '### Read from' : '### Destinations',
    '',
    reading
      ? '| storage | object | proof of the stored object |'
      : '| destination | object | result | proof of the stored object |',
    reading ? '|---|---|---|' : '|---|---|---|---|',
  ];
  for (const d of report.destinations) {
    if (reading) {
      const proof = d.verified
        ? 'size, sha256 and every chunk match the manifest'
        : 'not proven (the run failed first)';
      out.push(`| ${esc(d.url)} | ${esc(d.key ?? '')} | ${proof} |`);
      continue;
    }
    const proof = !d.ok
      ? ''
      : d.verified
        ? 'read back: size and sha256 match'
        : 'size and sha256 confirmed at upload (not read back)';
    out.push(
      `| ${esc(d.url)} | ${esc(d.key ?? '')} | ${d.ok ? 'stored' : `failed: ${esc(d.error ?? '')}`} | ${proof} |`,
    );
  }
  out.push('');
  return out;
}

function describeInventory(inv: Inventory | undefined): string {
  const tables = inv?.tables;
  // Vector stores (Chroma, Qdrant) list collections; say when the URL named none and so every
  // collection was taken.
  if (tables && Array.isArray(inv?.extra?.['collections'])) {
    const every = inv?.extra?.['allCollections'] === true ? 'every collection: ' : '';
    const names = tables.map((t) => t.name).join(', ');
    return `${every}${tables.length} collection${tables.length === 1 ? '' : 's'} (${names}), ${tables.reduce((n, t) => n + t.rows, 0)} records`;
  }
  if (tables) return `${tables.length} tables, ${tables.reduce((n, t) => n + t.rows, 0)} rows`;
  if (inv?.files !== undefined) return `${inv.files} files`;
  return '';
}

function sourcesSection(sources: SourceReport[]): string[] {
  const out = [
    '### Sources',
    '',
    '| source | kind | location | data | time | throughput | inventory |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const s of sources) {
    const tp =
      s.bytes && s.durationMs
        ? `${formatBytes((s.bytes / Math.max(s.durationMs, 1)) * 1000)}/s`
        : '';
    out.push(
      `| ${esc(s.name)} | ${s.kind} | ${esc(s.url)} | ${s.bytes !== undefined ? formatBytes(s.bytes) : ''} | ${
        s.durationMs !== undefined ? formatDuration(s.durationMs) : ''
      } | ${tp} | ${describeInventory(s.inventory)} |`,
    );
  }
  out.push('');
  return out;
}

/** The restored data against the backup's inventory, as the summary states it. */
export function compareInventory(
  expected: Inventory | undefined,
  actual: Inventory | undefined,
): string {
  if (!actual) return 'not counted after the restore';
  const got = describeInventory(actual);
  if (!got) return 'not counted after the restore';
  if (!expected?.tables || !actual.tables) {
    if (expected?.files === undefined || actual.files === undefined) return got;
    return expected.files === actual.files
      ? `${got}; matches the backup's inventory`
      : `${got}; differs from the backup: it has ${expected.files} files`;
  }
  const want = new Map(expected.tables.map((t) => [t.name, t]));
  const differences: string[] = [];
  for (const t of actual.tables) {
    const w = want.get(t.name);
    if (!w) differences.push(`${t.name} not in the backup`);
    else if (!w.estimated && !t.estimated && w.rows !== t.rows)
      differences.push(`${t.name}: ${t.rows} rows, the backup has ${w.rows}`);
    want.delete(t.name);
  }
  for (const name of want.keys()) differences.push(`${name} missing`);
  return differences.length
    ? `${got}; differs from the backup: ${differences.slice(0, 5).join('; ')}`
    : `${got}; matches the backup's inventory`;
}

function restoredSection(report: RunReport): string[] {
  if (report.sources.length === 0) {
    return report.error ? ['Nothing was restored.', ''] : [];
  }
  const out = [
    '### Restored',
    '',
    '| source | kind | restored to | tables / files |',
    '|---|---|---|---|',
  ];
  for (const s of report.sources) {
    out.push(
      `| ${esc(s.name)} | ${s.kind} | ${esc(s.target ?? s.url)} | ${esc(compareInventory(s.expectedInventory, s.inventory))} |`,
    );
  }
  out.push('');
  return out;
}

export function renderBackupTable(report: RunReport, format: 'markdown' | 'text'): string {
  // The signature column appears when allowed-signers was given (only then is a state known);
  // the drill column once a drill was recorded, so a set without drills reads as before.
  const signed = report.backups.some((b) => b.signature !== undefined);
  const drills = report.backups.some((b) => b.drill);
  const header = [
    'set',
    'id',
    'time',
    'size',
    'kind',
    'parent',
    'sources',
    'encrypted',
    ...(signed ? ['signature'] : []),
    'verified',
    ...(drills ? ['drill'] : []),
    'location',
  ];
  const rows = report.backups.map((b) => [
    b.set + (b.tags.length ? ` [${b.tags.join(',')}]` : ''),
    b.id,
    formatTime(b.time),
    formatBytes(b.size),
    b.kind === 'incremental' ? `incremental ${b.chainPosition ?? '?'}` : (b.kind ?? ''),
    b.parent ?? '',
    b.sources,
    b.encrypted ? 'yes' : 'no',
    ...(signed ? [b.signature ?? 'unsigned'] : []),
    b.damaged ? 'DAMAGED' : b.verified ? 'yes' : 'no',
    ...(drills ? [b.drill ? describeDrill(b.drill) : ''] : []),
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

/** The drill section: every check with its figures, then the recovery time and point. */
export function renderDrillSection(record: DrillRecord): string {
  const out = [
    `**${record.ok ? '✅ drill passed' : '❌ drill failed'}**: RTO ${formatDuration(record.rtoMs)}, backup age (RPO) ${formatDuration(record.backupAgeMs)} at ${formatTime(record.startedAt)}`,
    '',
    '| check | result | figures |',
    '|---|---|---|',
    ...record.checks.map(
      (c) => `| ${esc(c.name)} | ${c.ok ? 'passed' : '**failed**'} | ${esc(c.detail)} |`,
    ),
  ];
  return out.join('\n');
}

/** One line about a backup's last drill, for `list` and `status`. */
export function describeDrill(
  record: Pick<DrillRecord, 'ok' | 'finishedAt' | 'rtoMs'> | undefined,
): string {
  if (!record) return 'never drilled';
  return `${record.ok ? 'passed' : 'FAILED'} ${formatTime(record.finishedAt)}, RTO ${formatDuration(record.rtoMs)}`;
}
