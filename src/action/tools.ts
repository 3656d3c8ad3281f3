import { access } from 'node:fs/promises';
import { startProcess } from '../core/process.ts';
import type { Logger } from '../engine/log.ts';

/**
 * On GitHub-hosted Ubuntu runners, installs a PostgreSQL client of the server's major version
 * from the PGDG apt repository (the runner ships its setup script) and caches the binaries with
 * @actions/cache so later runs skip the install. Elsewhere it declines, and the source explains.
 */
export async function provideTool(
  tool: string,
  major: string,
  log: Logger,
): Promise<string | undefined> {
  if (!/^pg_/.test(tool) || !/^\d+$/.test(major)) return undefined;
  if (process.env['RUNNER_ENVIRONMENT'] !== 'github-hosted' || process.platform !== 'linux')
    return undefined;
  const bin = `/usr/lib/postgresql/${major}/bin`;
  const key = `lifeboat-postgresql-client-${major}-${process.env['ImageOS'] ?? 'linux'}-${process.arch}`;
  const paths = [`/usr/lib/postgresql/${major}`];
  // Loaded here, not at start-up: @actions/cache brings the Azure SDK, which every run
  // would otherwise pay for to use it only on this rare path.
  const cache = await import('@actions/cache');
  try {
    if (await cache.restoreCache(paths, key)) {
      log.info(`Restored the PostgreSQL ${major} client from the Actions cache`);
      if (await exists(`${bin}/pg_dump`)) return bin;
    }
  } catch (err) {
    log.warn(`Actions cache unavailable: ${(err as Error).message}`);
  }
  log.info(`Installing the PostgreSQL ${major} client from apt.postgresql.org…`);
  const script = '/usr/share/postgresql-common/pgdg/apt.postgresql.org.sh';
  if (!(await exists(script))) await sh(['sudo', 'apt-get', 'install', '-y', 'postgresql-common']);
  await sh(['sudo', script, '-y']);
  await sh([
    'sudo',
    'apt-get',
    'install',
    '-y',
    '--no-install-recommends',
    `postgresql-client-${major}`,
  ]);
  if (!(await exists(`${bin}/pg_dump`))) return undefined;
  try {
    await cache.saveCache(paths, key);
  } catch (err) {
    log.warn(`could not cache the PostgreSQL client: ${(err as Error).message}`);
  }
  return bin;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function sh(argv: string[]): Promise<void> {
  return startProcess({
    tool: argv.join(' '),
    command: argv[0]!,
    args: argv.slice(1),
    env: process.env,
    stdout: 'inherit',
    stderr: 'inherit',
  }).check();
}
