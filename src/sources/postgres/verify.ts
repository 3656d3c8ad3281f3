/**
 * Verify: every dump member is read through by `pg_restore --list` (a parallel dump's segments
 * as they come), and `globals.sql` must end with pg_dumpall's end marker.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArchiveEntry, SourceManifest } from '../../archive/types.ts';
import { IntegrityError } from '../../core/errors.ts';
import type { SourceContext } from '../types.ts';
import {
  bufferOf,
  drain,
  exitText,
  peekHead,
  restoreClientFor,
  runOverBody,
  startTool,
} from './tools.ts';
import { GLOBALS_END, GLOBALS_MEMBER } from './dump.ts';
import { SegmentFeeder, classify, layoutOf } from './parallel.ts';

export async function verifyMembers(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
  ctx: SourceContext,
): Promise<void> {
  const details = manifest.details ?? {};
  const format =
    details.format === 'directory' || details.format === 'parallel' ? details.format : 'custom';
  const prefix = typeof details.member === 'string' ? details.member : undefined;
  let checkedDump = false;
  let spool: string | undefined;
  const parallel = format === 'parallel' ? layoutOf(details) : undefined;
  let feeder: SegmentFeeder | undefined;
  let ok = false;
  try {
    for await (const entry of members) {
      if (entry.type !== 'file' || !entry.body) {
        await drain(entry.body);
        continue;
      }
      if (entry.path === GLOBALS_MEMBER) {
        const text = (await bufferOf(entry.body)).toString('utf8');
        if (!text.includes(GLOBALS_END))
          throw new IntegrityError(`${GLOBALS_MEMBER} is incomplete (no end marker)`);
        continue;
      }
      const part = parallel ? classify(parallel, entry.path) : undefined;
      if (parallel && part) {
        if (part.kind === 'segment') {
          if (!feeder)
            throw new IntegrityError(`${entry.path} comes before the schema member of the backup`);
          await feeder.segment(part.worker, part.seq, entry.body);
          continue;
        }
        const { head, stream } = await peekHead(entry.body);
        const client = await restoreClientFor(manifest, ctx, head);
        const run = startTool(client, ['--list'], ctx.env, 'pipe', 'ignore', ctx);
        const r = await runOverBody(run, stream);
        if (r.code !== 0) {
          throw new IntegrityError(
            `pg_restore --list cannot read ${entry.path} (${exitText(r)}): ${run.stderr.lines(ctx)}`,
          );
        }
        feeder = new SegmentFeeder(parallel, 'pg_restore --list', () =>
          startTool(client, ['--list'], ctx.env, 'pipe', 'ignore', ctx),
        );
        continue;
      }
      const isDump =
        format === 'custom'
          ? entry.path === prefix || (!prefix && entry.path.endsWith('.pgdump'))
          : false;
      if (isDump) {
        const { head, stream } = await peekHead(entry.body);
        const client = await restoreClientFor(manifest, ctx, head);
        const run = startTool(client, ['--list'], ctx.env, 'pipe', 'ignore', ctx);
        const r = await runOverBody(run, stream);
        if (r.code !== 0) {
          throw new IntegrityError(
            `pg_restore --list cannot read ${entry.path} (${exitText(r)}): ${run.stderr.lines(ctx)}`,
          );
        }
        checkedDump = true;
        continue;
      }
      if (format === 'directory' && prefix && entry.path === `${prefix}/toc.dat`) {
        spool = await mkdtemp(join(ctx.tmpDir, 'pgverify-'));
        await pipeline(entry.body, createWriteStream(join(spool, 'toc.dat'), { mode: 0o600 }));
        const head = (await readFile(join(spool, 'toc.dat'))).subarray(0, 8);
        const client = await restoreClientFor(manifest, ctx, head);
        const run = startTool(
          client,
          ['--list', '--format=directory', spool],
          ctx.env,
          'ignore',
          'ignore',
          ctx,
        );
        const r = await run.exited;
        if (r.code !== 0) {
          throw new IntegrityError(
            `pg_restore --list cannot read ${entry.path} (${exitText(r)}): ${run.stderr.lines(ctx)}`,
          );
        }
        checkedDump = true;
        continue;
      }
      await drain(entry.body);
    }
    if (parallel) {
      if (!feeder)
        throw new IntegrityError(
          `the archive holds no schema member of the parallel dump '${parallel.folder}'`,
        );
      await feeder.finish();
      checkedDump = true;
    }
    ok = true;
  } finally {
    if (feeder && !ok) await feeder.stopped();
    if (spool) await rm(spool, { recursive: true, force: true });
  }
  if (!checkedDump)
    throw new IntegrityError(`the archive holds no PostgreSQL dump for source '${manifest.name}'`);
}
