import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RunContext } from '../../src/core/context.ts';
import { Redactor, type Logger } from '../../src/core/log.ts';
import type { OpenDestination } from '../../src/engine/destinations.ts';
import { lockSet, lockSettings } from '../../src/engine/lock.ts';
import { parseOptions } from '../../src/options/parse.ts';
import { clearMemoryStorage, MemoryStorage } from '../../src/storage/memory.ts';
import type { Storage } from '../../src/storage/types.ts';

function context(lines: string[]): RunContext {
  const log: Logger = {
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: () => undefined,
  };
  return {
    log,
    redactor: new Redactor(),
    env: {},
    cwd: process.cwd(),
    now: () => new Date(),
    version: 'test',
    repeat: () => () => undefined,
  };
}

function destination(storage: Storage): OpenDestination {
  return { url: storage.displayUrl, displayUrl: storage.displayUrl, storage };
}

const settings = lockSettings(parseOptions({ command: 'prune', destination: ['memory:x'] }));

test('a lock on a store without conditional create says it is a check-then-write there, and still locks', async () => {
  const name = `lock-caps-${randomUUID()}`;
  const memory = new MemoryStorage(name);
  // The same store, declaring what the artifact backend declares.
  const weak: Storage = Object.assign(Object.create(memory) as MemoryStorage, {
    capabilities: { ...memory.capabilities, conditionalCreate: false },
  });
  try {
    const lines: string[] = [];
    const locks = await lockSet([destination(weak)], 'app', settings, context(lines), 'prune');
    assert.equal(locks.held.length, 1);
    assert.ok(await memory.stat('app/lifeboat.lock'), 'the lock object exists');
    assert.ok(
      lines.some((l) => /declares no conditional create/.test(l) && /concurrency/.test(l)),
      lines.join('\n'),
    );
    await locks.release();
    assert.equal(await memory.stat('app/lifeboat.lock'), undefined);

    // A store that arbitrates creates itself is not mentioned.
    const quiet: string[] = [];
    const strong = await lockSet([destination(memory)], 'app', settings, context(quiet), 'prune');
    assert.ok(!quiet.some((l) => /conditional create/.test(l)), quiet.join('\n'));
    await strong.release();
  } finally {
    clearMemoryStorage(name);
  }
});
