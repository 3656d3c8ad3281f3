// The test runner scripts/test.mjs starts (on the Node under test): node:test's run(), two
// files at a time, each in its own process, the longest first when their times are known.
//
// Why not `node --test <files>`: it runs the files in name order, so whichever long file sorts
// late starts when the other worker is nearly done, and the run waits for it alone. Each run
// records every file's time (node_modules/.cache/lifeboat/test-times.json, machine-local, not
// committed); the next run starts the longest first and the new files (no time yet) before
// them. With no record (a fresh clone, CI) the order is by name, as before.
// The order changes nothing a test may rely on: every file must pass alone and in any order.
//
// Prints the slowest files' times at the end.
import { globSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const TIMES = 'node_modules/.cache/lifeboat/test-times.json';
let known = {};
try {
  known = JSON.parse(readFileSync(TIMES, 'utf8'));
} catch {
  // no record yet: name order
}

const patterns = process.argv.slice(2);
const files = [
  ...new Set(patterns.flatMap((p) => globSync(p, { exclude: ['**/node_modules/**'] }).sort())),
];
const time = (f) => known[f] ?? Infinity;
files.sort((a, b) => time(b) - time(a) || (a < b ? -1 : a > b ? 1 : 0));
if (!files.length) {
  console.error(`no test files match ${patterns.join(' ')}`);
  process.exit(1);
}

// Each file's own time: node:test reports every file as a test named by its path.
const times = [];
let failed = false;
const stream = run({
  files,
  concurrency: 2,
  timeout: 600_000,
  execArgv: ['--disable-warning=ExperimentalWarning'],
});
stream.on('test:fail', () => (failed = true));
stream.on('test:complete', (data) => {
  if (data.file && data.nesting === 0 && data.name === relative(process.cwd(), data.file))
    times.push([data.name, (data.details?.duration_ms ?? 0) / 1000]);
});
stream.compose(spec).pipe(process.stdout);
stream.once('end', () => {
  times.sort((a, b) => b[1] - a[1]);
  try {
    mkdirSync(dirname(TIMES), { recursive: true });
    writeFileSync(TIMES, JSON.stringify({ ...known, ...Object.fromEntries(times) }, null, 1));
  } catch (err) {
    console.log(`(the test times were not recorded: ${err.message})`);
  }
  console.log('\nSeconds per file, slowest first:');
  for (const [f, s] of times.slice(0, 25)) console.log(`${s.toFixed(1).padStart(7)}  ${f}`);
  process.exitCode = failed ? 1 : 0;
});
