import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { runSamples } from '../metrics/samples.ts';
import { writeMetricsFile } from '../metrics/metrics-file.ts';
import { pushMetrics } from '../metrics/pushgateway.ts';
import { planNotifications, sendNotifications, type NotifyPlan } from '../notify/dispatch.ts';
import { nextLastRun, readLastRun, writeLastRun, type LastRun } from '../notify/last-run.ts';
import type { NotifyContext, RunOutcome } from '../notify/types.ts';
import type { Options } from '../options/parse.ts';
import { bool, lines, str } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import type { RunContext } from '../core/context.ts';
import { closeDestinations, openDestinations, registerUrlSecrets } from './destinations.ts';
import { ConfigError, describeErrorTemplate } from '../core/errors.ts';
import { redactUrl } from '../core/log.ts';
import { backupTime, deriveSetName, validateSetName } from './naming.ts';
import { parseNamedLines } from '../core/url.ts';

/** What the run will tell people and monitoring, checked before the command starts. */
export interface Announcements {
  plan?: NotifyPlan;
  metricsFile?: string;
  pushgateway?: string;
  nctx: NotifyContext;
}

export function prepareAnnouncements(options: Options, ctx: RunContext): Announcements | undefined {
  if (options.command === 'list' || options.command === 'report') return undefined;
  const nctx: NotifyContext = {
    log: ctx.log,
    redactor: ctx.redactor,
    now: ctx.now,
    ...(ctx.signal && { signal: ctx.signal }),
    ...(ctx.sleep && { sleep: ctx.sleep }),
    ...(ctx.runUrl && { runUrl: ctx.runUrl }),
    ...(ctx.github && { github: ctx.github }),
  };
  const token = str(options, 'github-token');
  if (token) nctx.githubToken = token;
  const secret = str(options, 'notify-secret');
  if (secret) nctx.webhookSecret = secret;
  const plan = planNotifications(lines(options, 'notify'), str(options, 'notify-on'), nctx);
  const metricsFile = checkMetricsFile(str(options, 'metrics-file'), ctx);
  const pushgateway = checkPushgateway(str(options, 'pushgateway'), ctx);
  if (!plan && !metricsFile && !pushgateway) return undefined;
  return {
    ...(plan && { plan }),
    ...(metricsFile && { metricsFile }),
    ...(pushgateway && { pushgateway }),
    nctx,
  };
}

function checkMetricsFile(path: string | undefined, ctx: RunContext): string | undefined {
  if (!path) return undefined;
  const full = resolve(ctx.cwd, path);
  const folder = dirname(full);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ConfigError('metrics-file', `the folder ${folder} does not exist`, {
      hint: "point it at a file in an existing folder, e.g. node_exporter's textfile directory",
    });
  }
  if (!full.endsWith('.prom')) {
    ctx.log.warn(`${full}: node_exporter's textfile collector reads only files ending in .prom`);
  }
  return full;
}

function checkPushgateway(url: string | undefined, ctx: RunContext): string | undefined {
  if (!url) return undefined;
  registerUrlSecrets(url, ctx);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('pushgateway', 'is not a URL', { hint: 'e.g. http://pushgateway:9091' });
  }
  if (parsed.password) ctx.redactor.add(decodeURIComponent(parsed.password));
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError('pushgateway', `${parsed.protocol}// is not an HTTP URL`, {
      hint: 'e.g. http://pushgateway:9091 or https://user:password@push.example.com',
    });
  }
  return url;
}

/**
 * After the command: store the run's record, notify, write metrics. Never throws: a failed
 * notification is a warning, never the reason a good run fails (or a failed one changes kind).
 */
export async function announceRun(
  a: Announcements,
  options: Options,
  ctx: RunContext,
  report: RunReport,
  failure: unknown,
): Promise<void> {
  try {
    if (ctx.signal?.aborted) {
      ctx.log.info('the run was cancelled: no notification sent, no metrics written');
      return;
    }
    const ok = failure === undefined && !report.error;
    const set = setOf(options, report);
    const finishedAt = ctx.now();
    const needsRecord = a.plan?.on === 'change' || a.metricsFile || a.pushgateway;
    const exchanged =
      needsRecord && set && isSetName(set)
        ? await exchangeLastRun(options, ctx, report, set, ok, finishedAt)
        : undefined;
    const previous = exchanged?.previous;
    // Named as the storages name themselves, so a failed run's series are the good run's.
    const shown = exchanged?.displayUrls ?? lines(options, 'destination').map(shownUrl);
    const destinations = report.destinations.length
      ? report.destinations.map((d) => ({
          url: d.url,
          ok: d.ok,
          ...(d.size !== undefined && { size: d.size }),
        }))
      : shown.map((url) => ({ url, ok: true }));
    const r = (s: string) => ctx.redactor.redact(s);
    if (a.plan) {
      const outcome: RunOutcome = {
        ok,
        command: options.command,
        set: set ?? 'all sets',
        errorKind: report.outputs['error-kind'] ?? (ok ? 'none' : 'operational'),
        durationMs: report.durationMs,
        finishedAt,
        destinations: destinations.map((d) => r(d.url)),
        // A failed backup's id names nothing that was stored.
        ...(report.backupId &&
          (ok || options.command !== 'backup') && { backupId: report.backupId }),
        ...(report.error && { error: r(report.error) }),
        ...(ctx.runUrl && { runUrl: ctx.runUrl }),
      };
      report.notifications = await sendNotifications(a.plan, outcome, previous, a.nctx);
    }
    if (a.metricsFile || a.pushgateway) {
      const samples = runSamples({
        set: set ?? '',
        command: options.command,
        ok,
        durationMs: report.durationMs,
        finishedAt,
        destinations: destinations.map((d) => ({ ...d, url: r(d.url) })),
        ...(report.size !== undefined && { size: report.size }),
        ...backupTimeOf(options, report, ok, finishedAt, previous),
        ...(previous?.lastSuccessAt && { lastSuccessAt: new Date(previous.lastSuccessAt) }),
        ...(report.drill && { drill: report.drill }),
      });
      const group = { set: set ?? '', command: options.command };
      if (a.metricsFile) {
        await writeMetricsFile(a.metricsFile, samples, group).then(
          () => ctx.log.info(`metrics written to ${a.metricsFile}`),
          (err: unknown) =>
            ctx.log.warn(
              `could not write the metrics file ${a.metricsFile}: ${describeErrorTemplate(err)}`,
            ),
        );
      }
      if (a.pushgateway) {
        const where = redactUrl(a.pushgateway);
        await pushMetrics(a.pushgateway, samples, group, ctx.signal).then(
          () => ctx.log.info(`metrics pushed to ${where}`),
          (err: unknown) =>
            ctx.log.warn(`could not push metrics to ${where}: ${r(describeErrorTemplate(err))}`),
        );
      }
    }
  } catch (err) {
    ctx.log.warn(`notifications and metrics: ${describeErrorTemplate(err)}`);
  }
}

/** A set name that cannot be a backup set's (a `name` with a '/') gets no record. */
function isSetName(set: string): boolean {
  try {
    validateSetName(set);
    return true;
  } catch {
    return false;
  }
}

/** A destination line as written, unless it holds a credential (then without it). */
function shownUrl(line: string): string {
  const redacted = redactUrl(line);
  try {
    return redacted === new URL(line).toString() ? line : redacted;
  } catch {
    return redacted;
  }
}

/** The set the run was about: as reported, as named, or as a backup derives it. */
function setOf(options: Options, report: RunReport): string | undefined {
  if (report.name) return report.name;
  const named = str(options, 'name');
  if (named) return named;
  try {
    const first = parseNamedLines(lines(options, 'source'))[0];
    return first ? deriveSetName(first.url) : undefined;
  } catch {
    return undefined;
  }
}

function backupTimeOf(
  options: Options,
  report: RunReport,
  ok: boolean,
  finishedAt: Date,
  previous: LastRun | undefined,
): { backupTime?: Date } {
  const ageMs = Number(report.outputs['newest-age-ms']);
  if (options.command === 'status' && Number.isFinite(ageMs) && report.outputs['newest-age-ms'])
    return { backupTime: new Date(finishedAt.getTime() - ageMs) };
  // A failed backup made nothing: the newest backup is the last good one's.
  const id = options.command === 'backup' && !ok ? previous?.backupId : report.backupId;
  return id ? { backupTime: backupTime(id) } : {};
}

/**
 * Reads the set's previous record of this command from the first destination that has one,
 * and writes this run's to every destination. Failures are warnings.
 */
async function exchangeLastRun(
  options: Options,
  ctx: RunContext,
  report: RunReport,
  set: string,
  ok: boolean,
  finishedAt: Date,
): Promise<{ previous?: LastRun; displayUrls: string[] } | undefined> {
  let destinations;
  try {
    destinations = await openDestinations(options, ctx);
  } catch (err) {
    ctx.log.warn(`could not read the previous run's result: ${describeErrorTemplate(err)}`);
    return undefined;
  }
  try {
    let previous: LastRun | undefined;
    for (const d of destinations) {
      try {
        previous = await readLastRun(d.storage, set, options.command, ctx.signal);
      } catch (err) {
        ctx.log.warn(
          `${d.displayUrl}: could not read the previous run's result: ${describeErrorTemplate(err)}`,
        );
      }
      if (previous) break;
    }
    const backupId = options.command === 'backup' && !ok ? previous?.backupId : report.backupId;
    const record = nextLastRun(previous, {
      set,
      command: options.command,
      ok,
      errorKind: report.outputs['error-kind'] ?? (ok ? 'none' : 'operational'),
      at: finishedAt,
      ...(backupId && { backupId }),
    });
    // A dry run changes nothing at the destination, not even this small record.
    for (const d of bool(options, 'dry-run') ? [] : destinations) {
      try {
        await writeLastRun(d.storage, record, ctx.signal);
      } catch (err) {
        ctx.log.warn(
          `${d.displayUrl}: could not record this run's result: ${describeErrorTemplate(err)}`,
        );
      }
    }
    return { ...(previous && { previous }), displayUrls: destinations.map((d) => d.displayUrl) };
  } finally {
    await closeDestinations(destinations);
  }
}
