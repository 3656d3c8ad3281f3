import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { injectOptionTable, renderActionYml } from '../../src/options/docs.ts';
import { parseOptions } from '../../src/options/parse.ts';
import { ConfigError } from '../../src/engine/errors.ts';

test('action.yml is exactly what the option schema generates (run `npm run docs`)', async () => {
  assert.equal(await readFile('action.yml', 'utf8'), renderActionYml());
});

test('README option table is exactly what the option schema generates (run `npm run docs`)', async () => {
  const readme = await readFile('README.md', 'utf8');
  assert.equal(readme, injectOptionTable(readme));
});

test('action.yml runs on node24 from dist/index.js', async () => {
  const yml = await readFile('action.yml', 'utf8');
  assert.match(yml, /using: node24/);
  assert.match(yml, /main: dist\/index\.js/);
});

test('defaults apply and lines split', () => {
  const o = parseOptions({
    source: 'sqlite:a.db\n\n  dir:./x  \n# comment',
    destination: 'file:./b',
  });
  assert.equal(o.command, 'backup');
  assert.deepEqual(o.values['source'], ['sqlite:a.db', 'dir:./x']);
  assert.equal(o.values['compression'], 'zstd');
  assert.equal(o.values['overwrite'], false);
});

for (const [name, raw, accepted] of [
  ['command', { command: 'explode' }, /backup, restore/],
  ['compression', { compression: 'lz4' }, /zstd, gzip, none/],
  ['keep-daily', { 'keep-daily': 'seven' }, /whole number/],
  ['overwrite', { overwrite: 'maybe' }, /true or false/],
] as const) {
  test(`bad ${name} raises a ConfigError naming the option and what is accepted`, () => {
    assert.throws(
      () => parseOptions(raw as Record<string, string>),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.option === name &&
        accepted.test(`${err.message} ${err.hint}`),
    );
  });
}
