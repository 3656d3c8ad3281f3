/**
 * The one bundle's entry: dist/index.js (the action) and dist/cli.js (the CLI) are one-line
 * shims that each start their own face, so both share every chunk instead of shipping two
 * bundles of the same code.
 */
import { setFlagsFromString } from 'node:v8';

// Streaming allocates short-lived objects quickly, and V8 answers by doubling its young
// generation up to tens of MB of mostly garbage: that was 35-40 MB of a backup's peak RSS
// (DESIGN §7's budget is 200 MB, #18's 128 MiB). Held at its starting size, a 200 MiB backup
// peaks ~35 MB lower and uses less CPU, not more (BENCHMARKS.md, "Memory"). Set before either
// face loads; the action cannot pass node flags (action.yml's `using: node24` runs dist/index.js
// bare), so it is set here.
setFlagsFromString('--semi-space-growth-factor=1');

export const faces = {
  action: () => import('./action/index.ts'),
  cli: () => import('./cli/index.ts'),
};
