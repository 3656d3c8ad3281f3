/**
 * The safety backup a restore takes before it replaces a target is a run of its own: its own
 * session (report, cleanups, temporary folder). The restore's report keeps the restored
 * backup's facts and lists the safety backup's report apart; a safety backup that fails leaves
 * the target exactly as it was, nothing staged, and no temporary folder behind.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../src/engine/run.ts';
import { Redactor, type Logger } from '../../src/core/log.ts';
import type { RunContext } from '../../src/core/context.ts';
import { exitCodeFor } from '../../src/core/errors.ts';
import { parseOptions, type RawOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import { renderSummary } from '../../src/report/summary.ts';
import {
  databasesLike,
  dropDb,
  localServer,
  localUrl,
  query,
  uniqueDb,
} from '../sources/postgres-fixture.ts';

interface Run {
  report: RunReport;
  error?: unknown;
  logs: string[];
}

async function run(raw: RawOptions, tmpRoot: string): Promise<Run> {
  const logs: string[] = [];
  const log: Logger = {
    info: (m) => logs.push(m),
    warn: (m) => logs.push(`warning: ${m}`),
    error: (m) => logs.push(`error: ${m}`),
    debug: () => undefined,
  };
  const ctx: RunContext = {
    log,
    redactor: new Redactor(),
    env: { PATH: process.env['PATH'] },
    cwd: process.cwd(),
    now: () => new Date(),
    version: 'test',
    tmpRoot,
  };
  const options = parseOptions(raw);
  const report = new RunReport(options.command);
  try {
    await runCommand(options, ctx, report);
    return { report, logs };
  } catch (error) {
    return { report, error, logs };
  }
}

async function names(db: string): Promise<string[]> {
  const r = await query(db, 'SELECT name FROM people ORDER BY name');
  return r.rows.map((x: { name: string }) => x.name);
}

/** A backed-up database `<base>_src` ('new') and a target `<base>_used` holding 'old'. */
async function withDatabases(
  prefix: string,
  fn: (x: {
    base: string;
    src: string;
    used: string;
    dir: string;
    tmpRoot: string;
  }) => Promise<void>,
): Promise<void> {
  const admin = await localServer();
  assert.ok(admin, 'PostgreSQL on 127.0.0.1:5432 is needed');
  const base = uniqueDb(prefix);
  const [src, used] = [`${base}_src`, `${base}_used`];
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-safety-session-'));
  const tmpRoot = join(dir, 'tmp');
  await mkdir(tmpRoot);
  try {
    for (const db of [src, used]) await admin.query(`CREATE DATABASE ${db}`);
    await query(src, "CREATE TABLE people (name text); INSERT INTO people VALUES ('new')");
    await query(used, "CREATE TABLE people (name text); INSERT INTO people VALUES ('old')");
    await fn({ base, src, used, dir, tmpRoot });
  } finally {
    for (const db of await databasesLike(admin, base)) await dropDb(admin, db);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('a safety backup is a session of its own', () => {
  test('the restore reports the restored backup; the safety backup has its own report, named on its own in the summary', async () => {
    await withDatabases('sess', async ({ src, used, dir, tmpRoot }) => {
      const store = `file:${join(dir, 'store')}`;
      const b = await run(
        { command: 'backup', source: [localUrl(src)], destination: [store], name: 'sess' },
        tmpRoot,
      );
      assert.equal(b.error, undefined, b.logs.join('\n'));

      const r = await run(
        {
          command: 'restore',
          destination: [store],
          name: 'sess',
          target: [localUrl(used)],
          overwrite: true,
        },
        tmpRoot,
      );
      assert.equal(r.error, undefined, r.logs.join('\n'));
      assert.deepEqual(await names(used), ['new']);

      // The restore's own facts are the restored backup's.
      assert.equal(r.report.command, 'restore');
      assert.equal(r.report.backupId, b.report.backupId);
      assert.equal(r.report.sha256, b.report.sha256);
      assert.equal(r.report.size, b.report.size);
      assert.deepEqual(
        r.report.destinations.map((d) => d.key),
        [b.report.destinations[0]!.key],
      );
      assert.deepEqual(
        r.report.sources.map((s) => s.name),
        ['postgres'],
      );

      // The safety backup's: a backup run of its own, of the target, in the -safety set.
      assert.equal(r.report.safetyBackups.length, 1);
      const safety = r.report.safetyBackups[0]!;
      assert.notEqual(safety, r.report);
      assert.equal(safety.command, 'backup');
      assert.equal(safety.error, undefined);
      assert.equal(safety.name, 'sess-safety');
      assert.ok(safety.backupId && safety.backupId !== r.report.backupId);
      assert.ok(safety.sha256 && safety.sha256 !== r.report.sha256);
      assert.equal(safety.destinations.length, 1);
      assert.equal(safety.destinations[0]!.ok, true);
      assert.match(
        safety.destinations[0]!.key ?? '',
        new RegExp(`^sess-safety/${safety.backupId}`),
      );
      assert.deepEqual(
        safety.sources.map((s) => s.url),
        [`postgres://postgres@127.0.0.1:5432/${used}`],
      );
      assert.equal(r.report.outputs['safety-backup-id'], `sess-safety/${safety.backupId}`);

      const summary = renderSummary(r.report);
      assert.match(summary, new RegExp(`\\| sha256 \\| \`${r.report.sha256}\` \\|`));
      assert.match(summary, /### Safety backup of postgres\n/);
      assert.match(summary, new RegExp(`\\| backup \\| \`sess-safety/${safety.backupId}\` \\|`));
      assert.match(summary, new RegExp(`\\| sha256 \\| \`${safety.sha256}\` \\|`));
      // Every session's temporary folder is gone.
      assert.deepEqual(await readdir(tmpRoot), []);
    });
  });

  test('a safety backup that fails leaves the target untouched, nothing staged, and says so apart', async () => {
    await withDatabases('sessfail', async ({ src, used, dir, tmpRoot }) => {
      const storeDir = join(dir, 'store');
      const store = `file:${storeDir}`;
      const b = await run(
        { command: 'backup', source: [localUrl(src)], destination: [store], name: 'sf' },
        tmpRoot,
      );
      assert.equal(b.error, undefined, b.logs.join('\n'));
      // The safety set's folder cannot be made: a file holds its name, so its upload fails.
      await writeFile(join(storeDir, 'sf-safety'), 'not a folder\n');

      const r = await run(
        {
          command: 'restore',
          destination: [store],
          name: 'sf',
          target: [localUrl(used)],
          overwrite: true,
        },
        tmpRoot,
      );
      assert.ok(r.error, 'the restore fails when its safety backup fails');
      assert.equal(exitCodeFor(r.error), 1, String(r.error));
      // The target is as it was, and nothing staged or half-swapped is left beside it.
      assert.deepEqual(await names(used), ['old']);
      const admin = await localServer();
      try {
        assert.deepEqual(await databasesLike(admin!, used), [used]);
      } finally {
        await admin!.end();
      }
      // The restore's report still names the restored backup, read and proven.
      assert.equal(r.report.backupId, b.report.backupId);
      assert.equal(r.report.sha256, b.report.sha256);
      assert.deepEqual(
        r.report.destinations.map((d) => [d.key, d.verified]),
        [[b.report.destinations[0]!.key, true]],
      );
      assert.deepEqual(r.report.sources, [], 'nothing was restored');
      // The safety backup's own report holds its failure.
      assert.equal(r.report.safetyBackups.length, 1);
      const safety = r.report.safetyBackups[0]!;
      assert.equal(safety.name, 'sf-safety');
      assert.ok(safety.error, 'the safety report records its own failure');
      assert.equal(r.report.outputs['safety-backup-id'], undefined);
      assert.match(
        renderSummary(r.report),
        /### Safety backup of postgres: failed, the target was not replaced\n/,
      );
      // Nothing of the failed safety backup is stored, and every temporary folder is gone.
      assert.deepEqual(await readdir(storeDir).then((n) => n.sort()), ['sf', 'sf-safety']);
      assert.deepEqual(await readdir(tmpRoot), []);
    });
  });
});
