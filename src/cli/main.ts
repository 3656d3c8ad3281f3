import { tempRootFor } from '../core/temp.ts';
import type { RunContext } from '../engine/context.ts';
import { ExitCode, describeError, exitCodeFor } from '../engine/errors.ts';
import { Redactor, redactingLogger, type Logger } from '../engine/log.ts';
import { runCommand } from '../engine/run.ts';
import { VERSION } from '../engine/version.ts';
import { parseOptions } from '../options/parse.ts';
import { OPTIONS } from '../options/schema.ts';
import { RunReport } from '../report/report.ts';
import { renderBackupTable, renderSummary } from '../report/summary.ts';
import { helpText, parseArgs } from './args.ts';
import { runDemo } from './demo.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM (index.ts installs the handlers). */
  signal?: AbortSignal;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
};

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const redactor = new Redactor();
  const log: Logger = redactingLogger(
    {
      info: (m) => io.stderr(`${m}\n`),
      warn: (m) => io.stderr(`warning: ${m}\n`),
      error: (m) => io.stderr(`error: ${m}\n`),
      debug: (m) => (io.env['LIFEBOAT_DEBUG'] ? io.stderr(`debug: ${m}\n`) : undefined),
    },
    redactor,
  );
  let json = false;
  let report: RunReport | undefined;
  try {
    const args = parseArgs(argv, io.env);
    json = args.json;
    for (const spec of OPTIONS) {
      const v = args.raw[spec.name];
      if (spec.secret && typeof v === 'string') redactor.add(v);
    }
    if (args.version) {
      io.stdout(`${VERSION}\n`);
      return ExitCode.ok;
    }
    if (args.help || (!args.raw['command'] && !args.extraCommand && argv.length === 0)) {
      io.stdout(`${helpText(VERSION)}\n`);
      return ExitCode.ok;
    }
    for (const name of args.secretFlags) {
      log.warn(
        `--${name} on the command line is visible to other users of this machine; prefer LIFEBOAT_${name.toUpperCase().replace(/-/g, '_')}`,
      );
    }
    const ctx: RunContext = {
      log,
      redactor,
      env: io.env,
      cwd: io.cwd,
      now: () => new Date(),
      version: VERSION,
      signal: io.signal,
      tmpRoot: tempRootFor(io.env),
    };
    if (args.extraCommand === 'demo') return await runDemo(ctx, io);
    const options = parseOptions(args.raw);
    report = new RunReport(options.command);
    await runCommand(options, ctx, report);
    printResult(report, json, io, redactor);
    return ExitCode.ok;
  } catch (err) {
    const code = exitCodeFor(err);
    if (report) printResult(report, json, io, redactor);
    else if (json)
      io.stdout(redactor.redact(JSON.stringify({ ok: false, error: describeError(err) })) + '\n');
    log.error(describeError(err));
    if (code === ExitCode.failure && !(err instanceof Error && 'kind' in err)) {
      log.debug((err as Error)?.stack ?? String(err));
    }
    return code;
  }
}

function printResult(report: RunReport, json: boolean, io: CliIo, redactor: Redactor): void {
  if (json) {
    const body: Record<string, unknown> = {
      ok: !report.error,
      command: report.command,
      outputs: report.outputs,
    };
    if (report.error) body['error'] = report.error;
    if (report.command === 'list') body['backups'] = report.backups;
    if (report.destinations.length) body['destinations'] = report.destinations;
    io.stdout(redactor.redact(JSON.stringify(body, null, 2)) + '\n');
    return;
  }
  if (report.command === 'list' && !report.error) {
    io.stdout(renderBackupTable(report, 'text') + '\n');
    return;
  }
  io.stdout(redactor.redact(renderSummary(report)) + '\n');
}
