/**
 * SQLite source (`sqlite:<path>`, `sqlite:///abs/path`).
 *
 * One member, `database.sqlite`: a copy made with SQLite's online backup API (node:sqlite
 * `backup()`), so it is a consistent snapshot even while other processes write, WAL included.
 * The copy must pass `PRAGMA integrity_check` before it goes into the archive, and again (with
 * row counts compared to the manifest) before a restore puts it in place.
 */
import { DatabaseSync } from 'node:sqlite';
import type { Inventory } from '../../archive/types.ts';
import { ConfigError, SourceError } from '../../core/errors.ts';
import { sqliteIncremental } from './incremental.ts';
import { refuseIncremental } from '../incremental.ts';
import type { SourceContext, SourceDriver } from '../types.ts';
import { exists, isNotADatabase, message, openExisting, tableCounts } from './database.ts';
import { SqliteSource } from './dump.ts';
import { SQLITE_MEMBER, sqlitePath, workingDir } from './path.ts';
import { stageSqlite } from './restore.ts';
import { verifySqlite } from './verify.ts';

async function inventorySqlite(url: string, ctx: SourceContext): Promise<Inventory> {
  const path = sqlitePath(url, 'target', workingDir(ctx));
  if (!(await exists(path))) {
    throw new ConfigError('target', `SQLite database ${path} does not exist`);
  }
  let db: DatabaseSync | undefined;
  try {
    db = openExisting(path, true);
    return { tables: tableCounts(db) };
  } catch (err) {
    if (isNotADatabase(err)) {
      throw new SourceError(`${path} is not a valid SQLite database: ${message(err)}`, {
        cause: err,
      });
    }
    throw new SourceError(`cannot read ${path}: ${message(err)}`, { cause: err });
  } finally {
    db?.close();
  }
}

export const sqliteDriver: SourceDriver = {
  kind: 'sqlite',
  schemes: ['sqlite'],
  open: (url, ctx) => new SqliteSource(url, ctx),
  stage: async (members, request, ctx) => {
    refuseIncremental(request.manifest);
    return stageSqlite(members, request, ctx);
  },
  verify: async (members, manifest, ctx) => {
    refuseIncremental(manifest);
    return verifySqlite(members, manifest, ctx);
  },
  inventory: inventorySqlite,
  incremental: sqliteIncremental(SQLITE_MEMBER),
};
