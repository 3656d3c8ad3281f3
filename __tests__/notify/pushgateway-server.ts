import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './helpers.ts';

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

/** Starts Debian's prometheus-pushgateway on a spare port, persisting to a temp file only. */
export async function startPushgateway(): Promise<Pushgateway> {
  const dir = await mkdtemp(join(tmpdir(), 'notify_pgw_'));
  for (let attempt = 0; ; attempt++) {
    const port = await closedPort();
    const child: ChildProcess = spawn(
      PUSHGATEWAY,
      [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(dir, 'data')}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const url = `http://127.0.0.1:${port}`;
    const ready = await waitReady(url, exited);
    if (ready) {
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
    child.kill('SIGKILL');
    await exited;
    // Someone took the port between our check and its bind: try another.
    if (attempt >= 3) throw new Error(`${PUSHGATEWAY} did not start: ${log}`);
  }
}

async function waitReady(url: string, exited: Promise<number | null>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 200 && !gone; i++) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
