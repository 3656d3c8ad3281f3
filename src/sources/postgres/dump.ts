/**
 * Backup: one pg_dump stream (or, with `jobs` > 1, the parallel workers of parallel.ts) read in
 * the snapshot the inventory is read in, plus `globals.sql` from pg_dumpall.
 */
import type { Inventory, MemberSink } from '../../archive/types.ts';
import { SourceError } from '../../core/errors.ts';
import type { DumpResult, Source, SourceContext } from '../types.ts';
import { childEnv } from './url.ts';
import type { PgConnection } from './url.ts';
import { connect, dbnameConninfo, serverInfo } from './connection.ts';
import {
  filterArgs,
  filtersOf,
  readInventory,
  referencedRoles,
  rowCountsOption,
} from './inventory.ts';
import {
  dumpStream,
  exitText,
  formatArchiveVersion,
  largeWriter,
  parseDumpHeader,
  resolveDumpClient,
  siblingTool,
  startTool,
} from './tools.ts';
import type { PgClient, ToolRun } from './tools.ts';
import { dumpParallel, jobsOption } from './parallel.ts';

export const GLOBALS_MEMBER = 'globals.sql';
export const GLOBALS_END = '-- PostgreSQL database cluster dump complete';
/** A member-path-safe name for the database's dump. */
export function memberBaseName(database: string): string {
  const safe = database.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe || 'database';
}

async function runToBuffer(run: ToolRun, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  run.child.stdout!.on('data', (c: Buffer) => {
    size += c.length;
    if (size > limit) run.process.stop();
    else chunks.push(c);
  });
  await run.exited;
  return Buffer.concat(chunks);
}

async function dumpGlobals(
  conn: PgConnection,
  dumpClient: PgClient,
  ctx: SourceContext,
): Promise<{ sql: Buffer; version: string; note?: string }> {
  const tool = await siblingTool(dumpClient, 'pg_dumpall', ctx.env);
  const env = childEnv(conn, ctx, 'lifeboat pg_dumpall');
  const base = ['--globals-only', '--no-password', `--database=${dbnameConninfo(conn.database)}`];
  let run = startTool(tool, base, env, 'ignore', 'pipe', ctx);
  let sql = await runToBuffer(run, 64 << 20);
  let r = await run.exited;
  let note: string | undefined;
  if (r.code !== 0 && /permission denied/i.test(run.stderr.lines(ctx))) {
    // Not a superuser (managed services): roles can still be dumped without their passwords.
    note = 'globals dumped without role passwords (the user may not read pg_authid)';
    ctx.log.warn(note);
    run = startTool(tool, [...base, '--no-role-passwords'], env, 'ignore', 'pipe', ctx);
    sql = await runToBuffer(run, 64 << 20);
    r = await run.exited;
  }
  if (r.code !== 0 || !sql.toString('utf8').includes(GLOBALS_END)) {
    const tail = run.stderr.lines(ctx);
    throw new SourceError(
      `pg_dumpall --globals-only failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`,
      {
        hint: 'globals (roles, tablespaces) need a superuser or a role that may read pg_roles; turn globals off otherwise',
      },
    );
  }
  return { sql, version: tool.version, ...(note ? { note } : {}) };
}

export class PgSource implements Source {
  readonly kind = 'postgres';
  readonly displayUrl: string;
  private readonly conn: PgConnection;

  constructor(conn: PgConnection) {
    this.conn = conn;
    this.displayUrl = conn.displayUrl;
  }

  async dump(sink: MemberSink, ctx: SourceContext): Promise<DumpResult> {
    const conn = this.conn;
    ctx.redactor.add(conn.password);
    const filters = filtersOf(ctx.options);
    const rowCounts = rowCountsOption(ctx.options);
    const jobs = jobsOption(ctx.options, 1);
    const wantGlobals = ctx.options.globals === true;
    const started = Date.now();

    const client = await connect(conn, 'source', ctx);
    // This session holds the snapshot pg_dump reads: once it is gone the dump cannot be
    // consistent, whatever pg_dump itself reports.
    let sessionLost: Error | undefined;
    let ending = false;
    client.on('error', (err: Error) => (sessionLost ??= err));
    client.on('end', () => {
      if (!ending) sessionLost ??= new Error('the server closed the connection');
    });
    let backendPid: number | undefined;
    try {
      backendPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!
        .pid;
      const server = await serverInfo(client);
      ctx.log.info(
        `PostgreSQL ${server.version} at ${conn.host}:${conn.port}, database "${conn.database}"`,
      );
      const dumpClient = await resolveDumpClient(server.major, server.version, ctx);
      ctx.log.info(`using pg_dump ${dumpClient.version} (${dumpClient.path})`);
      const versions: Record<string, string> = {
        server: server.version,
        pg_dump: dumpClient.version,
      };
      const details: Record<string, unknown> = {
        database: conn.database,
        encoding: server.encoding,
        serverVersionNum: server.versionNum,
        rowCounts,
      };
      const notes: string[] = [];

      if (wantGlobals) {
        const g = await dumpGlobals(conn, dumpClient, ctx);
        versions.pg_dumpall = g.version;
        if (g.note) notes.push(g.note);
        await sink.addFile(GLOBALS_MEMBER, g.sql, { mode: 0o600 });
        details.globals = GLOBALS_MEMBER;
      }

      // One snapshot for the inventory and the dump, so the row counts are the dumped ones.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let snapshot: string | undefined;
      try {
        snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!
          .s;
      } catch (err) {
        ctx.log.warn(
          `cannot export a snapshot (${(err as Error).message}); row counts are read separately from the dump`,
        );
        await client.query('ROLLBACK');
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      }
      details.roles = await referencedRoles(client);

      const base = memberBaseName(conn.database);
      const env = childEnv(conn, ctx, 'lifeboat pg_dump');
      const common = [
        '--no-password',
        ...(snapshot ? [`--snapshot=${snapshot}`] : []),
        ...filterArgs(filters),
      ];
      let inventory: Inventory;
      if (jobs > 1 && !snapshot) {
        ctx.log.warn(
          `jobs=${jobs} needs an exported snapshot to keep the workers consistent; dumping in one stream`,
        );
      }
      if (jobs > 1 && snapshot) {
        inventory = await dumpParallel(sink, ctx, {
          client,
          dumpClient,
          env,
          snapshot,
          jobs,
          folder: `${base}.pgpar`,
          database: conn.database,
          filters,
          rowCounts,
          details,
        });
      } else {
        const member = `${base}.pgdump`;
        const run = startTool(
          dumpClient,
          ['--format=custom', '--compress=0', ...common],
          env,
          'ignore',
          'pipe',
          ctx,
          await largeWriter(dumpClient, env),
        );
        let header: Buffer | undefined;
        const stream = dumpStream(
          run,
          `pg_dump of database "${conn.database}"`,
          ctx,
          (h) => (header = h),
        );
        // Counting runs beside the dump; if it fails the dump stream fails too.
        const counting = readInventory(client, filters, rowCounts).catch((err: unknown) => {
          stream.destroy(
            new SourceError(
              `reading the inventory of "${conn.database}" failed: ${ctx.redactor.redact((err as Error).message)}`,
              {
                cause: err,
              },
            ),
          );
          throw err;
        });
        counting.catch(() => {});
        try {
          await sink.addFile(member, stream, { mode: 0o600 });
        } catch (err) {
          run.process.stop();
          await run.exited;
          throw err;
        }
        inventory = await counting;
        const v = header ? parseDumpHeader(header) : undefined;
        details.format = 'custom';
        details.member = member;
        if (v) details.archiveVersion = formatArchiveVersion(v);
      }
      await client.query('COMMIT');
      if (notes.length) details.notes = notes;
      ctx.log.info(
        `dumped ${inventory.tables?.length ?? 0} tables of "${conn.database}" in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return { versions, inventory, details };
    } catch (err) {
      // Our session may still be counting rows (or waiting on a lock): end it server-side so
      // closing the client cannot hang.
      if (sessionLost) {
        throw new SourceError(
          `source: lost the PostgreSQL session holding the snapshot of database "${conn.database}" ` +
            `at ${conn.host}:${conn.port} (${ctx.redactor.redact(sessionLost.message)}); the dump was abandoned`,
          {
            cause: err,
            hint: 'the server ended the session (restart, pg_terminate_backend, idle_in_transaction_session_timeout or a network cut); run the backup again',
          },
        );
      }
      if (backendPid !== undefined) await terminateBackend(conn, backendPid, ctx);
      throw err;
    } finally {
      ending = true;
      await client.end().catch(() => {});
    }
  }
}

async function terminateBackend(
  conn: PgConnection,
  pid: number,
  ctx: SourceContext,
): Promise<void> {
  try {
    const c = await connect(conn, 'source', ctx);
    try {
      await c.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await c.end().catch(() => {});
    }
  } catch {
    // the server is gone or refuses: nothing left to end
  }
}
