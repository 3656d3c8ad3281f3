import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { runAction, type ActionRun } from '../helpers/action-harness.ts';

const ACTION = resolve('dist/index.js');

/** A workspace holding a small folder of files, backed up as `dir:data` (set name `data`). */
async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-action-'));
  await mkdir(join(dir, 'data', 'sub'), { recursive: true });
  await writeFile(join(dir, 'data', 'a.txt'), 'alpha\n');
  await writeFile(join(dir, 'data', 'sub', 'b.txt'), 'beta\n'.repeat(1000));
  return dir;
}

const titles = (r: ActionRun) => r.groups.map((g) => g.title);
const show = (r: ActionRun) => `exit ${r.code}\n${r.log}`;

async function backupIds(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'backups', 'data')))
    .filter((f) => f.endsWith('.manifest.json'))
    .map((f) => f.replace('.manifest.json', ''))
    .sort();
}

describe(
  'the action as the runner runs it (action.yml → runs.main)',
  { skip: !existsSync(ACTION) && 'dist/index.js not built (npm run build)' },
  () => {
    test('backup sets every output, folds each phase into a group and writes the job summary; restore brings the data back', async () => {
      const dir = await workspace();
      try {
        const b = await runAction({
          workspace: dir,
          inputs: { source: 'dir:data', destination: 'file:./backups', 'keep-last': '3' },
        });
        assert.equal(b.code, 0, show(b));
        assert.equal(b.outputs['error-kind'], 'none');
        assert.match(b.outputs['backup-id'] ?? '', /^\d{8}T\d{6}Z-[a-z2-7]{6}$/);
        assert.match(b.outputs['sha256'] ?? '', /^[0-9a-f]{64}$/);
        assert.ok(Number(b.outputs['size']) > 0);
        assert.ok(Number(b.outputs['duration-ms']) >= 0);
        assert.equal(b.outputs['verified'], 'true');
        assert.equal(b.outputs['kept'], '1');
        assert.match(b.outputs['location'] ?? '', /data\/\d{8}T.*\.tar\.zst$/);
        assert.deepEqual(titles(b), [
          'Dump dir (dir), streaming to storage',
          `Upload to file:${dir}/backups`,
          `Read back data/${b.outputs['backup-id']}.tar.zst from file:${dir}/backups`,
          `Retention on file:${dir}/backups`,
        ]);
        // The runner's workflow file is not checked out here: freshness is skipped quietly.
        assert.deepEqual(b.errors, []);
        assert.deepEqual(b.warnings, [], show(b));
        assert.ok(b.lines.some((l) => /freshness not checked: .*not checked out/.test(l)));
        assert.match(b.summary, /Lifeboat backup: ✅ succeeded/);
        assert.match(b.summary, /### Sources/);
        assert.ok(b.summary.includes(b.outputs['sha256']!));

        const r = await runAction({
          workspace: dir,
          inputs: {
            command: 'restore',
            destination: 'file:./backups',
            backup: b.outputs['backup-id']!,
            target: 'dir:restored',
          },
        });
        assert.equal(r.code, 0, show(r));
        assert.equal(r.outputs['error-kind'], 'none');
        assert.equal(r.outputs['verified'], 'true');
        assert.deepEqual(titles(r), [
          `Verify data/${b.outputs['backup-id']} while staging every source; no target is touched until it is proven`,
          'Restore dir (dir) into dir:restored',
        ]);
        assert.match(r.summary, /### Restored/);
        assert.match(
          r.summary,
          /\| dir \| dir \| .*restored \| 2 files; matches the backup's inventory \|/,
        );
        assert.match(r.summary, /### What was proven/);
        assert.match(
          r.summary,
          /the \.sha256 sidecar agrees with the manifest, and the stored object's size .* and sha256 match it/,
        );
        assert.match(r.summary, /every chunk's sha256 \(2 chunks\)/);
        assert.match(r.summary, /no target was touched before all of the above/);
        assert.match(
          r.summary,
          /### Read from\n\n.*\n.*\n\| file:.*\/backups \| data\/.*\.tar\.zst \| size, sha256 and every chunk match the manifest \|/,
        );
        assert.equal(await readFile(join(dir, 'restored', 'a.txt'), 'utf8'), 'alpha\n');
        assert.equal(
          await readFile(join(dir, 'restored', 'sub', 'b.txt'), 'utf8'),
          'beta\n'.repeat(1000),
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('every command loads and runs from action.yml, drill included', async () => {
      const dir = await workspace();
      try {
        const common = { destination: 'file:./backups' };
        const backup = await runAction({
          workspace: dir,
          inputs: { ...common, command: 'backup', source: 'dir:data' },
        });
        assert.equal(backup.code, 0, show(backup));
        const id = backup.outputs['backup-id']!;

        const list = await runAction({ workspace: dir, inputs: { ...common, command: 'list' } });
        assert.equal(list.code, 0, show(list));
        assert.equal(list.outputs['count'], '1');
        assert.equal((JSON.parse(list.outputs['backups']!) as Array<{ id: string }>)[0]!.id, id);
        assert.equal(list.outputs['error-kind'], 'none');
        assert.deepEqual(list.warnings, [], 'every input at its default: nothing to warn about');
        const listKeep = await runAction({
          workspace: dir,
          inputs: { ...common, command: 'list', 'keep-daily': '7' },
        });
        assert.equal(listKeep.code, 0, show(listKeep));
        assert.deepEqual(
          listKeep.warnings.map((w) => w.message),
          [
            "the keep-daily input has no effect on 'list' (read by backup, prune, report); remove it from this step",
          ],
        );

        const verify = await runAction({
          workspace: dir,
          inputs: { ...common, command: 'verify' },
        });
        assert.equal(verify.code, 0, show(verify));
        assert.equal(verify.outputs['verified'], 'true');
        assert.deepEqual(titles(verify), [`Verify data/${id} on file:${dir}/backups`]);
        assert.match(verify.summary, /every chunk's sha256/);

        const restore = await runAction({
          workspace: dir,
          inputs: { ...common, command: 'restore', target: 'dir:copy' },
        });
        assert.equal(restore.code, 0, show(restore));
        assert.equal(restore.outputs['backup-id'], id);

        const prune = await runAction({
          workspace: dir,
          inputs: { ...common, command: 'prune', 'keep-last': '1', 'dry-run': 'true' },
        });
        assert.equal(prune.code, 0, show(prune));
        assert.equal(prune.outputs['kept'], '1');
        assert.equal(prune.outputs['removed'], '0');

        const status = await runAction({
          workspace: dir,
          inputs: { ...common, command: 'status', schedule: '0 * * * *' },
        });
        assert.equal(status.code, 0, show(status));
        assert.equal(status.outputs['fresh'], 'true');
        assert.deepEqual(titles(status), [`Freshness on file:${dir}/backups`]);

        const drill = await runAction({
          workspace: dir,
          inputs: { ...common, command: 'drill', target: 'dir:scratch', assert: 'files >= 2' },
        });
        assert.equal(drill.code, 0, show(drill));
        assert.equal(drill.outputs['drill-ok'], 'true');
        assert.equal(drill.outputs['backup-id'], id);
        assert.match(drill.outputs['rto-ms'] ?? '', /^\d+$/);
        assert.match(drill.summary, /### Drill: data\//);
        assert.match(drill.summary, /\| assert files >= 2 \| passed \| 2 files satisfies >= 2 \|/);
        assert.equal(existsSync(join(dir, 'scratch')), false, 'the scratch copy was removed');
        assert.ok(existsSync(join(dir, 'backups', 'data', `${id}.drill.json`)));

        for (const r of [backup, list, verify, restore, prune, status, drill])
          assert.deepEqual(r.errors, [], show(r));
        assert.deepEqual(await backupIds(dir), [id]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a failing run ends in one ::error::, error-kind operational, still writes the summary, and masks secrets', async () => {
      const dir = await workspace();
      try {
        const secret = 'Sup3r-Secret-Pa55';
        // A file where the destination needs a folder: the upload fails, not the input.
        await writeFile(join(dir, 'blocker'), 'not a folder\n');
        const r = await runAction({
          workspace: dir,
          inputs: {
            source: 'dir:data',
            destination: 'file:./blocker/backups',
            'sftp-password': secret,
          },
        });
        assert.equal(r.code, 1, show(r));
        assert.equal(r.errors.length, 1, show(r));
        assert.match(r.errors[0]!.message, /^1 of 1 destination\(s\) failed: .*ENOTDIR/);
        assert.match(r.errors[0]!.message, /fix: a file stands where/);
        assert.equal(r.outputs['error-kind'], 'operational');
        assert.equal(r.outputs['backup-id'] !== undefined, true);
        assert.equal(r.outputs['sha256'], undefined);
        assert.ok(r.masks.includes(secret));
        assert.equal(r.log.replace(`::add-mask::${secret}`, '').includes(secret), false);
        assert.equal(r.summary.includes(secret), false);
        assert.match(r.summary, /Lifeboat backup: ❌ failed/);
        assert.match(r.summary, /\| failed: could not write/);
        assert.equal(await readFile(join(dir, 'blocker'), 'utf8'), 'not a folder\n');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('fan-out with one broken destination: one ::error:: naming it, the other keeps a complete backup', async () => {
      const dir = await workspace();
      try {
        await writeFile(join(dir, 'blocker'), 'not a folder\n');
        const r = await runAction({
          workspace: dir,
          inputs: { source: 'dir:data', destination: 'file:./backups\nfile:./blocker/backups' },
        });
        assert.equal(r.code, 1, show(r));
        assert.equal(r.outputs['error-kind'], 'operational');
        assert.equal(r.errors.length, 1, show(r));
        assert.match(
          r.errors[0]!.message,
          /^1 of 2 destination\(s\) failed: file:.*blocker\/backups: /,
        );
        const upload = r.groups.find((g) => g.title.startsWith('Upload to'));
        assert.ok(
          upload?.lines.some((l) => /backups received .*, sha256 [0-9a-f]{64}$/.test(l)),
          show(r),
        );
        assert.equal((await backupIds(dir)).length, 1);
        const v = await runAction({
          workspace: dir,
          inputs: { command: 'verify', destination: 'file:./backups' },
        });
        assert.equal(v.code, 0, show(v));
        assert.equal(await readFile(join(dir, 'blocker'), 'utf8'), 'not a folder\n');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a bad input fails before any work with one message naming the input, error-kind config', async () => {
      const dir = await workspace();
      try {
        const r = await runAction({
          workspace: dir,
          inputs: {
            command: 'backup',
            source: 'dir:data',
            destination: 'file:./b',
            compression: 'brotli',
          },
        });
        assert.equal(r.code, 1);
        assert.equal(r.errors.length, 1, show(r));
        assert.match(r.errors[0]!.message, /^compression: unknown value 'brotli'/);
        assert.equal(r.outputs['error-kind'], 'config');
        assert.deepEqual(r.groups, []);
        assert.equal(existsSync(join(dir, 'b')), false);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a tampered archive fails verify with error-kind integrity and one ::error::', async () => {
      const dir = await workspace();
      try {
        const b = await runAction({
          workspace: dir,
          inputs: { source: 'dir:data', destination: 'file:./backups' },
        });
        assert.equal(b.code, 0, show(b));
        const archive = join(dir, 'backups', 'data', `${b.outputs['backup-id']}.tar.zst`);
        const bytes = await readFile(archive);
        bytes[bytes.length >> 1]! ^= 0xff;
        await writeFile(archive, bytes);
        const v = await runAction({
          workspace: dir,
          inputs: { command: 'verify', destination: 'file:./backups' },
        });
        assert.equal(v.code, 1, show(v));
        assert.equal(v.outputs['error-kind'], 'integrity');
        assert.equal(v.errors.length, 1, show(v));
        assert.match(v.errors[0]!.message, /corrupt|sha256/);
        assert.equal(v.outputs['verified'], undefined);
        assert.match(v.summary, /Lifeboat verify: ❌ failed/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a stale status fails with exactly one ::error:: and says when a backup was expected', async () => {
      const dir = await workspace();
      try {
        await mkdir(join(dir, 'backups', 'data'), { recursive: true });
        const b = await runAction({
          workspace: dir,
          inputs: { source: 'dir:data', destination: 'file:./backups' },
        });
        assert.equal(b.code, 0, show(b));
        // Age the backup by rewriting its time: three days old against a daily schedule.
        const manifestPath = join(
          dir,
          'backups',
          'data',
          `${b.outputs['backup-id']}.manifest.json`,
        );
        const m = JSON.parse(await readFile(manifestPath, 'utf8')) as { createdAt: string };
        m.createdAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
        await writeFile(manifestPath, JSON.stringify(m));
        const s = await runAction({
          workspace: dir,
          inputs: { command: 'status', destination: 'file:./backups', schedule: '0 3 * * *' },
        });
        assert.equal(s.code, 1, show(s));
        assert.equal(s.outputs['fresh'], 'false');
        assert.equal(s.outputs['error-kind'], 'operational');
        assert.equal(s.errors.length, 1, show(s));
        assert.match(s.errors[0]!.message, /^Stale: newest verified backup is 3 d old/);
        assert.deepEqual(s.warnings, []);
        assert.match(s.summary, /\| verdict \| \*\*stale\*\* \|/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('with verify-after-backup false, status and prune count store-confirmed backups (one rule)', async () => {
      const dir = await workspace();
      try {
        // An older backup that was read back, then a newer one that was not: retention counts
        // the unread newer one as confirmed too, so keep-last 1 keeps only it (a rule of "read
        // back only" would also keep the older one as the newest verified backup). Ids sort
        // by time, so the older one is simply made first.
        const older = await runAction({
          workspace: dir,
          inputs: { source: 'dir:data', destination: 'file:./backups' },
        });
        assert.equal(older.code, 0, show(older));
        // Ids name the second a backup started: the next one starts in a later second.
        await delay(1000 - (Date.now() % 1000) + 5);
        const unread = await runAction({
          workspace: dir,
          inputs: {
            source: 'dir:data',
            destination: 'file:./backups',
            'verify-after-backup': 'false',
          },
        });
        assert.equal(unread.code, 0, show(unread));
        assert.equal(unread.outputs['verified'], 'false');
        assert.ok(!titles(unread).some((t) => t.startsWith('Read back')));
        assert.match(unread.summary, /confirmed at upload \(not read back\)/);
        const unreadId = unread.outputs['backup-id']!;
        assert.ok(older.outputs['backup-id']! < unreadId, 'ids sort by time');

        const status = await runAction({
          workspace: dir,
          inputs: { command: 'status', destination: 'file:./backups', schedule: '*/5 * * * *' },
        });
        assert.equal(status.code, 0, show(status));
        assert.equal(status.outputs['fresh'], 'true');
        assert.match(status.summary, new RegExp(`${unreadId}.*confirmed by the store at upload`));

        const prune = await runAction({
          workspace: dir,
          inputs: { command: 'prune', destination: 'file:./backups', 'keep-last': '1' },
        });
        assert.equal(prune.code, 0, show(prune));
        assert.equal(prune.outputs['removed'], '1');
        assert.deepEqual(await backupIds(dir), [unreadId]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test("a backup in a checked-out workflow checks freshness against the workflow's own schedule", async () => {
      const dir = await workspace();
      try {
        await mkdir(join(dir, '.github', 'workflows'), { recursive: true });
        await writeFile(
          join(dir, '.github', 'workflows', 'backup.yml'),
          "on:\n  schedule:\n    - cron: '17 3 * * *'\njobs: {}\n",
        );
        const b = await runAction({
          workspace: dir,
          inputs: { source: 'dir:data', destination: 'file:./backups' },
        });
        assert.equal(b.code, 0, show(b));
        assert.equal(b.outputs['fresh'], 'true');
        assert.ok(titles(b).includes(`Freshness on file:${dir}/backups`), show(b));
        assert.deepEqual(b.warnings, []);
        assert.match(b.summary, /\| schedule \| `17 3 \* \* \*` \|/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
