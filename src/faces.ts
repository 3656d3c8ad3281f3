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
// With that small young generation, the stream's buffers that wait in a queue (a chunk being
// filled, the compressor's input) outlive two scavenges and are promoted; their bytes count
// towards the old generation's limit, which V8 sets only a little above the ~12 MB the process
// keeps alive, so a 188 MiB dump cost 21 full mark-compacts. Growing the limit to 3 × the
// live heap after each collection instead leaves 4 of them: a median 0.96 s of Lifeboat CPU
// for that backup instead of 1.26 s, for ~7 MB more peak RSS (six interleaved runs each). The
// limit is read at each collection, so setting it here works (--initial-old-space-size would
// not: the heap is sized before this runs).
setFlagsFromString('--heap-growing-percent=200');

export const faces = {
  action: () => import('./action/index.ts'),
  cli: () => import('./cli/index.ts'),
};
