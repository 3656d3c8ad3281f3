import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ConfigError, FreshnessError } from '../../src/core/errors.ts';
import { clearMemoryStorage } from '../../src/storage/memory.ts';
import { runEngine } from '../helpers/engine.ts';
import { readWorkflowSchedule } from '../../src/action/workflow-schedule.ts';
import { jsonOf, runCli } from '../helpers/cli.ts';
import { TEST_MEMORY_STORAGE_ENV } from '../../src/storage/registry.ts';

// memory: storage is for tests only: this file turns it on.
process.env[TEST_MEMORY_STORAGE_ENV] = '1';

const DAY = 24 * 3600 * 1000;

async function fixture() {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-ret-'));
  const db = join(dir, 'app.sqlite');
  const d = new DatabaseSync(db);
  d.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('x');");
  d.close();
  return { dir, db, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Daily backups at 03:00 UTC on the given days of November 2026. */
async function dailyBackups(db: string, destination: string, days: number[]) {
  const ids: string[] = [];
  for (const day of days) {
    const r = await runEngine(
      { source: `sqlite:${db}`, destination, name: 'app' },
      new Date(Date.UTC(2026, 10, day, 3)),
    );
    assert.equal(r.error, undefined, String(r.error));
    ids.push(r.report.backupId!);
  }
  return ids;
}

for (const kind of ['file', 'memory'] as const) {
  describe(`retention and catalog on ${kind}: storage`, () => {
    test('prune keeps what the policy says, dry-run deletes nothing, sidecars go with their archive', async () => {
      const f = await fixture();
      const destination =
        kind === 'file' ? `file:${join(f.dir, 'store')}` : `memory:ret-${Math.random()}`;
      try {
        // Nov 1-10, then a 10-day pause, then Nov 21-22.
        const ids = await dailyBackups(f.db, destination, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 21, 22]);
        const dry = await runCli([
          'prune',
          '--destination',
          destination,
          '--name',
          'app',
          '--keep-daily',
          '3',
          '--dry-run',
          '--json',
        ]);
        assert.equal(dry.code, 0, dry.stderr);
        assert.match(dry.stderr, /Retention plan/);
        let listed = jsonOf(await runCli(['list', '--destination', destination, '--json']))[
          'backups'
        ] as Array<{ id: string }>;
        assert.equal(listed.length, 12);

        const p = await runCli([
          'prune',
          '--destination',
          destination,
          '--name',
          'app',
          '--keep-daily',
          '3',
          '--json',
        ]);
        assert.equal(p.code, 0, p.stderr);
        assert.equal(jsonOf(p).outputs['removed'], '9');
        listed = jsonOf(await runCli(['list', '--destination', destination, '--json']))[
          'backups'
        ] as Array<{ id: string }>;
        // The pause does not count: the 3 newest days that have a backup are Nov 22, 21 and 10.
        assert.deepEqual(
          listed.map((b) => b.id),
          [ids[9], ids[10], ids[11]],
        );
        if (kind === 'file') {
          const files = await readdir(join(f.dir, 'store', 'app'));
          assert.equal(files.length, 9, files.join(', '));
        }
        // Idempotent.
        const again = await runCli([
          'prune',
          '--destination',
          destination,
          '--name',
          'app',
          '--keep-daily',
          '3',
          '--json',
        ]);
        assert.equal(jsonOf(again).outputs['removed'], '0');
      } finally {
        if (kind === 'memory') clearMemoryStorage();
        await f.cleanup();
      }
    });

    test('backup with keep-last prunes after success; a failed backup prunes nothing', async () => {
      const f = await fixture();
      const destination =
        kind === 'file' ? `file:${join(f.dir, 'store')}` : `memory:ret-${Math.random()}`;
      try {
        await dailyBackups(f.db, destination, [1, 2, 3]);
        const failed = await runEngine(
          {
            source: `sqlite:${join(f.dir, 'missing.sqlite')}`,
            destination,
            name: 'app',
            'keep-last': '1',
          },
          new Date(Date.UTC(2026, 10, 4, 3)),
        );
        assert.ok(failed.error instanceof ConfigError);
        let listed = (await runEngine({ command: 'list', destination }, new Date())).report.backups;
        assert.equal(listed.length, 3);
        const ok = await runEngine(
          { source: `sqlite:${f.db}`, destination, name: 'app', 'keep-last': '2' },
          new Date(Date.UTC(2026, 10, 5, 3)),
        );
        assert.equal(ok.error, undefined);
        assert.equal(ok.report.outputs['removed'], '2');
        listed = (await runEngine({ command: 'list', destination }, new Date())).report.backups;
        assert.equal(listed.length, 2);
        assert.ok(ok.report.sections.some((s) => s.title.startsWith('Retention')));
      } finally {
        if (kind === 'memory') clearMemoryStorage();
        await f.cleanup();
      }
    });

    test('status: fresh on time, stale when a scheduled run was missed', async () => {
      const f = await fixture();
      const destination =
        kind === 'file' ? `file:${join(f.dir, 'store')}` : `memory:ret-${Math.random()}`;
      try {
        await dailyBackups(f.db, destination, [20]);
        const onTime = await runEngine(
          { command: 'status', destination, schedule: '0 3 * * *' },
          new Date(Date.UTC(2026, 10, 20, 9)),
        );
        assert.equal(onTime.error, undefined, String(onTime.error));
        assert.equal(onTime.report.outputs['fresh'], 'true');
        assert.equal(onTime.report.outputs['next-expected'], '2026-11-21T03:00:00.000Z');

        const late = await runEngine(
          { command: 'status', destination, schedule: '0 3 * * *' },
          new Date(Date.UTC(2026, 10, 22, 9)),
        );
        assert.ok(late.error instanceof FreshnessError, String(late.error));
        assert.equal(late.report.outputs['fresh'], 'false');
        assert.equal(Number(late.report.outputs['newest-age-ms']), 2 * DAY + 6 * 3600 * 1000);

        const bad = await runEngine(
          { command: 'status', destination, schedule: '61 3 * * *' },
          new Date(),
        );
        assert.ok(
          bad.error instanceof ConfigError && bad.error.option === 'schedule',
          String(bad.error),
        );
      } finally {
        if (kind === 'memory') clearMemoryStorage();
        await f.cleanup();
      }
    });
  });
}

test("status reads the calling workflow's own schedule, which the action face passes in", async () => {
  const f = await fixture();
  const destination = `file:${join(f.dir, 'store')}`;
  try {
    await dailyBackups(f.db, destination, [20]);
    await mkdir(join(f.dir, 'ws', '.github', 'workflows'), { recursive: true });
    await writeFile(
      join(f.dir, 'ws', '.github', 'workflows', 'backup.yml'),
      "on:\n  schedule:\n    - cron: '0 3 * * *'\n    - cron: '0 15 * * *'\njobs: {}\n",
    );
    const env = {
      GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/backup.yml@refs/heads/main',
      GITHUB_WORKSPACE: join(f.dir, 'ws'),
    };
    // The 15:00 run of Nov 20 was missed by Nov 21 02:00 (past its grace).
    const fromWorkflow = { workflowSchedule: () => readWorkflowSchedule(env) };
    const r = await runEngine(
      { command: 'status', destination },
      new Date(Date.UTC(2026, 10, 21, 2)),
      {},
      fromWorkflow,
    );
    assert.ok(r.error instanceof FreshnessError, String(r.error));
    assert.match(r.report.sections.map((s) => s.markdown).join('\n'), /0 15 \* \* \*/);

    await writeFile(
      join(f.dir, 'ws', '.github', 'workflows', 'backup.yml'),
      'on: workflow_dispatch\njobs: {}\n',
    );
    const none = await runEngine({ command: 'status', destination }, new Date(), {}, fromWorkflow);
    assert.ok(
      none.error instanceof ConfigError && none.error.option === 'schedule',
      String(none.error),
    );
  } finally {
    await f.cleanup();
  }
});
