import type { Logger, Redactor } from './log.ts';
import type { ProgressReporter } from './progress.ts';

/** Everything the engine needs from the outside world; faces build it, tests inject it. */
export interface RunContext {
  log: Logger;
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
  /** Lifeboat's own version, recorded in manifests. */
  version: string;
  /** How the face shows long phases; plain log lines every 30 s when unset. */
  progress?: ProgressReporter;
  /** Waits between lock polls; tests inject one so no real time passes. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Calls `tick` every `ms` until the returned stop is called (the lock's refresh); tests
   * inject one and tick by hand. Default: an unref'd setInterval.
   */
  repeat?: (ms: number, tick: () => Promise<void>) => () => void;
  /** This run's page (the action's run URL), recorded in set locks so a waiting run can name it. */
  runUrl?: string;
  /** See SourceContext.provideTool. */
  provideTool?: (tool: string, majorVersion: string) => Promise<string | undefined>;
  /** Aborted when the run is cancelled (SIGINT/SIGTERM); reaches every source, child and upload. */
  signal?: AbortSignal;
  /** Folder that holds this run's private temporary folder (the faces choose it: RUNNER_TEMP or the OS's). */
  tmpRoot?: string;
}
