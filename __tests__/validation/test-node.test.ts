// scripts/test.mjs with LIFEBOAT_TEST_NODE is how CI runs the end-to-end tests on the newest
// Node 24: it must run on the Node it is given, say which, and fail when a test fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function runTests(body: string, node: string) {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-test-node-'));
  try {
    const file = join(dir, 'probe.test.ts');
    await writeFile(
      file,
      `import { test } from 'node:test';\ntest('probe', () => { console.log('ran on', process.version); ${body} });\n`,
    );
    // Without NODE_TEST_CONTEXT, which would make the inner run think it is nested and skip.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const r = spawnSync(process.execPath, ['scripts/test.mjs', file], {
      encoding: 'utf8',
      env: { ...env, LIFEBOAT_TEST_NODE: node },
    });
    return { code: r.status, out: r.stdout + r.stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('runs the tests on the given Node and prints its version', async () => {
  const r = await runTests('', process.execPath);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, new RegExp(`Running the tests on Node ${process.version} \\(`));
  assert.match(r.out, new RegExp(`ran on ${process.version}`));
  assert.match(r.out, new RegExp(`Tests ran on Node ${process.version}`));
});

test('a failing test fails the run', async () => {
  const r = await runTests("throw new Error('broken on this Node');", process.execPath);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /broken on this Node/);
});

test('a Node that does not run fails the run before any test', async () => {
  const r = await runTests('', '/nonexistent/node');
  assert.equal(r.code, 1);
  assert.match(r.out, /LIFEBOAT_TEST_NODE=\/nonexistent\/node does not run/);
  assert.doesNotMatch(r.out, /ran on/);
});
