import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cancelOnSignals } from '../../src/core/cancel.ts';
import { TEMP_MARKER, createRunTemp, sweepStaleTemp, tempRootFor } from '../../src/core/temp.ts';
import { CancelledError, exitCodeFor } from '../../src/core/errors.ts';
import type { Logger } from '../../src/core/log.ts';

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const proc = {
    on: (e: string, l: () => void) => emitter.on(e, l),
    off: (e: string, l: () => void) => emitter.off(e, l),
    exit: (code?: number) => void exits.push(code ?? 0),
  } as unknown as Pick<NodeJS.Process, 'on' | 'off' | 'exit'>;
  return { emitter, exits, proc };
}

describe('cancellation by signal', () => {
  test('the first signal aborts with a cancellation, the second only says so, the third exits', () => {
    const { emitter, exits, proc } = fakeProcess();
    const lines: string[] = [];
    const c = cancelOnSignals((l) => lines.push(l), proc);
    emitter.emit('SIGINT');
    assert.ok(c.signal.aborted);
    const reason = c.signal.reason as CancelledError;
    assert.ok(reason instanceof CancelledError);
    assert.equal(exitCodeFor(reason), 130);
    assert.match(reason.message, /cancelled/);
    emitter.emit('SIGTERM');
    assert.deepEqual(exits, [], 'a second signal does not skip cleanup');
    assert.equal(c.signal.reason, reason, 'the first signal decides the exit code');
    emitter.emit('SIGTERM');
    assert.deepEqual(exits, [130]);
    assert.equal(lines.length, 3);
    c.dispose();
    assert.equal(emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGTERM'), 0);
  });

  test('SIGTERM maps to 143', () => {
    const { emitter, proc } = fakeProcess();
    const c = cancelOnSignals(() => undefined, proc);
    emitter.emit('SIGTERM');
    assert.equal(exitCodeFor(c.signal.reason), 143);
    c.dispose();
  });
});

describe('run temp folders', () => {
  const log = (lines: string[]): Logger => ({
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
    debug: () => undefined,
  });

  test('RUNNER_TEMP wins over the OS temp folder', () => {
    assert.equal(tempRootFor({ RUNNER_TEMP: '/runner/temp', TMPDIR: '/nowhere' }), '/runner/temp');
    assert.equal(tempRootFor({}), tmpdir());
  });

  test('a run folder is private and carries a marker; only provably stale ones are swept', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lbt-temproot-'));
    try {
      const mine = await createRunTemp(root);
      assert.equal((await stat(mine)).mode & 0o777, 0o700);
      const marker = JSON.parse(await readFile(join(mine, TEMP_MARKER), 'utf8'));
      assert.equal(marker.pid, process.pid);

      // A run that died: its pid is gone.
      const child = spawn('true');
      await once(child, 'exit');
      const dead = join(root, 'lifeboat-dead');
      await mkdir(dead);
      await writeFile(join(dead, TEMP_MARKER), JSON.stringify({ ...marker, pid: child.pid }));
      await writeFile(join(dead, 'mysql.cnf'), 'left behind');
      // A pid that now belongs to another process (our own, started at another time).
      const reused = join(root, 'lifeboat-reused');
      await mkdir(reused);
      await writeFile(join(reused, TEMP_MARKER), JSON.stringify({ ...marker, startTicks: '1' }));
      // Not provably ours: no marker, or another machine's.
      await mkdir(join(root, 'lifeboat-nomarker'));
      const elsewhere = join(root, 'lifeboat-elsewhere');
      await mkdir(elsewhere);
      await writeFile(
        join(elsewhere, TEMP_MARKER),
        JSON.stringify({ ...marker, pid: child.pid, host: 'another-host' }),
      );

      const lines: string[] = [];
      const removed = await sweepStaleTemp(root, log(lines));
      assert.deepEqual(removed.sort(), [dead, reused].sort());
      assert.deepEqual(
        (await readdir(root)).sort(),
        ['lifeboat-elsewhere', 'lifeboat-nomarker', mine.split('/').pop()!].sort(),
      );
      assert.ok(lines.some((l) => l.includes(dead) && /no longer running/.test(l)));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
