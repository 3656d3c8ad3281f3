import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, parseAssertion } from '../../src/drill/assert.ts';
import { inventoryDifferences } from '../../src/drill/inventory.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { planRetention } from '../../src/retention/policy.ts';

describe('assert grammar', () => {
  test('SQL: the last operator of the line is the assertion’s', () => {
    assert.deepEqual(
      parseAssertion(
        "SELECT count(*) FROM orders WHERE created_at > now() - interval '2 days' >= 1",
      ),
      {
        text: "SELECT count(*) FROM orders WHERE created_at > now() - interval '2 days' >= 1",
        assertion: {
          family: 'sql',
          query: "SELECT count(*) FROM orders WHERE created_at > now() - interval '2 days'",
          op: '>=',
          expected: { number: 1 },
        },
      },
    );
    assert.deepEqual(parseAssertion('SELECT max(id) FROM users > 1000').assertion, {
      family: 'sql',
      query: 'SELECT max(id) FROM users',
      op: '>',
      expected: { number: 1000 },
    });
    assert.deepEqual(
      parseAssertion("with x as (select 'it''s') select * from x == 'it''s'").assertion,
      {
        family: 'sql',
        query: "with x as (select 'it''s') select * from x",
        op: '=',
        expected: { text: "it's" },
      },
    );
    assert.deepEqual(parseAssertion('@db SELECT 1 != -2.5'), {
      text: '@db SELECT 1 != -2.5',
      source: 'db',
      assertion: { family: 'sql', query: 'SELECT 1', op: '!=', expected: { number: -2.5 } },
    });
  });

  test('Redis and dir: forms', () => {
    assert.deepEqual(parseAssertion('keys >= 100').assertion, {
      family: 'keys',
      op: '>=',
      expected: 100,
    });
    assert.deepEqual(parseAssertion('exists user:1').assertion, {
      family: 'exists',
      key: 'user:1',
    });
    assert.deepEqual(parseAssertion('files<5').assertion, {
      family: 'files',
      op: '<',
      expected: 5,
    });
    assert.deepEqual(parseAssertion('file ./img/logo.png').assertion, {
      family: 'file',
      path: 'img/logo.png',
    });
  });

  for (const line of [
    'SELECT count(*) FROM orders',
    'SELECT 1 >= ',
    'SELECT 1; DROP TABLE orders >= 1',
    'DELETE FROM orders >= 1',
    'keys >= many',
    'keys',
    'exists',
    'file ../etc/passwd',
    'file /etc/passwd',
    '@ SELECT 1 = 1',
    'rows > 3',
  ]) {
    test(`malformed: ${JSON.stringify(line)} is a ConfigError naming the assert option`, () => {
      assert.throws(
        () => parseAssertion(line),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.option === 'assert' &&
          err.message.includes(`'${line.trim()}'`),
      );
    });
  }

  test('compare: numbers as numbers (bigint and numeric strings too), text as text, NULL never passes', () => {
    assert.equal(compare('10', '>', { number: 9 }), true);
    assert.equal(compare(10n, '=', { number: 10 }), true);
    assert.equal(compare(null, '<', { number: 1 }), false);
    assert.equal(compare(undefined, '!=', { number: 1 }), false);
    assert.equal(compare('abc', '=', { text: 'abc' }), true);
    assert.equal(compare('abc', '>=', { number: 1 }), false);
  });
});

describe('inventory comparison', () => {
  test('names every difference: rows, missing and extra tables, files, sequences, keys per type, renamed tables', () => {
    assert.deepEqual(
      inventoryDifferences(
        {
          tables: [
            { name: 'shop.orders', rows: 5 },
            { name: 'shop.users', rows: 2 },
            { name: 'shop.big', rows: 9, estimated: true },
          ],
          extra: { sequences: { 'public.s': '7' } },
        },
        {
          tables: [
            { name: 'shop_drill_x.orders', rows: 4 },
            { name: 'shop_drill_x.big', rows: 1 },
            { name: 'shop_drill_x.extra', rows: 0 },
          ],
          extra: { sequences: { 'public.s': '6' } },
        },
        (n) => n.replace(/^shop\./, 'shop_drill_x.'),
      ),
      [
        'table shop.orders has 4 rows, the backup 5',
        'table shop.users is missing',
        'table shop_drill_x.extra is not in the backup',
        'sequence public.s: "6", the backup "7"',
      ],
    );
    assert.deepEqual(
      inventoryDifferences({ files: 3, totalBytes: 10 }, { files: 2, totalBytes: 10 }),
      ['2 files, the backup 3'],
    );
    assert.deepEqual(
      inventoryDifferences(
        { tables: [{ name: 'db0', rows: 2 }], extra: { keysByType: { db0: { string: 2 } } } },
        {
          tables: [{ name: 'db3', rows: 2 }],
          extra: { keysByType: { db3: { string: 1, hash: 1 } } },
        },
        (n) => n.replace('db0', 'db3'),
      ),
      ['keys of db0: {"string":1,"hash":1}, the backup {"string":2}'],
    );
    // The same comparison checks a driver's own member against its manifest (SQLite's verify).
    assert.deepEqual(
      inventoryDifferences(
        { tables: [{ name: 't', rows: 2 }] },
        {
          tables: [
            { name: 't', rows: 1 },
            { name: 'u', rows: 0 },
          ],
        },
        undefined,
        'manifest',
      ),
      ['table t has 1 rows, the manifest says 2', 'table u is not in the manifest'],
    );
    assert.deepEqual(inventoryDifferences(undefined, { tables: [] }), []);
    // A restored Redis database SCANs (and so counts types) in its own order: not a difference.
    assert.deepEqual(
      inventoryDifferences(
        { extra: { keysByType: { db2: { list: 1, hash: 1, string: 1 } } } },
        { extra: { keysByType: { db3: { string: 1, hash: 1, list: 1 } } } },
        (n) => n.replace('db2', 'db3'),
      ),
      [],
    );
  });
});

describe('retention keeps the newest drilled backup', () => {
  test('keep-last 1 keeps the newest and the newest drilled one, removes the rest', () => {
    const t = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
    const plan = planRetention(
      [
        { id: 'a', time: t(1), verified: true, drilled: true },
        { id: 'b', time: t(2), verified: true, drilled: true },
        { id: 'c', time: t(3), verified: true },
        { id: 'd', time: t(4), verified: true },
      ],
      { last: 1 },
    );
    assert.deepEqual(
      plan.keep.map((k) => [k.id, k.reasons]),
      [
        ['d', ['last 1', 'newest verified']],
        ['b', ['newest drilled']],
      ],
    );
    assert.deepEqual(
      plan.remove.map((r) => r.id),
      ['c', 'a'],
    );
  });
});
