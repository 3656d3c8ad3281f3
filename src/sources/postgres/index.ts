/**
 * PostgreSQL source (`postgres://` / `postgresql://[user[:password]@]host[:port]/dbname[?sslmode=…]`).
 *
 * Backup: `pg_dump` in custom format, its own compression off (-Z0, Lifeboat compresses),
 * streamed straight into one member `<dbname>.pgdump`. With `jobs` > 1, N pg_dump workers on
 * one exported snapshot stream into `<dbname>.pgpar/` instead (parallel.ts); backups
 * made with `jobs` before that are directory-format dumps under `<dbname>.pgdump.d/`, still
 * restored. With `globals`, `pg_dumpall --globals-only` (roles, tablespaces) becomes
 * `globals.sql`, first in the folder.
 *
 * Credentials reach the tools only through the child's environment (PGPASSWORD and friends);
 * nothing secret is ever on a command line. The inventory (schemas, tables, row counts,
 * sequences) is read in the same snapshot pg_dump dumps (pg_export_snapshot + --snapshot).
 *
 * Restore: into a new database by default (created). An existing database that already has
 * tables is only replaced with `overwrite`: safety backup first, restore into a temporary
 * database, compare with the manifest's inventory, then swap by renaming in one transaction,
 * so a failed restore leaves the old database as it was. A single-stream backup restored with
 * `jobs` > 1 is copied to the run's temporary folder first (when it has room) for
 * `pg_restore --jobs`.
 */
import type { ArchiveEntry, Inventory } from '../../archive/types.ts';
import type {
  RestoreRequest,
  Source,
  SourceContext,
  SourceDriver,
  StagedRestore,
} from '../types.ts';
import { parsePgUrl } from './url.ts';
import { connect } from './connection.ts';
import { filtersOf, readInventory, rowCountsOption } from './inventory.ts';
import { drain } from './tools.ts';
import { PgSource } from './dump.ts';
import { stageInto } from './restore.ts';
import { verifyMembers } from './verify.ts';
import { jobsOption } from './parallel.ts';

export const pgDriver: SourceDriver = {
  kind: 'postgres',
  schemes: ['postgres', 'postgresql'],

  open(url: string, ctx: SourceContext): Source {
    const conn = parsePgUrl(url, 'source', ctx.env);
    ctx.redactor.add(conn.password);
    filtersOf(ctx.options);
    rowCountsOption(ctx.options);
    jobsOption(ctx.options, 1);
    return new PgSource(conn);
  },

  verify: verifyMembers,

  async stage(
    members: AsyncIterable<ArchiveEntry>,
    request: RestoreRequest,
    ctx: SourceContext,
  ): Promise<StagedRestore> {
    let touched = false;
    const tracked = (async function* () {
      touched = true;
      yield* members;
    })();
    try {
      return await stageInto(tracked, request, ctx);
    } catch (err) {
      // Refused before reading the members: read them out anyway, so the archive reader
      // behind them (a decompressor child process, a download) can finish instead of hanging.
      if (!touched) for await (const e of members) await drain(e.body).catch(() => {});
      throw err;
    }
  },

  async inventory(url: string, ctx: SourceContext): Promise<Inventory> {
    const conn = parsePgUrl(url, 'target', ctx.env);
    ctx.redactor.add(conn.password);
    const c = await connect(conn, 'target', ctx);
    try {
      return await readInventory(
        c,
        { includeSchemas: [], excludeSchemas: [], includeTables: [], excludeTables: [] },
        rowCountsOption(ctx.options),
      );
    } finally {
      await c.end().catch(() => {});
    }
  },
};
