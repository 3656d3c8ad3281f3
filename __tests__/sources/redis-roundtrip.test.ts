import assert from 'node:assert/strict';
import { RedisConnection } from '../../src/sources/redis/protocol.ts';
import { sourceRoundTripSuite } from '../helpers/roundtrip-suite.ts';
import { unavailable } from '../helpers/services.ts';

// Databases 8 and 9 belong to this file (redis.test.ts uses 10-14).
const SOURCE_DB = 8;
const TARGET_DB = 9;

async function call(db: number, ...args: Array<string | number | Buffer>) {
  const c = await RedisConnection.connect({ host: '127.0.0.1', port: 6379, db });
  try {
    return await c.call(...args);
  } finally {
    c.close();
  }
}

async function picture(db: number): Promise<string[]> {
  const c = await RedisConnection.connect({ host: '127.0.0.1', port: 6379, db });
  try {
    const keys = ((await c.call('KEYS', '*')) as Buffer[]).map((k) => k.toString('hex')).sort();
    const out: string[] = [];
    for (const hex of keys) {
      const k = Buffer.from(hex, 'hex');
      const type = String(await c.call('TYPE', k));
      const ttl = Number(await c.call('PTTL', k));
      // DUMP's payload is the value in RDB encoding; a set's member order is not part of its value.
      const value =
        type === 'set'
          ? ((await c.call('SMEMBERS', k)) as Buffer[])
              .map((m) => m.toString('hex'))
              .sort()
              .join(',')
          : ((d: Buffer) => d.subarray(0, d.length - 10).toString('hex'))(
              (await c.call('DUMP', k)) as Buffer,
            );
      out.push(`${hex} ${type} ${value} ${ttl > 0 ? 'ttl' : 'persistent'}`);
    }
    return out;
  } finally {
    c.close();
  }
}

sourceRoundTripSuite('redis', async () => {
  try {
    await call(SOURCE_DB, 'PING');
  } catch (err) {
    unavailable('Redis on 127.0.0.1:6379', err);
    return undefined;
  }
  await call(SOURCE_DB, 'FLUSHDB');
  await call(TARGET_DB, 'FLUSHDB');
  await call(SOURCE_DB, 'SET', 'greeting', 'héllo 👋');
  await call(SOURCE_DB, 'SET', Buffer.from([0, 1, 2, 255]), Buffer.from([9, 0, 9]));
  await call(SOURCE_DB, 'SET', 'session', 'x', 'PX', 3_600_000);
  await call(SOURCE_DB, 'HSET', 'user:1', 'name', 'Ada', 'lang', 'en');
  await call(SOURCE_DB, 'RPUSH', 'queue', 'a', 'b', 'c');
  await call(SOURCE_DB, 'SADD', 'tags', 'x', 'y');
  await call(SOURCE_DB, 'ZADD', 'board', 1, 'one', 2.5, 'two');
  await call(SOURCE_DB, 'XADD', 'events', '1-1', 'kind', 'login');
  return {
    source: `redis://127.0.0.1:6379/${SOURCE_DB}`,
    target: `redis://127.0.0.1:6379/${TARGET_DB}`,
    async compare() {
      assert.deepEqual(await picture(TARGET_DB), await picture(SOURCE_DB));
    },
    async cleanup() {
      await call(SOURCE_DB, 'FLUSHDB');
      await call(TARGET_DB, 'FLUSHDB');
    },
  };
});
