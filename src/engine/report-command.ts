import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Options } from '../options/parse.ts';
import { lines, str } from '../options/parse.ts';
import { STATE_LABELS, type Catalog, type CatalogSet } from '../report/html/catalog.ts';
import { renderSite } from '../report/html/site.ts';
import type { RunReport } from '../report/report.ts';
import { checkSchedule } from '../retention/freshness.ts';
import { parseDuration, parseRetentionPolicy } from '../retention/policy.ts';
import type { RunContext } from '../core/context.ts';
import { withDestinations } from './destinations.ts';
import { ConfigError, StorageError } from '../core/errors.ts';
import { endPhase, formatBytes, formatDuration, formatTime, startPhase } from '../core/log.ts';
import { gatherCatalog, type ReportSettings } from './report-gather.ts';

/** Every option the report reads, checked before any storage is opened. */
export function reportSettings(options: Options, ctx: RunContext): ReportSettings {
  const schedule: string[] = [];
  const perSet = new Map<string, string[]>();
  for (const line of lines(options, 'schedule')) {
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=(.*)$/.exec(line);
    if (m) perSet.set(m[1]!, [...(perSet.get(m[1]!) ?? []), m[2]!.trim()]);
    else schedule.push(line);
  }
  checkSchedule([...schedule, ...[...perSet.values()].flat()], ctx.now());
  const settings: ReportSettings = {
    schedule,
    perSet,
    policy: parseRetentionPolicy(options.values as Parameters<typeof parseRetentionPolicy>[0]),
    links: {},
  };
  const grace = str(options, 'grace');
  if (grace) settings.graceMs = parseDuration('grace', grace).ms;
  const html = str(options, 'html');
  if (html !== undefined) {
    if (html.trim() === '') {
      throw new ConfigError('html', 'is empty', {
        hint: 'name the folder to write the site into, e.g. {{option:html=site}}',
      });
    }
    settings.html = resolve(ctx.cwd, html);
  }
  const repository = str(options, 'repository') ?? ctx.github?.repository;
  if (repository !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
    throw new ConfigError('repository', `'${repository}' is not owner/repo`, {
      hint: 'give the repository as GitHub names it, e.g. {{option:repository=octo-org/app}}',
    });
  }
  const server = (ctx.github?.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  for (const [option, link] of [
    ['backup-workflow', 'runBackup'],
    ['restore-workflow', 'restore'],
  ] as const) {
    const file = str(options, option);
    if (file === undefined) continue;
    if (!/^[A-Za-z0-9_.-]+\.ya?ml$/.test(file)) {
      throw new ConfigError(option, `'${file}' is not a workflow file name`, {
        hint: `give the file name under .github/workflows, e.g. {{option:${option}=${option.replace('-workflow', '')}.yml}}`,
      });
    }
    if (!repository) {
      throw new ConfigError(option, 'needs the repository the workflow lives in', {
        hint: 'set {{option:repository=owner/repo}} (the action knows it; the CLI does not)',
      });
    }
    settings.links[link] = `${server}/${repository}/actions/workflows/${encodeURIComponent(file)}`;
  }
  return settings;
}

export async function reportCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  const settings = reportSettings(options, ctx);
  if (settings.html) await checkSiteFolder(settings.html);
  const catalog = await withDestinations(options, ctx, (destinations) =>
    gatherCatalog(destinations, str(options, 'name'), settings, ctx),
  );
  for (const d of catalog.destinations)
    if (d.error) ctx.log.warn(`could not read ${d.url}: ${d.error}`);
  if (catalog.destinations.every((d) => d.error)) {
    throw new StorageError(
      `could not list backups: ${catalog.destinations.map((d) => `${d.url}: ${d.error}`).join('; ')}`,
    );
  }
  startPhase(ctx.log, 'Report');
  ctx.log.info(reportText(catalog));
  endPhase(ctx.log);
  // Warnings (annotations on a runner) only for what needs someone; the rest is in the table.
  for (const s of catalog.sets) {
    if (s.state === 'damaged' || s.state === 'failing' || s.state === 'late')
      ctx.log.warn(`${s.name} is ${STATE_LABELS[s.state]}: ${s.reason}`);
  }
  report.sections.push({ title: 'Backup sets', markdown: reportMarkdown(catalog) });
  report.outputs['sets'] = String(catalog.sets.length);
  report.outputs['healthy'] = String(
    catalog.sets.every((s) => s.state === 'fresh') && catalog.destinations.every((d) => !d.error),
  );
  if (settings.html) {
    ctx.signal?.throwIfAborted();
    await writeSite(settings.html, catalog);
    report.outputs['html'] = settings.html;
    report.notes.push(`Dashboard written to ${join(settings.html, 'index.html')}`);
    ctx.log.info(`Dashboard written to ${join(settings.html, 'index.html')}`);
  }
}

/** The site goes into a folder: refuse a file in the way before reading any storage. */
async function checkSiteFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => undefined);
  if (info && !info.isDirectory()) {
    throw new ConfigError('html', `${folder} exists and is not a folder`, {
      hint: 'name a new or existing folder for the site, e.g. {{option:html=site}}',
    });
  }
}

function drillText(s: CatalogSet): string {
  if (!s.lastDrill) return 'never drilled';
  return `${s.lastDrill.ok ? 'passed' : 'FAILED'} ${formatTime(s.lastDrill.finishedAt)}, RTO ${formatDuration(s.lastDrill.rtoMs)}`;
}

function usedText(s: CatalogSet): string {
  return s.storage.map((u) => `${formatBytes(u.bytes)} on ${u.destination}`).join(', ') || '—';
}

function rows(catalog: Catalog): string[][] {
  return catalog.sets.map((s) => [
    s.name,
    STATE_LABELS[s.state],
    s.newestGood ? s.newestGood.id : 'none',
    s.newestGood ? formatDuration(s.newestGood.ageMs) : '—',
    s.nextExpected ? formatTime(s.nextExpected) : 'no schedule',
    drillText(s),
    usedText(s),
  ]);
}

const HEADER = [
  'set',
  'state',
  'newest good backup',
  'age',
  'next expected run',
  'last drill',
  'storage used',
];

/** The overview as markdown, for the job summary (and the CLI's closing block). */
export function reportMarkdown(catalog: Catalog): string {
  if (catalog.sets.length === 0) return '_no backup sets found_';
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...rows(catalog).map(
      (r) =>
        `| ${r.map((c, i) => (i === 1 && c !== 'fresh' ? `**${esc(c)}**` : esc(c))).join(' | ')} |`,
    ),
  ].join('\n');
}

/** The overview as an aligned text table, for the log. */
export function reportText(catalog: Catalog): string {
  if (catalog.sets.length === 0) return 'No backup sets found.';
  const table = [HEADER.map((h) => h.toUpperCase()), ...rows(catalog)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Writes the site: every file goes to a temporary name first and is renamed into place, so a
 * failed write never leaves a half page; pages of sets that are gone are removed.
 */
async function writeSite(folder: string, catalog: Catalog): Promise<void> {
  const files = renderSite(catalog);
  await mkdir(join(folder, 'sets'), { recursive: true });
  for (const [path, body] of files) {
    const target = join(folder, path);
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, body);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
  for (const f of await readdir(join(folder, 'sets'))) {
    if (f.endsWith('.html') && !files.has(`sets/${f}`)) await rm(join(folder, 'sets', f));
  }
}
