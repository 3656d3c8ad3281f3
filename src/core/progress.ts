import { Transform, pipeline, type Readable } from 'node:stream';
import { formatBytes, formatDuration, type Logger } from './log.ts';

/**
 * Progress of long phases (dump, upload, read-back, verify, restore). The engine counts bytes
 * through a ProgressTask; the face decides how often and how to show them: a plain line every
 * 30 s in a log, a live line on a terminal.
 */
export interface ProgressTask {
  /** Count bytes done (a metered stream calls this per chunk). */
  add(bytes: number): void;
  /** The phase is over (done or failed): stop reporting it. */
  end(): void;
}

export interface ProgressStart {
  /** Total bytes when known (a stored archive's size), for percent and time left. */
  total?: number;
  /** Reads the bytes done so far, for work counted elsewhere (the archive writer's tally). */
  read?: () => number;
}

export interface ProgressReporter {
  start(label: string, options?: ProgressStart): ProgressTask;
}

export interface ProgressSnapshot {
  label: string;
  bytes: number;
  total?: number;
  elapsedMs: number;
}

/** `Uploading x: 1.2 GiB of 3.4 GiB (35%), 45.0 MiB/s, about 50 s left`. */
export function formatProgress(s: ProgressSnapshot): string {
  const parts = [formatBytes(s.bytes)];
  const known = s.total !== undefined && s.total > 0;
  if (known) {
    const percent = Math.min(100, Math.floor((s.bytes / s.total!) * 100));
    parts[0] += ` of ${formatBytes(s.total!)} (${percent}%)`;
  } else parts[0] += ' so far';
  const rate = s.elapsedMs > 0 ? (s.bytes / s.elapsedMs) * 1000 : 0;
  if (rate > 0) parts.push(`${formatBytes(rate)}/s`);
  if (known && rate > 0 && s.bytes < s.total!) {
    parts.push(`about ${formatTimeLeft(((s.total! - s.bytes) / rate) * 1000)} left`);
  }
  return `${s.label}: ${parts.join(', ')}`;
}

/** Time left in whole seconds (a rate-based guess has no tenths), else as every other duration. */
export function formatTimeLeft(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : formatDuration(s * 1000);
}

/** Runs fn every ms until cancelled; never keeps the process alive. */
export type Every = (fn: () => void, ms: number) => () => void;

export const realEvery: Every = (fn, ms) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export interface PeriodicOptions {
  /** At most one line per task this often (30 s in logs). */
  intervalMs: number;
  write: (line: string) => void;
  now?: () => number;
  every?: Every;
}

/**
 * One plain line per task at most every intervalMs, and none for a phase shorter than that.
 * A timer also checks, so a stalled transfer still shows up (with its rate falling).
 */
export function periodicProgress(options: PeriodicOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const every = options.every ?? realEvery;
  return {
    start(label, start = {}) {
      const t0 = now();
      const base = start.read?.() ?? 0;
      let counted = 0;
      let last = t0;
      let ended = false;
      const bytes = () => (start.read ? start.read() - base : counted);
      const check = () => {
        const t = now();
        if (ended || t - last < options.intervalMs) return;
        last = t;
        options.write(
          formatProgress({ label, bytes: bytes(), total: start.total, elapsedMs: t - t0 }),
        );
      };
      const cancel = every(check, options.intervalMs);
      return {
        add(n) {
          counted += n;
          check();
        },
        end() {
          ended = true;
          cancel();
        },
      };
    },
  };
}

export const LOG_PROGRESS_INTERVAL_MS = 30_000;

/** The face's reporter, or plain log lines every 30 s when the face has none. */
export function progressOf(ctx: { log: Logger; progress?: ProgressReporter }): ProgressReporter {
  return ctx.progress ?? logProgress(ctx.log);
}

/** The default: a line every 30 s in the run's log, so a 3 a.m. log shows a long phase moving. */
export function logProgress(log: Logger): ProgressReporter {
  return periodicProgress({
    intervalMs: LOG_PROGRESS_INTERVAL_MS,
    write: (line) => log.info(`… ${line}`),
  });
}

/**
 * Counts the bytes of a stream as they pass, ending the task when the stream is done or fails.
 * Errors and destruction travel both ways, as with the stream itself.
 */
export function metered(stream: Readable, task: ProgressTask): Readable {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      task.add(chunk.length);
      callback(null, chunk);
    },
  });
  pipeline(stream, counter, () => task.end());
  return counter;
}
