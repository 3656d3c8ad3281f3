import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import pg from 'pg';
import type { MemberMeta, MemberRecord, MemberSink } from '../../src/archive/types.ts';
import { SourceError } from '../../src/core/errors.ts';
import { pgDriver } from '../../src/sources/postgres/index.ts';
import {
  LOCAL,
  dropDb,
  localServer,
  localUrl,
  makeCtx,
  query,
  uniqueDb,
} from './postgres-fixture.ts';
import { refusedPort } from '../helpers/ports.ts';

/** A sink that records, per member, whether its stream ended cleanly or errored. */
class RecordingSink implements MemberSink {
  readonly outcomes: Array<{ path: string; outcome: 'ended' | 'errored'; bytes: number }> = [];
  private readonly afterFirstChunk: (() => Promise<void>) | undefined;
  constructor(afterFirstChunk?: () => Promise<void>) {
    this.afterFirstChunk = afterFirstChunk;
  }
  async addFile(path: string, body: Readable | Buffer, _meta?: MemberMeta): Promise<MemberRecord> {
    let bytes = 0;
    let first = true;
    try {
      if (Buffer.isBuffer(body)) bytes = body.length;
      else {
        for await (const c of body) {
          bytes += (c as Buffer).length;
          if (first && this.afterFirstChunk) {
            first = false;
            await this.afterFirstChunk();
          }
        }
      }
    } catch (err) {
      this.outcomes.push({ path, outcome: 'errored', bytes });
      throw err;
    }
    this.outcomes.push({ path, outcome: 'ended', bytes });
    return { path, type: 'file', mode: 0o600, mtime: new Date().toISOString(), size: bytes };
  }
  addDirectory(): Promise<MemberRecord> {
    throw new Error('not used');
  }
  addSymlink(): Promise<MemberRecord> {
    throw new Error('not used');
  }
}

/** The pg_dump backend of a running dump, found by the application name Lifeboat gives it. */
async function waitForDumpBackend(
  admin: pg.Client,
  db: string,
  condition: string,
): Promise<number> {
  for (;;) {
    const r = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'lifeboat pg_dump' AND ${condition}`,
      [db],
    );
    if (r.rows[0]) return r.rows[0].pid;
    await new Promise((res) => setTimeout(res, 20));
  }
}

let admin: pg.Client | undefined;
const created: string[] = [];

before(async () => {
  admin = await localServer();
});
after(async () => {
  if (!admin) return;
  for (const db of created) await dropDb(admin, db);
  await admin.end();
});

describe('postgres dump faults', () => {
  test('a pg_dump backend terminated while it waits for a lock fails the dump; the member stream errors', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = uniqueDb('term');
    created.push(db);
    await admin.query(`CREATE DATABASE ${db}`);
    await query(
      db,
      'CREATE TABLE blocker (x int); CREATE TABLE other (y int); INSERT INTO other VALUES (1);',
    );
    const locker = new pg.Client({ ...LOCAL, database: db });
    await locker.connect();
    const ctx = await makeCtx();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE blocker IN ACCESS EXCLUSIVE MODE');
      const sink = new RecordingSink();
      const dumping = pgDriver.open(localUrl(db), ctx).dump(sink, ctx);
      // pg_dump blocks on its ACCESS SHARE lock of `blocker`; end its backend there.
      const pid = await waitForDumpBackend(admin, db, `wait_event_type = 'Lock'`);
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await assert.rejects(dumping, (err: unknown) => {
        assert.ok(err instanceof SourceError, String(err));
        assert.match(err.message, /pg_dump of database ".*" failed \(exit code 1\)/);
        assert.match(
          err.message,
          /terminating connection due to administrator command|server closed the connection/,
        );
        return true;
      });
      assert.deepEqual(
        sink.outcomes.map((o) => o.outcome),
        ['errored'],
      );
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      await locker.end();
      await ctx.cleanup();
    }
  });

  test('a backend terminated in the middle of the data fails the dump after bytes were streamed', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = uniqueDb('mid');
    created.push(db);
    await admin.query(`CREATE DATABASE ${db}`);
    // About 30 MB of COPY data: far more than the pipe and stream buffers hold.
    await query(
      db,
      `CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS t FROM generate_series(1, 400000) g`,
    );
    const ctx = await makeCtx();
    try {
      // The sink holds the stream after the first chunk, so pg_dump is blocked mid-COPY, then ends its backend.
      const sink = new RecordingSink(async () => {
        const pid = await waitForDumpBackend(admin!, db, `query LIKE 'COPY%'`);
        await admin!.query('SELECT pg_terminate_backend($1)', [pid]);
      });
      await assert.rejects(pgDriver.open(localUrl(db), ctx).dump(sink, ctx), (err: unknown) => {
        assert.ok(err instanceof SourceError, String(err));
        assert.match(err.message, /failed \(exit code 1\) after \d/);
        return true;
      });
      assert.equal(sink.outcomes.length, 1);
      assert.equal(sink.outcomes[0]!.outcome, 'errored');
      assert.ok(sink.outcomes[0]!.bytes > 0);
    } finally {
      await ctx.cleanup();
    }
  });

  test('losing the session that holds the snapshot names the database and says the dump was abandoned', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = uniqueDb('snap');
    created.push(db);
    await admin.query(`CREATE DATABASE ${db}`);
    await query(
      db,
      `CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS t FROM generate_series(1, 100000) g`,
    );
    const ctx = await makeCtx();
    try {
      // Once pg_dump streams, end Lifeboat's own session (the one that exported the snapshot).
      const sink = new RecordingSink(async () => {
        const r = await admin!.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'lifeboat'`,
          [db],
        );
        assert.equal(r.rows.length, 1);
        await admin!.query('SELECT pg_terminate_backend($1)', [r.rows[0]!.pid]);
      });
      await assert.rejects(pgDriver.open(localUrl(db), ctx).dump(sink, ctx), (err: unknown) => {
        assert.ok(err instanceof SourceError, String(err));
        assert.match(
          err.message,
          new RegExp(
            `lost the PostgreSQL session holding the snapshot of database "${db}" at 127\\.0\\.0\\.1:5432`,
          ),
        );
        assert.match(err.message, /the dump was abandoned/);
        assert.doesNotMatch(err.message, /not queryable/);
        return true;
      });
    } finally {
      await ctx.cleanup();
    }
  });

  test('an unreachable host is operational (SourceError) naming the server, database, option and fix; nothing is dumped', async (t) => {
    const port = await refusedPort();
    const ctx = await makeCtx();
    try {
      for (const url of [
        `postgres://postgres:pw-secret-1@127.0.0.1:${port}/x`,
        'postgres://postgres:pw-secret-1@no-such-host.invalid/x',
      ]) {
        const sink = new RecordingSink();
        await assert.rejects(pgDriver.open(url, ctx).dump(sink, ctx), (err: unknown) => {
          assert.ok(err instanceof SourceError, String(err));
          assert.match(err.message, /^source: PostgreSQL at [^ ]+, database "x": /);
          assert.match(
            err.message,
            /cannot reach PostgreSQL at .* \((ECONNREFUSED|ENOTFOUND|EAI_AGAIN)\)/,
          );
          assert.match(err.hint ?? '', /host and port in the source URL/);
          assert.ok(!err.message.includes('pw-secret-1'));
          return true;
        });
        assert.deepEqual(sink.outcomes, []);
      }
    } finally {
      await ctx.cleanup();
    }
    void t;
  });

  test('a server that accepts the connection but never answers times out as operational (exit 1)', async () => {
    // A listener that takes the TCP connection and says nothing, like a hung server.
    const sockets = new Set<import('node:net').Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const ctx = await makeCtx();
    try {
      const sink = new RecordingSink();
      await assert.rejects(
        pgDriver
          .open(`postgres://postgres@127.0.0.1:${port}/x?connect_timeout=1`, ctx)
          .dump(sink, ctx),
        (err: unknown) => {
          assert.ok(err instanceof SourceError, String(err));
          assert.match(
            err.message,
            new RegExp(`^source: PostgreSQL at 127\\.0\\.0\\.1:${port}, database "x": .*timed out`),
          );
          assert.match(err.hint ?? '', /connect_timeout/);
          return true;
        },
      );
      assert.deepEqual(sink.outcomes, []);
    } finally {
      await ctx.cleanup();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  test('a database that does not exist is operational (found only by connecting); nothing is dumped', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const ctx = await makeCtx();
    try {
      const sink = new RecordingSink();
      await assert.rejects(
        pgDriver.open(localUrl('lb_surely_missing_db'), ctx).dump(sink, ctx),
        (err: unknown) => {
          assert.ok(err instanceof SourceError, String(err));
          assert.match(
            err.message,
            /database "lb_surely_missing_db" does not exist on 127\.0\.0\.1:5432/,
          );
          return true;
        },
      );
      assert.deepEqual(sink.outcomes, []);
    } finally {
      await ctx.cleanup();
    }
  });

  test('a pg_dump that exits 0 without writing anything is refused (0 bytes)', async (t) => {
    if (!admin) return t.skip('PostgreSQL is not running on 127.0.0.1:5432');
    const db = uniqueDb('zero');
    created.push(db);
    await admin.query(`CREATE DATABASE ${db}`);
    // A stand-in pg_dump: reports version 15.20, then writes nothing and succeeds.
    const bin = await mkdtemp(join(tmpdir(), 'lb-fake-pgdump-'));
    await writeFile(
      join(bin, 'pg_dump'),
      '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 15.20"; fi\nexit 0\n',
    );
    await chmod(join(bin, 'pg_dump'), 0o755);
    const ctx = await makeCtx({ 'pg-bin': bin });
    try {
      const sink = new RecordingSink();
      await assert.rejects(pgDriver.open(localUrl(db), ctx).dump(sink, ctx), (err: unknown) => {
        assert.ok(err instanceof SourceError, String(err));
        assert.match(err.message, /it wrote 0 bytes/);
        return true;
      });
      assert.deepEqual(
        sink.outcomes.map((o) => o.outcome),
        ['errored'],
      );
    } finally {
      await ctx.cleanup();
      await rm(bin, { recursive: true, force: true });
    }
  });
});
