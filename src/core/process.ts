/**
 * The one way Lifeboat runs a child process. Credentials travel only in `env` (never argv);
 * stderr is kept as a bounded tail for messages; an abort sends SIGTERM, then SIGKILL after a
 * short grace; a non-zero exit or a signal becomes a typed error that names the tool.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { LifeboatError, SourceError } from './errors.ts';

export interface ProcessOptions {
  /** Name used in messages: 'pg_dump', 'zstd'. */
  tool: string;
  /** Path or name of the executable. */
  command: string;
  args: readonly string[];
  /** The child's whole environment; secrets go here, never into args. */
  env: NodeJS.ProcessEnv;
  stdin?: 'ignore' | 'pipe';
  stdout?: 'ignore' | 'pipe' | 'inherit';
  stderr?: 'pipe' | 'inherit' | 'ignore';
  cwd?: string;
  /** Stops the child (TERM, then KILL after graceMs) when aborted. */
  signal?: AbortSignal;
  graceMs?: number;
  /** Applied to every stderr line before it is shown (secret masking). */
  redact?: (text: string) => string;
  /** The error type a failure becomes (default SourceError). */
  failure?: (message: string, options: { cause?: unknown; hint?: string }) => Error;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  spawnError?: Error;
}

export const DEFAULT_GRACE_MS = 5_000;
const TAIL_BYTES = 16_384;
const TAIL_LINES = 20;

/** Children still running, so a forced exit can still kill them (no orphans after a 3rd signal). */
const live = new Set<ChildProcess>();

export class ProcessRun {
  readonly child: ChildProcess;
  /** Resolves once the process has exited and its output streams are closed; never rejects. */
  readonly exited: Promise<ExitStatus>;
  readonly tool: string;
  /** Why the process could not be started, once that is known. */
  spawnError: Error | undefined;
  #tail = '';
  #stopping = false;
  #killTimer: NodeJS.Timeout | undefined;
  readonly #options: ProcessOptions;

  constructor(options: ProcessOptions) {
    this.#options = options;
    this.tool = options.tool;
    const child = spawn(options.command, [...options.args], {
      env: options.env,
      stdio: [options.stdin ?? 'ignore', options.stdout ?? 'pipe', options.stderr ?? 'pipe'],
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    this.child = child;
    live.add(child);
    child.stderr?.on('data', (c: Buffer) => this.#push(c));
    // 'close' waits for stdout to be read to its end, which a cancelled reader never does.
    child.once('exit', () => clearTimeout(this.#killTimer));
    // A child that stops reading makes writes fail with EPIPE; its exit status says why.
    child.stdin?.on('error', () => undefined);
    this.exited = new Promise<ExitStatus>((resolve) => {
      child.once('error', (err) => {
        // 'close' may not follow a spawn failure; resolve here as well.
        live.delete(child);
        this.spawnError = err;
        resolve({ code: null, signal: null, spawnError: err });
      });
      child.once('close', (code, signal) => resolve({ code, signal }));
    }).finally(() => {
      live.delete(child);
      clearTimeout(this.#killTimer);
      options.signal?.removeEventListener('abort', this.#onAbort);
    });
    if (options.signal?.aborted) this.stop();
    else options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get stdin(): Writable | null {
    return this.child.stdin;
  }

  get stdout(): Readable | null {
    return this.child.stdout;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && live.has(this.child);
  }

  /** True when the run's signal was aborted: the exit is the cancellation's doing. */
  get aborted(): boolean {
    return this.#options.signal?.aborted ?? false;
  }

  /** SIGTERM now, SIGKILL if it is still running after the grace period. Safe to call twice. */
  stop(): void {
    if (this.#stopping || !this.running) return;
    this.#stopping = true;
    this.child.kill('SIGTERM');
    this.#killTimer = setTimeout(() => {
      if (this.running) this.child.kill('SIGKILL');
    }, this.#options.graceMs ?? DEFAULT_GRACE_MS);
    // The live child keeps the process up; the timer alone must not.
    this.#killTimer.unref();
  }

  /** The last lines the tool wrote to stderr, masked. */
  stderrTail(lines = TAIL_LINES): string {
    const text = this.#tail.trim().split('\n').filter(Boolean).slice(-lines).join('\n');
    return this.#options.redact ? this.#options.redact(text) : text;
  }

  /**
   * The error for an unsuccessful exit: the cancellation's reason when the run was aborted,
   * otherwise a typed error naming the tool, how it ended, and its stderr tail.
   */
  failure(status: ExitStatus, what = this.tool, hint?: string): Error {
    const reason = this.#options.signal?.reason;
    if (this.aborted && reason instanceof LifeboatError) return reason;
    const tail = this.stderrTail();
    const make = this.#options.failure ?? ((m, o) => new SourceError(m, o));
    return make(`${what} failed (${describeExit(status, this.tool)})${tail ? `:\n${tail}` : ''}`, {
      ...(status.spawnError ? { cause: status.spawnError } : {}),
      ...(hint ? { hint } : {}),
    });
  }

  /** Waits for the exit; throws `failure()` unless it exited 0. */
  async check(what?: string, hint?: string): Promise<void> {
    const status = await this.exited;
    if (status.code !== 0) throw this.failure(status, what, hint);
  }

  readonly #onAbort = (): void => this.stop();

  #push(chunk: Buffer): void {
    this.#tail = (this.#tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  }
}

export function startProcess(options: ProcessOptions): ProcessRun {
  return new ProcessRun(options);
}

/** Runs a process to the end and returns its stdout; throws the typed failure otherwise. */
export async function runProcess(
  options: ProcessOptions & { maxOutput?: number },
): Promise<string> {
  const run = startProcess({ ...options, stdout: 'pipe' });
  const limit = options.maxOutput ?? 1 << 20;
  let out = '';
  run.stdout!.setEncoding('utf8');
  run.stdout!.on('data', (s: string) => {
    if (out.length < limit) out += s;
  });
  await run.check();
  return out;
}

export function describeExit(status: ExitStatus, tool: string): string {
  if (status.spawnError) {
    const code = (status.spawnError as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? `${tool} was not found`
      : `${tool} could not be started: ${status.spawnError.message}`;
  }
  if (status.signal) return `killed by ${status.signal}`;
  return `exit code ${status.code}`;
}

/** For a forced exit: SIGKILL every child still running. Synchronous, so usable in 'exit'. */
export function killAllProcesses(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
