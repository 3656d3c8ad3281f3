import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseMetrics, renderMetrics, type Sample } from './prometheus.ts';

/**
 * Writes the run's samples to `path`, keeping the samples of other sets and commands already
 * there (one textfile can serve every set backed up from a machine). Written to a temporary
 * file in the same folder and renamed over the old one, so node_exporter never reads half a
 * file.
 */
export async function writeMetricsFile(
  path: string,
  samples: Sample[],
  ours: { set: string; command: string },
): Promise<void> {
  let kept: Sample[] = [];
  try {
    kept = parseMetrics(await readFile(path, 'utf8')).filter(
      (s) => s.labels['set'] !== ours.set || s.labels['command'] !== ours.command,
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // node_exporter's textfile collector reads only *.prom files: a temp name it skips.
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, renderMetrics([...kept, ...samples]), { mode: 0o644 });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
