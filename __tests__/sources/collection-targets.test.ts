import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.ts';
import { collectionTargets } from '../../src/sources/collection-targets.ts';
import { isCollectionName } from '../../src/sources/chroma/client.ts';
import { isQdrantCollectionName } from '../../src/sources/qdrant/client.ts';

const base = {
  store: 'Qdrant',
  suffix: '',
  isValid: isQdrantCollectionName,
  renameHint: 'leave the collection out',
};

test('every collection keeps its name plus the suffix; a target collection renames a backup of one', () => {
  assert.deepEqual(
    [
      ...collectionTargets({
        ...base,
        collections: [{ name: 'docs' }, { name: 'faq' }],
        targetCollection: undefined,
        suffix: '_restored',
      }),
    ],
    [
      ['docs', 'docs_restored'],
      ['faq', 'faq_restored'],
    ],
  );
  assert.deepEqual(
    [...collectionTargets({ ...base, collections: [{ name: 'docs' }], targetCollection: 'new' })],
    [['docs', 'new']],
  );
});

test('a target collection for a backup of several, or a name the store refuses: a config error naming the target', () => {
  assert.throws(
    () =>
      collectionTargets({
        ...base,
        collections: [{ name: 'a' }, { name: 'b' }],
        targetCollection: 'x',
      }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.option === 'target' &&
      /holds 2 Qdrant collections; a collection in the target URL renames a backup of one/.test(
        err.message,
      ) &&
      err.hint === 'leave the collection out',
  );
  assert.throws(
    () =>
      collectionTargets({
        ...base,
        store: 'Chroma',
        isValid: isCollectionName,
        invalidHint: 'choose another suffix',
        collections: [{ name: 'docs' }],
        targetCollection: undefined,
        suffix: '/bad',
      }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /'docs\/bad' is not a valid Chroma collection name/.test(err.message) &&
      err.hint === 'choose another suffix',
  );
});
