/**
 * MySQL / MariaDB source (`mysql://user:password@host:3306/db`, `mariadb://…`).
 *
 * Each database is dumped by the client tool matching the server (mariadb-dump for MariaDB,
 * mysqldump for MySQL) into its own member `<db>.sql`, as one consistent InnoDB snapshot
 * (--single-transaction) with routines, triggers, events and binary columns as hex. The dump
 * has no CREATE DATABASE / USE lines, so a restore can put it into any database name.
 * Credentials reach the tools as an option file's text on a pipe (--defaults-extra-file=/dev/fd/3,
 * see WITH_OPTIONS_ON_FD3), never a file on disk nor a command line.
 */
import { ConfigError, SourceError } from '../../core/errors.ts';
import type { Source, SourceContext, SourceDriver } from '../types.ts';
import { classify, connect, queryRows } from './connection.ts';
import { MysqlSource } from './dump.ts';
import { liveInventory } from './inventory.ts';
import type { DbObjects } from './inventory.ts';
import { stageInto } from './restore.ts';
import { SYSTEM_SCHEMAS, parseMysqlUrl } from './url.ts';
import { verifyMembers } from './verify.ts';

export const mysqlDriver: SourceDriver = {
  kind: 'mysql',
  schemes: ['mysql', 'mariadb'],

  open(url: string, ctx: SourceContext): Source {
    const target = parseMysqlUrl(url, 'source', ctx.env);
    ctx.redactor.add(target.password);
    return new MysqlSource(target);
  },

  stage: stageInto,

  async verify(members, manifest) {
    await verifyMembers(members, manifest);
  },

  async inventory(url, ctx) {
    const target = parseMysqlUrl(url, 'target', ctx.env);
    const conn = await connect(target, 'target', ctx);
    try {
      const dbs = target.database
        ? [target.database]
        : (
            await queryRows<{ n: string }>(
              conn,
              'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA ORDER BY 1',
            )
          )
            .map((r) => r.n)
            .filter((n) => !SYSTEM_SCHEMAS.includes(n));
      const tables: Array<{ name: string; rows: number }> = [];
      const objects: Record<string, DbObjects> = {};
      for (const db of dbs) {
        const inv = await liveInventory(conn, db);
        tables.push(...inv.tables);
        objects[db] = inv.objects;
      }
      return { tables, extra: { objects } };
    } catch (err) {
      if (err instanceof ConfigError || err instanceof SourceError) throw err;
      throw classify(err, 'target', target, ctx);
    } finally {
      await conn.end().catch(() => {});
    }
  },
};
