import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as core from '@actions/core';
import * as runner from '../../src/action/runner.ts';
import { createActionLogger } from '../../src/action/log.ts';
import { endPhase, startPhase } from '../../src/core/log.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  evaluateDefault,
  inputVariable,
  parseCommandLine,
  parseFileCommands,
  parseWorkflowCommands,
  readActionMetadata,
  runAction,
} from '../helpers/action-harness.ts';

test('file commands: name=value lines and name<<DELIMITER blocks, multi-line values kept', () => {
  const text = [
    'plain=one value',
    'empty=',
    'with-eq=a=b',
    'multi<<ghadelimiter_1',
    'line 1',
    '',
    'line=3',
    'ghadelimiter_1',
    'last<<EOF',
    'x',
    'EOF',
    '',
  ].join('\n');
  assert.deepEqual(parseFileCommands(text), {
    plain: 'one value',
    empty: '',
    'with-eq': 'a=b',
    multi: 'line 1\n\nline=3',
    last: 'x',
  });
});

test('file commands: an unclosed delimiter or a line without = is an error, as on the runner', () => {
  assert.throws(() => parseFileCommands('a<<EOF\nvalue\n'), /never closed/);
  assert.throws(() => parseFileCommands('no equals sign\n'), /malformed/);
});

test('file commands written by @actions/core read back exactly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-harness-'));
  const saved = process.env['GITHUB_OUTPUT'];
  try {
    const file = join(dir, 'out');
    await writeFile(file, '');
    process.env['GITHUB_OUTPUT'] = file;
    core.setOutput('single', 'v');
    core.setOutput('multi', 'a\nb=c\n\nd');
    core.setOutput('json', JSON.stringify([{ id: 'x' }]));
    assert.deepEqual(parseFileCommands(await readFile(file, 'utf8')), {
      single: 'v',
      multi: 'a\nb=c\n\nd',
      json: '[{"id":"x"}]',
    });
  } finally {
    if (saved === undefined) delete process.env['GITHUB_OUTPUT'];
    else process.env['GITHUB_OUTPUT'] = saved;
    await rm(dir, { recursive: true, force: true });
  }
});

test("the action's own runner commands write what @actions/core writes, and read back the same", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-harness-'));
  const saved = { ...process.env };
  const write = process.stdout.write.bind(process.stdout);
  let stdout = '';
  try {
    for (const [name, impl] of [
      ['core', core],
      ['runner', runner],
    ] as const) {
      const file = join(dir, name);
      await writeFile(file, '');
      process.env['GITHUB_OUTPUT'] = file;
      impl.setOutput('multi', 'a\nb=c\n\nd');
      impl.setOutput('empty', '');
      assert.deepEqual(parseFileCommands(await readFile(file, 'utf8')), {
        multi: 'a\nb=c\n\nd',
        empty: '',
      });
    }
    process.env['INPUT_KEEP-LAST'] = '  7 \n';
    assert.equal(runner.getInput('keep-last'), core.getInput('keep-last'));
    process.stdout.write = ((chunk: string) => (
      (stdout += chunk),
      true
    )) as typeof process.stdout.write;
    for (const impl of [core, runner]) {
      impl.error('100% bad\r\nnext');
      impl.startGroup('Dump a: b');
      impl.endGroup();
      impl.setSecret('s3cr3t');
    }
  } finally {
    process.stdout.write = write;
    process.exitCode = 0;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await rm(dir, { recursive: true, force: true });
  }
  const [fromCore, fromRunner] = [
    stdout.slice(0, stdout.length / 2),
    stdout.slice(stdout.length / 2),
  ];
  assert.equal(fromRunner, fromCore);
  const p = parseWorkflowCommands(fromRunner);
  assert.deepEqual(
    p.errors.map((e) => e.message),
    ['100% bad\r\nnext'],
  );
  assert.deepEqual(
    p.groups.map((g) => g.title),
    ['Dump a: b'],
  );
  assert.deepEqual(p.masks, ['s3cr3t']);
});

test('workflow commands: properties and data unescaped as the runner does', () => {
  assert.deepEqual(parseCommandLine('::error file=a%3Ab.ts,line=3::100%25 bad%0Anext'), {
    command: 'error',
    properties: { file: 'a:b.ts', line: '3' },
    message: '100% bad\nnext',
  });
  assert.deepEqual(parseCommandLine('::endgroup::'), {
    command: 'endgroup',
    properties: {},
    message: '',
  });
  assert.equal(parseCommandLine('plain :: text'), undefined);
  assert.equal(parseCommandLine(':: not a command'), undefined);
});

test('a log sorts into errors, warnings, masks, groups and masked visible lines', () => {
  const log = [
    'Lifeboat 1.0',
    '::add-mask::s3cr3t',
    '::group::Dump app (sqlite)',
    'dumping with s3cr3t',
    '::warning::slow',
    '::endgroup::',
    'between',
    '::group::Upload',
    '::group::Read back',
    'inside',
    '::endgroup::',
    '::stop-commands::tok',
    '::error::not a command while stopped',
    '::tok::',
    '::error::failed: s3cr3t',
    '::debug::detail',
    '',
  ].join('\n');
  const p = parseWorkflowCommands(log);
  assert.deepEqual(
    p.errors.map((e) => e.message),
    ['failed: s3cr3t'],
  );
  assert.deepEqual(
    p.warnings.map((e) => e.message),
    ['slow'],
  );
  assert.deepEqual(p.masks, ['s3cr3t']);
  assert.deepEqual(p.debug, ['detail']);
  assert.deepEqual(
    p.groups.map((g) => [g.title, g.lines]),
    [
      ['Dump app (sqlite)', ['dumping with ***']],
      ['Upload', []],
      ['Read back', ['inside']],
    ],
  );
  assert.deepEqual(p.lines, [
    'Lifeboat 1.0',
    'dumping with ***',
    'between',
    'inside',
    '::error::not a command while stopped',
  ]);
});

test('inputs become INPUT_<NAME> with dashes kept and spaces as underscores', () => {
  assert.equal(inputVariable('keep-last'), 'INPUT_KEEP-LAST');
  assert.equal(inputVariable('my input'), 'INPUT_MY_INPUT');
  assert.equal(evaluateDefault('${{ github.token }}', { token: 't' }), 't');
  assert.equal(evaluateDefault(undefined, {}), '');
  assert.equal(evaluateDefault(false, {}), 'false');
  assert.throws(() => evaluateDefault('${{ secrets.X }}', {}), /cannot evaluate/);
});

test("action.yml parses as YAML and declares a node24 main that exists, every output and input's default", async () => {
  const meta = await readActionMetadata();
  assert.equal(meta.runs.using, 'node24');
  assert.equal(meta.runs.main, 'dist/index.js');
  assert.equal(meta.inputs['command']?.default, 'backup');
  assert.ok('error-kind' in meta.outputs, 'error-kind output declared');
});

test('the harness passes defaults, the runner files and the workspace to runs.main', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-harness-'));
  try {
    // A stand-in action that echoes what it was given through the runner's own channels.
    await writeFile(
      join(dir, 'action.yml'),
      [
        'name: probe',
        'inputs:',
        '  keep-last: { default: "7" }',
        '  token: { default: "${{ github.token }}" }',
        '  given: {}',
        'runs: { using: node24, main: probe.mjs }',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'probe.mjs'),
      `import { appendFileSync, statSync } from 'node:fs';
const e = process.env;
const out = (k, v) => appendFileSync(e.GITHUB_OUTPUT, k + '<<EOF\\n' + v + '\\nEOF\\n');
out('keep-last', e['INPUT_KEEP-LAST']);
out('token', e.INPUT_TOKEN);
out('given', e.INPUT_GIVEN);
out('cwd', process.cwd());
out('workspace', e.GITHUB_WORKSPACE);
out('actions', e.GITHUB_ACTIONS);
out('temp-is-dir', String(statSync(e.RUNNER_TEMP).isDirectory()));
appendFileSync(e.GITHUB_STEP_SUMMARY, '## hello\\n');
appendFileSync(e.GITHUB_ENV, 'FOO=bar\\n');
appendFileSync(e.GITHUB_STATE, 'pid=1\\n');
appendFileSync(e.GITHUB_PATH, '/opt/x\\n');
console.log('::warning::w');
process.exitCode = 3;
`,
    );
    const r = await runAction({
      workspace: dir,
      actionYml: join(dir, 'action.yml'),
      inputs: { given: 'multi\nline' },
    });
    assert.equal(r.code, 3);
    assert.equal(r.outputs['keep-last'], '7');
    assert.match(r.outputs['token']!, /^ghs_/);
    assert.equal(r.outputs['given'], 'multi\nline');
    assert.equal(r.outputs['cwd'], dir);
    assert.equal(r.outputs['workspace'], dir);
    assert.equal(r.outputs['actions'], 'true');
    assert.equal(r.outputs['temp-is-dir'], 'true');
    assert.equal(r.summary, '## hello\n');
    assert.deepEqual(r.env, { FOO: 'bar' });
    assert.deepEqual(r.state, { pid: '1' });
    assert.deepEqual(r.path, ['/opt/x']);
    assert.deepEqual(
      r.warnings.map((w) => w.message),
      ['w'],
    );
    await assert.rejects(
      runAction({ workspace: dir, actionYml: join(dir, 'action.yml'), inputs: { nope: 'x' } }),
      /'nope' is not declared/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the action's logger: a new phase ends the open group, and closing twice emits one endgroup", () => {
  const write = process.stdout.write.bind(process.stdout);
  let stdout = '';
  process.stdout.write = ((chunk: string) => (
    (stdout += chunk),
    true
  )) as typeof process.stdout.write;
  try {
    const log = createActionLogger();
    startPhase(log, 'Dump a (dir)');
    log.info('reading');
    startPhase(log, 'Set up pg_dump 17');
    endPhase(log);
    log.closeGroup();
    log.error('failed');
  } finally {
    process.stdout.write = write;
  }
  const p = parseWorkflowCommands(stdout);
  assert.deepEqual(
    p.groups.map((g) => [g.title, g.lines]),
    [
      ['Dump a (dir)', ['reading']],
      ['Set up pg_dump 17', []],
    ],
  );
  assert.equal(p.commands.filter((c) => c.command === 'endgroup').length, 2);
  assert.deepEqual(
    p.errors.map((e) => e.message),
    ['failed'],
  );
});
