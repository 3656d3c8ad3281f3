// Loaded with `node --import` by the bench into the Lifeboat CLI process: at exit it writes that
// process's own CPU time and peak RSS (getrusage(RUSAGE_SELF): children such as pg_dump and
// zstd are not included) to the file named by LIFEBOAT_BENCH_USAGE.
import { writeFileSync } from 'node:fs';

const out = process.env.LIFEBOAT_BENCH_USAGE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      out,
      JSON.stringify({
        cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
        maxRssKb: u.maxRSS,
      }),
    );
  });
}
