import type { Options } from '../options/parse.ts';
import { lines } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import { createBackup } from './backup.ts';
import {
  listCommand,
  pruneCommand,
  pruneSet,
  statusCheck,
  statusCommand,
  verifyCommand,
} from './catalog.ts';
import { runTempRoot, sweepStaleTemp } from '../core/temp.ts';
import type { RunContext } from './context.ts';
import { withDestinations } from './destinations.ts';
import { ConfigError, LifeboatError, describeError } from './errors.ts';
import { restoreBackup } from './restore.ts';

/** Runs one command. Throws typed errors; the report is filled in either way. */
export async function runCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  await sweepStaleTemp(runTempRoot(ctx), ctx.log).catch(() => undefined);
  try {
    switch (options.command) {
      case 'backup':
        return await backupCommand(options, ctx, report);
      case 'restore':
        await restoreBackup(options, ctx, report);
        report.outputs['verified'] = 'true';
        return;
      case 'verify':
        return await verifyCommand(options, ctx, report);
      case 'list':
        return await listCommand(options, ctx, report);
      case 'prune':
        return await pruneCommand(options, ctx, report);
      case 'status':
        return await statusCommand(options, ctx, report);
      case 'drill':
        throw new ConfigError('command', "'drill' is not available in this release", {
          hint: 'run restore into a scratch target, then verify; drills are coming',
        });
    }
  } catch (err) {
    // Whatever a cancelled step made of the abort (a killed tool, a broken stream), the run
    // was cancelled, and says so.
    const cause = cancelledReason(ctx) ?? err;
    report.error = describeError(cause);
    throw cause;
  } finally {
    report.finishedMs = Date.now();
    if (report.backupId) report.outputs['backup-id'] = report.backupId;
    if (report.sha256) report.outputs['sha256'] = report.sha256;
    if (report.size !== undefined) report.outputs['size'] = String(report.size);
    report.outputs['duration-ms'] = String(report.durationMs);
  }
}

function cancelledReason(ctx: RunContext): LifeboatError | undefined {
  const reason: unknown = ctx.signal?.aborted ? ctx.signal.reason : undefined;
  return reason instanceof LifeboatError ? reason : undefined;
}

async function backupCommand(options: Options, ctx: RunContext, report: RunReport): Promise<void> {
  await withDestinations(options, ctx, async (destinations) => {
    const outcome = await createBackup(options, ctx, report, { destinations });
    const first = report.destinations.find((d) => d.ok);
    report.outputs['location'] = first
      ? `${first.url.replace(/\/$/, '')}/${outcome.manifest.archive.key}`
      : '';
    report.outputs['verified'] = String(report.destinations.every((d) => d.verified));
    // Retention and freshness only after a fully successful backup: a failed run deletes nothing.
    await pruneSet(options, ctx, report, outcome.stored, outcome.set);
    if (lines(options, 'schedule').length > 0 || ctx.env['GITHUB_WORKFLOW_REF']) {
      try {
        await statusCheck(options, ctx, report, outcome.stored, outcome.set);
      } catch (err) {
        if (!(err instanceof LifeboatError)) throw err;
        ctx.log.warn(`freshness not checked: ${describeError(err)}`);
      }
    }
  });
}
