import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { actionMetadata, injectOptionTable, renderActionYml } from '../../src/options/docs.ts';
import { parseOptions } from '../../src/options/parse.ts';
import { ConfigError } from '../../src/core/errors.ts';

// Compares parsed data, not text: a file that does not parse, or parses to something other
// than the schema (a stray `: ` turning a description into a mapping), fails here.
test('action.yml parses to exactly what the option schema generates (run `npm run docs`)', async () => {
  assert.deepEqual(parse(await readFile('action.yml', 'utf8')), actionMetadata());
});

test('renderActionYml round-trips through a YAML parser, whatever the descriptions hold', () => {
  const hostile = [
    'files: checksummed',
    "it's # not a comment",
    '- a list? "quoted" `code`',
    'multi\nline: yes',
    '${{ github.token }}',
    'true',
    '007',
    '',
  ];
  const metadata = actionMetadata();
  const inputs = metadata['inputs'] as Record<string, Record<string, unknown>>;
  hostile.forEach((text, i) => (inputs[`x-${i}`] = { description: text, default: text }));
  metadata['description'] = hostile.join(' ');
  assert.deepEqual(parse(renderActionYml(metadata)), metadata);
  assert.deepEqual(parse(renderActionYml()), actionMetadata());
});

test('README option table is exactly what the option schema generates (run `npm run docs`)', async () => {
  const readme = await readFile('README.md', 'utf8');
  assert.equal(readme, injectOptionTable(readme));
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

test('secret lines are masked one by one, keyword lines never', async () => {
  const { secretForms, optionSpec } = await import('../../src/options/schema.ts');
  const notify = optionSpec('notify')!;
  assert.deepEqual(secretForms(notify, 'github-issue'), []);
  const block = 'github-issue\nhttps://hooks.slack.com/services/T/B/x\n';
  assert.deepEqual(secretForms(notify, block), [block, 'https://hooks.slack.com/services/T/B/x']);
  assert.deepEqual(secretForms(optionSpec('passphrase')!, 'pw'), ['pw']);
  assert.deepEqual(secretForms(optionSpec('destination')!, 'file:x'), []);
});
