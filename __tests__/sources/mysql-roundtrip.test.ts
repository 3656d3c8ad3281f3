import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { sourceRoundTripSuite } from '../helpers/roundtrip-suite.ts';
import { unavailable } from '../helpers/services.ts';

async function checksums(conn: mysql.Connection, db: string): Promise<Record<string, string>> {
  const [tables] = await conn.query<mysql.RowDataPacket[]>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY 1",
    [db],
  );
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(`CHECKSUM TABLE \`${db}\`.\`${t}\``);
    out[t as string] = String(rows[0]!['Checksum']);
  }
  return out;
}

sourceRoundTripSuite('mysql', async () => {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      multipleStatements: true,
      charset: 'utf8mb4',
    });
  } catch (err) {
    unavailable('MariaDB on 127.0.0.1:3306', err);
    return undefined;
  }
  const db = `lb_rt_${randomBytes(4).toString('hex')}`;
  const restored = `${db}_restored`;
  await conn.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.query(`
    CREATE TABLE \`${db}\`.items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100), price DECIMAL(12,4), data BLOB, doc JSON, at DATETIME(6));
    INSERT INTO \`${db}\`.items (name, price, data, doc, at) VALUES
      ('rocket 🚀', 12.3456, X'00FF27', '{"a": [1, 2]}', '2026-11-22 03:00:00.123456'),
      ('quote '' and \\\\', -1, NULL, NULL, NULL);
    CREATE VIEW \`${db}\`.cheap AS SELECT id, name FROM \`${db}\`.items WHERE price < 10;
  `);
  return {
    source: `mysql://root@127.0.0.1:3306/${db}`,
    target: `mysql://root@127.0.0.1:3306/${restored}`,
    async compare() {
      assert.deepEqual(await checksums(conn, restored), await checksums(conn, db));
      const [views] = await conn.query<mysql.RowDataPacket[]>(
        `SELECT * FROM \`${restored}\`.cheap ORDER BY id`,
      );
      assert.equal(views.length, 1);
    },
    async cleanup() {
      await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
      await conn.query(`DROP DATABASE IF EXISTS \`${restored}\``);
      await conn.end();
    },
  };
});
