import { tempRootFor } from '../core/temp.ts';
import type { RunContext } from '../core/context.ts';
import { ExitCode, exitCodeFor } from '../core/errors.ts';
import { Redactor, redactingLogger, type Logger } from '../core/log.ts';
import { errorKindOf, runCommand, type ErrorKindOutput } from '../engine/run.ts';
import { VERSION } from '../core/version.ts';
import { parseOptions } from '../options/parse.ts';
import { OPTIONS, secretForms } from '../options/schema.ts';
import { RunReport } from '../report/report.ts';
import { renderBackupTable, renderSummary } from '../report/summary.ts';
import { renderOptionRefs } from '../core/option-ref.ts';
import { cliSyntax, parseArgs } from './args.ts';
import { describeForCli } from './describe.ts';
import { runDemo } from './demo.ts';
import { runInit } from './init.ts';
import { runPlan } from './plan.ts';
import { commandHelp, generalHelp } from './help.ts';
import { StatusLine } from './status-line.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is an interactive terminal: progress is shown as one live line. */
  stderrIsTTY?: boolean;
  columns?: () => number;
  /** Aborted on SIGINT/SIGTERM (index.ts installs the handlers). */
  signal?: AbortSignal;
  /** Asks a question on the terminal (set only when stdin and stderr are terminals). */
  prompt?: (question: string) => Promise<string>;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  stderrIsTTY: process.stderr.isTTY,
  columns: () => process.stderr.columns || 80,
};

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const redactor = new Redactor();
  // Known before parsing, so a usage error is reported as JSON too.
  const json = argv.includes('--json');
  // Without a terminal (or with --json) progress goes to the log as a line every 30 s.
  const statusLine =
    io.stderrIsTTY && !json
      ? new StatusLine({
          write: (t) => io.stderr(redactor.redact(t)),
          columns: io.columns ?? (() => 80),
        })
      : undefined;
  const line = (text: string) => {
    statusLine?.clear();
    io.stderr(text);
  };
  const log: Logger = redactingLogger(
    {
      info: (m) => line(`${asFlags(m)}\n`),
      warn: (m) => line(`warning: ${asFlags(m)}\n`),
      error: (m) => line(`error: ${asFlags(m)}\n`),
      debug: (m) => (io.env['LIFEBOAT_DEBUG'] ? line(`debug: ${asFlags(m)}\n`) : undefined),
    },
    redactor,
  );
  let report: RunReport | undefined;
  // The toolkit commands write files, not backups: their flags are their own.
  const [first, second] = argv;
  if (first === 'init') return runInit(argv.slice(1), io);
  if (first === 'plan') return runPlan(argv.slice(1), io);
  if (first === 'help' && (second === 'init' || second === 'plan')) {
    return (second === 'init' ? runInit : runPlan)(['--help'], io);
  }
  try {
    const args = parseArgs(argv, io.env);
    for (const spec of OPTIONS) {
      const v = args.raw[spec.name];
      const text = Array.isArray(v) ? v.join('\n') : typeof v === 'string' ? v : '';
      for (const form of secretForms(spec, text)) redactor.add(form);
    }
    if (args.version) {
      io.stdout(`${VERSION}\n`);
      return ExitCode.ok;
    }
    if (args.help || argv.length === 0) {
      io.stdout(`${args.helpFor ? commandHelp(args.helpFor) : generalHelp(VERSION)}\n`);
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
      ...(statusLine ? { progress: statusLine } : {}),
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
    const message = describeForCli(err);
    if (report) {
      report.error = message;
      printResult(report, json, io, redactor, errorKindOf(err));
    } else if (json) {
      const body = { ok: false, error: message, 'error-kind': errorKindOf(err) };
      io.stdout(redactor.redact(JSON.stringify(body, null, 2)) + '\n');
    }
    log.error(message);
    if (code === ExitCode.failure && !(err instanceof Error && 'kind' in err)) {
      log.debug((err as Error)?.stack ?? String(err));
    }
    return code;
  }
}

function printResult(
  report: RunReport,
  json: boolean,
  io: CliIo,
  redactor: Redactor,
  kind: ErrorKindOutput = 'none',
): void {
  if (json) {
    const body: Record<string, unknown> = {
      ok: !report.error,
      command: report.command,
    };
    if (report.error) body['error'] = report.error;
    body['error-kind'] = kind;
    // The list is given once, as structured data; outputs.backups is the same list as a string.
    const { backups: _listed, ...outputs } = report.outputs;
    body['outputs'] = report.command === 'list' ? outputs : report.outputs;
    if (report.command === 'list') body['backups'] = report.backups;
    if (report.destinations.length) body['destinations'] = report.destinations;
    if (report.notifications.length) body['notifications'] = report.notifications;
    // A restore's safety backups are runs of their own: each named apart, with its own result.
    if (report.safetyBackups.length) {
      body['safetyBackups'] = report.safetyBackups.map((s) => ({
        ok: !s.error,
        ...(s.error ? { error: s.error } : {}),
        set: s.name,
        'backup-id': s.backupId,
        size: s.size,
        sha256: s.sha256,
        destinations: s.destinations,
      }));
    }
    io.stdout(redactor.redact(JSON.stringify(body, null, 2)) + '\n');
    return;
  }
  if (report.command === 'list' && !report.error) {
    io.stdout(renderBackupTable(report, 'text') + '\n');
    return;
  }
  io.stdout(redactor.redact(renderSummary(report)) + '\n');
}

/** Engine log lines name options as references; here they read as flags. */
function asFlags(line: string): string {
  return renderOptionRefs(line, cliSyntax);
}
