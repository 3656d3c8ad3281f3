/** Restore: an RDB into a file beside the target path, or the key stream staged and applied with RESTORE. */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArchiveEntry } from '../../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../core/errors.ts';
import { STREAM_PAYLOAD_ABOVE, readLogical } from './format.ts';
import { RedisConnection, RedisReplyError } from './protocol.ts';
import type { RestoreRequest, RestoreResult, SourceContext, StagedRestore } from '../types.ts';
import { removeAbandonedBeside, stagedPathName } from '../staging.ts';
import { connect } from './connection.ts';
import { dbSize, inventoryFrom, scanTypes } from './inventory.ts';
import type { TypeCounts } from './inventory.ts';
import { LOGICAL_MEMBER, RDB_MEMBER, parseRedisUrl } from './url.ts';
import type { RedisTarget } from './url.ts';
import { checkLogical, checkedRdb } from './verify.ts';
import { detailsOf } from '../types.ts';

/** `file:` URL or plain path → absolute path (RDB restores). */
function filePathOf(target: string): string {
  if (target.startsWith('file://')) return fileURLToPath(target);
  if (target.startsWith('file:')) return resolvePath(target.slice(5));
  return resolvePath(target);
}

export async function stageRdbFile(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  let path = filePathOf(request.target);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) path = join(path, 'dump.rdb');
  else if (request.target.endsWith('/')) path = join(path, 'dump.rdb');
  const there = await stat(path).catch(() => undefined);
  if (there && !request.overwrite) {
    throw new ConfigError('target', `${path} already exists`, {
      hint: 'choose a new path, or set {{option:overwrite=true}} to replace it',
    });
  }
  for (const line of await removeAbandonedBeside(dirname(path), basename(path)))
    ctx.log.info(`redis: ${line}`);
  const tmp = join(dirname(path), stagedPathName(basename(path), 'tmp'));
  let written = false;
  try {
    for await (const entry of members) {
      if (entry.path !== RDB_MEMBER || !entry.body || written) {
        entry.body?.resume();
        continue;
      }
      await mkdir(dirname(path), { recursive: true });
      const fh = await open(tmp, 'wx', 0o600);
      try {
        const check = checkedRdb(
          entry.body,
          ctx,
          () => {},
          (msg) => new IntegrityError(`redis: ${msg}`),
        );
        for await (const chunk of check) await fh.write(chunk);
        await fh.sync();
      } finally {
        await fh.close();
      }
      written = true;
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  if (!written) {
    throw new ConfigError(
      'target',
      'this backup holds no RDB snapshot (it was taken in logical mode or the server refused SYNC)',
      {
        hint: 'restore it into a live server with a redis://host:port/db target',
      },
    );
  }
  return {
    location: path,
    async commit() {
      if (!request.overwrite && (await stat(path).catch(() => undefined))) {
        throw new ConfigError(
          'target',
          `${path} appeared during the restore; nothing was changed`,
          {
            hint: 'choose a new path, or set {{option:overwrite=true}} to replace it',
          },
        );
      }
      await rename(tmp, path);
      return {
        location: path,
        notes: [
          `RDB snapshot written to ${path}; a running server cannot load it. To use it: stop Redis, copy it to the`,
          "server's `dir`/`dbfilename` (CONFIG GET dir / dbfilename), disable appendonly or remove the AOF, start Redis.",
        ],
      };
    },
    abort: () => rm(tmp, { force: true }),
  };
}

/** Keys the target already holds in the databases the backup writes to. */
async function busyDatabases(
  conn: RedisConnection,
  dbs: number[],
  mapDb: (db: number) => number,
): Promise<string[]> {
  const busy: string[] = [];
  for (const db of dbs) {
    const n = await dbSize(conn, mapDb(db));
    if (n > 0) busy.push(`db ${mapDb(db)} holds ${n} keys`);
  }
  return busy;
}

/**
 * The logical restore's staging applies nothing: it spools the key stream to the run's private
 * temporary folder while checking every DUMP payload's CRC-64 and the key counts against the
 * manifest. Commit replays the spool with RESTORE.
 */
export async function stageLogical(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  const target = parseRedisUrl(request.target, 'target', ctx.env);
  const logical = detailsOf(request.manifest, 'redis').logical;
  if (!logical) {
    throw new ConfigError(
      'target',
      'this backup holds only an RDB snapshot (redis-mode: rdb), which a live server cannot load',
      {
        hint: 'restore it to a file path ({{option:target=/path/to/dump.rdb}}) and place it in the data directory of a stopped Redis; take future backups with {{option:redis-mode=auto}}',
      },
    );
  }
  const sourceDbs = logical.databases ?? [];
  if (target.db !== undefined && sourceDbs.length > 1) {
    throw new ConfigError(
      'target',
      `the backup holds databases ${sourceDbs.join(', ')}; a target with /${target.db} can take only one`,
      {
        hint: 'leave the database out of the target URL to restore each into its own number',
      },
    );
  }
  const mapDb = (db: number) => target.db ?? db;
  const conn = await connect(target, 'target', ctx);
  try {
    const busy = await busyDatabases(conn, sourceDbs, mapDb);
    if (busy.length && !request.overwrite) {
      throw new ConfigError('target', `${target.displayUrl} is not empty (${busy.join(', ')})`, {
        hint: 'restore into an empty database (e.g. another /db number), or set {{option:overwrite=true}} to replace the keys the backup holds',
      });
    }
  } finally {
    conn.close();
  }

  const spool = join(ctx.tmpDir, `redis-${randomBytes(6).toString('hex')}.keys`);
  let keys = 0;
  try {
    let sawLogical = false;
    for await (const entry of members) {
      if (entry.path !== LOGICAL_MEMBER || !entry.body || sawLogical) {
        entry.body?.resume();
        continue;
      }
      sawLogical = true;
      const fh = await open(spool, 'wx', 0o600);
      try {
        for await (const chunk of entry.body) await fh.write(chunk as Buffer);
        await fh.sync();
      } finally {
        await fh.close();
      }
      keys = await checkLogical(createReadStream(spool), request.manifest);
    }
    if (!sawLogical)
      throw new IntegrityError(`redis: the backup lacks its ${LOGICAL_MEMBER} member`);
  } catch (err) {
    await rm(spool, { force: true });
    throw err;
  }
  ctx.log.info(`redis: ${keys} keys checked (DUMP payload CRC-64 and counts); none applied yet`);
  return {
    location: target.displayUrl,
    commit: () => applyLogical(spool, target, sourceDbs, mapDb, request, ctx),
    abort: () => rm(spool, { force: true }),
  };
}

async function applyLogical(
  spool: string,
  target: RedisTarget,
  sourceDbs: number[],
  mapDb: (db: number) => number,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<RestoreResult> {
  const conn = await connect(target, 'target', ctx);
  const notes: string[] = [];
  try {
    const busy = await busyDatabases(conn, sourceDbs, mapDb);
    if (busy.length && !request.overwrite) {
      throw new ConfigError(
        'target',
        `${target.displayUrl} was written to during the restore (${busy.join(', ')}); nothing was changed`,
        {
          hint: 'make sure nothing writes to the target database, or set {{option:overwrite=true}}',
        },
      );
    }
    if (busy.length && request.safetyBackup) {
      const id = await request.safetyBackup(request.target);
      notes.push(`safety backup of the target taken first: ${id}`);
    }
    const replace = request.overwrite;
    /** What a failed SELECT or RESTORE means, as an error naming the key. */
    const failure = (cmd: Array<unknown>, r: RedisReplyError): SourceError => {
      if (cmd[0] === 'SELECT')
        return new SourceError(
          `redis: SELECT ${String(cmd[1])} failed on the target: ${r.message}`,
        );
      const key = JSON.stringify((cmd[1] as Buffer).toString('utf8'));
      if (r.code === 'BUSYKEY') {
        return new SourceError(`redis: key ${key} appeared in the target during the restore`, {
          hint: 'make sure nothing writes to the target database, or set {{option:overwrite=true}}',
        });
      }
      return new SourceError(`redis: RESTORE of key ${key} failed: ${r.message}`, {
        hint: /payload version|checksum/i.test(r.message)
          ? `the target Redis is older than the one backed up (${request.manifest.versions.server}); restore into the same or a newer version`
          : undefined,
      });
    };
    let batch: Array<Array<string | number | Buffer>> = [];
    let batchBytes = 0;
    let restored = 0;
    const flush = async () => {
      if (!batch.length) return;
      const cmds = batch;
      batch = [];
      batchBytes = 0;
      const replies = await conn.pipeline(cmds);
      replies.forEach((r, i) => {
        if (r instanceof RedisReplyError) throw failure(cmds[i]!, r);
      });
    };
    const spooled = createReadStream(spool, { highWaterMark: 1024 * 1024 });
    for await (const rec of readLogical(spooled, { streamAbove: STREAM_PAYLOAD_ABOVE })) {
      if (rec.tag === 'select') {
        batch.push(['SELECT', mapDb(rec.db)]);
      } else if (rec.tag === 'key') {
        const ttl = rec.pttl > 0 ? rec.pttl : 0;
        const tail = replace ? ['REPLACE'] : [];
        restored++;
        if (rec.payload) {
          batch.push(['RESTORE', rec.key, ttl, rec.payload, ...tail]);
          batchBytes += rec.payload.length + rec.key.length;
          if (batch.length >= 500 || batchBytes >= 8 * 1024 * 1024) await flush();
          continue;
        }
        // A large value: its RESTORE is written as the payload is read from the spool.
        await flush();
        try {
          await conn.callStreaming('RESTORE', rec.key, ttl, rec, ...tail);
        } catch (err) {
          if (err instanceof RedisReplyError) throw failure(['RESTORE', rec.key], err);
          throw err;
        }
      }
    }
    await flush();
    const byDb = new Map<number, TypeCounts>();
    for (const db of sourceDbs) byDb.set(mapDb(db), await scanTypes(conn, mapDb(db)));
    notes.push(
      `${restored} keys restored into ${target.displayUrl}${replace ? ' (existing keys replaced)' : ''}`,
    );
    return { location: target.displayUrl, inventory: inventoryFrom(byDb), notes };
  } finally {
    conn.close();
    await rm(spool, { force: true });
  }
}
