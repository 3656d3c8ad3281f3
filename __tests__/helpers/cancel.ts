import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy that passes the server's replies until `holdAfter` bytes went to the client on
 * one connection, then stops passing them: the client (pg_dump, mariadb-dump, a replica
 * stream) is stuck mid-transfer for as long as the test wants, without any timing.
 */
export interface Valve {
  port: number;
  /** Resolves when some connection has been held. */
  held: Promise<void>;
  close(): Promise<void>;
}

export async function startValve(targetPort: number, holdAfter: number): Promise<Valve> {
  const sockets = new Set<net.Socket>();
  let onHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    let passed = 0;
    upstream.on('data', (chunk: Buffer) => {
      if (passed >= holdAfter) return;
      const room = holdAfter - passed;
      client.write(chunk.length > room ? chunk.subarray(0, room) : chunk);
      passed += Math.min(room, chunk.length);
      if (passed >= holdAfter) {
        upstream.pause();
        onHeld();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    held,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * An HTTP proxy in front of s3rver that holds the first request `hold` picks: it is never
 * answered, so the client is stuck mid-upload (or, with `afterBytes`, mid-download once that
 * much of the response went through). Everything else passes, so aborts reach the server.
 */
export async function startHoldingProxy(
  targetPort: number,
  hold: (req: { method: string; url: string }) => { afterBytes?: number } | undefined,
): Promise<
  Valve & {
    endpoint: string;
    requests: Array<{ method: string; url: string }>;
    /** Forwards a request held whole (no `afterBytes`): the test decides when it goes on. */
    release(): void;
  }
> {
  const requests: Array<{ method: string; url: string }> = [];
  let onHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  let holding = false;
  let releaseHeld: (() => void) | undefined;
  const upstreams = new Set<http.ClientRequest>();
  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    requests.push({ method, url });
    const rule = holding ? undefined : hold({ method, url });
    if (rule) holding = true;
    if (rule && rule.afterBytes === undefined) {
      // Not forwarded, not answered, until the test releases it (if ever). The body waits.
      req.pause();
      releaseHeld = () => forward(undefined);
      onHeld();
      return;
    }
    forward(rule);

    function forward(rule: { afterBytes?: number } | undefined): void {
      const upstream = http.request(
        // No keep-alive: an idle pooled socket would hold s3rver's close() open after the tests.
        {
          host: '127.0.0.1',
          port: targetPort,
          method,
          path: url,
          headers: req.headers,
          agent: false,
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          if (!rule) {
            upstreamRes.pipe(res);
            return;
          }
          let passed = 0;
          upstreamRes.on('data', (chunk: Buffer) => {
            if (passed >= rule.afterBytes!) return;
            const room = rule.afterBytes! - passed;
            res.write(chunk.length > room ? chunk.subarray(0, room) : chunk);
            passed += Math.min(room, chunk.length);
            if (passed >= rule.afterBytes!) {
              upstreamRes.pause();
              onHeld();
            }
          });
        },
      );
      upstreams.add(upstream);
      upstream.on('close', () => upstreams.delete(upstream));
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      req.resume();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    held,
    release: () => {
      const go = releaseHeld;
      releaseHeld = undefined;
      go?.();
    },
    close: () =>
      new Promise<void>((resolve) => {
        // A held download keeps its connection to s3rver open, which would hold s3rver's close().
        for (const u of upstreams) u.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The CLI as a separate process (`node src/cli/index.ts …`), so real signals can reach it. */
export interface CliProcess {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves when stderr has a line matching `pattern`. */
  logged(pattern: RegExp): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', 'src/cli/index.ts', ...args],
    { env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env }, stdio: 'pipe' },
  );
  let err = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    err += s;
    for (const w of [...waiters]) {
      if (w.pattern.test(err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  child.stdout.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stderr: () => err,
    exit,
    logged: (pattern) =>
      pattern.test(err)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiters.push({ pattern, resolve })),
            exit.then(() => {
              throw new Error(`the CLI exited before logging ${pattern}:\n${err}`);
            }),
          ]),
  };
}

/** Direct children of a process, from /proc: [pid, command name]. */
export function childrenOf(pid: number): Array<{ pid: number; comm: string }> {
  const out: Array<{ pid: number; comm: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push({ pid: Number(name), comm });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits for a condition that an event outside this process makes true (a child appearing). */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false,
  limitMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
