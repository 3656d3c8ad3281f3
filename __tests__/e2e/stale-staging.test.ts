import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import mysql from 'mysql2/promise';
import { runCli } from '../helpers/cli.ts';
import { dropDb, localServer, localUrl, query, uniqueDb } from '../sources/postgres-fixture.ts';
import { unavailable } from '../helpers/services.ts';

/**
 * After a `kill -9` mid-restore, the staged `<db>_lifeboat_new_<time>_<hex>` database stays on
 * the server. The next restore against that server drops the ones it can prove abandoned (its
 * marker names this host and a process that is gone, or is more than a day old) and says so;
 * it leaves alone databases without a marker and ones a running restore is still filling.
 */
/** Set LIFEBOAT_TEST_ALONE=1 to run this file on a server no other test uses, and check the log lines too. */
const concurrentRestores = process.env['LIFEBOAT_TEST_ALONE'] !== '1';

function deadPid(): number {
  for (let pid = 4_000_000; pid > 1000; pid -= 7) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid found');
}

function markers(base: string) {
  const now = new Date();
  const marker = (pid: number, host: string, started: Date) =>
    JSON.stringify({
      lifeboat: 'staging',
      host,
      pid,
      started: started.toISOString(),
      target: base,
    });
  return {
    deadHere: {
      name: `${base}a_lifeboat_new_20261130T000000Z_aaaaaa`,
      marker: marker(deadPid(), hostname(), now),
      dropped: true,
    },
    dayOld: {
      name: `${base}b_lifeboat_new_20261128T000000Z_bbbbbb`,
      marker: marker(1, 'another-runner', new Date(now.getTime() - 2 * 86_400_000)),
      dropped: true,
    },
    running: {
      name: `${base}c_lifeboat_new_20261130T000000Z_cccccc`,
      marker: marker(process.pid, hostname(), now),
      dropped: false,
    },
    unmarked: {
      name: `${base}d_lifeboat_new_20261130T000000Z_dddddd`,
      marker: undefined,
      dropped: false,
    },
  };
}

describe('stale staged databases are dropped by the next restore when provably abandoned', () => {
  test('postgres', async (t) => {
    const admin = await localServer();
    if (!admin) return t.skip('PostgreSQL not available');
    const base = uniqueDb('st');
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-stale-'));
    const store = `file:${join(dir, 'store')}`;
    try {
      await admin.query(`CREATE DATABASE ${base}_src`);
      await query(`${base}_src`, 'CREATE TABLE t (a int); INSERT INTO t VALUES (1)');
      const b = await runCli([
        'backup',
        '--source',
        localUrl(`${base}_src`),
        '--destination',
        store,
      ]);
      assert.equal(b.code, 0, b.stderr);
      const cases = Object.values(markers(base));
      for (const c of cases) {
        await admin.query(`CREATE DATABASE "${c.name}"`);
        if (c.marker)
          await admin.query(
            `COMMENT ON DATABASE "${c.name}" IS '${c.marker.replaceAll("'", "''")}'`,
          );
      }
      const r = await runCli([
        'restore',
        '--destination',
        store,
        '--target',
        localUrl(`${base}_dst`),
      ]);
      assert.equal(r.code, 0, r.stderr);
      const left = (
        await admin.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datname LIKE $1',
          [`${base}%`],
        )
      ).rows.map((x) => x.datname);
      for (const c of cases) {
        assert.equal(
          !left.includes(c.name),
          c.dropped,
          `${c.name} dropped: ${!left.includes(c.name)}`,
        );
        // Any restore on this server may drop an abandoned staging database, and other test
        // files restore into the same server at the same time: when this restore says nothing
        // about one, another restore must have dropped it first (it is gone either way).
        if (c.dropped && !concurrentRestores)
          assert.match(r.stderr, new RegExp(`dropping the staged database "${c.name}"`));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      const r = await admin.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${base}%`],
      );
      for (const { datname } of r.rows) await dropDb(admin, datname);
      await admin.end();
    }
  });

  test('mysql', async (t) => {
    let conn: mysql.Connection;
    try {
      conn = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    } catch (err) {
      return t.skip(unavailable('MariaDB on 127.0.0.1:3306', err));
    }
    const base = `st_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-stale-'));
    const store = `file:${join(dir, 'store')}`;
    const like = async () => {
      const [rows] = await conn.query(
        'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?',
        [`${base}%`],
      );
      return (rows as Array<{ n: string }>).map((x) => x.n);
    };
    try {
      await conn.query(`CREATE DATABASE ${base}_src`);
      await conn.query(`CREATE TABLE ${base}_src.t (a INT)`);
      await conn.query(`INSERT INTO ${base}_src.t VALUES (1)`);
      const b = await runCli([
        'backup',
        '--source',
        `mysql://root@127.0.0.1:3306/${base}_src`,
        '--destination',
        store,
      ]);
      assert.equal(b.code, 0, b.stderr);
      const cases = Object.values(markers(base));
      for (const c of cases) {
        await conn.query(`CREATE DATABASE \`${c.name}\``);
        if (c.marker) {
          await conn.query(`CREATE TABLE \`${c.name}\`._lifeboat_staging (marker TEXT NOT NULL)`);
          await conn.query(`INSERT INTO \`${c.name}\`._lifeboat_staging VALUES (?)`, [c.marker]);
        }
      }
      const r = await runCli([
        'restore',
        '--destination',
        store,
        '--target',
        `mysql://root@127.0.0.1:3306/${base}_dst`,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const left = await like();
      for (const c of cases) {
        assert.equal(
          !left.includes(c.name),
          c.dropped,
          `${c.name} dropped: ${!left.includes(c.name)}`,
        );
        // Any restore on this server may drop an abandoned staging database, and other test
        // files restore into the same server at the same time: when this restore says nothing
        // about one, another restore must have dropped it first (it is gone either way).
        if (c.dropped && !concurrentRestores)
          assert.match(r.stderr, new RegExp(`dropping the staged database '${c.name}'`));
      }
      assert.ok(left.includes(`${base}_dst`));
      assert.equal(left.filter((n) => n.startsWith(`${base}_dst_lifeboat`)).length, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
      for (const n of await like()) await conn.query(`DROP DATABASE IF EXISTS \`${n}\``);
      await conn.end();
    }
  });
});

describe('stale staged files and folders beside a target are removed by the next restore into it', () => {
  const tag = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
  for (const kind of ['sqlite', 'dir'] as const) {
    test(kind, async () => {
      const dir = await mkdtemp(join(tmpdir(), `lifeboat-stale-${kind}-`));
      try {
        const source = join(dir, kind === 'sqlite' ? 'app.db' : 'src');
        if (kind === 'sqlite') {
          const db = new DatabaseSync(source);
          db.exec('CREATE TABLE t (a INT); INSERT INTO t VALUES (1)');
          db.close();
        } else {
          await mkdir(source);
          await writeFile(join(source, 'a.txt'), 'a');
        }
        const store = `file:${join(dir, 'store')}`;
        const b = await runCli(['backup', '--source', `${kind}:${source}`, '--destination', store]);
        assert.equal(b.code, 0, b.stderr);

        const out = join(dir, 'out');
        await mkdir(out);
        const base = kind === 'sqlite' ? 'new.db' : 'new';
        const k = kind === 'sqlite' ? 'tmp' : 'staging';
        const dead = `.${base}.lifeboat-${k}-${tag}-${deadPid()}-aaaaaa`;
        const live = `.${base}.lifeboat-${k}-${tag}-${process.pid}-bbbbbb`;
        const oldElsewhere = `.${base}.lifeboat-${k}-00000000-1-cccccc`;
        const freshElsewhere = `.${base}.lifeboat-${k}-00000000-2-dddddd`;
        const otherTarget = `.other.lifeboat-${k}-${tag}-${deadPid()}-eeeeee`;
        const all = [dead, live, oldElsewhere, freshElsewhere, otherTarget];
        for (const name of all) {
          if (kind === 'dir') {
            await mkdir(join(out, name));
            await writeFile(join(out, name, 'half.txt'), 'half');
          } else await writeFile(join(out, name), 'half');
        }
        if (kind === 'sqlite') await writeFile(join(out, `${dead}-wal`), 'wal');
        const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
        await utimes(join(out, oldElsewhere), twoDaysAgo, twoDaysAgo);

        const r = await runCli([
          'restore',
          '--destination',
          store,
          '--target',
          `${kind}:${join(out, base)}`,
        ]);
        assert.equal(r.code, 0, r.stderr);
        assert.ok(existsSync(join(out, base)));
        const left = (await readdir(out)).filter((n) => n !== base).sort();
        assert.deepEqual(left, [live, freshElsewhere, otherTarget].sort());
        assert.match(r.stderr, /left by an interrupted restore/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
