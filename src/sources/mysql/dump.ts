/** Backup: one consistent dump per database into its member `<db>.sql`. */
import { describeExit } from '../../core/process.ts';
import { Readable } from 'node:stream';
import type { Inventory, MemberSink } from '../../archive/types.ts';
import { ConfigError, SourceError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import { SqlDumpScan } from './dump-scan.ts';
import type { DumpResult, Source, SourceContext, SourceDetails } from '../types.ts';
import { classify, connect, queryRows } from './connection.ts';
import { listObjects } from './inventory.ts';
import type { DbFacts, DbObjects } from './inventory.ts';
import { findClient, optionText, serverInfo, startClient } from './tools.ts';
import type { ServerInfo } from './tools.ts';
import { SYSTEM_SCHEMAS } from './url.ts';
import type { MysqlTarget } from './url.ts';

/** Member name of a database's dump. */
export function memberFor(db: string): string {
  return `${encodeURIComponent(db)}.sql`;
}

export function databasesOption(ctx: SourceContext): string[] {
  return (ctx.options.databases ?? []).map((s) => s.trim()).filter(Boolean);
}

export class MysqlSource implements Source {
  readonly kind = 'mysql';
  readonly displayUrl: string;
  private readonly target: MysqlTarget;

  constructor(target: MysqlTarget) {
    this.target = target;
    this.displayUrl = target.displayUrl;
  }

  async dump(sink: MemberSink, ctx: SourceContext): Promise<DumpResult> {
    const conn = await connect(this.target, 'source', ctx);
    let databases: DbFacts[];
    let server: ServerInfo;
    const objects: Record<string, DbObjects> = {};
    try {
      const [v] = await queryRows<{ v: string; c: string }>(
        conn,
        'SELECT VERSION() AS v, @@version_comment AS c',
      );
      server = serverInfo(v!.v, v!.c);
      const schemata = await queryRows<{ n: string; cs: string; co: string }>(
        conn,
        'SELECT SCHEMA_NAME AS n, DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME',
      );
      const chosen = databasesOption(ctx);
      if (chosen.length && this.target.database) {
        throw new ConfigError(
          'databases',
          `the source URL already names database '${this.target.database}'`,
          {
            hint: 'name the databases either in the URL path or in the databases option, not both',
          },
        );
      }
      const wanted = chosen.length
        ? chosen
        : this.target.database
          ? [this.target.database]
          : schemata.map((s) => s.n).filter((n) => !SYSTEM_SCHEMAS.includes(n));
      const missing = wanted.filter((w) => !schemata.some((s) => s.n === w));
      if (missing.length) {
        // Found only by asking the server, so operational like a refused connection (exit 1).
        throw new SourceError(
          `${chosen.length ? 'databases' : 'source'}: database ${missing.map((m) => `'${m}'`).join(', ')} does not exist on ${this.displayUrl}`,
          {
            hint: `check the ${chosen.length ? 'databases option' : 'database name in the source URL'}; existing databases: ${
              schemata
                .map((s) => s.n)
                .filter((n) => !SYSTEM_SCHEMAS.includes(n))
                .join(', ') || '(none)'
            }`,
          },
        );
      }
      if (!wanted.length)
        throw new ConfigError('source', `${this.displayUrl} has no user databases to back up`);
      databases = wanted.map((n) => {
        const s = schemata.find((x) => x.n === n)!;
        return { name: n, member: memberFor(n), charset: s.cs, collation: s.co };
      });
      for (const db of databases) objects[db.name] = (await listObjects(conn, db.name)).objects;
    } catch (err) {
      await conn.end().catch(() => {});
      if (err instanceof ConfigError || err instanceof SourceError) throw err;
      throw classify(err, 'source', this.target, ctx);
    }
    await conn.end().catch(() => {});

    const { client, args, warnings } = await findClient(server, ctx, 'dump');
    for (const w of warnings) ctx.log.warn(`mysql: ${w}`);
    const versions: Record<string, string> = {
      server: server.full,
      [client.path.split('/').pop()!]: `${client.flavour} ${client.version}`,
    };
    const tables: Array<{ name: string; rows: number }> = [];
    const options = optionText(this.target);
    for (const db of databases) {
      ctx.log.info(
        `mysql: dumping ${db.name} with ${client.path} (${client.flavour} ${client.version})`,
      );
      const scan = await this.dumpOne(db, client.path, args, options, sink, ctx);
      for (const [t, rows] of scan.rows) tables.push({ name: `${db.name}.${t}`, rows });
      ctx.log.info(`mysql: ${db.name}: ${scan.rows.size} tables, ${formatBytes(scan.bytes)}`);
    }
    const inventory: Inventory = { tables, extra: { objects } };
    const details: SourceDetails<'mysql'> = {
      flavour: server.flavour,
      serverVersion: server.version,
      databases,
      dumpTool: `${client.flavour} ${client.version}`,
    };
    return { versions, inventory, details };
  }

  private async dumpOne(
    db: DbFacts,
    tool: string,
    extra: string[],
    options: string,
    sink: MemberSink,
    ctx: SourceContext,
  ): Promise<SqlDumpScan> {
    const args = [
      '--single-transaction',
      '--quick',
      '--routines',
      '--triggers',
      '--events',
      '--hex-blob',
      '--no-tablespaces',
      '--default-character-set=utf8mb4',
      '--max-allowed-packet=1G',
      ...extra,
      '--',
      db.name,
    ];
    const child = startClient(tool, args, options, { stdin: 'ignore', stdout: 'pipe' }, ctx);
    const scan = new SqlDumpScan();
    const label = `${this.displayUrl} database '${db.name}'`;
    async function* body(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of child.stdout!) {
          scan.update(chunk as Buffer);
          yield chunk as Buffer;
        }
      } finally {
        child.stop();
      }
      const status = await child.exited;
      if (status.code !== 0) {
        if (child.aborted) throw child.failure(status);
        const text = child.stderrTail();
        throw new SourceError(
          `mysql: the dump of ${label} failed (${describeExit(status, child.tool)}): ${text || 'no message'}`,
          {
            hint: /Lost connection|gone away|2013|Killed|2006/i.test(text)
              ? 'the server closed the connection during the dump (restart, kill, wait_timeout or max_allowed_packet); run the backup again'
              : /insufficient privileges|Access denied|command denied/i.test(text)
                ? 'the backup user needs SELECT, SHOW VIEW, TRIGGER, EVENT and LOCK TABLES on the databases, and to read routine bodies: SHOW_ROUTINE (MySQL 8.0.20+), SHOW CREATE ROUTINE (MariaDB 11.3+) or SELECT on mysql.proc (older MariaDB)'
                : undefined,
          },
        );
      }
      if (!scan.complete) {
        throw new SourceError(
          `mysql: the dump of ${label} ends without its '-- Dump completed' trailer: it is incomplete`,
        );
      }
    }
    try {
      await sink.addFile(db.member, Readable.from(body()), { mode: 0o600 });
    } finally {
      child.stop();
      await child.exited;
    }
    return scan;
  }
}
