import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { sourceRoundTripSuite } from '../helpers/roundtrip-suite.ts';

function dumpAll(path: string): unknown[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const schema = db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
    const rows = db.prepare('SELECT * FROM items ORDER BY id').all();
    return [...schema, ...rows].map((r) => ({ ...r }));
  } finally {
    db.close();
  }
}

sourceRoundTripSuite('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-sqlite-rt-'));
  const source = join(dir, 'app.db');
  const target = join(dir, 'restored.db');
  const db = new DatabaseSync(source);
  db.exec(`
    PRAGMA journal_mode=WAL;
    CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, data BLOB);
    CREATE INDEX items_name ON items(name);
    CREATE VIEW cheap AS SELECT * FROM items WHERE price < 10;
  `);
  const ins = db.prepare('INSERT INTO items (name, price, data) VALUES (?, ?, ?)');
  for (let i = 0; i < 2000; i++)
    ins.run(`item ${i} ✓`, i / 7, i % 2 ? null : Buffer.from([i & 255]));
  db.close();
  return {
    source: `sqlite:${source}`,
    target: `sqlite:${target}`,
    async compare() {
      assert.deepEqual(dumpAll(target), dumpAll(source));
    },
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
    },
  };
});
