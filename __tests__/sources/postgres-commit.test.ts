import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { SourceManifest } from '../../src/archive/types.ts';
import { SourceError } from '../../src/core/errors.ts';
import { pgDriver } from '../../src/sources/postgres/index.ts';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import {
  LOCAL,
  databasesLike,
  dropDb,
  localServer,
  localUrl,
  makeCtx,
  query,
  uniqueDb,
} from './postgres-fixture.ts';

/**
 * The commit phase on its own: staging touches nothing, and a commit that cannot swap the
 * staged database in (here an application reconnects to the target while the safety backup is
 * taken) keeps the old database, names the safety backup, and abort drops what was staged.
 */
test('postgres: a failed overwrite commit keeps the old data, names the safety backup, and abort leaves nothing', async (t) => {
  const admin = await localServer();
  if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
  const base = uniqueDb('commit');
  const [src, used] = [`${base}_src`, `${base}_used`];
  const ctx = await makeCtx();
  let app: pg.Client | undefined;
  try {
    for (const db of [src, used]) await admin.query(`CREATE DATABASE ${db}`);
    await query(src, "CREATE TABLE people (name text); INSERT INTO people VALUES ('new')");
    await query(used, "CREATE TABLE people (name text); INSERT INTO people VALUES ('old')");
    const buf = new MemberBuffer();
    const res = await pgDriver.open(localUrl(src), ctx).dump(buf, ctx);
    const manifest: SourceManifest = {
      name: 'db',
      kind: 'postgres',
      url: localUrl(src),
      versions: res.versions,
      inventory: res.inventory,
      members: buf.records(),
      details: res.details,
      durationMs: 0,
    };

    const staged = await pgDriver.stage(
      buf.entries(),
      {
        target: localUrl(used),
        overwrite: true,
        manifest,
        backupId: 'b',
        safetyBackup: async () => {
          app = new pg.Client({ ...LOCAL, database: used });
          app.on('error', () => {});
          await app.connect();
          return 'set-safety/20261130T000000Z-abcdef';
        },
      },
      ctx,
    );
    // Staged, not committed: the target still holds the old data, the new one sits beside it.
    assert.deepEqual((await query(used, 'SELECT name FROM people')).rows, [{ name: 'old' }]);
    const beside = (await databasesLike(admin, `${used}_lifeboat_new_`)).length;
    assert.equal(beside, 1);

    await assert.rejects(staged.commit(), (err: unknown) => {
      assert.ok(err instanceof SourceError, String(err));
      assert.match(err.message, /moving the restored database into place failed.*was not changed/);
      assert.match(err.hint ?? '', /set-safety\/20261130T000000Z-abcdef/);
      return true;
    });
    await staged.abort();
    await staged.abort();
    assert.deepEqual((await query(used, 'SELECT name FROM people')).rows, [{ name: 'old' }]);
    assert.deepEqual(await databasesLike(admin, `${used}_lifeboat_`), []);
  } finally {
    await app?.end().catch(() => {});
    for (const name of await databasesLike(admin, base)) await dropDb(admin, name);
    await admin.end();
    await ctx.cleanup();
  }
});
