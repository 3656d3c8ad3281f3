import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runAction, type ActionRun } from '../helpers/action-harness.ts';
import { assertSameTree, snapshotTree } from './helpers.ts';
import type { SidecarManifest } from '../../src/archive/types.ts';
import { pastSecondOf } from '../helpers/clock.ts';

const ACTION = resolve('dist/index.js');
// The committed bundle is rebuilt once per release: until then it may predate chains. Under
// CI=true the bundle is built first, so a stale one fails instead of skipping.
const bundled =
  existsSync(ACTION) &&
  readdirSync(dirname(ACTION), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js'))
    .some((f) => readFileSync(join(dirname(ACTION), f), 'utf8').includes('incremental-rehash'));
const skip = !existsSync(ACTION)
  ? 'dist/index.js not built (npm run build)'
  : !bundled && process.env['CI'] !== 'true'
    ? 'dist/index.js predates incremental chains (npm run build)'
    : false;
const show = (r: ActionRun) => `exit ${r.code}\n${r.log}`;

describe('incremental chains through the action as the runner runs it', { skip }, () => {
  test('hourly incrementals with a full backup every 3, restored and verified through the action', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'incremental_action-'));
    try {
      await mkdir(join(dir, 'data', 'sub'), { recursive: true });
      const common = {
        source: 'dir:data',
        destination: 'file:./backups',
        mode: 'incremental',
        'full-every': '3',
      };
      const states: Array<{ id: string; tree: Map<string, string> }> = [];
      for (let i = 0; i < 4; i++) {
        await writeFile(join(dir, 'data', `hour-${i}.txt`), `hour ${i}\n`.repeat(100 + i));
        await writeFile(join(dir, 'data', 'sub', 'changing.txt'), `version ${i}\n`);
        const t = new Date(Date.UTC(2026, 10, 1, i));
        await utimes(join(dir, 'data', 'sub', 'changing.txt'), t, t);
        const b = await runAction({ workspace: dir, inputs: common });
        assert.equal(b.code, 0, show(b));
        assert.equal(b.outputs['error-kind'], 'none');
        states.push({ id: b.outputs['backup-id']!, tree: await snapshotTree(join(dir, 'data')) });
        // Backup ids sort by the second they were taken in: keep them apart.
        await pastSecondOf(b.outputs['backup-id']!);
      }
      const kinds = [];
      for (const s of states) {
        const m = JSON.parse(
          await readFile(join(dir, 'backups', 'data', `${s.id}.manifest.json`), 'utf8'),
        ) as SidecarManifest;
        kinds.push([m.kind, m.chainPosition]);
      }
      assert.deepEqual(kinds, [
        ['full', 0],
        ['incremental', 1],
        ['incremental', 2],
        ['full', 0],
      ]);
      const r = await runAction({
        workspace: dir,
        inputs: {
          command: 'restore',
          destination: 'file:./backups',
          backup: states[2]!.id,
          target: 'dir:restored',
        },
      });
      assert.equal(r.code, 0, show(r));
      assert.equal(r.outputs['verified'], 'true');
      assertSameTree(await snapshotTree(join(dir, 'restored')), states[2]!.tree, 'state 2');
      assert.match(r.summary, /every link of the chain/);
      const v = await runAction({
        workspace: dir,
        inputs: { command: 'verify', destination: 'file:./backups', backup: states[2]!.id },
      });
      assert.equal(v.code, 0, show(v));
      // A damaged link: exit code and error-kind say integrity, and the link is named.
      await rm(join(dir, 'backups', 'data', `${states[1]!.id}.tar.zst`));
      const bad = await runAction({
        workspace: dir,
        inputs: {
          command: 'restore',
          destination: 'file:./backups',
          backup: states[2]!.id,
          target: 'dir:restored-again',
        },
      });
      assert.notEqual(bad.code, 0);
      assert.equal(bad.outputs['error-kind'], 'integrity');
      assert.ok(
        bad.errors.some((e) => e.message.includes(states[1]!.id)),
        show(bad),
      );
      assert.equal(existsSync(join(dir, 'restored-again')), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
