import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { RunContext } from '../../src/core/context.ts';
import { Redactor, silentLogger } from '../../src/core/log.ts';
import { withProgress } from '../../src/engine/metered-storage.ts';
import type { ProgressReporter, ProgressStart } from '../../src/core/progress.ts';
import { runCommand } from '../../src/engine/run.ts';
import { parseOptions, type RawOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import { LEAST_CAPABILITIES } from '../../src/storage/types.ts';

interface Recorded {
  label: string;
  start: ProgressStart;
  added: number;
  ended: boolean;
}

/** A reporter that records what each phase reported, instead of showing it. */
function recorder(): { reporter: ProgressReporter; tasks: Recorded[] } {
  const tasks: Recorded[] = [];
  return {
    tasks,
    reporter: {
      start(label, start = {}) {
        const task: Recorded = { label, start, added: 0, ended: false };
        tasks.push(task);
        return { add: (n) => (task.added += n), end: () => (task.ended = true) };
      },
    },
  };
}

async function run(raw: RawOptions, progress: ProgressReporter): Promise<RunReport> {
  const ctx: RunContext = {
    log: silentLogger,
    redactor: new Redactor(),
    env: { PATH: process.env['PATH'] },
    cwd: process.cwd(),
    now: () => new Date(),
    version: 'test',
    progress,
  };
  const report = new RunReport(String(raw['command']));
  await runCommand(parseOptions(raw), ctx, report);
  return report;
}

test('upload, read-back, verify and restore each report every byte of the archive, sized where known', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-phases-'));
  try {
    const db = join(dir, 'app.sqlite');
    const d = new DatabaseSync(db);
    d.exec('CREATE TABLE t (v BLOB)');
    const ins = d.prepare('INSERT INTO t VALUES (randomblob(1000))');
    for (let i = 0; i < 500; i++) ins.run();
    d.close();
    const destination = `file:${join(dir, 'backups')}`;

    const backup = recorder();
    const report = await run(
      { command: 'backup', source: `sqlite:${db}`, destination },
      backup.reporter,
    );
    const archiveSize = report.size!;
    assert.equal(
      (await stat(join(dir, 'backups', 'app', `${report.backupId}.tar.zst`))).size,
      archiveSize,
    );
    assert.deepEqual(
      backup.tasks.map((t) => [t.label.replace(dir, '<dir>'), t.start.total, t.ended]),
      [
        ['Uploading to file:<dir>/backups', undefined, true],
        ['Dumping sqlite', undefined, true],
        ['Reading from file:<dir>/backups', archiveSize, true],
      ],
    );
    assert.equal(backup.tasks[0]!.added, archiveSize, 'every uploaded byte counted');
    assert.ok(backup.tasks[1]!.start.read!() > 500_000, 'the dump reads the archive writer');
    assert.equal(backup.tasks[2]!.added, archiveSize, 'every byte read back counted');

    const verify = recorder();
    await run({ command: 'verify', destination }, verify.reporter);
    assert.deepEqual(
      verify.tasks.map((t) => [t.start.total, t.added, t.ended]),
      [[archiveSize, archiveSize, true]],
    );

    const restore = recorder();
    await run(
      { command: 'restore', destination, target: `sqlite:${join(dir, 'restored.sqlite')}` },
      restore.reporter,
    );
    assert.ok(restore.tasks.length >= 1);
    for (const t of restore.tasks) {
      assert.match(t.label, /^Reading from file:/);
      assert.deepEqual([t.start.total, t.added, t.ended], [archiveSize, archiveSize, true]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a put that fails without reading its body still ends its meter, and fails as it did', async () => {
  const rec = recorder();
  const refused = new Error('503 Slow Down');
  const store = withProgress(
    {
      displayUrl: 's3://b',
      capabilities: LEAST_CAPABILITIES,
      put: () => Promise.reject(refused),
      get: () => Promise.reject(new Error('unused')),
      stat: () => Promise.resolve(undefined),
      list: () => Promise.resolve([]),
      delete: () => Promise.resolve(),
      createExclusive: () => Promise.resolve(true),
    },
    rec.reporter,
  );
  await assert.rejects(store.put('app/x.tar.zst', Readable.from([Buffer.alloc(10)])), refused);
  assert.deepEqual(
    rec.tasks.map((t) => [t.label, t.ended]),
    [['Uploading to s3://b', true]],
  );
  // Sidecars are small: no meter for them.
  await assert.rejects(store.put('app/x.manifest.json', Readable.from(['{}'])), refused);
  assert.equal(rec.tasks.length, 1);
});
