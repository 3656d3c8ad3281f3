/**
 * The test helpers that hand servers their ports (__tests__/helpers/ports.ts): a refused port
 * stays refused and unbindable while held; a server's port is read from its listening socket;
 * a start on a taken port is tried again on another one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { once } from 'node:events';
import {
  listeningPort,
  listeningPorts,
  holdRefusedPort,
  refusedPort,
  withSparePort,
  type Attempt,
} from '../helpers/ports.ts';

function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve('connected')));
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

function tryListen(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve('listening')));
  });
}

test('a refused port refuses connections and cannot be bound while held', async () => {
  const held = await holdRefusedPort();
  try {
    assert.ok(held.port > 0);
    assert.equal(await tryConnect(held.port), 'ECONNREFUSED');
    assert.equal(await tryListen(held.port), 'EADDRINUSE');
  } finally {
    await held.release();
  }
  // (Not asserted: that the port can be bound right after release(); the kernel may still
  // hold the closing connection for a moment, which would make this test depend on timing.)
});

test('a refused port held for the whole file is refused and keeps no test process alive', async () => {
  const port = await refusedPort();
  assert.equal(await tryConnect(port), 'ECONNREFUSED');
  assert.notEqual(await refusedPort(), port);
});

test('the port a child listens on is read from its socket, though the child never says it', async () => {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:net').createServer().listen(0, '127.0.0.1', () => {
         process.stderr.write(String(s.address().port));
       });
       process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let told = '';
  child.stderr!.on('data', (d: Buffer) => (told += d.toString()));
  try {
    const port = await listeningPort(child, () => told);
    if (!told) await once(child.stderr!, 'data');
    assert.equal(port, Number(told));
    assert.deepEqual(listeningPorts(child.pid!), [port]);
    assert.equal(await tryConnect(port), 'connected');
  } finally {
    child.stdin!.end();
    await once(child, 'exit');
  }
  assert.deepEqual(listeningPorts(child.pid!), []);
});

test('a child that exits before listening is an error carrying its output', async () => {
  const child = spawn(
    process.execPath,
    ['-e', 'console.error("boom: no config"); process.exit(3)'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = once(child, 'exit');
  await exited;
  await assert.rejects(
    listeningPort(child, () => log),
    /exited before listening:\nboom: no config/,
  );
});

test('a start whose port was taken is tried again on another port; endless taking is an error', async () => {
  const ports: number[] = [];
  const server = await withSparePort<string>(async (port): Promise<Attempt<string>> => {
    ports.push(port);
    return ports.length < 3 ? { inUse: `port ${port}: Address already in use` } : { server: 'up' };
  });
  assert.equal(server, 'up');
  assert.equal(ports.length, 3);
  assert.ok(ports.every((p) => p > 0));

  let tries = 0;
  await assert.rejects(
    withSparePort(async (port) => (tries++, { inUse: `port ${port} taken` }), 4),
    /no spare port after 4 attempts, each taken first:\nport \d+ taken/,
  );
  assert.equal(tries, 4);
});
