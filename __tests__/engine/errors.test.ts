import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, IntegrityError, StorageError, exitCodeFor } from '../../src/core/errors.ts';
import { Redactor } from '../../src/core/log.ts';

test('exit codes follow the error kind', () => {
  assert.equal(exitCodeFor(new ConfigError('source', 'bad')), 2);
  assert.equal(exitCodeFor(new IntegrityError('bad')), 3);
  assert.equal(exitCodeFor(new StorageError('bad')), 1);
  assert.equal(exitCodeFor(new Error('x')), 1);
});

test('redactor masks a secret and its derived forms', () => {
  const r = new Redactor();
  r.add('p@ss w/rd');
  const line = `a p@ss w/rd b ${encodeURIComponent('p@ss w/rd')} c ${Buffer.from('p@ss w/rd').toString('base64')}`;
  assert.equal(r.redact(line), 'a *** b *** c ***');
});
