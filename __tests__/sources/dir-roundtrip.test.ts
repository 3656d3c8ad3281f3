import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceRoundTripSuite } from '../helpers/roundtrip-suite.ts';
import { listTree, makeTree } from './dir-fixture.ts';

sourceRoundTripSuite('dir', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-dir-rt-'));
  const source = join(dir, 'uploads');
  const target = join(dir, 'restored');
  await mkdir(source);
  await makeTree(source);
  await writeFile(join(source, 'scratch.tmp'), 'left out');
  return {
    source: `dir:${source}`,
    target: `dir:${target}`,
    backupFlags: ['--exclude', '*.tmp'],
    async compare() {
      const expected = (await listTree(source)).filter((n) => n.path !== 'scratch.tmp');
      assert.deepEqual(await listTree(target), expected);
    },
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
    },
  };
});
