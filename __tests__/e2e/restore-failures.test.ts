import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import mysql from 'mysql2/promise';
import { RedisConnection } from '../../src/sources/redis/protocol.ts';
import { runCli } from '../helpers/cli.ts';
import { dropDb, localServer, localUrl, query, uniqueDb } from '../sources/postgres-fixture.ts';
import { loadBackup, storeRepacked, tampers, type StoredBackup } from './restore-tamper.ts';
import { unavailable } from '../helpers/services.ts';

/**
 * A restore commits only proven data: for every source kind, archives that are consistent
 * inside but differ from their sidecar manifest (edited content, another mtime/mode, a member
 * missing, an extra member) exit 3 and leave the target exactly as it was, whether it was
 * absent or held data to overwrite, with nothing staged left behind.
 */
interface Kind {
  name: string;
  /** The member whose content the tampers change, and a same-length edit inside it. */
  member: string;
  edit: [string, string];
  /** Undefined when the service is not here (a failure under CI). */
  setup(): Promise<Case | undefined>;
}

interface Case {
  source: string;
  newTarget: string;
  usedTarget: string;
  /** What a target holds now ('absent' when it does not exist). */
  state(target: string): Promise<string>;
  /** Staged or temporary things a restore left (must be none). */
  leftovers(): Promise<string[]>;
  /** Removes whatever a restore into newTarget made (after the control restore). */
  reset(): Promise<void>;
  cleanup(): Promise<void>;
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function treeState(path: string): Promise<string> {
  if (!existsSync(path)) return 'absent';
  const out: string[] = [];
  for (const e of await readdir(path, { recursive: true, withFileTypes: true })) {
    const p = join(e.parentPath, e.name);
    out.push(`${p.slice(path.length)} ${e.isFile() ? sha(await readFile(p)) : 'dir'}`);
  }
  return out.sort().join('\n');
}

async function lifeboatFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.includes('lifeboat'));
}

const kinds: Kind[] = [
  {
    name: 'sqlite',
    member: 'database.sqlite',
    edit: ['alice', 'alicf'],
    async setup() {
      const dir = await mkdtemp(join(tmpdir(), 'lifeboat-rf-sqlite-'));
      const make = (path: string, names: string[]) => {
        const db = new DatabaseSync(path);
        db.exec('CREATE TABLE people (name TEXT)');
        for (const n of names) db.prepare('INSERT INTO people VALUES (?)').run(n);
        db.close();
      };
      make(join(dir, 'app.db'), ['alice', 'bob']);
      make(join(dir, 'used.db'), ['old data']);
      const state = async (t: string) => {
        const p = t.slice('sqlite:'.length);
        return existsSync(p) ? sha(await readFile(p)) : 'absent';
      };
      return {
        source: `sqlite:${join(dir, 'app.db')}`,
        newTarget: `sqlite:${join(dir, 'new.db')}`,
        usedTarget: `sqlite:${join(dir, 'used.db')}`,
        state,
        leftovers: () => lifeboatFiles(dir),
        reset: () => rm(join(dir, 'new.db'), { force: true }),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'dir',
    member: 'people.txt',
    edit: ['alice', 'alicf'],
    async setup() {
      const dir = await mkdtemp(join(tmpdir(), 'lifeboat-rf-dir-'));
      await mkdir(join(dir, 'src', 'sub'), { recursive: true });
      await writeFile(join(dir, 'src', 'people.txt'), 'alice\nbob\n');
      await writeFile(join(dir, 'src', 'sub', 'more.txt'), 'carol\n');
      await mkdir(join(dir, 'used'));
      await writeFile(join(dir, 'used', 'old.txt'), 'old data\n');
      return {
        source: `dir:${join(dir, 'src')}`,
        newTarget: `dir:${join(dir, 'new')}`,
        usedTarget: `dir:${join(dir, 'used')}`,
        state: (t) => treeState(t.slice('dir:'.length)),
        leftovers: () => lifeboatFiles(dir),
        reset: () => rm(join(dir, 'new'), { recursive: true, force: true }),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    member: '',
    edit: ['alice', 'alicf'],
    async setup() {
      const admin = await localServer();
      if (!admin) return undefined;
      const base = uniqueDb('rf');
      const [src, fresh, used] = [`${base}_src`, `${base}_new`, `${base}_used`];
      for (const db of [src, used]) await admin.query(`CREATE DATABASE ${db}`);
      await query(
        src,
        "CREATE TABLE people (name text); INSERT INTO people VALUES ('alice'), ('bob')",
      );
      await query(used, "CREATE TABLE people (name text); INSERT INTO people VALUES ('old data')");
      const state = async (t: string) => {
        const db = t.split('/').pop()!;
        const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
        if (!exists.rowCount) return 'absent';
        const rows = await query(db, 'SELECT name FROM people ORDER BY name');
        return JSON.stringify(rows.rows);
      };
      return {
        source: localUrl(src),
        newTarget: localUrl(fresh),
        usedTarget: localUrl(used),
        state,
        async leftovers() {
          const r = await admin.query<{ datname: string }>(
            "SELECT datname FROM pg_database WHERE strpos(datname, '_lifeboat_') > 0 AND datname LIKE $1",
            [`${base}%`],
          );
          return r.rows.map((x) => x.datname);
        },
        reset: () => dropDb(admin, fresh),
        async cleanup() {
          const r = await admin.query<{ datname: string }>(
            'SELECT datname FROM pg_database WHERE datname LIKE $1',
            [`${base}%`],
          );
          for (const { datname } of r.rows) await dropDb(admin, datname);
          await admin.end();
        },
      };
    },
  },
  {
    name: 'mysql',
    member: '',
    edit: ['alice', 'alicf'],
    async setup() {
      let conn: mysql.Connection;
      try {
        conn = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      } catch (err) {
        unavailable('MariaDB on 127.0.0.1:3306', err);
        return undefined;
      }
      const base = `rf_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      const [src, fresh, used] = [`${base}_src`, `${base}_new`, `${base}_used`];
      for (const db of [src, used]) {
        await conn.query(`CREATE DATABASE ${db}`);
        await conn.query(`CREATE TABLE ${db}.people (name VARCHAR(20))`);
      }
      await conn.query(`INSERT INTO ${src}.people VALUES ('alice'), ('bob')`);
      await conn.query(`INSERT INTO ${used}.people VALUES ('old data')`);
      const state = async (t: string) => {
        const db = t.split('/').pop()!;
        const [s] = await conn.query(
          'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
          [db],
        );
        if (!(s as unknown[]).length) return 'absent';
        const [rows] = await conn.query(`SELECT name FROM ${db}.people ORDER BY name`);
        return JSON.stringify(rows);
      };
      const like = async () => {
        const [r] = await conn.query(
          'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?',
          [`${base}%`],
        );
        return (r as Array<{ n: string }>).map((x) => x.n);
      };
      return {
        source: `mysql://root@127.0.0.1:3306/${src}`,
        newTarget: `mysql://root@127.0.0.1:3306/${fresh}`,
        usedTarget: `mysql://root@127.0.0.1:3306/${used}`,
        state,
        leftovers: async () => (await like()).filter((n) => n.includes('_lifeboat_')),
        reset: async () => void (await conn.query(`DROP DATABASE IF EXISTS ${fresh}`)),
        async cleanup() {
          for (const n of await like()) await conn.query(`DROP DATABASE IF EXISTS \`${n}\``);
          await conn.end();
        },
      };
    },
  },
  {
    name: 'redis',
    member: 'keys.lbr',
    edit: ['alice', 'alicf'],
    async setup() {
      // Databases 4 (source), 5 (new target) and 6 (used target) belong to this file.
      const call = async (db: number, ...args: Array<string | number>) => {
        const c = await RedisConnection.connect({ host: '127.0.0.1', port: 6379, db });
        try {
          return await c.call(...args);
        } finally {
          c.close();
        }
      };
      try {
        await call(4, 'PING');
      } catch (err) {
        unavailable('Redis on 127.0.0.1:6379', err);
        return undefined;
      }
      for (const db of [4, 5, 6]) await call(db, 'FLUSHDB');
      await call(4, 'SET', 'user:alice', 'a');
      await call(4, 'HSET', 'profile', 'name', 'alice');
      await call(6, 'SET', 'old', 'data');
      const state = async (t: string) => {
        const db = Number(t.split('/').pop());
        const keys = ((await call(db, 'KEYS', '*')) as Buffer[]).map(String).sort();
        return keys.length ? keys.join(',') : 'absent';
      };
      return {
        source: 'redis://127.0.0.1:6379/4',
        newTarget: 'redis://127.0.0.1:6379/5',
        usedTarget: 'redis://127.0.0.1:6379/6',
        state,
        leftovers: async () => [],
        reset: async () => void (await call(5, 'FLUSHDB')),
        async cleanup() {
          for (const db of [4, 5, 6]) await call(db, 'FLUSHDB');
        },
      };
    },
  },
];

/** Same-length edits that make the restore tool fail on the tampered dump. */
const toolBreakingEdit: Record<string, [string, string]> = {
  postgres: ['CREATE TABLE', 'CREATE TABLX'],
  mysql: ['INSERT INTO', 'INSERX INTO'],
};

for (const kind of kinds) {
  describe(`${kind.name}: a restore commits only proven data`, () => {
    let c: Case | undefined;
    let store: string;
    let pristine: StoredBackup;
    let member = kind.member;

    before(async () => {
      c = await kind.setup();
      if (!c) return;
      store = await mkdtemp(join(tmpdir(), `lifeboat-rf-store-${kind.name}-`));
      const b = await runCli([
        'backup',
        '--source',
        c.source,
        '--destination',
        `file:${store}`,
        '--name',
        'rf',
        '--compression',
        'none',
      ]);
      assert.equal(b.code, 0, b.stderr);
      pristine = await loadBackup(store, 'rf');
      // PostgreSQL and MySQL name their member after the database.
      member ||= pristine.sidecar.sources[0]!.members[0]!.path;
    });
    after(async () => {
      await c?.cleanup();
      if (store) await rm(store, { recursive: true, force: true });
    });

    const restore = (target: string, overwrite: boolean) =>
      runCli([
        'restore',
        '--destination',
        `file:${store}`,
        '--name',
        'rf',
        '--target',
        target,
        ...(overwrite ? ['--overwrite'] : []),
      ]);
    const putBack = async () => {
      await writeFile(join(store, pristine.sidecar.archive.key), pristine.archive);
      await storeRepacked(pristine, (ms) => ms);
    };

    test('control: a repacked but unchanged archive restores (the harness alone breaks nothing)', async (t) => {
      if (!c) return t.skip('service not available');
      await putBack();
      const r = await restore(c.newTarget, false);
      assert.equal(r.code, 0, r.stderr);
      assert.notEqual(await c.state(c.newTarget), 'absent');
      assert.deepEqual(await c.leftovers(), []);
      await c.reset();
    });

    const breaking = toolBreakingEdit[kind.name];
    if (breaking) {
      test('an edit that makes the restore tool itself fail is still an integrity error, target untouched', async (t) => {
        if (!c) return t.skip('service not available');
        await writeFile(join(store, pristine.sidecar.archive.key), pristine.archive);
        const change = tampers(member, ...breaking).find((x) => x.name.startsWith('edited'))!;
        await storeRepacked(pristine, change.change);
        for (const [target, overwrite] of [
          [c.newTarget, false],
          [c.usedTarget, true],
        ] as const) {
          const before = await c.state(target);
          const r = await restore(target, overwrite);
          assert.equal(r.code, 3, `exit ${r.code}:\n${r.stderr}`);
          assert.match(r.stderr, /differs from its sidecar manifest.*the restore had failed/s);
          assert.equal(await c.state(target), before, 'the target changed');
          assert.deepEqual(await c.leftovers(), [], 'something staged was left behind');
        }
      });
    }

    for (const tamper of tampers(kind.member || 'dump', ...kind.edit)) {
      for (const overwrite of [false, true]) {
        test(`${tamper.name}, ${overwrite ? 'overwriting a target with data' : 'into a new target'}: exit 3, target untouched`, async (t) => {
          if (!c) return t.skip('service not available');
          await writeFile(join(store, pristine.sidecar.archive.key), pristine.archive);
          const change = tampers(member, ...kind.edit).find((x) => x.name === tamper.name)!;
          await storeRepacked(pristine, change.change);
          const target = overwrite ? c.usedTarget : c.newTarget;
          const before = await c.state(target);
          const r = await restore(target, overwrite);
          assert.equal(r.code, 3, `exit ${r.code}:\n${r.stderr}`);
          assert.equal(await c.state(target), before, 'the target changed');
          assert.deepEqual(await c.leftovers(), [], 'something staged was left behind');
          assert.ok(
            !existsSync(join(store, 'rf-safety')),
            'no safety backup is taken for a restore that never commits',
          );
        });
      }
    }
  });
}
