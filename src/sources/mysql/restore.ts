/** Restore: stage each database into a new one beside the target, then swap it in on commit. */
import { randomBytes } from 'node:crypto';
import type { ArchiveEntry } from '../../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../core/errors.ts';
import {
  dropAbandonedStaging,
  dropMarker,
  MARKER_TABLE,
  moveDatabaseContent,
  writeMarker,
} from './move.ts';
import { stagedName, stagingMarker } from '../staging.ts';
import type { RestoreRequest, RestoreResult, SourceContext, StagedRestore } from '../types.ts';
import { classify, connect, ident, queryRows } from './connection.ts';
import type { Conn } from './connection.ts';
import { databasesOption } from './dump.ts';
import { databaseExists, isEmptyDatabase, liveInventory } from './inventory.ts';
import type { DbFacts } from './inventory.ts';
import { findClient, optionText, runClient, serverInfo } from './tools.ts';
import { parseMysqlUrl } from './url.ts';
import type { MysqlTarget } from './url.ts';
import { detailsOf } from '../types.ts';

function targetUrlFor(request: RestoreRequest, db: string): string {
  const u = new URL(request.target);
  u.pathname = `/${encodeURIComponent(db)}`;
  return u.toString();
}

interface StagedDatabase {
  from: DbFacts;
  /** The database the user named. */
  to: string;
  /** Where the dump was restored and checked. */
  staged: string;
}

export async function stageInto(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  const target = parseMysqlUrl(request.target, 'target', ctx.env);
  const dumped = detailsOf(request.manifest, 'mysql').databases ?? [];
  if (!dumped.length) throw new IntegrityError('mysql: the manifest lists no dumped databases');
  // Which dumped database goes where.
  const plan = new Map<string, string>();
  if (target.database) {
    const only = databasesOption(ctx).filter((d) => dumped.some((x) => x.name === d));
    const source = dumped.length === 1 ? dumped[0]!.name : only.length === 1 ? only[0] : undefined;
    if (!source) {
      throw new ConfigError(
        'target',
        `the backup holds databases ${dumped.map((d) => d.name).join(', ')}; a target naming '${target.database}' can take only one`,
        {
          hint: 'leave the database out of the target URL to restore each under its own name, or pick one with the databases option',
        },
      );
    }
    plan.set(source, target.database);
  } else for (const d of dumped) plan.set(d.name, d.name);

  const conn = await connect(target, 'target', ctx);
  const prepared: StagedDatabase[] = [];
  try {
    const [v] = await queryRows<{ v: string; c: string }>(
      conn,
      'SELECT VERSION() AS v, @@version_comment AS c',
    );
    const server = serverInfo(v!.v, v!.c);
    for (const to of plan.values()) await refuseNonEmpty(conn, to, request.overwrite, target);
    await dropAbandonedStaging(conn, (line) => ctx.log.info(`mysql: ${line}`));
    const { client } = await findClient(server, ctx, 'client');
    for (const [from, to] of plan) {
      const facts = dumped.find((d) => d.name === from)!;
      const staged = stagedName(to, 64);
      await conn.query(
        `CREATE DATABASE ${ident(staged)} CHARACTER SET ${facts.charset} COLLATE ${facts.collation}`,
      );
      prepared.push({ from: facts, to, staged });
      await writeMarker(conn, staged, stagingMarker(to));
    }

    const options = optionText(target);
    const byMember = new Map(prepared.map((p) => [p.from.member, p]));
    const restored = new Set<string>();
    for await (const entry of members) {
      const job = byMember.get(entry.path);
      if (!job || !entry.body || restored.has(entry.path)) {
        entry.body?.resume();
        continue;
      }
      ctx.log.info(`mysql: staging ${job.from.name} in ${job.staged} with ${client.path}`);
      await runClient(
        client,
        options,
        job.staged,
        entry.body,
        job.from.name,
        request.manifest,
        ctx,
      );
      restored.add(job.from.member);
    }
    for (const p of prepared)
      if (!restored.has(p.from.member))
        throw new IntegrityError(`mysql: the backup lacks ${p.from.member}`);

    // The staged tables must hold exactly the tables and rows the dump carried.
    for (const { from, staged } of prepared) {
      const live = await liveInventory(conn, staged);
      const got = new Map(
        live.tables
          .filter((t) => t.name !== `${staged}.${MARKER_TABLE}`)
          .map((t) => [t.name.slice(staged.length + 1), t.rows]),
      );
      const expected = (request.manifest.inventory.tables ?? []).filter((t) =>
        t.name.startsWith(`${from.name}.`),
      );
      for (const t of expected) {
        const name = t.name.slice(from.name.length + 1);
        const rows = got.get(name);
        if (rows !== t.rows) {
          throw new IntegrityError(
            `mysql: restored table ${from.name}.${name} holds ${rows ?? 'no'} rows, the backup ${t.rows}; nothing was changed`,
          );
        }
        got.delete(name);
      }
      if (got.size) {
        throw new IntegrityError(
          `mysql: the restore of ${from.name} made tables the backup does not list: ${[...got.keys()].join(', ')}; nothing was changed`,
        );
      }
    }
  } catch (err) {
    for (const p of prepared)
      await conn.query(`DROP DATABASE IF EXISTS ${ident(p.staged)}`).catch(() => {});
    if (err instanceof ConfigError || err instanceof SourceError || err instanceof IntegrityError)
      throw err;
    throw classify(err, 'target', target, ctx);
  } finally {
    await conn.end().catch(() => {});
  }

  const remaining = new Set(prepared.map((p) => p.staged));
  return {
    location: `${target.displayUrl.replace(/\/[^/]*$/, '')}/${prepared.map((p) => p.to).join(',')}`,
    commit: () => commitStaged(prepared, remaining, request, target, ctx),
    async abort() {
      if (!remaining.size) return;
      const c = await connect(target, 'target', ctx);
      try {
        for (const db of remaining) {
          await c.query(`DROP DATABASE IF EXISTS ${ident(db)}`);
          remaining.delete(db);
        }
      } finally {
        await c.end().catch(() => {});
      }
    },
  };
}

async function refuseNonEmpty(
  conn: Conn,
  db: string,
  overwrite: boolean,
  target: MysqlTarget,
): Promise<boolean> {
  const busy = (await databaseExists(conn, db)) && !(await isEmptyDatabase(conn, db));
  if (busy && !overwrite) {
    throw new ConfigError('target', `database '${db}' on ${target.displayUrl} is not empty`, {
      hint: 'restore into a new database (name it in the {{option:target}} URL), or set {{option:overwrite=true}} to replace it (a safety backup is taken first)',
    });
  }
  return busy;
}

/**
 * Moves each staged database into its target. A replaced database's content is first moved
 * aside into `<db>_lifeboat_old_…` (after the safety backup), and dropped only once the restored
 * content is in place.
 */
async function commitStaged(
  prepared: StagedDatabase[],
  remaining: Set<string>,
  request: RestoreRequest,
  target: MysqlTarget,
  ctx: SourceContext,
): Promise<RestoreResult> {
  const conn = await connect(target, 'target', ctx);
  const notes: string[] = [];
  const tables: Array<{ name: string; rows: number }> = [];
  try {
    for (const { from, to, staged } of prepared) {
      const busy = await refuseNonEmpty(conn, to, request.overwrite, target);
      let aside: string | undefined;
      let safety: string | undefined;
      if (busy) {
        if (request.safetyBackup) {
          safety = await request.safetyBackup(targetUrlFor(request, to));
          notes.push(`safety backup of '${to}' taken first: ${safety}`);
        } else notes.push(`overwriting '${to}' without a safety backup (none was offered)`);
        aside = `${to.slice(0, 30)}_lifeboat_old_${randomBytes(4).toString('hex')}`;
        await conn.query(
          `CREATE DATABASE ${ident(aside)} CHARACTER SET ${from.charset} COLLATE ${from.collation}`,
        );
        await moveDatabaseContent(conn, to, aside);
      }
      const created = !(await databaseExists(conn, to));
      if (created) {
        await conn.query(
          `CREATE DATABASE ${ident(to)} CHARACTER SET ${from.charset} COLLATE ${from.collation}`,
        );
      }
      try {
        await dropMarker(conn, staged);
        await moveDatabaseContent(conn, staged, to);
      } catch (err) {
        const kept = [
          ...(aside ? [`the previous content of '${to}' is in '${aside}'`] : []),
          ...(safety ? [`and in the safety backup ${safety}`] : []),
        ];
        throw new SourceError(
          `mysql: moving the restored '${from.name}' into '${to}' failed: ${(err as Error).message}`,
          {
            cause: err,
            hint: kept.length
              ? `${kept.join(' ')}; '${to}' may hold part of the restored data`
              : `'${to}' may hold part of the restored data; drop it and restore again`,
          },
        );
      }
      await conn.query(`DROP DATABASE IF EXISTS ${ident(staged)}`);
      remaining.delete(staged);
      if (aside) await conn.query(`DROP DATABASE IF EXISTS ${ident(aside)}`);
      const live = await liveInventory(conn, to);
      tables.push(...live.tables);
      notes.push(
        `${from.name} → ${to}: ${live.tables.length} tables, ${live.objects.views.length} views, ${live.objects.routines.length} routines, ${live.objects.triggers.length} triggers`,
      );
    }
    return {
      location: `${target.displayUrl.replace(/\/[^/]*$/, '')}/${prepared.map((p) => p.to).join(',')}`,
      inventory: { tables },
      notes,
    };
  } catch (err) {
    if (err instanceof ConfigError || err instanceof SourceError || err instanceof IntegrityError)
      throw err;
    throw classify(err, 'target', target, ctx);
  } finally {
    await conn.end().catch(() => {});
  }
}
