import {
  formatProgress,
  realEvery,
  type Every,
  type ProgressReporter,
  type ProgressStart,
  type ProgressTask,
} from '../core/progress.ts';

interface ActiveTask {
  label: string;
  start: ProgressStart;
  t0: number;
  base: number;
  counted: number;
}

export interface StatusLineOptions {
  write: (text: string) => void;
  /** Terminal width, read at each redraw (the window may be resized). */
  columns: () => number;
  now?: () => number;
  every?: Every;
  /** Redraws at most this often (default 250 ms). */
  intervalMs?: number;
}

/**
 * The CLI's live progress line on an interactive terminal: one `\r`-rewritten line on stderr
 * showing every phase in flight. Log lines call clear() first so they never mix with it.
 */
export class StatusLine implements ProgressReporter {
  readonly #options: StatusLineOptions;
  readonly #now: () => number;
  readonly #every: Every;
  readonly #interval: number;
  readonly #active = new Set<ActiveTask>();
  #shown = false;
  #lastDraw = -Infinity;
  #cancelTimer: (() => void) | undefined;

  constructor(options: StatusLineOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#every = options.every ?? realEvery;
    this.#interval = options.intervalMs ?? 250;
  }

  start(label: string, start: ProgressStart = {}): ProgressTask {
    const task: ActiveTask = {
      label,
      start,
      t0: this.#now(),
      base: start.read?.() ?? 0,
      counted: 0,
    };
    this.#active.add(task);
    // A timer too, so a stalled phase still shows its time passing.
    this.#cancelTimer ??= this.#every(() => this.#draw(false), 1000);
    return {
      add: (n) => {
        task.counted += n;
        this.#draw(false);
      },
      end: () => {
        if (!this.#active.delete(task)) return;
        if (this.#active.size === 0) {
          this.#cancelTimer?.();
          this.#cancelTimer = undefined;
          this.clear();
        } else this.#draw(true);
      },
    };
  }

  /** Erases the line (before a log line is written); the next update draws it again. */
  clear(): void {
    if (!this.#shown) return;
    this.#options.write('\r\x1b[K');
    this.#shown = false;
  }

  #draw(force: boolean): void {
    const t = this.#now();
    if (!force && t - this.#lastDraw < this.#interval) return;
    this.#lastDraw = t;
    const text = [...this.#active]
      .map((a) =>
        formatProgress({
          label: a.label,
          bytes: a.start.read ? a.start.read() - a.base : a.counted,
          total: a.start.total,
          elapsedMs: t - a.t0,
        }),
      )
      .join(' | ');
    const width = Math.max(20, this.#options.columns() - 1);
    const fitted = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.#options.write(`\r\x1b[K${fitted}`);
    this.#shown = true;
  }
}
