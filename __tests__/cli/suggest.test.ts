import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, nearest } from '../../src/cli/suggest.ts';

test('edit distance counts insertions, deletions, substitutions and swaps', () => {
  assert.equal(editDistance('restore', 'restore'), 0);
  assert.equal(editDistance('restor', 'restore'), 1);
  assert.equal(editDistance('destinaton', 'destination'), 1);
  assert.equal(editDistance('lsit', 'list'), 1);
  assert.equal(editDistance('backup', 'prune'), 6);
});

test('nearest: typos and unique abbreviations match, unrelated words do not', () => {
  const commands = [
    'backup',
    'restore',
    'verify',
    'list',
    'prune',
    'status',
    'drill',
    'report',
    'demo',
  ];
  assert.equal(nearest('restor', commands), 'restore');
  assert.equal(nearest('lsit', commands), 'list');
  assert.equal(nearest('Backup', commands), 'backup');
  assert.equal(nearest('ver', commands), 'verify');
  assert.equal(nearest('explode', commands), undefined);
  assert.equal(nearest('x', commands), undefined);
  assert.equal(nearest('destinaton', ['destination', 'target']), 'destination');
  assert.equal(nearest('keep-lats', ['keep-last', 'keep-daily']), 'keep-last');
});
