import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../src/core/errors.ts';
import { Redactor, silentLogger } from '../../src/core/log.ts';
import { memberBaseName } from '../../src/sources/postgres/dump.ts';
import {
  compareInventories,
  filterArgs,
  patternToRegex,
} from '../../src/sources/postgres/inventory.ts';
import { childEnv, parsePgUrl } from '../../src/sources/postgres/url.ts';
import {
  archiveVersionWrittenBy,
  largeWriter,
  majorOfVersionNum,
  parseDumpHeader,
  parseToolVersion,
  pickDumpClient,
  pickRestoreClient,
  startTool,
} from '../../src/sources/postgres/tools.ts';
import type { PgClient, ToolWrapper } from '../../src/sources/postgres/tools.ts';
import type { SourceContext } from '../../src/sources/types.ts';

const client = (major: number, fromPgBin = false): PgClient => ({
  tool: 'pg_dump',
  path: `/usr/lib/postgresql/${major}/bin/pg_dump`,
  dir: `/usr/lib/postgresql/${major}/bin`,
  version: `${major}.1`,
  major,
  fromPgBin,
});

describe('postgres URL and environment', () => {
  test('parses a URL, percent-decoding the password, and shows it without the password', () => {
    const c = parsePgUrl(
      'postgresql://app:p%40ss%3Aw@db.example.com:6543/shop?sslmode=require',
      'source',
    );
    assert.equal(c.host, 'db.example.com');
    assert.equal(c.port, 6543);
    assert.equal(c.user, 'app');
    assert.equal(c.password, 'p@ss:w');
    assert.equal(c.database, 'shop');
    assert.deepEqual(c.params, { sslmode: 'require' });
    assert.ok(!c.displayUrl.includes('p%40ss'));
    assert.equal(c.databaseFromUrl, true);
  });

  test('missing parts come from the PG* variables', () => {
    const c = parsePgUrl('postgres://', 'source', {
      PGHOST: '/run/postgresql',
      PGPORT: '5433',
      PGUSER: 'u',
      PGPASSWORD: 'envpass',
      PGDATABASE: 'd',
      PGSSLMODE: 'verify-full',
    });
    assert.deepEqual(
      [c.host, c.port, c.user, c.password, c.database, c.params.sslmode],
      ['/run/postgresql', 5433, 'u', 'envpass', 'd', 'verify-full'],
    );
    assert.equal(c.databaseFromUrl, false);
  });

  test('bad URLs are ConfigErrors naming the option', () => {
    assert.throws(
      () => parsePgUrl('postgres://h/db?bogus=1', 'target'),
      (e: unknown) => e instanceof ConfigError && e.option === 'target' && /bogus/.test(e.message),
    );
    assert.throws(() => parsePgUrl('postgres://h:99999/db', 'source'), ConfigError);
    assert.throws(() => parsePgUrl('mysql://h/db', 'source'), ConfigError);
    assert.throws(() => parsePgUrl('postgres://h/a/b', 'source'), ConfigError);
  });

  test("the password goes into the child's environment only, never into process.env", () => {
    const before = process.env.PGPASSWORD;
    const conn = parsePgUrl(
      'postgres://u:sekrit-pw@h:5432/d?sslmode=require&connect_timeout=5',
      'source',
    );
    const env = childEnv(
      conn,
      {
        log: silentLogger,
        redactor: new Redactor(),
        env: { PATH: '/bin' },
        tmpDir: '/tmp',
        options: {},
      },
      'lifeboat pg_dump',
    );
    assert.equal(env.PGPASSWORD, 'sekrit-pw');
    assert.equal(env.PGHOST, 'h');
    assert.equal(env.PGDATABASE, 'd');
    assert.equal(env.PGSSLMODE, 'require');
    assert.equal(env.PGCONNECT_TIMEOUT, '5');
    assert.equal(env.PGAPPNAME, 'lifeboat pg_dump');
    assert.equal(env.PATH, '/bin');
    assert.equal(process.env.PGPASSWORD, before);
  });

  test('member names are path-safe', () => {
    assert.equal(memberBaseName('shop'), 'shop');
    assert.equal(memberBaseName('../we ird/db'), '__we_ird_db');
    assert.equal(memberBaseName(''), 'database');
  });
});

describe('postgres name patterns and filters', () => {
  test('pg_dump patterns become anchored regexes with psql rules', () => {
    assert.deepEqual(patternToRegex('Users'), { name: '^(users)$' });
    assert.deepEqual(patternToRegex('app.log_*'), { schema: '^(app)$', name: '^(log_.*)$' });
    assert.deepEqual(patternToRegex('"MixedCase".t?'), { schema: '^(MixedCase)$', name: '^(t.)$' });
    assert.deepEqual(patternToRegex('"a.b"'), { name: '^(a\\.b)$' });
    assert.deepEqual(patternToRegex('x$'), { name: '^(x\\$)$' });
  });

  test('filters become pg_dump flags', () => {
    assert.deepEqual(
      filterArgs({
        includeSchemas: ['a'],
        excludeSchemas: ['b'],
        includeTables: ['c.d'],
        excludeTables: ['e'],
      }),
      ['--schema=a', '--exclude-schema=b', '--table=c.d', '--exclude-table=e'],
    );
  });

  test('inventory comparison reports missing, extra and miscounted tables; estimates are not compared', () => {
    const diffs = compareInventories(
      {
        tables: [
          { name: 'a.x', rows: 1 },
          { name: 'a.y', rows: 2 },
          { name: 'a.z', rows: 10, estimated: true },
        ],
      },
      {
        tables: [
          { name: 'a.x', rows: 1 },
          { name: 'a.z', rows: 12 },
          { name: 'a.w', rows: 0 },
        ],
      },
    );
    assert.deepEqual(diffs, ['table a.y is missing', 'table a.w is not in the backup']);
  });
});

describe('postgres client versions', () => {
  test('parses tool versions', () => {
    assert.deepEqual(parseToolVersion('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n'), {
      version: '15.20',
      major: 15,
    });
    assert.deepEqual(parseToolVersion('pg_restore (PostgreSQL) 18beta1'), {
      version: '18beta1',
      major: 18,
    });
    assert.deepEqual(parseToolVersion('pg_dump (PostgreSQL) 9.6.24'), {
      version: '9.6.24',
      major: 9.6,
    });
    assert.equal(parseToolVersion('nothing'), undefined);
    assert.equal(majorOfVersionNum(180004), 18);
    assert.equal(majorOfVersionNum(90624), 9.6);
  });

  test('dump client: pg-bin when new enough, else the oldest one at least as new as the server', () => {
    assert.equal(pickDumpClient([client(18), client(15), client(16)], 15)!.major, 15);
    assert.equal(pickDumpClient([client(18), client(15), client(16)], 16)!.major, 16);
    assert.equal(pickDumpClient([client(15), client(17, true), client(16)], 16)!.major, 17);
    assert.equal(pickDumpClient([client(15, true), client(17)], 16)!.major, 17);
    assert.equal(pickDumpClient([client(15)], 18), undefined);
  });

  test('restore client: one that reads the archive version, pg-bin first, else the newest', () => {
    assert.deepEqual(archiveVersionWrittenBy(15), [1, 14]);
    assert.deepEqual(archiveVersionWrittenBy(16), [1, 15]);
    assert.deepEqual(archiveVersionWrittenBy(18), [1, 16]);
    assert.equal(pickRestoreClient([client(15), client(17)], [1, 14])!.major, 17);
    assert.equal(pickRestoreClient([client(15, true), client(17)], [1, 14])!.major, 15);
    assert.equal(pickRestoreClient([client(15), client(16)], [1, 16]), undefined);
  });

  test('reads the custom-format header', () => {
    assert.deepEqual(
      parseDumpHeader(Buffer.from([...Buffer.from('PGDMP'), 1, 14, 0, 4, 8])),
      [1, 14, 0],
    );
    assert.equal(parseDumpHeader(Buffer.from('PGDMX\x01\x0e\x00')), undefined);
    assert.equal(parseDumpHeader(Buffer.from('PGD')), undefined);
  });
});

describe('pg_dump writes its output in 1 MiB pieces through stdbuf', () => {
  // seq writes through C stdio as pg_dump does: 4 KB per write unless stdbuf sets its buffer.
  const seq = ['/usr/bin/seq', '/bin/seq'].find((p) => existsSync(p))!;
  const stdbuf = ['/usr/bin/stdbuf', '/bin/stdbuf'].find((p) => existsSync(p))!;
  const tool = (path: string): PgClient => ({
    tool: 'pg_dump',
    path,
    dir: dirname(path),
    version: '1.0',
    major: 1,
    fromPgBin: false,
  });
  const expected = Array.from({ length: 300_000 }, (_, i) => `${i + 1}\n`).join('');

  async function run(env: NodeJS.ProcessEnv, wrapper: ToolWrapper | undefined) {
    const ctx = {
      log: silentLogger,
      redactor: new Redactor(),
      env,
      tmpDir: tmpdir(),
      options: {},
    } as SourceContext;
    const r = startTool(tool(seq), ['300000'], env, 'ignore', 'pipe', ctx, wrapper);
    const pieces: Buffer[] = [];
    r.child.stdout!.on('data', (c: Buffer) => pieces.push(c));
    const status = await r.exited;
    return { status, pieces, out: Buffer.concat(pieces).toString(), argv0: r.child.spawnargs[0] };
  }

  test('a working stdbuf on PATH runs the tool: the same bytes in few large reads', async () => {
    assert.ok(seq && stdbuf, 'seq and stdbuf (coreutils) are needed');
    const env = { PATH: dirname(stdbuf) };
    const wrapper = await largeWriter(tool(seq), env);
    assert.deepEqual(wrapper, { command: stdbuf, args: ['-o', '1M'] });
    const r = await run(env, wrapper);
    assert.deepEqual(r.status, { code: 0, signal: null });
    assert.equal(r.argv0, stdbuf);
    assert.equal(r.out, expected);
    // Writes of 1 MiB reach the socket in pieces of about 32 KB or more, not 4 KB.
    assert.ok(
      r.pieces.length <= expected.length / 8192,
      `${r.pieces.length} reads for ${expected.length} bytes`,
    );
  });

  test('without stdbuf on PATH the tool runs as it is, with the same bytes', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'lifeboat-nostdbuf-'));
    try {
      const env = { PATH: empty };
      const wrapper = await largeWriter(tool(seq), env);
      assert.equal(wrapper, undefined);
      const r = await run(env, wrapper);
      assert.deepEqual(r.status, { code: 0, signal: null });
      assert.equal(r.argv0, seq);
      assert.equal(r.out, expected);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  test('a stdbuf that fails, or cannot run this client, is not used', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-badstdbuf-'));
    try {
      // As coreutils' stdbuf does when its preload library is missing.
      await writeFile(
        join(dir, 'stdbuf'),
        '#!/bin/sh\necho "stdbuf: failed to find libstdbuf.so" >&2\nexit 125\n',
      );
      await chmod(join(dir, 'stdbuf'), 0o755);
      assert.equal(await largeWriter(tool(seq), { PATH: dir }), undefined);
      const missing = tool(join(dir, 'pg_dump'));
      assert.equal(await largeWriter(missing, { PATH: dirname(stdbuf) }), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
