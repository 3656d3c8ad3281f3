import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { text } from 'node:stream/consumers';
import {
  killAllProcesses,
  runProcess,
  startProcess,
  type ProcessOptions,
} from '../../src/core/process.ts';
import { CancelledError, SourceError } from '../../src/core/errors.ts';

const env = { PATH: process.env['PATH'] };

function sh(script: string, extra: Partial<ProcessOptions> = {}) {
  return startProcess({ tool: 'demo-tool', command: 'sh', args: ['-c', script], env, ...extra });
}

/** Resolves once the child has written `word` to stdout (it is ready for what the test does next). */
async function saw(stream: NodeJS.ReadableStream, word: string): Promise<void> {
  let seen = '';
  for await (const chunk of stream) {
    seen += String(chunk);
    if (seen.includes(word)) return;
  }
  throw new Error(`stdout ended without '${word}'`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('child-process runner', () => {
  test('a non-zero exit is a typed error naming the tool, its exit code and its last stderr lines', async () => {
    // 50,000 lines of stderr: the tail stays bounded and holds the end.
    const run = sh(
      'i=0; while [ $i -lt 50000 ]; do echo "noise $i" >&2; i=$((i+1)); done; echo "the real reason" >&2; exit 3',
    );
    const status = await run.exited;
    assert.equal(status.code, 3);
    const err = run.failure(status);
    assert.ok(err instanceof SourceError);
    assert.match(err.message, /^demo-tool failed \(exit code 3\):\n/);
    assert.match(err.message, /the real reason$/);
    assert.ok(!err.message.includes('noise 0\n'), 'old lines are dropped');
    assert.ok(err.message.split('\n').length <= 21, 'only the last lines are kept');
    await assert.rejects(run.check('the demo step'), /^SourceError: the demo step failed/);
  });

  test('an exit by signal says which signal', async () => {
    const run = sh('kill -TERM $$');
    const status = await run.exited;
    assert.equal(status.signal, 'SIGTERM');
    assert.match(run.failure(status).message, /demo-tool failed \(killed by SIGTERM\)/);
  });

  test('a tool that does not exist is named as missing', async () => {
    const run = startProcess({
      tool: 'no-such-tool',
      command: '/nonexistent/no-such-tool',
      args: [],
      env,
    });
    const status = await run.exited;
    assert.ok(status.spawnError);
    assert.match(run.failure(status).message, /no-such-tool was not found/);
  });

  test('credentials travel in the environment and are masked in messages', async () => {
    const secret = 'hunter2-very-secret';
    const run = sh('echo "connecting with $DEMO_PASSWORD" >&2; exit 1', {
      env: { ...env, DEMO_PASSWORD: secret },
      redact: (t) => t.split(secret).join('***'),
    });
    const status = await run.exited;
    const message = run.failure(status).message;
    assert.match(message, /connecting with \*\*\*/);
    assert.ok(!message.includes(secret));
    assert.ok(!run.child.spawnargs.join(' ').includes(secret), 'not on the command line');
  });

  test('stdin and stdout are streams', async () => {
    const run = startProcess({ tool: 'cat', command: 'cat', args: [], env, stdin: 'pipe' });
    run.stdin!.end('through the child\n');
    assert.equal(await text(run.stdout!), 'through the child\n');
    await run.check();
    assert.equal(await runProcess({ tool: 'echo', command: 'echo', args: ['hi'], env }), 'hi\n');
  });

  test('an abort sends SIGTERM, and the cancellation is the error', async () => {
    const controller = new AbortController();
    const run = sh('echo ready; read line', { stdin: 'pipe', signal: controller.signal });
    await saw(run.stdout!, 'ready');
    controller.abort(new CancelledError('SIGINT'));
    const status = await run.exited;
    assert.equal(status.signal, 'SIGTERM');
    const err = run.failure(status);
    assert.ok(err instanceof CancelledError);
    assert.equal(err.exitCode, 130);
    assert.ok(!alive(run.child.pid!), 'no process left behind');
  });

  test('a child that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const controller = new AbortController();
    // `read` is a shell builtin: no grandchild outlives the shell.
    const run = sh("trap '' TERM; echo ready; read line", {
      stdin: 'pipe',
      signal: controller.signal,
      graceMs: 200,
    });
    await saw(run.stdout!, 'ready');
    controller.abort(new CancelledError('SIGTERM'));
    const status = await run.exited;
    assert.equal(status.signal, 'SIGKILL');
    assert.ok(!alive(run.child.pid!), 'reaped, no zombie');
  });

  test('an already aborted signal stops the child at once', async () => {
    const run = sh('echo ready; read line', { stdin: 'pipe', signal: AbortSignal.abort() });
    const status = await run.exited;
    assert.notEqual(status.code, 0);
  });

  test('stop() without a signal, and a forced exit kills whatever is left', async () => {
    const a = sh('echo ready; read line', { stdin: 'pipe' });
    await saw(a.stdout!, 'ready');
    a.stop();
    assert.equal((await a.exited).signal, 'SIGTERM');

    const b = sh("trap '' TERM; echo ready; read line", { stdin: 'pipe' });
    await saw(b.stdout!, 'ready');
    killAllProcesses();
    assert.equal((await b.exited).signal, 'SIGKILL');
    assert.equal(b.running, false);
  });

  test('a child that stops reading does not crash the parent (EPIPE)', async () => {
    const run = sh('exit 0', { stdin: 'pipe' });
    await once(run.child, 'exit');
    run.stdin!.write(Buffer.alloc(1 << 20));
    run.stdin!.end();
    assert.equal((await run.exited).code, 0);
  });
});
