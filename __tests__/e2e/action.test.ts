import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const ACTION = resolve('dist/index.js');

interface ActionRun {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs the bundled action the way the runner does: INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
async function runAction(
  dir: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<ActionRun> {
  const outputFile = join(dir, `output-${Math.random().toString(36).slice(2)}`);
  const summaryFile = join(dir, `summary-${Math.random().toString(36).slice(2)}`);
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(inputs))
    env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const child = spawn(process.execPath, [ACTION], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stdout += d));
  const code: number = await new Promise((res) => child.on('close', (c) => res(c ?? -1)));
  return {
    code,
    stdout,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
  };
}

/** GITHUB_OUTPUT uses `name<<delimiter\nvalue\ndelimiter` blocks. */
function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

describe(
  'the action as the runner runs it (node dist/index.js)',
  { skip: !existsSync(ACTION) && 'dist/index.js not built' },
  () => {
    test('backup sets outputs and writes the job summary; restore brings the data back', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lifeboat-action-'));
      try {
        const db = new DatabaseSync(join(dir, 'app.db'));
        db.exec(
          "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b'), ('c');",
        );
        db.close();
        const b = await runAction(dir, {
          source: 'sqlite:app.db',
          destination: 'file:./backups',
          'keep-last': '3',
        });
        assert.equal(b.code, 0, b.stdout);
        assert.match(b.outputs['backup-id'] ?? '', /^\d{8}T\d{6}Z-[a-z2-7]{6}$/);
        assert.match(b.outputs['sha256'] ?? '', /^[0-9a-f]{64}$/);
        assert.ok(Number(b.outputs['size']) > 0);
        assert.ok(Number(b.outputs['duration-ms']) >= 0);
        assert.equal(b.outputs['verified'], 'true');
        assert.match(b.outputs['location'] ?? '', /app\/\d{8}T.*\.tar\.zst$/);
        assert.match(b.summary, /Lifeboat backup: ✅ succeeded/);
        assert.match(b.summary, /### Sources/);
        assert.ok(b.summary.includes(b.outputs['sha256']!));

        const r = await runAction(dir, {
          command: 'restore',
          destination: 'file:./backups',
          backup: b.outputs['backup-id']!,
          target: 'sqlite:restored.db',
        });
        assert.equal(r.code, 0, r.stdout);
        const check = new DatabaseSync(join(dir, 'restored.db'), { readOnly: true });
        assert.deepEqual(
          (check.prepare('SELECT v FROM t ORDER BY id').all() as Array<{ v: string }>).map(
            (x) => x.v,
          ),
          ['a', 'b', 'c'],
        );
        check.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a failing run ends in setFailed, still writes the summary, and masks secrets', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lifeboat-action-'));
      try {
        const secret = 'Sup3r-Secret-Pa55';
        const r = await runAction(dir, {
          source: 'sqlite:missing.db',
          destination: 'file:./backups',
          'sftp-password': secret,
        });
        assert.equal(r.code, 1, r.stdout);
        assert.match(r.stdout, /::error::source: /);
        assert.match(r.stdout, new RegExp(`::add-mask::${secret}`));
        assert.equal(r.stdout.replace(`::add-mask::${secret}`, '').includes(secret), false);
        assert.match(r.summary, /Lifeboat backup: ❌ failed/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a bad input fails with a message naming the input', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lifeboat-action-'));
      try {
        const r = await runAction(dir, {
          command: 'backup',
          source: 'sqlite:a.db',
          destination: 'file:./b',
          compression: 'brotli',
        });
        assert.equal(r.code, 1);
        assert.match(r.stdout, /::error::compression: unknown value 'brotli'/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
