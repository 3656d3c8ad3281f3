// Runs the test suite on the project's own Node (npm puts node_modules/.bin first on PATH).
// `npm test` runs everything; `npm test -- __tests__/archive` runs one folder or file.
// LIFEBOAT_TEST_NODE=/path/to/node runs it on that Node instead (CI uses it for the newest
// Node 24, which the runner's own node24 follows): every test file, and every child a test
// starts with process.execPath (the action's bundle), runs on it.
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';

const node = process.env['LIFEBOAT_TEST_NODE'] || process.execPath;
const version = spawnSync(node, ['--version'], { encoding: 'utf8' });
if (version.status !== 0) {
  console.error(
    `LIFEBOAT_TEST_NODE=${node} does not run: ${version.error?.message ?? version.stderr}`,
  );
  process.exit(1);
}
console.log(`Running the tests on Node ${version.stdout.trim()} (${node})`);

const args = process.argv.slice(2);
const patterns = args.length
  ? args.map((a) => (a.endsWith('.ts') ? a : `${a.replace(/\/$/, '')}/**/*.test.ts`))
  : ['__tests__/**/*.test.ts'];
const result = spawnSync(
  node,
  // scripts/test-run.mjs: two files at a time, then the slowest files' times.
  [join(import.meta.dirname, 'test-run.mjs'), ...patterns],
  // A file that never exits (a leaked pool or child) must fail the run, not stall CI.
  {
    stdio: 'inherit',
    timeout: 45 * 60 * 1000,
    killSignal: 'SIGKILL',
    // A test that runs `node` by name gets the same Node.
    env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env['PATH'] ?? ''}` },
  },
);
if (result.error) console.error(`test run stopped: ${result.error.message}`);
console.log(`Tests ran on Node ${version.stdout.trim()}`);
process.exit(result.status ?? 1);
