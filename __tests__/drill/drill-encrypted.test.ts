import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { unavailable } from '../helpers/services.ts';
import { assertRecordShape, check, drillRecords, drillSpace, leftovers } from './drill-helpers.ts';

test('an encrypted backup drills with its key, and refuses without it before restoring anything', async (t) => {
  const keygen = spawnSync('age-keygen', [], { encoding: 'utf8' });
  if (keygen.status !== 0) return t.skip(unavailable('age-keygen (Debian package age)'));
  const key = keygen.stdout
    .split('\n')
    .find((l) => l.startsWith('AGE-SECRET-KEY-'))!
    .trim();
  const recipient = /public key: (age1\S+)/.exec(keygen.stdout)![1]!;
  const w = await drillSpace();
  try {
    const db = join(w.dir, 'vault.db');
    const d = new DatabaseSync(db);
    d.exec(
      "CREATE TABLE secrets (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO secrets (v) VALUES ('a'), ('b')",
    );
    d.close();
    const b = await w.cli([
      'backup',
      '--source',
      `sqlite:${db}`,
      '--destination',
      `file:${w.store}`,
      '--age-recipients',
      recipient,
    ]);
    assert.equal(b.code, 0, b.stderr);

    const scratch = join(w.dir, 'scratch.db');
    const noKey = await w.cli([
      'drill',
      '--destination',
      `file:${w.store}`,
      '--target',
      `sqlite:${scratch}`,
    ]);
    assert.equal(noKey.code, 2, noKey.stderr);
    assert.match(String(noKey.json['error']), /age-identity/);
    assert.equal(existsSync(scratch), false);
    assert.deepEqual(await drillRecords(w.store, 'vault'), []);

    const r = await w.runCli(
      [
        'drill',
        '--json',
        '--destination',
        `file:${w.store}`,
        '--assert',
        "SELECT v FROM secrets WHERE id = 2 = 'b'",
      ],
      { LIFEBOAT_AGE_IDENTITY: key },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(key) && !r.stderr.includes(key), 'the key appeared in the output');
    const [record] = await drillRecords(w.store, 'vault');
    assertRecordShape(record!);
    assert.equal(record!.ok, true);
    assert.match(
      check(record!, 'inventory sqlite').detail,
      /1 table, 2 rows: matches the manifest/,
    );
    assert.ok(
      !(await readFile(join(w.store, 'vault', `${record!.backupId}.drill.json`), 'utf8')).includes(
        key,
      ),
    );
    assert.deepEqual(await leftovers(w.tmpRoot), []);
  } finally {
    await w.cleanup();
  }
});
