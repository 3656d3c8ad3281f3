// The test runner scripts/test.mjs starts (on the Node under test): node:test's run(), two
// files at a time, each in its own process, with the slowest files first.
//
// Why not `node --test <files>`: it sorts the files by name, so a long file that sorts last
// (storage/remote-memory, toolkit/keep-alive) starts when the other worker is nearly done and
// the run waits for it alone. Longest first keeps both workers busy to the end.
// The order changes nothing a test may rely on: every file must pass alone and in any order.
//
// Prints the slowest files' times at the end, to keep SLOWEST honest.
import { globSync } from 'node:fs';
import { relative } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

/**
 * The slowest files, slowest first (wall time of each file alone, `CI=true`, this repository's
 * machine, Dec 2026). Files not listed follow by name. Update from the table this prints.
 */
const SLOWEST = [
  'storage/remote-memory',
  'sources/redis',
  'incremental/crypto-chain',
  'toolkit/keep-alive',
  'storage/s3',
  'e2e/cancel',
  'e2e/cli-package',
  'sources/postgres',
  'storage/artifact',
  'storage/sftp',
  'toolkit/init',
  'toolkit/fleet',
  'storage/azblob',
  'sources/postgres-roundtrip',
  'storage/remote-cli',
  'e2e/restore-failures',
  'incremental/sqlite-chain',
  'e2e/dashboard',
  'incremental/dir-chain',
  'e2e/encryption',
  'toolkit/examples',
  'sources/qdrant',
].map((name) => `__tests__/${name}.test.ts`);

const patterns = process.argv.slice(2);
const files = [
  ...new Set(patterns.flatMap((p) => globSync(p, { exclude: ['**/node_modules/**'] }).sort())),
];
const rank = (f) => {
  const i = SLOWEST.indexOf(f);
  return i === -1 ? SLOWEST.length : i;
};
files.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
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
