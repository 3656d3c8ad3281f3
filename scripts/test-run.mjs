// The test runner scripts/test.mjs starts (on the Node under test): node:test's run(), two
// files at a time in name order, each in its own process, as `node --test` does; it also
// prints the slowest files' times at the end, so a file that grows slow is seen.
//
// (Longest-first ordering was tried: on the measured per-file times, name order already
// keeps both workers busy to within a second of the ideal, so it bought nothing.)
import { globSync } from 'node:fs';
import { relative } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const patterns = process.argv.slice(2);
const files = [
  ...new Set(patterns.flatMap((p) => globSync(p, { exclude: ['**/node_modules/**'] }))),
].sort();
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
  console.log('\nSeconds per file, slowest first:');
  for (const [f, s] of times.slice(0, 25)) console.log(`${s.toFixed(1).padStart(7)}  ${f}`);
  process.exitCode = failed ? 1 : 0;
});
