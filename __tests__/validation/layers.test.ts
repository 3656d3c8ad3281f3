// DESIGN §4's layers are a lint rule, not a convention: these imports must fail `npm run lint`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

const cases: Array<[string, string, RegExp]> = [
  [
    'src/sources/example.ts',
    "import { runCommand } from '../engine/run.ts';",
    /Nothing below engine\/ imports engine\//,
  ],
  [
    'src/storage/example.ts',
    "import { backupSetName } from '../engine/backup.ts';",
    /Nothing below engine\/ imports engine\//,
  ],
  [
    'src/report/example.ts',
    "import * as core from '@actions/core';",
    /Only src\/action and the artifact backend may import @actions/,
  ],
  [
    'src/core/example.ts',
    "import { OPTIONS } from '../options/schema.ts';",
    /core\/ is the bottom layer/,
  ],
  ['src/engine/example.ts', "import { run } from '../action/main.ts';", /Only the faces/],
  // The schema loads every driver's options.ts at start-up: nothing heavy may come with it.
  [
    'src/sources/example/options.ts',
    "import pg from 'pg';",
    /A driver's options.ts is loaded at every start-up/,
  ],
  [
    'src/storage/example/options.ts',
    "import { s3Storage } from '../s3.ts';",
    /A driver's options.ts is loaded at every start-up/,
  ],
  // The schema imports the registries: a driver importing the schema's code would be a cycle.
  [
    'src/sources/example.ts',
    "import { OPTIONS } from '../options/schema.ts';",
    /import only types from src\/options/,
  ],
  ['src/cli/example.ts', "import { run } from '../action/main.ts';", /does not import the action/],
];

for (const [file, code, message] of cases) {
  test(`lint refuses in ${file}: ${code}`, async () => {
    const found = await problems(file, `${code}\nexport const used = 1;\n`);
    assert.ok(
      found.some((m) => message.test(m)),
      `expected ${message}, got ${found.join('; ') || 'no problem'}`,
    );
  });
}

test('the layers as they are pass: a part imports the kernel, the engine imports the parts', async () => {
  assert.deepEqual(
    await problems(
      'src/sources/example.ts',
      "import { ConfigError } from '../core/errors.ts';\nexport const e = ConfigError;\n",
    ),
    [],
  );
  assert.deepEqual(
    await problems(
      'src/engine/example.ts',
      "import { pgDriver } from '../sources/postgres/index.ts';\nexport const d = pgDriver;\n",
    ),
    [],
  );
  assert.deepEqual(
    await problems(
      'src/sources/example/options.ts',
      "import type { OptionSpec } from '../../core/option-spec.ts';\n" +
        "import { collectionSuffixOption } from '../chroma/options.ts';\n" +
        'export const o = [collectionSuffixOption] satisfies OptionSpec[];\n',
    ),
    [],
  );
  assert.deepEqual(
    await problems(
      'src/storage/example.ts',
      "import type { OptionValues } from '../options/schema.ts';\nexport type V = OptionValues;\n",
    ),
    [],
  );
});
