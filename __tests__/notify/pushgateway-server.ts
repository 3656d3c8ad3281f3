import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PUSHGATEWAY = 'prometheus-pushgateway';

export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

export interface Pushgateway {
  url: string;
  /** Everything the Pushgateway exposes for Prometheus to scrape. */
  scrape(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's prometheus-pushgateway on a port the OS picks (it binds `:0` and logs the
 * address it got), persisting to a temp file only.
 */
export async function startPushgateway(): Promise<Pushgateway> {
  const dir = await mkdtemp(join(tmpdir(), 'notify_pgw_'));
  const child: ChildProcess = spawn(
    PUSHGATEWAY,
    ['--web.listen-address=127.0.0.1:0', `--persistence.file=${join(dir, 'data')}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let log = '';
  const port = await new Promise<number | undefined>((resolve) => {
    child.stderr!.on('data', (c: Buffer) => {
      log += c.toString();
      const m = /msg="Listening on" address=127\.0\.0\.1:(\d+)/.exec(log);
      if (m) resolve(Number(m[1]));
    });
    child.once('error', (err) => ((log += err.message), resolve(undefined)));
    void exited.then(() => resolve(undefined));
  });
  if (port === undefined) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${PUSHGATEWAY} did not start: ${log}`);
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    scrape: async () => (await fetch(`${url}/metrics`)).text(),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
