// The YAML users run or copy must load where they run it: action.yml, the repository's
// workflows and every ```yaml block of the README and docs/, checked by real validators.
// How doc fragments (step lists, `with:` snippets) are checked: see yaml-checks.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  actionSchemaProblems,
  classifyBlock,
  docBlockProblems,
  extractYamlBlocks,
  lifeboatStepProblems,
  parseYaml,
  staleActionProblems,
  workflowProblems,
  type ActionInterface,
  type YamlBlock,
} from './yaml-checks.ts';

const WORKFLOWS = '.github/workflows';

async function loadAction(): Promise<{ text: string; interface: ActionInterface }> {
  const text = await readFile('action.yml', 'utf8');
  const meta = parse(text) as { inputs?: object; outputs?: object };
  return {
    text,
    interface: {
      inputs: new Set(Object.keys(meta.inputs ?? {})),
      outputs: new Set(Object.keys(meta.outputs ?? {})),
    },
  };
}

async function markdownFiles(): Promise<string[]> {
  const docs = await readdir('docs', { recursive: true });
  return ['README.md', ...docs.filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
}

async function docBlocks(): Promise<YamlBlock[]> {
  const blocks: YamlBlock[] = [];
  for (const file of await markdownFiles()) {
    blocks.push(...extractYamlBlocks(await readFile(file, 'utf8'), file));
  }
  return blocks;
}

const action = await loadAction();

describe('action.yml', () => {
  test('parses and passes the action-metadata schema', () => {
    assert.deepEqual(actionSchemaProblems(action.text), []);
  });

  test('runs on node24 from a main that exists', () => {
    const runs = (parse(action.text) as { runs: { using: string; main: string } }).runs;
    assert.equal(runs.using, 'node24');
    assert.equal(runs.main, 'dist/index.js');
    assert.ok(existsSync(runs.main), `${runs.main} is missing: run npm run build`);
  });
});

describe('.github/workflows', async () => {
  const files = (await readdir(WORKFLOWS)).filter((f) => /\.ya?ml$/.test(f));
  test('there are workflows to check', () => assert.ok(files.length > 0));
  for (const file of files) {
    test(`${file} passes the workflow schema and actionlint, with node24 majors`, async () => {
      const path = join(WORKFLOWS, file);
      const text = await readFile(path, 'utf8');
      const parsed = parseYaml(text);
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(
        [
          ...(await workflowProblems(text, path)),
          ...lifeboatStepProblems(parsed.value, action.interface),
          ...staleActionProblems(text),
        ],
        [],
      );
    });
  }
});

describe('```yaml blocks of README.md and docs/', async () => {
  const blocks = await docBlocks();
  test('the README and docs have examples to check', () => assert.ok(blocks.length >= 5));
  for (const block of blocks) {
    test(`${block.where} is valid`, async () => {
      assert.deepEqual(await docBlockProblems(block, action.interface), []);
    });
  }
});

// The checks above must catch a broken example: each bad block here fails for its reason.
describe('a broken example fails the check', () => {
  const bad = async (markdown: string) => {
    const [block] = extractYamlBlocks(markdown, 'bad.md');
    assert.ok(block, 'the block is extracted');
    return docBlockProblems(block, action.interface);
  };
  const fence = (text: string, indent = '') =>
    [
      'Intro',
      `${indent}\`\`\`yaml`,
      ...text.split('\n').map((l) => indent + l),
      `${indent}\`\`\``,
    ].join('\n');

  test('an unquoted ": " in a value does not parse', async () => {
    const problems = await bad(fence('description: Back up files: checksummed'));
    assert.match(problems.join('\n'), /yaml: .*mapping/i);
  });

  test('the same key twice does not parse (the runner rejects it too)', async () => {
    const problems = await bad(fence('destination: s3://a\ndestination: s3://b'));
    assert.match(problems.join('\n'), /yaml: .*unique/i);
  });

  test('a workflow with a misspelt job key fails the schema and actionlint', async () => {
    const problems = await bad(
      fence(
        'on: push\njobs:\n  backup:\n    runs-on: ubuntu-latest\n    step:\n      - uses: actions/checkout@v5',
      ),
    );
    assert.ok(
      problems.some((p) => p.startsWith('workflow schema:')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => /actionlint.*step/.test(p)),
      problems.join('\n'),
    );
  });

  test('an expression actionlint cannot type-check fails', async () => {
    const problems = await bad(
      fence('- uses: lifeboat-backup/lifeboat@v1\n  with:\n    source: ${{ github.nope }}', '  '),
    );
    assert.match(problems.join('\n'), /actionlint.*nope/);
  });

  test('an input action.yml does not have fails', async () => {
    const problems = await bad(fence('source: sqlite:app.db\ndestinaton: file:./backups'));
    assert.deepEqual(problems, [`'destinaton' is not an input of action.yml`]);
  });

  test('an output action.yml does not have fails', async () => {
    const problems = await bad(
      fence(
        [
          '- uses: lifeboat-backup/lifeboat@v1',
          '  id: backup',
          '  with:',
          '    source: sqlite:app.db',
          '- run: echo "${{ steps.backup.outputs.backup_id }}"',
        ].join('\n'),
      ),
    );
    assert.deepEqual(problems, [
      `'backup_id' (steps.backup.outputs) is not an output of action.yml`,
    ]);
  });

  test('an action major that still runs on node20 fails', async () => {
    const problems = await bad(
      fence('- uses: actions/checkout@v4\n- uses: actions/upload-artifact@v5'),
    );
    assert.deepEqual(problems, [
      'actions/checkout@v4 runs on node20: use @v5 or newer',
      'actions/upload-artifact@v5 runs on node20: use @v6 or newer',
    ]);
  });

  test('a block that is none of the known shapes fails', async () => {
    assert.equal(classifyBlock('just a string'), undefined);
    assert.deepEqual(await bad(fence('just a string')), [
      'not a workflow, a step list, workflow-level keys or `with:` inputs',
    ]);
    assert.match((await bad(fence('- name: no uses or run'))).join(), /neither uses: nor run:/);
  });

  test('action.yml without runs.main fails the action schema', () => {
    const problems = actionSchemaProblems(action.text.replace(/^\s+main: .*\n/m, ''));
    assert.match(problems.join('\n'), /^action schema: .*\/runs/m);
  });

  test('action.yml with a broken description fails the action schema', () => {
    const problems = actionSchemaProblems(
      action.text.replace(/^description: .*$/m, 'description: Back up files: checksummed'),
    );
    assert.match(problems.join('\n'), /^yaml: .*mapping/im);
  });
});
