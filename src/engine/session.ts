import { rm } from 'node:fs/promises';
import type { Options } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import type { SourceContext } from '../sources/types.ts';
import type { RunContext } from '../core/context.ts';
import { createRunTemp, runTempRoot } from '../core/temp.ts';

interface Cleanup {
  what: string;
  run: () => Promise<unknown> | unknown;
}

/**
 * One command's run: its options, its report, its abort signal, its cleanup stack and its
 * private temporary folder. A command takes the session instead of closing over a shared report,
 * and everything it opens (destinations, staged restores, the temp folder) goes on the cleanup
 * stack, which unwinds newest first however the run ends: success, error or cancel all clean up
 * the same way, in one place.
 *
 * A step that is a run of its own (the safety backup a restore takes before it replaces a
 * target) gets its own session: its own report, cleanups and temporary folder, the same context
 * and signal (a cancel stops both).
 */
export class RunSession {
  readonly options: Options;
  readonly ctx: RunContext;
  readonly report: RunReport;
  private readonly cleanups: Cleanup[] = [];
  private temp: Promise<string> | undefined;
  private closed = false;

  private constructor(options: Options, ctx: RunContext, report: RunReport) {
    this.options = options;
    this.ctx = ctx;
    this.report = report;
  }

  /** Runs `work` in a new session and unwinds its cleanup stack when it ends, however. */
  static async run<T>(
    options: Options,
    ctx: RunContext,
    report: RunReport,
    work: (session: RunSession) => Promise<T>,
  ): Promise<T> {
    const session = new RunSession(options, ctx, report);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }

  /** Aborted when the run is cancelled (or, inside a locked backup, when the lock is lost). */
  get signal(): AbortSignal | undefined {
    return this.ctx.signal;
  }

  /**
   * A nested step of this run (a drill's restore, the part of a backup that holds the set's
   * lock): the same report, its own cleanup stack and temporary folder, unwound when the step
   * ends, and optionally other options or a context with another signal.
   */
  step<T>(
    work: (session: RunSession) => Promise<T>,
    change: { options?: Options; ctx?: RunContext } = {},
  ): Promise<T> {
    return RunSession.run(
      change.options ?? this.options,
      change.ctx ?? this.ctx,
      this.report,
      work,
    );
  }

  /** A run of its own inside this one (a safety backup): its own report, the same context. */
  runOwn<T>(
    options: Options,
    report: RunReport,
    work: (session: RunSession) => Promise<T>,
  ): Promise<T> {
    return RunSession.run(options, this.ctx, report, work);
  }

  /** Registers a cleanup; cleanups run newest first when the session ends. */
  defer(what: string, run: () => Promise<unknown> | unknown): void {
    if (this.closed) throw new Error(`session already closed; cannot defer ${what}`);
    this.cleanups.push({ what, run });
  }

  /** This session's private temporary folder (0700), made on first use, removed at the end. */
  tempDir(): Promise<string> {
    this.temp ??= createRunTemp(runTempRoot(this.ctx)).then((dir) => {
      this.defer(`remove the temporary folder ${dir}`, () =>
        rm(dir, { recursive: true, force: true }),
      );
      return dir;
    });
    return this.temp;
  }

  /** What a source driver sees of this session, with its temporary folder. */
  async sourceContext(): Promise<SourceContext> {
    return sourceContextOf(this.ctx, this.options, await this.tempDir());
  }

  /** Unwinds the cleanup stack, newest first; a failing cleanup is logged and the rest still run. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.cleanups.length) {
      const c = this.cleanups.pop()!;
      try {
        await c.run();
      } catch (err) {
        this.ctx.log.warn(`could not ${c.what}: ${err instanceof Error ? err.message : err}`);
      }
    }
  }
}

export function sourceContextOf(ctx: RunContext, options: Options, tmpDir: string): SourceContext {
  const sctx: SourceContext = {
    cwd: ctx.cwd,
    log: ctx.log,
    redactor: ctx.redactor,
    env: ctx.env,
    tmpDir,
    options: options.values,
  };
  if (ctx.provideTool) sctx.provideTool = ctx.provideTool;
  if (ctx.signal) sctx.signal = ctx.signal;
  return sctx;
}
