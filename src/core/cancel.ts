/**
 * SIGINT/SIGTERM → one AbortSignal for the whole run. The first signal cancels (children
 * stopped, uploads aborted, temp folders removed by the code that owns them); a second one
 * only says cleanup is still running; a third forces the exit.
 */
import { CancelledError } from './errors.ts';
import { killAllProcesses } from './process.ts';

export interface Cancellation {
  signal: AbortSignal;
  /** Removes the signal handlers (the run is over). */
  dispose(): void;
}

type SignalName = 'SIGINT' | 'SIGTERM';

export function cancelOnSignals(
  say: (line: string) => void,
  proc: Pick<NodeJS.Process, 'on' | 'off' | 'exit'> = process,
): Cancellation {
  const controller = new AbortController();
  let received = 0;
  const onSignal = (name: SignalName): void => {
    received++;
    if (received === 1) {
      say(
        `Cancelling (${name} received): stopping child processes, aborting uploads, removing temporary files…`,
      );
      controller.abort(new CancelledError(name));
    } else if (received === 2) {
      say(`${name} received again: still cleaning up; a third signal stops without cleanup`);
    } else {
      say(`${name} received a third time: exiting now, cleanup may be incomplete`);
      killAllProcesses();
      const first = controller.signal.reason as CancelledError;
      proc.exit(first.exitCode);
    }
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  proc.on('SIGINT', onInt);
  proc.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose() {
      proc.off('SIGINT', onInt);
      proc.off('SIGTERM', onTerm);
    },
  };
}

/**
 * Waits for `work` unless the signal aborts first, then throws its reason at once: for a step
 * that takes no signal itself (a storage delete) and must not hold a cancelled run open.
 */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  work.catch(() => undefined); // abandoned: its outcome no longer matters
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
