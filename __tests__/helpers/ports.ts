/**
 * Ports for test servers without "free port" races.
 *
 * A port found free (bound, then released) may be taken by anyone before the server binds it:
 * other test files run at the same time. So:
 * - a server that can bind port 0 does, and reports the port it got: from its own output, or,
 *   when its output does not say (Chroma prints `localhost:0`), from its listening socket
 *   (`listeningPort`, which reads the process's sockets in /proc);
 * - a server that cannot bind port 0 (sshd: "Badly formatted port number"; PostgreSQL: port
 *   must be 1..65535) gets a spare port and is started again on another one when the bind
 *   fails with "address in use" (`withSparePort`);
 * - a test that needs a port where nothing listens (connection refused) gets one that stays
 *   held while the test runs (`refusedPort`), so no server can take it meanwhile.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** A port nobody listens on right now (bound, then released): only for `withSparePort`. */
async function sparePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', resolve);
  });
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** What a start attempt says: the server, or that its port was taken (try another). */
export type Attempt<T> = { server: T } | { inUse: string };

/**
 * Starts a server that cannot bind port 0 on a spare port, and on another one when that port
 * was taken before the server bound it (the start function says so by returning `inUse`).
 */
export async function withSparePort<T>(
  start: (port: number) => Promise<Attempt<T>>,
  attempts = 8,
): Promise<T> {
  let last = '';
  for (let i = 0; i < attempts; i++) {
    const r = await start(await sparePort());
    if ('server' in r) return r.server;
    last = r.inUse;
  }
  throw new Error(`no spare port after ${attempts} attempts, each taken first:\n${last}`);
}

/** Text from a server's log that says its port was taken. */
export const ADDRESS_IN_USE = /address already in use|EADDRINUSE|cannot bind/i;

/** The socket inodes a process holds open. */
function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/** The TCP ports the process `pid` listens on (IPv4 and IPv6), read from /proc. */
export function listeningPorts(pid: number): number[] {
  const inodes = socketInodes(pid);
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9]!)) continue;
      ports.add(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * Waits until `child` listens on a TCP port and returns it; rejects when the child exits
 * first (with its output, from `log()`) or never listens within `limitMs`.
 */
export async function listeningPort(
  child: ChildProcess,
  log: () => string = () => '',
  limitMs = 120_000,
): Promise<number> {
  const pid = child.pid;
  if (pid === undefined) throw new Error(`the server did not start:\n${log()}`);
  const deadline = Date.now() + limitMs;
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited before listening:\n${log()}`);
    const [port] = listeningPorts(pid);
    if (port !== undefined) return port;
    if (Date.now() > deadline)
      throw new Error(`the server did not listen within ${limitMs} ms:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** A port that refuses connections for as long as it is held. */
export interface RefusedPort {
  port: number;
  release(): Promise<void>;
}

/**
 * A port on 127.0.0.1 where connecting is refused (ECONNREFUSED), held until `release()`: it
 * is the local end of an open connection, so nothing listens on it and the kernel hands it to
 * no server binding port 0 (nor lets one bind it) while the connection stays open.
 */
export async function holdRefusedPort(): Promise<RefusedPort> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: serverPort } = server.address() as AddressInfo;
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client = connect(serverPort, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  const serverEnd = await accepted;
  const port = client.localPort!;
  // Held, but never what keeps a test file's process alive.
  for (const handle of [server, client, serverEnd]) handle.unref();
  return {
    port,
    release: async () => {
      // The server's end closes first, so the TIME_WAIT is on its port, not on ours.
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.on('error', () => {});
      serverEnd.end();
      await closed;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that refuses connections for the rest of this test file's run. */
export async function refusedPort(): Promise<number> {
  return (await holdRefusedPort()).port;
}
