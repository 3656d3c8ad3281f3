import type { Logger, Redactor } from './log.ts';

/** Everything the engine needs from the outside world; faces build it, tests inject it. */
export interface RunContext {
  log: Logger;
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
  /** Lifeboat's own version, recorded in manifests. */
  version: string;
  /** See SourceContext.provideTool. */
  provideTool?: (tool: string, majorVersion: string) => Promise<string | undefined>;
}
