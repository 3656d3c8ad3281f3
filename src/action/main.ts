import * as core from './runner.ts';
import type { RunContext } from '../core/context.ts';
import { readWorkflowSchedule } from './workflow-schedule.ts';
import { checkWorkflowActivity } from './keep-alive.ts';
import { cancelOnSignals } from '../core/cancel.ts';
import { tempRootFor } from '../core/temp.ts';
import { CancelledError, describeError } from '../core/errors.ts';
import { endPhase, Redactor, redactingLogger, startPhase } from '../core/log.ts';
import { errorKindOf, runCommand } from '../engine/run.ts';
import { VERSION } from '../core/version.ts';
import { parseOptions, type RawOptions } from '../options/parse.ts';
import { OPTIONS, secretForms } from '../options/schema.ts';
import { RunReport } from '../report/report.ts';
import { renderSummary } from '../report/summary.ts';
import { createActionLogger } from './log.ts';
import { provideTool } from './tools.ts';

/** Reads every input through the option schema; secrets are masked before anything else runs. */
export function readInputs(redactor: Redactor): RawOptions {
  const raw: RawOptions = {};
  for (const spec of OPTIONS) {
    const value = core.getInput(spec.name);
    for (const form of secretForms(spec, value)) redactor.add(form);
    if (value !== '') raw[spec.name] = value;
  }
  return raw;
}

export async function run(): Promise<void> {
  const redactor = new Redactor();
  redactor.onSecret((s) => core.setSecret(s));
  const actionLog = createActionLogger();
  const log = redactingLogger(actionLog, redactor);
  log.info(`Lifeboat ${VERSION}`);
  const cancellation = cancelOnSignals((line) => log.warn(line));
  let report = new RunReport(core.getInput('command') || 'backup');
  try {
    const options = parseOptions(readInputs(redactor));
    report = new RunReport(options.command);
    const ctx: RunContext = {
      log,
      redactor,
      env: process.env,
      cwd: process.cwd(),
      now: () => new Date(),
      version: VERSION,
      provideTool: async (tool, major) => {
        startPhase(log, `Set up ${tool} ${major}`);
        try {
          return await provideTool(tool, major, log);
        } finally {
          endPhase(log);
        }
      },
      signal: cancellation.signal,
      tmpRoot: tempRootFor(process.env),
    };
    if (process.env['GITHUB_WORKFLOW_REF']) {
      ctx.workflowSchedule = () => readWorkflowSchedule(process.env);
      ctx.workflowActivity = (enable) =>
        checkWorkflowActivity({
          env: process.env,
          token: core.getInput('github-token'),
          enable,
          now: new Date(),
          log,
        });
    }
    const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
    if (GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID)
      ctx.runUrl = `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
    ctx.github = {
      apiUrl: process.env['GITHUB_API_URL'] || 'https://api.github.com',
      ...(GITHUB_SERVER_URL && { serverUrl: GITHUB_SERVER_URL }),
      ...(GITHUB_REPOSITORY && { repository: GITHUB_REPOSITORY }),
    };
    await runCommand(options, ctx, report);
  } catch (err) {
    report.error ??= describeError(err);
    report.outputs['error-kind'] = errorKindOf(err);
    actionLog.closeGroup();
    core.setFailed(redactor.redact(describeError(err)));
    // 130/143 as a shell reports SIGINT/SIGTERM, so a cancelled step is not mistaken for a failed one.
    if (err instanceof CancelledError) process.exitCode = err.exitCode;
  } finally {
    actionLog.closeGroup();
    for (const [name, value] of Object.entries(report.outputs)) core.setOutput(name, value);
    try {
      if (process.env['GITHUB_STEP_SUMMARY'])
        core.appendSummary(redactor.redact(renderSummary(report)));
    } catch (err) {
      core.warning(`could not write the job summary: ${describeError(err)}`);
    }
    cancellation.dispose();
  }
}
