import { bool, type Options } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import type { RunContext } from '../core/context.ts';
import { describeError } from '../core/errors.ts';

/**
 * Asks the face whether the scheduled workflow running this is close to being disabled for
 * inactivity (and, with keep-alive, to re-enable it). `status` always asks; `backup` only with
 * keep-alive. A failed check never fails the command.
 */
export async function checkWorkflowActivity(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  const enable = bool(options, 'keep-alive');
  if (!ctx.workflowActivity || (options.command === 'backup' && !enable)) return;
  try {
    const note = await ctx.workflowActivity(enable);
    if (note) report.notes.push(note);
  } catch (err) {
    ctx.log.warn(`could not check the workflow's activity: ${describeError(err)}`);
  }
}
