import { access } from 'node:fs/promises';
import { startProcess } from '../core/process.ts';
import type { Logger } from '../core/log.ts';

/** PGDG's setup script, shipped by the runner images' postgresql-common package. */
export const PGDG_SETUP_SCRIPT = '/usr/share/postgresql-common/pgdg/apt.postgresql.org.sh';

/** The runner facts the install plan depends on (environment variables and the machine). */
export interface RunnerFacts {
  /** RUNNER_ENVIRONMENT: 'github-hosted' or 'self-hosted'. */
  environment: string | undefined;
  /** ImageOS of GitHub's images: 'ubuntu22', 'ubuntu24', … */
  imageOs: string | undefined;
  platform: NodeJS.Platform;
  arch: string;
  /** Whether PGDG_SETUP_SCRIPT exists on the runner. */
  setupScriptPresent: boolean;
}

export interface PgClientInstallPlan {
  /** Where the client's binaries are once installed (or restored from the cache). */
  bin: string;
  /** What is cached and restored: the whole version folder (bin and lib). */
  cachePaths: string[];
  /** One key per image, major and CPU: a client built for ubuntu22 is not reused on ubuntu24. */
  cacheKey: string;
  /** The commands to install the client when the cache misses, in order. */
  commands: string[][];
}

/**
 * What installing the PostgreSQL client `major` on this runner takes: a pure function of the
 * runner's facts, so the commands and cache keys are tested for every image without a runner.
 * Undefined when Lifeboat does not install the tool here (self-hosted runners, other systems,
 * other tools): the source then explains what to install.
 */
export function pgClientInstallPlan(
  tool: string,
  major: string,
  runner: RunnerFacts,
): PgClientInstallPlan | undefined {
  if (!/^pg_/.test(tool) || !/^\d+$/.test(major)) return undefined;
  if (runner.environment !== 'github-hosted' || runner.platform !== 'linux') return undefined;
  // GitHub's Linux images are Ubuntu ('ubuntu22', 'ubuntu24', 'ubuntu24-arm' style names);
  // anything else is not an image whose package manager we know.
  const image = runner.imageOs?.trim() || 'ubuntu';
  if (!/^ubuntu[\w-]*$/.test(image)) return undefined;
  const folder = `/usr/lib/postgresql/${major}`;
  const commands: string[][] = [];
  if (!runner.setupScriptPresent) {
    commands.push(['sudo', 'apt-get', 'update', '-q']);
    commands.push(['sudo', 'apt-get', 'install', '-y', '-q', 'postgresql-common']);
  }
  // The script adds apt.postgresql.org for the image's release and runs apt-get update.
  commands.push(['sudo', PGDG_SETUP_SCRIPT, '-y']);
  commands.push([
    'sudo',
    'apt-get',
    'install',
    '-y',
    '-q',
    '--no-install-recommends',
    `postgresql-client-${major}`,
  ]);
  return {
    bin: `${folder}/bin`,
    cachePaths: [folder],
    cacheKey: `lifeboat-postgresql-client-${major}-${image}-${runner.arch}`,
    commands,
  };
}

export function runnerFacts(env: NodeJS.ProcessEnv, setupScriptPresent: boolean): RunnerFacts {
  return {
    environment: env['RUNNER_ENVIRONMENT'],
    imageOs: env['ImageOS'],
    platform: process.platform,
    arch: process.arch,
    setupScriptPresent,
  };
}

/**
 * On GitHub-hosted Ubuntu runners, installs a PostgreSQL client of the server's major version
 * from the PGDG apt repository and caches the binaries with @actions/cache so later runs skip
 * the install. Elsewhere it declines, and the source explains.
 */
export async function provideTool(
  tool: string,
  major: string,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const plan = pgClientInstallPlan(tool, major, runnerFacts(env, await exists(PGDG_SETUP_SCRIPT)));
  if (!plan) return undefined;
  // Loaded here, not at start-up: @actions/cache brings the Azure SDK, which every run
  // would otherwise pay for to use it only on this rare path.
  const cache = await import('@actions/cache');
  try {
    if (await cache.restoreCache(plan.cachePaths, plan.cacheKey)) {
      log.info(`Restored the PostgreSQL ${major} client from the Actions cache`);
      if (await exists(`${plan.bin}/pg_dump`)) return plan.bin;
    }
  } catch (err) {
    log.warn(`Actions cache unavailable: ${(err as Error).message}`);
  }
  log.info(`Installing the PostgreSQL ${major} client from apt.postgresql.org…`);
  for (const argv of plan.commands) await sh(argv, env);
  if (!(await exists(`${plan.bin}/pg_dump`))) {
    log.warn(`the install finished but ${plan.bin}/pg_dump is not there`);
    return undefined;
  }
  try {
    await cache.saveCache(plan.cachePaths, plan.cacheKey);
  } catch (err) {
    log.warn(`could not cache the PostgreSQL client: ${(err as Error).message}`);
  }
  return plan.bin;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function sh(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return startProcess({
    tool: argv.join(' '),
    command: argv[0]!,
    args: argv.slice(1),
    env,
    stdout: 'inherit',
    stderr: 'inherit',
  }).check();
}
