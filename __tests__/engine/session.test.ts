/**
 * RunSession: one place where a command's cleanups run, newest first, however it ends; a step
 * shares the report and unwinds its own cleanups when it ends; a run of its own has its own
 * report; temporary folders never outlive their session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redactor, type Logger } from '../../src/core/log.ts';
import type { RunContext } from '../../src/core/context.ts';
import { parseOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import { RunSession } from '../../src/engine/session.ts';

async function withRoot(
  fn: (x: { root: string; ctx: RunContext; warnings: string[] }) => Promise<void>,
): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'lifeboat-session-'));
  const warnings: string[] = [];
  const log: Logger = {
    info: () => undefined,
    warn: (m) => warnings.push(m),
    error: () => undefined,
    debug: () => undefined,
  };
  const ctx: RunContext = {
    log,
    redactor: new Redactor(),
    env: {},
    cwd: root,
    now: () => new Date(),
    version: 'test',
    tmpRoot: root,
  };
  try {
    await fn({ root, ctx, warnings });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const options = parseOptions({ command: 'restore', destination: ['file:./x'] });

test('cleanups run newest first when the work fails; a failing cleanup is logged and the rest still run', async () => {
  await withRoot(async ({ root, ctx, warnings }) => {
    const order: string[] = [];
    const boom = new Error('the work failed');
    let dir = '';
    await assert.rejects(
      RunSession.run(options, ctx, new RunReport('restore'), async (s) => {
        s.defer('close the first thing', () => order.push('first'));
        dir = await s.tempDir();
        assert.equal(await s.tempDir(), dir, 'one temporary folder per session');
        assert.equal((await s.sourceContext()).tmpDir, dir);
        s.defer('remove the stage', () => {
          order.push('second');
          throw new Error('disk gone');
        });
        s.defer('close the third thing', async () => {
          order.push('third');
        });
        throw boom;
      }),
      (err) => err === boom,
    );
    assert.deepEqual(order, ['third', 'second', 'first']);
    assert.deepEqual(warnings, ['could not remove the stage: disk gone']);
    assert.ok(dir.startsWith(root));
    await assert.rejects(stat(dir), { code: 'ENOENT' });
    assert.deepEqual(await readdir(root), []);
  });
});

test('a step shares the report and unwinds its own cleanups first; a run of its own has its own report', async () => {
  await withRoot(async ({ root, ctx }) => {
    const order: string[] = [];
    const report = new RunReport('drill');
    const own = new RunReport('backup');
    await RunSession.run(options, ctx, report, async (s) => {
      s.defer('outer', () => order.push('outer'));
      const outerDir = await s.tempDir();
      const other = parseOptions({ command: 'restore', destination: ['file:./y'] });
      await s.step(
        async (step) => {
          assert.equal(step.report, report);
          assert.equal(step.options, other);
          step.defer('step', () => order.push('step'));
          const stepDir = await step.tempDir();
          assert.notEqual(stepDir, outerDir);
          step.report.notes.push('from the step');
        },
        { options: other },
      );
      assert.deepEqual(order, ['step'], 'the step cleaned up when it ended');
      await s.runOwn(options, own, async (safety) => {
        assert.equal(safety.report, own);
        assert.equal(safety.ctx, ctx);
        safety.report.notes.push('from the safety backup');
      });
      assert.deepEqual(await readdir(root), [outerDir.slice(root.length + 1)]);
    });
    assert.deepEqual(order, ['step', 'outer']);
    assert.deepEqual(report.notes, ['from the step']);
    assert.deepEqual(own.notes, ['from the safety backup']);
    assert.deepEqual(await readdir(root), []);
  });
});
