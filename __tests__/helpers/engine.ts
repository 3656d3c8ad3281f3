import { runCommand } from '../../src/engine/run.ts';
import { Redactor, silentLogger, type Logger } from '../../src/core/log.ts';
import { parseOptions, type RawOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import type { RunContext } from '../../src/core/context.ts';

export interface EngineRun {
  report: RunReport;
  error?: unknown;
  logs: string[];
}

/** Runs one command in-process with a fixed clock (the CLI always uses the real one). */
export async function runEngine(
  raw: RawOptions,
  now: Date | (() => Date),
  env: NodeJS.ProcessEnv = {},
  extra: Pick<RunContext, 'sleep' | 'runUrl' | 'repeat' | 'progress' | 'workflowSchedule'> = {},
): Promise<EngineRun> {
  const logs: string[] = [];
  const log: Logger = {
    info: (m) => logs.push(m),
    warn: (m) => logs.push(`warning: ${m}`),
    error: (m) => logs.push(`error: ${m}`),
    debug: () => undefined,
  };
  void silentLogger;
  const ctx: RunContext = {
    log,
    redactor: new Redactor(),
    env: { PATH: process.env['PATH'], ...env },
    cwd: process.cwd(),
    now: typeof now === 'function' ? now : () => now,
    version: 'test',
    ...extra,
  };
  const options = parseOptions(raw);
  const report = new RunReport(options.command);
  try {
    await runCommand(options, ctx, report);
    return { report, logs };
  } catch (error) {
    return { report, error, logs };
  }
}
