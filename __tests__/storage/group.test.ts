import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backupGroup, backupKeys } from '../../src/engine/naming.ts';
import { checkGroup, groupNameOf } from '../../src/storage/types.ts';

test("a member key's group is the key up to the first '.' of its last segment", () => {
  assert.equal(
    groupNameOf('app/20261122T030000Z-abcdef.tar.zst.age'),
    'app/20261122T030000Z-abcdef',
  );
  assert.equal(
    groupNameOf('app/20261122T030000Z-abcdef.manifest.json'),
    'app/20261122T030000Z-abcdef',
  );
  // Dots in the set's folder do not count; a key without a suffix is its own group.
  assert.equal(
    groupNameOf('my.db/20261122T030000Z-abcdef.sha256'),
    'my.db/20261122T030000Z-abcdef',
  );
  assert.equal(groupNameOf('app/lifeboat'), 'app/lifeboat');
  assert.equal(groupNameOf('app/.hidden'), 'app/.hidden');
});

test("the engine's backup group keeps the contract: every key extends the group's name", () => {
  for (const [compression, encrypted] of [
    ['zstd', false],
    ['gzip', true],
    ['none', false],
  ] as const) {
    const keys = backupKeys('my.set', '20261122T030000Z-abcdef', compression, encrypted);
    const group = checkGroup(backupGroup('my.set', '20261122T030000Z-abcdef', keys));
    assert.equal(group.commit, keys.manifest);
    assert.deepEqual([...group.members].sort(), [keys.archive, keys.sha256, keys.sig].sort());
  }
  assert.throws(
    () =>
      checkGroup({
        name: 'app/20261122T030000Z-abcdef',
        members: ['app/other.tar.zst'],
        commit: 'app/20261122T030000Z-abcdef.manifest.json',
      }),
    /not a member key/,
  );
});
