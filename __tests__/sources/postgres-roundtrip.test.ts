import assert from 'node:assert/strict';
import { sourceRoundTripSuite } from '../helpers/roundtrip-suite.ts';
import {
  FIXTURE_SQL,
  contentDigests,
  databasesLike,
  dropDb,
  localServer,
  localUrl,
  query,
  schemaDump,
  uniqueDb,
} from './postgres-fixture.ts';

sourceRoundTripSuite('postgres', async () => {
  const admin = await localServer();
  if (!admin) return undefined;
  const db = uniqueDb('cli');
  const target = `${db}_restored`;
  await admin.query(`CREATE DATABASE ${db}`);
  await query(db, FIXTURE_SQL);
  return {
    source: localUrl(db),
    target: localUrl(target),
    async compare() {
      assert.deepEqual(await contentDigests(target), await contentDigests(db));
      assert.equal(schemaDump(target), schemaDump(db));
    },
    async cleanup() {
      for (const name of await databasesLike(admin, db)) await dropDb(admin, name);
      await admin.end();
    },
  };
});
