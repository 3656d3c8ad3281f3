/** MySQL / MariaDB scratch: a `<db>_drill_<id>` database on the target server. */
import { ConfigError, SourceError } from '../../core/errors.ts';
import { redactUrl } from '../../core/log.ts';
import { connect as connectMysql } from '../../sources/mysql/connection.ts';
import { parseMysqlUrl } from '../../sources/mysql/url.ts';
import { compare } from '../assert.ts';
import {
  firstValue,
  needTarget,
  onAbort,
  queryFailed,
  scratchName,
  sqlDetail,
  withPath,
  wrongFamily,
} from './common.ts';
import type { Scratch, ScratchRequest } from './common.ts';
import { detailsOf } from '../../sources/types.ts';

export function mysqlScratch(r: ScratchRequest): Scratch {
  const target = needTarget(r, 'mysql://root@127.0.0.1:3306');
  const server = parseMysqlUrl(target, 'target', r.sctx.env);
  r.sctx.redactor.add(server.password);
  const dumped = detailsOf(r.manifest, 'mysql').databases ?? [];
  if (dumped.length !== 1) {
    throw new ConfigError(
      'source',
      `the backup's source ${r.manifest.name} holds ${dumped.length} databases (${dumped.map((d) => d.name).join(', ')}); a drill restores one`,
      { hint: 'drill a backup of one database (back up each database as its own set)' },
    );
  }
  const db = dumped[0]!.name;
  const name = scratchName(db, r.backupId, 64);
  const url = withPath(target, name);
  const withServer = async <T>(
    use: (c: Awaited<ReturnType<typeof connectMysql>>) => Promise<T>,
    database?: string,
  ) => {
    const c = await connectMysql(server, 'target', r.sctx, database);
    try {
      return await use(c);
    } finally {
      await c.end().catch(() => {});
    }
  };
  const exists = () =>
    withServer(async (c) => {
      const [rows] = await c.query(
        'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        [name],
      );
      return (rows as unknown[]).length > 0;
    });
  return {
    source: r.manifest.name,
    kind: 'mysql',
    url,
    displayUrl: redactUrl(url),
    tableName: (t) => (t.startsWith(`${db}.`) ? `${name}.${t.slice(db.length + 1)}` : t),
    async occupied() {
      return (await exists()) ? `database '${name}' already exists` : undefined;
    },
    async remove() {
      await withServer((c) => c.query(`DROP DATABASE IF EXISTS \`${name.replace(/`/g, '``')}\``));
      if (await exists()) throw new SourceError(`could not drop the scratch database '${name}'`);
    },
    async check(a) {
      if (a.family !== 'sql') throw wrongFamily(a, 'mysql');
      return withServer(async (c) => {
        const stop = onAbort(r.sctx.signal, () => c.destroy());
        await c.query('START TRANSACTION READ ONLY');
        try {
          const [rows] = await c.query(a.query).catch((err: unknown) => {
            throw queryFailed(a.query, err, r.sctx);
          });
          const got = firstValue((rows as Array<Record<string, unknown>>)[0]);
          const ok = compare(got, a.op, a.expected);
          return { ok, detail: sqlDetail(a, got, ok) };
        } finally {
          stop();
          await c.query('ROLLBACK').catch(() => {});
        }
      }, name);
    },
  };
}
