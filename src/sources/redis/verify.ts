/** Checks without a server: the RDB's CRC-64 (and redis-check-rdb when present), each logical record. */
import { startProcess } from '../../core/process.ts';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveEntry, SourceManifest } from '../../archive/types.ts';
import { IntegrityError } from '../../core/errors.ts';
import { DumpPayloadCheck, RdbStreamCheck, STREAM_PAYLOAD_ABOVE, readLogical } from './format.ts';
import type { SourceContext } from '../types.ts';
import { inventoryFrom } from './inventory.ts';
import type { TypeCounts } from './inventory.ts';
import { LOGICAL_MEMBER, RDB_MEMBER } from './url.ts';
import { detailsOf } from '../types.ts';

/** A tool on PATH (or undefined). */
async function findTool(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      const s = await stat(p);
      if (s.isFile() && s.mode & 0o111) return p;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Runs `redis-check-rdb /dev/stdin` fed by the caller; resolves to its verdict. */
function startRdbCheck(tool: string, env: NodeJS.ProcessEnv) {
  // Node gives a child a socket, not a pipe, as stdin, and /dev/stdin cannot open a socket:
  // `cat` turns it into a real pipe. The tool path travels as $0, never through the shell's parser.
  // No abort signal here: abort() below, which every failed or cancelled stream reaches, ends it.
  const run = startProcess({
    tool: 'redis-check-rdb',
    command: 'sh',
    args: ['-c', 'cat | "$0" /dev/stdin', tool],
    env: { PATH: env.PATH ?? process.env.PATH ?? '' },
    stdin: 'pipe',
    stdout: 'pipe',
  });
  const stdin = run.stdin!;
  let output = '';
  run.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const done = run.exited.then((status) => ({
    ok: status.code === 0,
    output: status.spawnError ? status.spawnError.message : `${output}\n${run.stderrTail()}`,
  }));
  return {
    async write(chunk: Buffer) {
      if (stdin.destroyed || !run.running) return;
      if (!stdin.write(chunk)) await Promise.race([once(stdin, 'drain'), done]);
    },
    async finish() {
      stdin.end();
      return done;
    },
    abort() {
      // Closing its input ends `cat`, then the checker; killing `sh` would leave both running.
      stdin.destroy();
    },
  };
}

/** Streams an RDB (or any bytes) through the CRC check and redis-check-rdb; throws when either objects. */
export async function* checkedRdb(
  source: AsyncIterable<Buffer>,
  ctx: SourceContext,
  onDone: (facts: { size: number; version: number | undefined; checker: string }) => void,
  makeError: (msg: string) => Error,
): AsyncGenerator<Buffer> {
  const check = new RdbStreamCheck();
  const tool = await findTool('redis-check-rdb', ctx.env);
  const ext = tool ? startRdbCheck(tool, ctx.env) : undefined;
  let finished = false;
  try {
    for await (const chunk of source) {
      check.update(chunk);
      if (ext) await ext.write(chunk);
      yield chunk;
    }
    const verdict = check.finish();
    if (verdict.problems.length)
      throw makeError(`the RDB snapshot is not whole: ${verdict.problems.join('; ')}`);
    if (!verdict.checksummed)
      ctx.log.warn('redis: the server writes RDB files without checksums (rdbchecksum no)');
    if (ext) {
      const r = await ext.finish();
      finished = true;
      if (!r.ok)
        throw makeError(
          `redis-check-rdb rejected the snapshot: ${r.output.trim().split('\n').slice(-3).join(' | ')}`,
        );
    } else
      ctx.log.debug(
        'redis: redis-check-rdb not found; checked the RDB magic, EOF marker and CRC-64 only',
      );
  } finally {
    // A failed or abandoned stream must not leave the checker waiting on its input.
    if (!finished) ext?.abort();
  }
  onDone({
    size: check.size,
    version: check.version,
    checker: tool ? 'redis-check-rdb + crc64' : 'crc64',
  });
}

/**
 * Reads a logical key stream to the end: every DUMP payload's CRC-64 checked and the keys
 * counted by type against the manifest. Returns the number of keys. A large payload is
 * checked as its pieces pass, never held whole.
 */
export async function checkLogical(
  body: AsyncIterable<Buffer | string>,
  manifest: SourceManifest,
): Promise<number> {
  const byDb = new Map<number, TypeCounts>();
  let types: TypeCounts | undefined;
  let keys = 0;
  try {
    for await (const rec of readLogical(body, { streamAbove: STREAM_PAYLOAD_ABOVE })) {
      if (rec.tag === 'select') byDb.set(rec.db, (types = {}));
      else if (rec.tag === 'key') {
        if (!types) throw new Error('a key record comes before any select record');
        const check = new DumpPayloadCheck();
        for await (const piece of rec.pieces) check.update(piece);
        const problem = check.finish();
        if (problem) throw new Error(`key ${JSON.stringify(rec.key.toString('utf8'))}: ${problem}`);
        types[rec.type] = (types[rec.type] ?? 0) + 1;
        keys++;
      }
    }
  } catch (err) {
    throw new IntegrityError(`redis: ${LOGICAL_MEMBER} is damaged: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const found = inventoryFrom(byDb).extra!.keysByType;
  const listed = manifest.inventory.extra?.keysByType;
  if (
    detailsOf(manifest, 'redis').mode !== 'rdb' &&
    JSON.stringify(found) !== JSON.stringify(listed)
  ) {
    throw new IntegrityError(
      `redis: ${LOGICAL_MEMBER} holds ${JSON.stringify(found)} but the manifest lists ${JSON.stringify(listed)}`,
    );
  }
  return keys;
}

export async function verifyMembers(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
  ctx: SourceContext,
): Promise<void> {
  const details = detailsOf(manifest, 'redis');
  const expectRdb = Boolean(details.rdb && 'member' in details.rdb && details.rdb.member);
  const expectLogical = Boolean(details.logical);
  let sawRdb = false;
  let sawLogical = false;
  for await (const entry of members) {
    if (entry.path === RDB_MEMBER && entry.body) {
      sawRdb = true;
      for await (const _ of checkedRdb(
        entry.body,
        ctx,
        () => {},
        (msg) => new IntegrityError(`redis: ${msg}`),
      )) {
        // the checks run as the bytes pass
      }
    } else if (entry.path === LOGICAL_MEMBER && entry.body) {
      sawLogical = true;
      await checkLogical(entry.body as AsyncIterable<Buffer>, manifest);
    } else entry.body?.resume();
  }
  if (expectRdb && !sawRdb)
    throw new IntegrityError(`redis: the backup lacks its ${RDB_MEMBER} member`);
  if (expectLogical && !sawLogical)
    throw new IntegrityError(`redis: the backup lacks its ${LOGICAL_MEMBER} member`);
}
