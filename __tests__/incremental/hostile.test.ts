import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { dirDriver } from '../../src/sources/dir/index.ts';
import { sqliteDriver } from '../../src/sources/sqlite/index.ts';
import { IntegrityError } from '../../src/core/errors.ts';
import type { SourceManifest } from '../../src/archive/types.ts';
import { workspace } from '../sources/context.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function lastLink(unchanged: SourceManifest['incremental']): SourceManifest {
  return {
    name: 'dir',
    kind: 'dir',
    url: 'dir:/x',
    versions: {},
    inventory: { files: 1, totalBytes: 5 },
    members: [],
    durationMs: 0,
    incremental: unchanged!,
  };
}

test('a chain record that climbs out of the folder is refused, and nothing lands outside it', async () => {
  const w = await workspace();
  try {
    const scratch = join(w.dir, 'scratch');
    await mkdir(scratch);
    const last = lastLink({
      parent: 'p',
      unchanged: [
        {
          path: '../escaped.txt',
          type: 'file',
          mode: 0o644,
          mtime: new Date(0).toISOString(),
          size: 5,
          sha256: sha('hello'),
          storedIn: 'p',
        },
      ],
    });
    // The link that "stores" it: the scratch gets the bytes under a hashed name only.
    const members = (async function* () {
      const { Readable } = await import('node:stream');
      yield {
        path: '../escaped.txt',
        type: 'file' as const,
        mode: 0o644,
        mtime: new Date(0),
        body: Readable.from([Buffer.from('hello')]),
      };
    })();
    await dirDriver.incremental!.absorb(
      members,
      {
        id: 'p',
        manifest: {
          ...last,
          members: [last.incremental!.unchanged![0]!],
          incremental: undefined as never,
        },
      },
      last,
      scratch,
      w.ctx,
    );
    assert.ok((await readdir(scratch)).every((n) => /^[0-9a-f]{40}$/.test(n)));
    const assembled = await dirDriver.incremental!.assemble(last, scratch, w.ctx);
    const target = join(w.dir, 'target');
    await assert.rejects(
      dirDriver.stage(
        assembled.members,
        { target: `dir:${target}`, overwrite: false, manifest: assembled.manifest, backupId: 'x' },
        w.ctx,
      ),
      IntegrityError,
    );
    assert.deepEqual((await readdir(w.dir)).sort(), ['scratch']);
  } finally {
    await w.cleanup();
  }
});

test("an incremental's own archive is never restored or checked as if it were the whole data", async () => {
  const w = await workspace();
  try {
    const last = lastLink({ parent: 'p', unchanged: [] });
    const none = (async function* () {})();
    await assert.rejects(
      dirDriver.stage(
        none,
        { target: `dir:${join(w.dir, 't')}`, overwrite: false, manifest: last, backupId: 'x' },
        w.ctx,
      ),
      /incremental backup \(parent p\): it can only be restored or checked through its chain/,
    );
    await assert.rejects(
      sqliteDriver.verify!(none, { ...last, kind: 'sqlite' }, w.ctx),
      /through its chain/,
    );
  } finally {
    await w.cleanup();
  }
});
