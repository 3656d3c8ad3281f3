import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Catalog } from '../../src/report/html/catalog.ts';
import { runAction, type ActionRun } from '../helpers/action-harness.ts';
import { SCHEDULE, buildFixtureStore, type FixtureStore } from '../report/dashboard-fixture.ts';

const ACTION = resolve('dist/index.js');
const show = (r: ActionRun) => `exit ${r.code}\n${r.log}`;

describe(
  'command: report in the action (action.yml → runs.main)',
  { skip: !existsSync(ACTION) && 'dist/index.js not built (npm run build)' },
  () => {
    let f: FixtureStore;
    let workspace: string;
    before(async () => {
      // The action runs on the real clock: the store is made relative to it.
      f = await buildFixtureStore(new Date());
      workspace = await mkdtemp(join(tmpdir(), 'lifeboat-dashboard-action-'));
    });
    after(async () => {
      await f?.cleanup();
      await rm(workspace, { recursive: true, force: true });
    });

    test('writes the site and the job summary; the links name the run’s own repository and server', async () => {
      const r = await runAction({
        workspace,
        inputs: {
          command: 'report',
          destination: f.destination,
          schedule: SCHEDULE,
          html: 'site',
          'backup-workflow': 'backup.yml',
          'restore-workflow': 'restore.yml',
        },
        env: { GITHUB_SERVER_URL: 'https://github.example.com' },
      });
      assert.equal(r.code, 0, show(r));
      assert.equal(r.outputs['error-kind'], 'none');
      assert.equal(r.outputs['sets'], '6');
      assert.equal(r.outputs['healthy'], 'false');
      assert.equal(r.outputs['html'], join(workspace, 'site'));
      // One annotation per set that needs someone: damaged, failing and late (billing is late
      // or, after 15:00 UTC when a second run is overdue, failing).
      assert.deepEqual(
        r.warnings.map((w) => w.message.split(' ')[0]).sort(),
        ['analytics', 'billing', 'inventory', 'uploads'],
        show(r),
      );
      assert.deepEqual(r.errors, []);
      assert.match(r.summary, /Lifeboat report: ✅ succeeded/);
      assert.match(r.summary, /\| orders \| fresh \|/);
      const catalog = JSON.parse(
        await readFile(join(workspace, 'site', 'catalog.json'), 'utf8'),
      ) as Catalog;
      for (const s of catalog.sets) {
        assert.deepEqual(s.links, {
          runBackup: 'https://github.example.com/lifeboat-test/app/actions/workflows/backup.yml',
          restore: 'https://github.example.com/lifeboat-test/app/actions/workflows/restore.yml',
        });
      }
      const index = await readFile(join(workspace, 'site', 'index.html'), 'utf8');
      assert.ok(
        index.includes(
          'href="https://github.example.com/lifeboat-test/app/actions/workflows/backup.yml"',
        ),
      );
    });

    test('a bad input fails the step with one message naming it, and writes nothing', async () => {
      const r = await runAction({
        workspace,
        inputs: {
          command: 'report',
          destination: f.destination,
          html: 'bad-site',
          'backup-workflow': 'backup',
        },
      });
      assert.notEqual(r.code, 0);
      assert.equal(r.outputs['error-kind'], 'config');
      assert.equal(r.errors.length, 1, show(r));
      assert.match(r.errors[0]!.message, /backup-workflow.*'backup' is not a workflow file name/);
      assert.ok(!(await readdir(workspace)).includes('bad-site'));
    });
  },
);
