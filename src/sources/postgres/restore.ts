/**
 * Restore: stage into a new database, compare it with the manifest's inventory, then swap it in
 * on commit (or drop it on roll back); staging databases a crashed run left behind are dropped.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type { ArchiveEntry, Inventory, SourceManifest } from '../../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../core/errors.ts';
import { formatBytes, formatDuration } from '../../core/log.ts';
import type { RestoreRequest, RestoreResult, SourceContext, StagedRestore } from '../types.ts';
import {
  abandonedBecause,
  parseMarker,
  STAGED_INFIX,
  stagedName,
  stagingMarker,
} from '../staging.ts';
import { childEnv, parsePgUrl, withDatabase } from './url.ts';
import type { PgConnection } from './url.ts';
import {
  adminConnection,
  connect,
  dbnameConninfo,
  quoteIdent,
  quoteLiteral,
} from './connection.ts';
import type { PgErrorLike } from './connection.ts';
import {
  NOT_EXTENSION_MEMBER,
  USER_SCHEMA,
  compareInventories,
  readInventory,
} from './inventory.ts';
import {
  bufferOf,
  drain,
  exitText,
  peekHead,
  resolveRestoreClient,
  restoreClientFor,
  runOverBody,
  startTool,
} from './tools.ts';
import type { PgClient, ToolRun } from './tools.ts';
import { GLOBALS_MEMBER } from './dump.ts';
import { SegmentFeeder, classify, jobsOption, layoutOf, spoolSchema } from './parallel.ts';

/** Connections to `database` other than ours, for a clear refusal. */
async function otherConnections(admin: pg.Client, database: string): Promise<string[]> {
  const r = await admin.query<{
    pid: number;
    usename: string | null;
    application_name: string;
    client_addr: string | null;
    state: string | null;
  }>(
    `SELECT pid, usename, application_name, client_addr::text, state FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY pid`,
    [database],
  );
  return r.rows.map(
    (x) =>
      `pid ${x.pid} (user ${x.usename ?? '?'}, application '${x.application_name}', from ${x.client_addr ?? 'local socket'}, ${x.state ?? 'unknown state'})`,
  );
}

async function userTableCount(conn: PgConnection, ctx: SourceContext): Promise<number> {
  const c = await connect(conn, 'target', ctx);
  try {
    const r = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER}`,
    );
    return Number(r.rows[0]!.n);
  } finally {
    await c.end().catch(() => {});
  }
}

async function createDatabase(
  admin: pg.Client,
  name: string,
  encoding: string | undefined,
  ctx: SourceContext,
): Promise<void> {
  const enc = encoding ? ` ENCODING ${quoteLiteral(encoding)}` : '';
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0${enc}`);
  } catch (err) {
    if ((err as PgErrorLike).code === '22023' && enc) {
      // The server's default locale does not fit the dump's encoding: use the C locale.
      ctx.log.warn(`creating "${name}" with the C locale: ${(err as Error).message}`);
      await admin.query(
        `CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0${enc} LC_COLLATE 'C' LC_CTYPE 'C'`,
      );
    } else throw err;
  }
}

export async function dropDatabase(
  admin: pg.Client,
  name: string,
  ctx: SourceContext,
): Promise<void> {
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  } catch (err) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    } catch {
      ctx.log.warn(
        `could not drop the temporary database "${name}": ${(err as Error).message}; drop it by hand`,
      );
    }
  }
}

function shortName(base: string, suffix: string): string {
  // Database names are at most 63 bytes.
  let b = base;
  while (Buffer.byteLength(b + suffix) > 63) b = b.slice(0, -1);
  return b + suffix;
}

/** Give the restored database the old one's owner, settings and database-level grants. */
async function carryOverDatabaseProperties(
  admin: pg.Client,
  from: string,
  to: string,
  ctx: SourceContext,
): Promise<void> {
  try {
    const d = await admin.query<{ owner: string; hasacl: boolean }>(
      'SELECT pg_get_userbyid(datdba) AS owner, datacl IS NOT NULL AS hasacl FROM pg_database WHERE datname = $1',
      [from],
    );
    const row = d.rows[0];
    if (!row) return;
    await admin.query(`ALTER DATABASE ${quoteIdent(to)} OWNER TO ${quoteIdent(row.owner)}`);
    const settings = await admin.query<{ role: string | null; setconfig: string[] }>(
      `SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END AS role, s.setconfig
         FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1`,
      [from],
    );
    for (const s of settings.rows) {
      for (const item of s.setconfig) {
        const eq = item.indexOf('=');
        const key = item.slice(0, eq);
        const value = item.slice(eq + 1);
        const prefix = s.role ? `ALTER ROLE ${quoteIdent(s.role)} IN DATABASE` : 'ALTER DATABASE';
        await admin.query(
          `${prefix} ${quoteIdent(to)} SET ${quoteIdent(key)} = ${quoteLiteral(value)}`,
        );
      }
    }
    if (row.hasacl) {
      const grants = await admin.query<{
        grantee: string | null;
        privilege_type: string;
        is_grantable: boolean;
      }>(
        `SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type, a.is_grantable
           FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = $1`,
        [from],
      );
      await admin.query(`REVOKE ALL ON DATABASE ${quoteIdent(to)} FROM PUBLIC`);
      for (const g of grants.rows) {
        await admin.query(
          `GRANT ${g.privilege_type} ON DATABASE ${quoteIdent(to)} TO ${g.grantee ? quoteIdent(g.grantee) : 'PUBLIC'}${g.is_grantable ? ' WITH GRANT OPTION' : ''}`,
        );
      }
    }
  } catch (err) {
    ctx.log.warn(
      `could not carry over the owner/settings/grants of "${from}": ${(err as Error).message}`,
    );
  }
}

/** Free bytes on the filesystem holding `dir` for this user; a property so tests can replace it. */
export const tempSpace = {
  free: async (dir: string): Promise<number> => {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  },
};

/** Room to leave beside the copy of a dump: 64 MiB, or 5 % of the dump when that is more. */
export function copyMargin(size: number): number {
  return Math.max(64 * 1024 * 1024, Math.ceil(size / 20));
}

/**
 * Whether a single-stream dump of `size` bytes (the manifest's) fits in the temporary folder
 * for pg_restore --jobs. When it does not (or its size or the free space is unknown) it warns,
 * naming the numbers, and the restore reads the stream with one pg_restore instead.
 */
async function roomForCopy(
  size: number | undefined,
  jobs: number,
  ctx: SourceContext,
): Promise<boolean> {
  const instead = `restoring from the stream with one pg_restore instead of pg_restore --jobs=${jobs}`;
  if (size === undefined || !Number.isFinite(size) || size < 0) {
    ctx.log.warn(`the manifest gives no size for the dump; ${instead}`);
    return false;
  }
  let free: number;
  try {
    free = await tempSpace.free(ctx.tmpDir);
  } catch (err) {
    ctx.log.warn(
      `cannot read the free space of the temporary folder ${ctx.tmpDir} (${(err as Error).message}); ${instead}`,
    );
    return false;
  }
  const need = size + copyMargin(size);
  if (free >= need) return true;
  ctx.log.warn(
    `not enough free space for a copy of the ${formatBytes(size)} dump: the temporary folder ${ctx.tmpDir} has ${formatBytes(free)} free, ${formatBytes(need)} needed (the dump and a margin of ${formatBytes(need - size)}); ${instead}`,
  );
  return false;
}

interface RestorePlan {
  target: PgConnection;
  /** The staged database pg_restore writes into. */
  into: string;
}

async function restoreMembers(
  members: AsyncIterable<ArchiveEntry>,
  plan: RestorePlan,
  manifest: SourceManifest,
  ctx: SourceContext,
  ownerArgs: string[],
): Promise<{ pgRestore: string }> {
  const details = manifest.details ?? {};
  const format =
    details.format === 'directory' || details.format === 'parallel' ? details.format : 'custom';
  const prefix = typeof details.member === 'string' ? details.member : undefined;
  const env = childEnv(withDatabase(plan.target, plan.into), ctx, 'lifeboat pg_restore');
  const jobs = jobsOption(ctx.options, typeof details.jobs === 'number' ? details.jobs : 1);
  const args = [
    '--no-password',
    '--exit-on-error',
    `--dbname=${dbnameConninfo(plan.into)}`,
    ...ownerArgs,
  ];
  let used: PgClient | undefined;
  let spool: string | undefined;
  let globals: Buffer | undefined;
  const parallel = format === 'parallel' ? layoutOf(details) : undefined;
  let feeder: SegmentFeeder | undefined;
  let schemaFile: string | undefined;
  let ok = false;
  const failed = (
    what: string,
    run: ToolRun,
    r: { code: number | null; signal: NodeJS.Signals | null },
  ) => {
    const tail = run.stderr.lines(ctx);
    return new SourceError(
      `${what} into "${plan.into}" failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
    );
  };
  try {
    for await (const entry of members) {
      if (entry.type !== 'file' || !entry.body) {
        await drain(entry.body);
        continue;
      }
      if (entry.path === GLOBALS_MEMBER) {
        globals = await bufferOf(entry.body);
        if (ctx.options.globals === true) await applyGlobals(globals, plan.target, ctx);
        continue;
      }
      const part = parallel ? classify(parallel, entry.path) : undefined;
      if (parallel && part?.kind === 'schema') {
        const { head, stream } = await peekHead(entry.body);
        const client = await restoreClientFor(manifest, ctx, head);
        used = client;
        const spooled = await spoolSchema(stream, ctx.tmpDir);
        spool = spooled.dir;
        schemaFile = spooled.file;
        ctx.log.info(
          `restoring with ${client.path} ${client.version} into "${plan.into}": the schema, then ${parallel.workers.length} data streams at once, then indexes and constraints with ${jobs} jobs`,
        );
        const run = startTool(
          client,
          [...args, '--section=pre-data', schemaFile],
          env,
          'ignore',
          'ignore',
          ctx,
        );
        const r = await run.exited;
        if (r.code !== 0) throw failed('pg_restore of the schema (pre-data)', run, r);
        feeder = new SegmentFeeder(parallel, 'pg_restore', (k) =>
          startTool(
            client,
            [...args, '--verbose'],
            { ...env, PGAPPNAME: `lifeboat pg_restore w${k}` },
            'pipe',
            'ignore',
            ctx,
          ),
        );
        continue;
      }
      if (parallel && part?.kind === 'segment') {
        if (!feeder)
          throw new IntegrityError(`${entry.path} comes before the schema member of the backup`);
        await feeder.segment(part.worker, part.seq, entry.body);
        continue;
      }
      if (
        format === 'custom' &&
        (entry.path === prefix || (!prefix && entry.path.endsWith('.pgdump')))
      ) {
        const { head, stream } = await peekHead(entry.body);
        used = await restoreClientFor(manifest, ctx, head);
        const size = manifest.members.find((m) => m.path === entry.path)?.size;
        if (jobs > 1 && (await roomForCopy(size, jobs, ctx))) {
          // pg_restore --jobs reads a seekable file: copy the member (its chunks checked as
          // they are read) to the run's temporary folder first, removed in the finally below.
          ctx.log.info(
            `copying the ${formatBytes(size!)} dump to the temporary folder for pg_restore --jobs=${jobs}`,
          );
          spool = await mkdtemp(join(ctx.tmpDir, 'pgrestore-'));
          const file = join(spool, 'single.pgdump');
          const copying = Date.now();
          const cancel = ctx.signal ? { signal: ctx.signal } : {};
          const out = createWriteStream(file, { mode: 0o600 });
          // Tell the file's own failure (a full disk) from the archive's, which passes as it is.
          let bodyFailed = false;
          let fileError: Error | undefined;
          stream.on('error', () => (bodyFailed = true));
          out.on('error', (err) => {
            if (!bodyFailed && !ctx.signal?.aborted) fileError ??= err;
          });
          try {
            await pipeline(stream, out, cancel);
          } catch (err) {
            if (fileError && err === fileError)
              throw new SourceError(
                `writing the copy of the dump for pg_restore --jobs=${jobs} to the temporary folder failed: ${fileError.message}`,
                {
                  cause: err,
                  hint: 'free space in the temporary folder (TMPDIR), or restore with jobs: 1, which reads the stream without a copy',
                },
              );
            throw err;
          }
          ctx.log.info(
            `copied in ${formatDuration(Date.now() - copying)}; restoring with ${used.path} ${used.version} (${jobs} jobs) into "${plan.into}" from the copy`,
          );
          const run = startTool(
            used,
            [...args, `--jobs=${jobs}`, file],
            env,
            'ignore',
            'ignore',
            ctx,
          );
          const r = await run.exited;
          if (r.code !== 0) throw failed(`pg_restore --jobs=${jobs}`, run, r);
          await rm(spool, { recursive: true, force: true });
          spool = undefined;
          continue;
        }
        ctx.log.info(`restoring with ${used.path} ${used.version} into "${plan.into}"`);
        const run = startTool(used, args, env, 'pipe', 'ignore', ctx);
        const r = await runOverBody(run, stream);
        if (r.code !== 0) {
          const tail = run.stderr.lines(ctx);
          throw new SourceError(
            `pg_restore into "${plan.into}" failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
          );
        }
        continue;
      }
      if (format === 'directory' && prefix && entry.path.startsWith(`${prefix}/`)) {
        const rel = entry.path.slice(prefix.length + 1);
        if (rel.split('/').some((p) => p === '..' || p === '' || p === '.')) {
          throw new IntegrityError(`refusing member path '${entry.path}'`);
        }
        spool ??= await mkdtemp(join(ctx.tmpDir, 'pgrestore-'));
        const file = join(spool, rel);
        await mkdir(dirname(file), { recursive: true });
        await pipeline(entry.body, createWriteStream(file, { mode: 0o600 }));
        continue;
      }
      await drain(entry.body);
    }
    if (format === 'directory') {
      if (!spool)
        throw new IntegrityError(
          `the archive holds no files of the directory-format dump '${prefix ?? '?'}'`,
        );
      const head = await readFile(join(spool, 'toc.dat')).then((b) => b.subarray(0, 8));
      used = await restoreClientFor(manifest, ctx, head);
      ctx.log.info(
        `restoring with ${used.path} ${used.version} (${jobs} jobs) into "${plan.into}"`,
      );
      const run = startTool(
        used,
        [...args, `--jobs=${jobs}`, '--format=directory', spool],
        env,
        'ignore',
        'ignore',
        ctx,
      );
      const r = await run.exited;
      if (r.code !== 0) {
        const tail = run.stderr.lines(ctx);
        throw new SourceError(
          `pg_restore into "${plan.into}" failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
        );
      }
    }
    if (parallel) {
      if (!feeder || !schemaFile || !used)
        throw new IntegrityError(
          `the archive holds no schema member of the parallel dump '${parallel.folder}'`,
        );
      await feeder.finish();
      const run = startTool(
        used,
        [...args, '--section=post-data', `--jobs=${jobs}`, schemaFile],
        env,
        'ignore',
        'ignore',
        ctx,
      );
      const r = await run.exited;
      if (r.code !== 0) throw failed('pg_restore of indexes and constraints (post-data)', run, r);
    }
    if (!used) throw new IntegrityError('the archive holds no PostgreSQL dump for this source');
    ok = true;
    return { pgRestore: used.version };
  } finally {
    if (feeder && !ok) await feeder.stopped();
    if (spool) await rm(spool, { recursive: true, force: true });
  }
}

/** Apply globals.sql (roles, tablespaces) with psql; errors such as "role already exists" are reported, not fatal. */
async function applyGlobals(sql: Buffer, target: PgConnection, ctx: SourceContext): Promise<void> {
  const psql = await resolveRestoreClient('psql', [1, 0], 'any', ctx);
  const run = startTool(
    psql,
    [
      '--no-psqlrc',
      '--quiet',
      '--no-password',
      `--dbname=${dbnameConninfo('postgres')}`,
      '--file=-',
    ],
    childEnv(withDatabase(target, 'postgres'), ctx, 'lifeboat psql'),
    'pipe',
    'ignore',
    ctx,
  );
  const r = await runOverBody(run, Readable.from([sql]));
  const tail = run.stderr.lines(ctx);
  if (r.code !== 0)
    throw new SourceError(
      `applying globals.sql failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
    );
  if (tail) ctx.log.warn(`globals.sql applied with messages:\n${tail}`);
}

export async function stageInto(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  if (!request.target) {
    throw new ConfigError('target', 'a restore needs a target database URL', {
      hint: 'set target to postgres://user@host:5432/new_database (a new database is created)',
    });
  }
  const target = parsePgUrl(request.target, 'target', ctx.env);
  ctx.redactor.add(target.password);
  if (!target.databaseFromUrl) {
    throw new ConfigError('target', `'${target.displayUrl}' names no database`, {
      hint: 'add the database to restore into after the host: postgres://user@host:5432/new_database',
    });
  }
  const manifest = request.manifest;
  const name = target.database;
  const notes: string[] = [];

  // Refuse what cannot work before touching anything.
  await restoreClientFor(manifest, ctx);
  const admin = await adminConnection(target, ctx);
  let staged: string;
  let pgRestore: string;
  try {
    const state = await targetState(admin, target, request.overwrite, ctx);
    // The commit renames the target, which needs it unused: say so now, not after the restore.
    if (state !== 'create') await refuseOtherConnections(admin, name, 'replace');

    // Owners and grants need their roles; without them restore everything as the connecting user.
    const roles = Array.isArray(manifest.details?.roles)
      ? (manifest.details.roles as string[])
      : [];
    const present = (
      await admin.query<{ rolname: string }>(
        'SELECT rolname FROM pg_roles WHERE rolname = ANY($1)',
        [roles],
      )
    ).rows.map((r) => r.rolname);
    const missing = roles.filter((r) => !present.includes(r));
    const applyGlobalsFirst =
      ctx.options.globals === true && manifest.details?.globals === GLOBALS_MEMBER;
    const ownerArgs: string[] = [];
    if (missing.length && !applyGlobalsFirst) {
      ownerArgs.push('--no-owner', '--no-privileges');
      notes.push(
        `roles ${missing.join(', ')} do not exist on the target: objects are owned by "${target.user}" and grants were skipped (restore with globals to create the roles first)`,
      );
      ctx.log.warn(notes[notes.length - 1]!);
    }

    await dropAbandonedStaging(admin, ctx);
    staged = stagedName(name, 63);
    const encoding =
      typeof manifest.details?.encoding === 'string' ? manifest.details.encoding : undefined;
    await createDatabase(admin, staged, encoding, ctx);
    try {
      await admin.query(
        `COMMENT ON DATABASE ${quoteIdent(staged)} IS ${quoteLiteral(JSON.stringify(stagingMarker(name)))}`,
      );
      const plan: RestorePlan = { target, into: staged };
      ({ pgRestore } = await restoreMembers(members, plan, manifest, ctx, ownerArgs));
      const c = await connect(withDatabase(target, staged), 'target', ctx);
      let actual: Inventory;
      try {
        // Counting rows costs a scan of every table: only when the backup has exact counts.
        const exact = (manifest.inventory.tables ?? []).some((t) => !t.estimated);
        actual = await readInventory(
          c,
          { includeSchemas: [], excludeSchemas: [], includeTables: [], excludeTables: [] },
          exact ? 'exact' : 'estimate',
        );
      } finally {
        await c.end().catch(() => {});
      }
      const diffs = compareInventories(manifest.inventory, actual);
      if (diffs.length) {
        throw new IntegrityError(
          `the restored database does not match the backup's inventory (${diffs.length} differences: ${diffs.slice(0, 5).join('; ')}); "${name}" was not changed`,
        );
      }
    } catch (err) {
      await dropDatabase(admin, staged, ctx);
      throw err;
    }
  } finally {
    await admin.end().catch(() => {});
  }
  ctx.log.info(`staged the restore of "${name}" in "${staged}"`);

  let settled = false;
  const abort = async (): Promise<void> => {
    if (settled) return;
    settled = true;
    const a = await adminConnection(target, ctx);
    try {
      await dropDatabase(a, staged, ctx);
    } finally {
      await a.end().catch(() => {});
    }
  };
  const commit = async (): Promise<RestoreResult> => {
    const a = await adminConnection(target, ctx);
    try {
      const state = await targetState(a, target, request.overwrite, ctx);
      let safetyId: string | undefined;
      if (state === 'overwrite') {
        await refuseOtherConnections(a, name, 'swap the restored database in');
        if (request.safetyBackup) {
          ctx.log.info(`taking a safety backup of "${name}" before replacing it`);
          safetyId = await request.safetyBackup(request.target);
          notes.push(`safety backup of the previous "${name}": ${safetyId}`);
        }
      } else if (state === 'empty') await refuseOtherConnections(a, name, 'replace');
      const old =
        state === 'create'
          ? undefined
          : shortName(name, `_lifeboat_old_${randomBytes(4).toString('hex')}`);
      try {
        await a.query('BEGIN');
        await a.query(`COMMENT ON DATABASE ${quoteIdent(staged)} IS NULL`);
        if (old) await a.query(`ALTER DATABASE ${quoteIdent(name)} RENAME TO ${quoteIdent(old)}`);
        await a.query(`ALTER DATABASE ${quoteIdent(staged)} RENAME TO ${quoteIdent(name)}`);
        await a.query('COMMIT');
      } catch (err) {
        await a.query('ROLLBACK').catch(() => {});
        throw new SourceError(
          `moving the restored database into place failed: ${(err as Error).message}; "${name}" was not changed`,
          {
            cause: err,
            hint: safetyId ? `a safety backup of "${name}" was taken: ${safetyId}` : undefined,
          },
        );
      }
      settled = true;
      if (old) {
        await carryOverDatabaseProperties(a, old, name, ctx);
        if (safetyId || state === 'empty') {
          await dropDatabase(a, old, ctx);
        } else {
          notes.push(
            `the previous "${name}" was kept as "${old}" (no safety backup was taken); drop it when no longer needed`,
          );
        }
      }
    } finally {
      await a.end().catch(() => {});
    }
    const location = target.displayUrl;
    ctx.log.info(`restored into ${location}`);
    return { location, notes: [...notes, `pg_restore ${pgRestore}`] };
  };
  return { location: target.displayUrl, commit, abort };
}

/**
 * What restoring into the target means now: a new database, an existing one without tables
 * (replaced), or one with tables (refused unless overwrite is set).
 */
async function targetState(
  admin: pg.Client,
  target: PgConnection,
  overwrite: boolean,
  ctx: SourceContext,
): Promise<'create' | 'empty' | 'overwrite'> {
  const name = target.database;
  const exists =
    (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount! > 0;
  if (!exists) return 'create';
  const tables = await userTableCount(target, ctx);
  if (tables === 0) return 'empty';
  if (!overwrite) {
    throw new ConfigError(
      'overwrite',
      `the target database "${name}" already has ${tables} tables; nothing was changed`,
      {
        hint: 'restore into a new database (another name in {{option:target}}), or set {{option:overwrite=true}} to replace it (a safety backup is taken first)',
      },
    );
  }
  return 'overwrite';
}

async function refuseOtherConnections(
  admin: pg.Client,
  name: string,
  doing: string,
): Promise<void> {
  const others = await otherConnections(admin, name);
  if (others.length) {
    throw new SourceError(
      `cannot ${doing} "${name}": it has ${others.length} other connection(s): ${others.join('; ')}; nothing was changed`,
      {
        hint: 'stop the applications using the database (or pg_terminate_backend them), then restore again',
      },
    );
  }
}

/** Drops staged databases an interrupted restore left on this server, when provably abandoned. */
async function dropAbandonedStaging(admin: pg.Client, ctx: SourceContext): Promise<void> {
  const r = await admin.query<{ datname: string; marker: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS marker FROM pg_database
      WHERE strpos(datname, $1) > 0`,
    [STAGED_INFIX],
  );
  for (const row of r.rows) {
    const why = abandonedBecause(parseMarker(row.marker));
    if (!why) continue;
    if ((await otherConnections(admin, row.datname)).length) continue;
    ctx.log.info(
      `dropping the staged database "${row.datname}" an interrupted restore left: ${why}`,
    );
    await dropDatabase(admin, row.datname, ctx);
  }
}
