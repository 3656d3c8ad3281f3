#!/usr/bin/env node
import { quietExperimentalSqliteWarning } from '../core/warnings.ts';

quietExperimentalSqliteWarning();
const { main } = await import('./main.ts');
const { cancelOnSignals } = await import('../core/cancel.ts');
// On a terminal the line first erases the live progress line it would otherwise run into.
const erase = process.stderr.isTTY ? '\r\x1b[K' : '';
const cancellation = cancelOnSignals((line) => process.stderr.write(`${erase}${line}\n`));
const stdout = process.stdout.write.bind(process.stdout);
if (process.argv.includes('--json')) {
  // Libraries (the artifact client) print progress to stdout; with --json it must hold only JSON.
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
}
process.exitCode = await main(process.argv.slice(2), {
  stdout: (t) => stdout(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  stderrIsTTY: process.stderr.isTTY,
  columns: () => process.stderr.columns || 80,
  signal: cancellation.signal,
  ...(process.stdin.isTTY && process.stderr.isTTY
    ? {
        prompt: async (question: string) => {
          const { createInterface } = await import('node:readline/promises');
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return (await rl.question(question)).trim();
          } finally {
            rl.close();
          }
        },
      }
    : {}),
});
cancellation.dispose();
