import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createBackup } from '../../src/engine/backup.ts';
import { RunSession } from '../../src/engine/session.ts';
import { openDestinations } from '../../src/engine/destinations.ts';
import { IntegrityError, exitCodeFor } from '../../src/core/errors.ts';
import { Redactor, silentLogger } from '../../src/core/log.ts';
import { parseOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import type { Storage } from '../../src/storage/types.ts';

/** A real file: store that reports a different sha256 than it received (a lying store). */
function lyingAbout(storage: Storage): Storage {
  return {
    ...storage,
    displayUrl: storage.displayUrl,
    put: async (key, body, options) => {
      const result = await storage.put(key, body, options);
      return key.endsWith('.tar.zst') ? { ...result, sha256: '0'.repeat(64) } : result;
    },
    get: (key, o) => storage.get(key, o),
    stat: (key) => storage.stat(key),
    list: (prefix) => storage.list(prefix),
    delete: (key) => storage.delete(key),
    createExclusive: (key, body) => storage.createExclusive(key, body),
  };
}

test('a checksum mismatch on one of two destinations is an integrity error (exit 3), as with one', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-fanout-int-'));
  try {
    const db = new DatabaseSync(join(dir, 'app.db'));
    db.exec("CREATE TABLE t (a); INSERT INTO t VALUES ('x')");
    db.close();
    const options = parseOptions({
      command: 'backup',
      source: [`sqlite:${join(dir, 'app.db')}`],
      destination: [`file:${join(dir, 'good')}`, `file:${join(dir, 'liar')}`],
      name: 'app',
    });
    const ctx = {
      log: silentLogger,
      redactor: new Redactor(),
      env: process.env,
      cwd: dir,
      now: () => new Date(),
      version: 'test',
    };
    const [good, liar] = await openDestinations(options, ctx);
    const report = new RunReport('backup');
    await assert.rejects(
      RunSession.run(options, ctx, report, (session) =>
        createBackup(session, {
          destinations: [good!, { ...liar!, storage: lyingAbout(liar!.storage) }],
        }),
      ),
      (err: unknown) => {
        assert.ok(err instanceof IntegrityError, String(err));
        assert.equal(exitCodeFor(err), 3);
        assert.match(
          err.message,
          /1 of 2 destination\(s\) failed: file:.*liar: .*stored \d+ bytes with sha256 0{64}/,
        );
        return true;
      },
    );
    assert.deepEqual(
      report.destinations.map((d) => d.ok),
      [true, false],
    );
    assert.deepEqual(
      await readdir(join(dir, 'liar')).catch(() => []),
      [],
      'nothing left on the liar',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
