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
  /**
   * The calling workflow's `on.schedule` cron lines, for `status` and the check after a backup
   * when no `schedule` is given. Only the action face knows the workflow; unset elsewhere.
   */
  workflowSchedule?: () => Promise<string[]>;
  /**
   * The GitHub the run belongs to: the REST API (for `notify: github-issue`), the web server
   * and the repository (for the dashboard's links to its workflows). The action face sets it
   * from the runner's variables; elsewhere it is unset (options name a repository instead).
   */
  github?: { apiUrl: string; serverUrl?: string; repository?: string };
  /**
   * Checks whether the scheduled workflow running this is close to being disabled for
   * inactivity and, with `enable`, re-enables it; returns a line for the summary. Only the
   * action face knows the workflow and the host's API; unset elsewhere.
   */
  workflowActivity?: (enable: boolean) => Promise<string | undefined>;
  /** Folder that holds this run's private temporary folder (the faces choose it: RUNNER_TEMP or the OS's). */
  tmpRoot?: string;
}
