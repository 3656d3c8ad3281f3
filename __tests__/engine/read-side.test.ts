import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createBackup } from '../../src/engine/backup.ts';
import type { RunContext } from '../../src/core/context.ts';
import { openDestinations, findBackup } from '../../src/engine/destinations.ts';
import { IntegrityError } from '../../src/core/errors.ts';
import { Redactor, silentLogger } from '../../src/core/log.ts';
import { checkStoredArchive } from '../../src/engine/verify.ts';
import { readStoredArchive } from '../../src/engine/stored-archive.ts';
import { RunSession } from '../../src/engine/session.ts';
import { parseOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import type { SourceContext } from '../../src/sources/types.ts';

function context(cwd: string): RunContext {
  return {
    log: silentLogger,
    redactor: new Redactor(),
    env: process.env,
    cwd,
    now: () => new Date(),
    version: 'test',
  };
}

/** zstd children of this process still running (the CLI decompressor). */
function zstdChildren(): number {
  try {
    const out = execFileSync('pgrep', ['-P', String(process.pid), 'zstd'], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

async function withBackup(
  compression: string,
  fn: (x: { dir: string; ctx: RunContext; sctx: SourceContext; store: string }) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-read-side-'));
  try {
    const db = new DatabaseSync(join(dir, 'app.db'));
    db.exec('CREATE TABLE t (a INTEGER, b TEXT)');
    const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
    // One transaction: 30,000 autocommits (an fsync each) took half the suite's time.
    db.exec('BEGIN');
    for (let i = 0; i < 30000; i++) ins.run(i, `row ${i} ${'x'.repeat(i % 97)}`);
    db.exec('COMMIT');
    db.close();
    const store = join(dir, 'backups');
    const ctx = context(dir);
    const options = parseOptions({
      command: 'backup',
      source: [`sqlite:${join(dir, 'app.db')}`],
      destination: [`file:${store}`],
      name: 'app',
      compression,
    });
    const outcome = await RunSession.run(options, ctx, new RunReport('backup'), (session) =>
      createBackup(session),
    );
    assert.ok(outcome.manifest.verifiedAt, 'the read-back ran and matched');
    const sctx: SourceContext = {
      log: silentLogger,
      redactor: ctx.redactor,
      env: process.env,
      tmpDir: dir,
      options: {},
    };
    await fn({ dir, ctx, sctx, store });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function stored(ctx: RunContext, store: string) {
  const options = parseOptions({ command: 'verify', destination: [`file:${store}`], name: 'app' });
  const destinations = await openDestinations(options, ctx);
  return findBackup(destinations, 'app', 'latest', ctx);
}

for (const compression of ['zstd', 'none']) {
  test(`${compression}: a driver failing before reading its members gets its own error back, and the read side is torn down`, async () => {
    await withBackup(compression, async ({ ctx, sctx, store }) => {
      const entry = await stored(ctx, store);
      const boom = new Error('the driver refused the target');
      await assert.rejects(
        readStoredArchive(entry.destination, entry.manifest, ctx, sctx, async () => {
          throw boom;
        }),
        (err) => err === boom,
      );
      // The decompressor child exits once its pipes are gone.
      for (let i = 0; i < 100 && zstdChildren() > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      assert.equal(zstdChildren(), 0);
    });
  });

  test(`${compression}: a driver failing halfway through a member body gets its own error back`, async () => {
    await withBackup(compression, async ({ ctx, sctx, store }) => {
      const entry = await stored(ctx, store);
      const boom = new Error('disk full in the driver');
      await assert.rejects(
        readStoredArchive(
          entry.destination,
          entry.manifest,
          ctx,
          sctx,
          async (_source, members) => {
            for await (const m of members) {
              if (!m.body) continue;
              for await (const _ of m.body) throw boom;
            }
          },
        ),
        (err) => err === boom,
      );
      for (let i = 0; i < 100 && zstdChildren() > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      assert.equal(zstdChildren(), 0);
    });
  });
}

test('checkStoredArchive: size and sha256 of the stored bytes, without decompressing', async () => {
  await withBackup('zstd', async ({ ctx, store }) => {
    const entry = await stored(ctx, store);
    await checkStoredArchive(entry.destination, entry.manifest, { checkSha256Sidecar: true });
    const folder = join(store, 'app');
    const archive = join(
      folder,
      (await readdir(folder)).find((n) => n.endsWith('.tar.zst'))!,
    );
    const size = (await stat(archive)).size;
    // One flipped byte: same size, other sha256.
    const h = await open(archive, 'r+');
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, Math.floor(size / 2));
    b[0] = b[0]! ^ 0xff;
    await h.write(b, 0, 1, Math.floor(size / 2));
    await h.close();
    await assert.rejects(checkStoredArchive(entry.destination, entry.manifest), IntegrityError);
    // Truncated.
    await h.close().catch(() => undefined);
    const t = await open(archive, 'r+');
    await t.truncate(size - 100);
    await t.close();
    await assert.rejects(checkStoredArchive(entry.destination, entry.manifest), /does not match/);
    // The .sha256 sidecar disagreeing with the manifest.
    const sidecar = archive.replace(/\.tar\.zst$/, '.sha256');
    const line = await readFile(sidecar, 'utf8');
    const w = await open(sidecar, 'w');
    await w.write(line.replace(/^./, (c) => (c === '0' ? '1' : '0')));
    await w.close();
    await assert.rejects(
      checkStoredArchive(entry.destination, entry.manifest, { checkSha256Sidecar: true }),
      /disagrees with the manifest/,
    );
  });
});
