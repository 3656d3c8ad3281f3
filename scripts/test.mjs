// Runs the test suite on the project's own Node (npm puts node_modules/.bin first on PATH).
// `npm test` runs everything; `npm test -- __tests__/archive` runs one folder or file.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const patterns = args.length
  ? args.map((a) => (a.endsWith('.ts') ? a : `${a.replace(/\/$/, '')}/**/*.test.ts`))
  : ['__tests__/**/*.test.ts'];
const result = spawnSync(
  process.execPath,
  [
    '--disable-warning=ExperimentalWarning',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=600000',
    ...patterns,
  ],
  // A file that never exits (a leaked pool or child) must fail the run, not stall CI.
  { stdio: 'inherit', timeout: 45 * 60 * 1000, killSignal: 'SIGKILL' },
);
if (result.error) console.error(`test run stopped: ${result.error.message}`);
process.exit(result.status ?? 1);
