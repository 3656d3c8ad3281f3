import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { RunContext } from '../../src/core/context.ts';
import { ConfigError, LifeboatError, describeError } from '../../src/core/errors.ts';
import { Redactor } from '../../src/core/log.ts';
import { runCommand } from '../../src/engine/run.ts';
import { parseOptions, type RawOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import { runEngine } from '../helpers/engine.ts';

let dir = '';
let store = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-partial-'));
  store = join(dir, 'backups');
  const db = join(dir, 'app.db');
  const d = new DatabaseSync(db);
  d.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two')");
  d.close();
  await mkdir(join(dir, 'files'));
  await writeFile(join(dir, 'files', 'a.txt'), 'alpha\n');
  const b = await runEngine(
    {
      command: 'backup',
      source: [`db=sqlite:${db}`, `files=dir:${join(dir, 'files')}`],
      destination: [`file:${store}`],
      name: 'app',
    },
    new Date(),
  );
  assert.equal(b.error, undefined, String(b.error));
});
after(() => rm(dir, { recursive: true, force: true }));

/**
 * Runs a restore whose log hook fires once the first source is committed: the deterministic
 * "something changed between two commits" a real outage produces at random.
 */
async function restoreWith(
  raw: RawOptions,
  afterFirstCommit: () => void,
  onInfo: (line: string) => void = () => undefined,
) {
  const logs: string[] = [];
  let fired = false;
  const ctx: RunContext = {
    log: {
      info: (m) => {
        logs.push(m);
        onInfo(m);
        if (!fired && /^Restored SQLite database (to|over) /.test(m)) {
          fired = true;
          afterFirstCommit();
        }
      },
      warn: (m) => logs.push(`warning: ${m}`),
      error: (m) => logs.push(`error: ${m}`),
      debug: () => undefined,
    },
    redactor: new Redactor(),
    env: { PATH: process.env['PATH'] },
    cwd: process.cwd(),
    now: () => new Date(),
    version: 'test',
  };
  const report = new RunReport('restore');
  try {
    await runCommand(parseOptions(raw), ctx, report);
    return { report, logs, error: undefined as unknown };
  } catch (error) {
    return { report, logs, error };
  }
}

describe('a two-source restore whose second commit fails', () => {
  test('into new targets: the first is rolled back (removed again), and the message says so', async () => {
    const out = await mkdtemp(join(dir, 'new-'));
    const dbTarget = join(out, 'restored.db');
    const filesTarget = join(out, 'restored-files');
    const run = await restoreWith(
      {
        command: 'restore',
        destination: [`file:${store}`],
        name: 'app',
        target: [`db=sqlite:${dbTarget}`, `files=dir:${filesTarget}`],
      },
      // A file where the folder must go: the dir commit refuses it.
      () => writeFileSync(filesTarget, 'in the way'),
    );
    assert.ok(run.error instanceof ConfigError, String(run.error));
    const text = describeError(run.error);
    assert.match(text, /restored-files was filled during the restore; nothing was changed/);
    assert.ok(text.includes(`put back as they were: db (sqlite:${dbTarget})`), text);
    assert.doesNotMatch(text, /left in place|not restored:/);
    assert.match(text, /fix: .*every target is as it was before this restore/);
    assert.ok(run.logs.includes(`Put sqlite:${dbTarget} back as it was before this restore`));
    // What is left: the obstacle, untouched; no database, nothing staged or set aside.
    assert.equal(await readFile(filesTarget, 'utf8'), 'in the way');
    assert.deepEqual(await readdir(out), ['restored-files']);
  });

  test('over an existing SQLite file: the old database is put back in place', async () => {
    const out = await mkdtemp(join(dir, 'over-'));
    const dbTarget = join(out, 'live.db');
    const old = new DatabaseSync(dbTarget);
    old.exec("CREATE TABLE old (x TEXT); INSERT INTO old VALUES ('previous')");
    old.close();
    const before = await readFile(dbTarget);
    const filesTarget = join(out, 'live-files');
    const run = await restoreWith(
      {
        command: 'restore',
        destination: [`file:${store}`],
        name: 'app',
        target: [`db=sqlite:${dbTarget}`, `files=dir:${filesTarget}`],
        overwrite: 'true',
      },
      () => writeFileSync(filesTarget, 'in the way'),
    );
    assert.ok(run.error instanceof LifeboatError, String(run.error));
    const text = describeError(run.error);
    assert.ok(text.includes(`put back as they were: db (sqlite:${dbTarget})`), text);
    assert.ok(
      run.logs.some((l) => /Restored SQLite database over /.test(l)),
      'it was replaced first',
    );
    assert.deepEqual(await readFile(dbTarget), before, 'the old database, byte for byte');
    assert.equal(await readFile(filesTarget, 'utf8'), 'in the way');
    assert.deepEqual((await readdir(out)).sort(), ['live-files', 'live.db']);
  });

  test('over an existing folder: a dir commit is rolled back by the swap it made', async () => {
    // Here dir commits first (it replaces a folder), then the SQLite commit fails.
    const out = await mkdtemp(join(dir, 'dir-first-'));
    const filesTarget = join(out, 'live-files');
    await mkdir(filesTarget);
    await writeFile(join(filesTarget, 'old.txt'), 'old\n');
    const dbTarget = join(out, 'db', 'restored.db');
    const db2 = join(dir, 'second.db');
    const d = new DatabaseSync(db2);
    d.exec('CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1)');
    d.close();
    const store2 = join(dir, 'backups-dir-first');
    const b = await runEngine(
      {
        command: 'backup',
        source: [`files=dir:${join(dir, 'files')}`, `db=sqlite:${db2}`],
        destination: [`file:${store2}`],
        name: 'app',
      },
      new Date(),
    );
    assert.equal(b.error, undefined, String(b.error));
    const run = await restoreWith(
      {
        command: 'restore',
        destination: [`file:${store2}`],
        name: 'app',
        target: [`files=dir:${filesTarget}`, `db=sqlite:${dbTarget}`],
        overwrite: 'true',
      },
      () => undefined,
      (m) => {
        // Once the folder is swapped, the database's folder (its staged copy inside) is moved
        // away and a file takes its place: the SQLite commit cannot rename into it.
        if (/^Restored \d+ files .* replacing its previous content/.test(m)) {
          renameSync(join(out, 'db'), join(out, 'db-moved'));
          writeFileSync(join(out, 'db'), 'not a folder');
        }
      },
    );
    assert.ok(run.error instanceof LifeboatError, `${String(run.error)}\n${run.logs.join('\n')}`);
    const text = describeError(run.error);
    assert.ok(text.includes(`put back as they were: files (dir:${filesTarget})`), text);
    assert.deepEqual(await readdir(filesTarget), ['old.txt']);
    assert.equal(await readFile(join(filesTarget, 'old.txt'), 'utf8'), 'old\n');
    assert.deepEqual((await readdir(out)).sort(), ['db', 'db-moved', 'live-files']);
    assert.match(text, /ENOTDIR/);
  });
});
