/** PostgreSQL scratch: a `<db>_drill_<id>` database on the target server. */
import { SourceError } from '../../core/errors.ts';
import { redactUrl } from '../../core/log.ts';
import { adminConnection, connect as connectPg } from '../../sources/postgres/connection.ts';
import { dropDatabase } from '../../sources/postgres/restore.ts';
import { parsePgUrl, withDatabase } from '../../sources/postgres/url.ts';
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

export function postgresScratch(r: ScratchRequest): Scratch {
  const target = needTarget(r, 'postgres://postgres@localhost:5432/postgres');
  const server = parsePgUrl(target, 'target', r.sctx.env);
  r.sctx.redactor.add(server.password);
  const db =
    typeof r.manifest.details?.database === 'string'
      ? r.manifest.details.database
      : parsePgUrl(r.manifest.url, 'source', {}).database;
  const name = scratchName(db, r.backupId, 63);
  const url = withPath(target, name);
  const conn = withDatabase(server, name);
  return {
    source: r.manifest.name,
    kind: 'postgres',
    url,
    displayUrl: redactUrl(url),
    tableName: (t) => t,
    async occupied() {
      const admin = await adminConnection(server, r.sctx);
      try {
        const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        return found.rowCount ? `database "${name}" already exists` : undefined;
      } finally {
        await admin.end().catch(() => {});
      }
    },
    async remove() {
      const admin = await adminConnection(server, r.sctx);
      try {
        await dropDatabase(admin, name, r.sctx);
        const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (left.rowCount) throw new SourceError(`could not drop the scratch database "${name}"`);
      } finally {
        await admin.end().catch(() => {});
      }
    },
    async check(a) {
      if (a.family !== 'sql') throw wrongFamily(a, 'postgres');
      const c = await connectPg(conn, 'target', r.sctx);
      // A cancel ends the connection, which fails a query that waits (on a lock, a long scan).
      const stop = onAbort(r.sctx.signal, () => void c.end().catch(() => {}));
      try {
        await c.query('BEGIN READ ONLY');
        const res = await c.query(a.query).catch((err: unknown) => {
          throw queryFailed(a.query, err, r.sctx);
        });
        const got = firstValue(res.rows[0] as Record<string, unknown> | undefined);
        const ok = compare(got, a.op, a.expected);
        return { ok, detail: sqlDetail(a, got, ok) };
      } finally {
        stop();
        await c.query('ROLLBACK').catch(() => {});
        await c.end().catch(() => {});
      }
    },
  };
}
