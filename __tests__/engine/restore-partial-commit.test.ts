import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { RunContext } from '../../src/engine/context.ts';
import { ConfigError, LifeboatError, describeError } from '../../src/engine/errors.ts';
import { Redactor } from '../../src/engine/log.ts';
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
async function restoreWith(raw: RawOptions, afterFirstCommit: () => void) {
  const logs: string[] = [];
  let fired = false;
  const ctx: RunContext = {
    log: {
      info: (m) => {
        logs.push(m);
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
  test('into new targets: the message names the one already restored and the one not reached', async () => {
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
    assert.match(
      text,
      new RegExp(
        `already restored before this failure, and left in place: db into sqlite:${dbTarget.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(a new target, nothing was replaced\\)`,
      ),
    );
    assert.doesNotMatch(text, /not restored:/, 'files was the last source: nothing after it');
    assert.match(text, /fix: .*overwrite: true/);
    // What is left: the first target restored and readable, the obstacle untouched, nothing staged.
    const d = new DatabaseSync(dbTarget, { readOnly: true });
    assert.deepEqual(
      d
        .prepare('SELECT a, b FROM t ORDER BY a')
        .all()
        .map((r) => ({ ...r })),
      [
        { a: 1, b: 'one' },
        { a: 2, b: 'two' },
      ],
    );
    d.close();
    assert.equal(await readFile(filesTarget, 'utf8'), 'in the way');
    assert.deepEqual((await readdir(out)).sort(), ['restored-files', 'restored.db']);
  });

  // SQLite and dir commits take no safety backup when they replace a target (see docs/sources.md):
  // the message must not call the replaced one "new".
  test('over an existing SQLite file: the message says it was replaced', async () => {
    const out = await mkdtemp(join(dir, 'over-'));
    const dbTarget = join(out, 'live.db');
    const old = new DatabaseSync(dbTarget);
    old.exec("CREATE TABLE old (x TEXT); INSERT INTO old VALUES ('previous')");
    old.close();
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
    assert.ok(
      text.includes(
        `left in place: db into sqlite:${dbTarget} (it replaced the data there, of which no safety backup was taken)`,
      ),
      text,
    );
    assert.equal(await readFile(filesTarget, 'utf8'), 'in the way');
  });
});
