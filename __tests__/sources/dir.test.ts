import { restoreNow } from '../../src/sources/types.ts';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  appendFile,
  chmod,
  mkdir,
  readFile,
  readdir,
  readlink,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Readable as ReadableStream } from 'node:stream';
import type { ArchiveEntry, MemberMeta, MemberRecord } from '../../src/archive/types.ts';
import { ConfigError, IntegrityError } from '../../src/core/errors.ts';
import { staysInside } from '../../src/sources/dir/extract.ts';
import { dirDriver } from '../../src/sources/dir/index.ts';
import { dirPath, isExcluded, staticBase } from '../../src/sources/dir/path.ts';
import { MemberBuffer } from '../helpers/member-buffer.ts';
import { manifestOf, workspace } from './context.ts';
import { OLD, listTree, makeTree } from './dir-fixture.ts';

async function* entriesOf(list: ArchiveEntry[]): AsyncGenerator<ArchiveEntry> {
  for (const e of list) yield e;
}

function file(path: string, content = 'x'): ArchiveEntry {
  return {
    path,
    type: 'file',
    mode: 0o644,
    mtime: OLD,
    body: ReadableStream.from([Buffer.from(content)]),
  };
}
function directory(path: string): ArchiveEntry {
  return { path, type: 'directory', mode: 0o755, mtime: OLD };
}
function link(path: string, linkTarget: string): ArchiveEntry {
  return { path, type: 'symlink', mode: 0o777, mtime: OLD, linkTarget };
}

describe('dir source', () => {
  test('URLs and patterns', async () => {
    assert.equal(dirPath('dir:/srv/uploads', 'source'), '/srv/uploads');
    assert.equal(dirPath('dir:///srv/uploads/', 'source'), '/srv/uploads');
    assert.equal(dirPath('dir:uploads', 'source'), join(process.cwd(), 'uploads'));
    assert.equal(dirPath('/tmp/out', 'target'), '/tmp/out');
    assert.throws(() => dirPath('dir:', 'source'), { option: 'source' });
    assert.throws(() => dirPath('sqlite:/x.db', 'target'), { option: 'target' });
    const ws = await workspace();
    const withCwd = { ...ws.ctx, cwd: '/srv/app' };
    assert.equal(dirDriver.open('dir:uploads', withCwd).displayUrl, 'dir:/srv/app/uploads');
    await ws.cleanup();
    assert.equal(staticBase('/var/data/*.csv'), '/var/data');
    assert.equal(staticBase('/var/data/**/x/*.csv'), '/var/data');
    assert.equal(staticBase('/var/{a,b}/x'), '/var');
    assert.ok(isExcluded('a/b/c.log', ['*.log']));
    assert.ok(isExcluded('cache', ['cache']));
    assert.ok(isExcluded('a/cache', ['cache']));
    assert.ok(isExcluded('logs/x/y.log', ['logs/**/*.log']));
    assert.ok(!isExcluded('a/logs/y.log', ['logs/*.log']));
  });

  test('round trip keeps the tree: nested folders, empty, binary and 5 MB files, odd names, links, modes, mtimes', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'src');
      await mkdir(src);
      await makeTree(src);
      const buffer = new MemberBuffer();
      const source = dirDriver.open(`dir:${src}`, w.ctx);
      assert.equal(source.displayUrl, `dir:${src}`);
      const result = await source.dump(buffer, w.ctx);
      assert.deepEqual(w.warnings, []);
      const original = await listTree(src);
      const files = original.filter((n) => n.type === 'file');
      assert.equal(result.inventory.files, files.length);
      assert.equal(
        result.inventory.totalBytes,
        files.reduce((a, n) => a + (n.size ?? 0), 0),
      );
      assert.deepEqual(
        buffer.records().map((r) => r.path),
        original.map((n) => n.path),
        'members are the tree in order, parents before children',
      );
      const linkRecord = buffer.records().find((r) => r.path === 'leaf-link');
      assert.equal(linkRecord?.type, 'symlink');
      assert.equal(linkRecord?.linkTarget, 'docs/deep/er/leaf.txt');

      const manifest = manifestOf('dir', source.displayUrl, buffer, result.inventory);
      await dirDriver.verify!(buffer.entries(), manifest, w.ctx);

      const target = join(w.dir, 'out', 'restored');
      const restored = await restoreNow(
        dirDriver,
        buffer.entries(),
        { target: `dir:${target}`, overwrite: false, manifest, backupId: 'b' },
        w.ctx,
      );
      assert.equal(restored.location, `dir:${target}`);
      assert.equal(restored.inventory?.files, result.inventory.files);
      assert.deepEqual(await listTree(target), original);
      assert.deepEqual(await readdir(join(w.dir, 'out')), ['restored'], 'no staging left');
      assert.equal(
        await readFile(join(target, 'leaf-link'), 'utf8'),
        'leaf',
        'the in-tree link works',
      );
      assert.deepEqual(await dirDriver.inventory!(`dir:${target}`, w.ctx), {
        files: result.inventory.files,
        totalBytes: result.inventory.totalBytes,
        extra: result.inventory.extra,
      });
    } finally {
      await w.cleanup();
    }
  });

  test('exclude patterns leave out files and whole subtrees', async () => {
    const w = await workspace({ exclude: ['*.tmp', 'cache', 'logs/**/*.log', 'docs/private'] });
    try {
      const src = join(w.dir, 'src');
      await mkdir(join(src, 'cache', 'sub'), { recursive: true });
      await mkdir(join(src, 'logs', '2026'), { recursive: true });
      await mkdir(join(src, 'docs', 'private'), { recursive: true });
      await mkdir(join(src, 'a', 'cache'), { recursive: true });
      await writeFile(join(src, 'keep.txt'), 'k');
      await writeFile(join(src, 'drop.tmp'), 'd');
      await writeFile(join(src, 'a', 'nested.tmp'), 'd');
      await writeFile(join(src, 'a', 'cache', 'x'), 'd');
      await writeFile(join(src, 'cache', 'sub', 'x'), 'd');
      await writeFile(join(src, 'logs', '2026', 'app.log'), 'd');
      await writeFile(join(src, 'logs', '2026', 'app.txt'), 'k');
      await writeFile(join(src, 'docs', 'private', 'p.md'), 'd');
      await writeFile(join(src, 'docs', 'public.md'), 'k');
      const buffer = new MemberBuffer();
      const result = await dirDriver.open(`dir:${src}`, w.ctx).dump(buffer, w.ctx);
      assert.deepEqual(
        buffer.records().map((r) => r.path),
        ['a', 'docs', 'docs/public.md', 'keep.txt', 'logs', 'logs/2026', 'logs/2026/app.txt'],
      );
      assert.equal(result.inventory.files, 3);
    } finally {
      await w.cleanup();
    }
  });

  test('a glob stores its matches relative to its static folder, with the folders between', async () => {
    const w = await workspace();
    try {
      const base = join(w.dir, 'data');
      await mkdir(join(base, 'x', 'y'), { recursive: true });
      await writeFile(join(base, 'a.csv'), '1');
      await writeFile(join(base, 'b.txt'), '2');
      await writeFile(join(base, 'x', 'y', 'c.csv'), '3');
      await chmod(join(base, 'x'), 0o700);

      const top = new MemberBuffer();
      await dirDriver.open(`dir:${base}/*.csv`, w.ctx).dump(top, w.ctx);
      assert.deepEqual(
        top.records().map((r) => r.path),
        ['a.csv'],
      );

      const deep = new MemberBuffer();
      const result = await dirDriver.open(`dir:${base}/**/*.csv`, w.ctx).dump(deep, w.ctx);
      assert.deepEqual(
        deep.records().map((r) => [r.path, r.type]),
        [
          ['a.csv', 'file'],
          ['x', 'directory'],
          ['x/y', 'directory'],
          ['x/y/c.csv', 'file'],
        ],
      );
      assert.equal(deep.records()[1]!.mode, 0o700);
      assert.equal(result.inventory.files, 2);

      await assert.rejects(
        dirDriver.open(`dir:${base}/*.nothing`, w.ctx).dump(new MemberBuffer(), w.ctx),
        (err) => err instanceof ConfigError && err.option === 'source',
      );
    } finally {
      await w.cleanup();
    }
  });

  test('a missing folder is a ConfigError for option source', async () => {
    const w = await workspace();
    try {
      for (const url of [`dir:${w.dir}/nope`, `dir:${w.dir}/nope/*.csv`]) {
        await assert.rejects(
          dirDriver.open(url, w.ctx).dump(new MemberBuffer(), w.ctx),
          (err) => err instanceof ConfigError && err.option === 'source',
        );
      }
    } finally {
      await w.cleanup();
    }
  });

  test('sockets are skipped with a warning; links out of the tree are stored as links with a warning', async () => {
    const w = await workspace();
    const server = createServer();
    try {
      const src = join(w.dir, 'src');
      await mkdir(src);
      await writeFile(join(src, 'a.txt'), 'a');
      await symlink('/etc', join(src, 'etc-link'));
      await new Promise<void>((resolve) => server.listen(join(src, 'sock'), resolve));
      const buffer = new MemberBuffer();
      await dirDriver.open(`dir:${src}`, w.ctx).dump(buffer, w.ctx);
      assert.deepEqual(
        buffer.records().map((r) => [r.path, r.type, r.linkTarget]),
        [
          ['a.txt', 'file', undefined],
          ['etc-link', 'symlink', '/etc'],
        ],
      );
      assert.equal(w.warnings.length, 2, w.warnings.join('\n'));
      assert.match(w.warnings.join('\n'), /etc-link links outside/);
      assert.match(w.warnings.join('\n'), /sock is not a regular file/);
    } finally {
      server.close();
      await w.cleanup();
    }
  });

  test('files that vanish are skipped and files that change are stored as read, with warnings', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'src');
      await mkdir(src);
      await writeFile(join(src, 'a.txt'), 'first');
      await writeFile(join(src, 'b.txt'), 'gone soon');
      await writeFile(join(src, 'c.log'), 'hello');
      const inner = new MemberBuffer();
      // A sink that changes the tree at chosen moments of the walk.
      const sink = {
        async addFile(
          path: string,
          body: Readable | Buffer,
          meta?: MemberMeta,
        ): Promise<MemberRecord> {
          if (path === 'a.txt') await unlink(join(src, 'b.txt'));
          if (path === 'c.log') await appendFile(join(src, 'c.log'), ' and more');
          return inner.addFile(path, body, meta);
        },
        addDirectory: (path: string, meta?: MemberMeta) => inner.addDirectory(path, meta),
        addSymlink: (path: string, target: string, meta?: MemberMeta) =>
          inner.addSymlink(path, target, meta),
      };
      const result = await dirDriver.open(`dir:${src}`, w.ctx).dump(sink, w.ctx);
      assert.deepEqual(
        inner.records().map((r) => r.path),
        ['a.txt', 'c.log'],
      );
      assert.equal(inner.file('c.log')?.toString(), 'hello');
      assert.equal(result.inventory.files, 2);
      assert.match(w.warnings.join('\n'), /b\.txt vanished/);
      assert.match(w.warnings.join('\n'), /c\.log changed while being read/);
    } finally {
      await w.cleanup();
    }
  });

  test('restore refuses a non-empty target without overwrite, accepts an empty one, replaces with overwrite', async () => {
    const w = await workspace();
    try {
      const src = join(w.dir, 'src');
      await mkdir(join(src, 'sub'), { recursive: true });
      await writeFile(join(src, 'sub', 'new.txt'), 'new');
      const buffer = new MemberBuffer();
      const result = await dirDriver.open(`dir:${src}`, w.ctx).dump(buffer, w.ctx);
      const manifest = manifestOf('dir', `dir:${src}`, buffer, result.inventory);

      const target = join(w.dir, 'target');
      await mkdir(target);
      await writeFile(join(target, 'old.txt'), 'old');
      await assert.rejects(
        restoreNow(
          dirDriver,
          buffer.entries(),
          { target, overwrite: false, manifest, backupId: 'b' },
          w.ctx,
        ),
        (err) =>
          err instanceof ConfigError && err.option === 'target' && /overwrite/.test(err.hint ?? ''),
      );
      assert.deepEqual(await readdir(target), ['old.txt']);
      assert.deepEqual((await readdir(w.dir)).sort(), ['src', 'target']);

      await restoreNow(
        dirDriver,
        buffer.entries(),
        { target, overwrite: true, manifest, backupId: 'b' },
        w.ctx,
      );
      assert.deepEqual(await readdir(target), ['sub']);
      assert.equal(await readFile(join(target, 'sub', 'new.txt'), 'utf8'), 'new');
      assert.deepEqual(
        (await readdir(w.dir)).sort(),
        ['src', 'target'],
        'the previous copy is removed',
      );

      const empty = join(w.dir, 'empty');
      await mkdir(empty);
      await restoreNow(
        dirDriver,
        buffer.entries(),
        { target: `dir:${empty}`, overwrite: false, manifest, backupId: 'b' },
        w.ctx,
      );
      assert.deepEqual(await readdir(empty), ['sub']);

      const aFile = join(w.dir, 'file');
      await writeFile(aFile, 'x');
      await assert.rejects(
        restoreNow(
          dirDriver,
          buffer.entries(),
          { target: aFile, overwrite: true, manifest, backupId: 'b' },
          w.ctx,
        ),
        (err) => err instanceof ConfigError && err.option === 'target',
      );
    } finally {
      await w.cleanup();
    }
  });

  const hostile: Array<[string, ArchiveEntry[]]> = [
    ['../evil', [file('ok.txt'), file('../evil')]],
    ['/abs', [file('/abs')]],
    ['a/../../x', [directory('a'), file('a/../../x')]],
    ['a/./b (not canonical)', [file('a/./b')]],
    ['link -> /etc', [file('ok.txt'), link('link', '/etc')]],
    ['link -> ../../x', [directory('a'), link('a/link', '../../x')]],
    ['link -> ..', [link('link', '..')]],
    [
      'file written through an extracted symlink',
      [link('link', 'sub'), directory('sub'), file('link/passwd')],
    ],
    ['folder through an extracted symlink', [link('l', '.'), directory('l/d')]],
    [
      'a -> . then b -> a/x/../.. (escapes only through a)',
      [link('a', '.'), link('b', 'a/x/../..')],
    ],
    [
      'b -> a/x/../.. then a -> . (a later link makes an earlier one escape)',
      [link('b', 'a/x/../..'), link('a', '.')],
    ],
    ['the same path twice', [file('f', 'one'), link('f', 'g')]],
    ['a path below a file', [file('f'), file('f/g')]],
    ['a file without content', [{ path: 'f', type: 'file', mode: 0o644, mtime: OLD }]],
  ];
  for (const [what, entries] of hostile) {
    test(`hostile archive refused, target not created: ${what}`, async () => {
      const w = await workspace();
      try {
        const target = join(w.dir, 'restored');
        const manifest = manifestOf('dir', 'dir:/x', new MemberBuffer(), {});
        await assert.rejects(
          restoreNow(
            dirDriver,
            entriesOf(entries),
            { target, overwrite: false, manifest, backupId: 'b' },
            w.ctx,
          ),
          IntegrityError,
        );
        assert.equal(existsSync(target), false);
        assert.deepEqual(await readdir(w.dir), [], 'no staging folder left behind');
        assert.equal(existsSync(join(w.dir, '..', 'evil')), false);
        assert.equal(existsSync('/abs'), false);

        const again = entries.map((e) =>
          e.body ? { ...e, body: ReadableStream.from([Buffer.from('x')]) } : e,
        );
        await assert.rejects(dirDriver.verify!(entriesOf(again), manifest, w.ctx), IntegrityError);
      } finally {
        await w.cleanup();
      }
    });
  }

  test('hostile archive over an existing folder with overwrite leaves it untouched', async () => {
    const w = await workspace();
    try {
      const target = join(w.dir, 'live');
      await mkdir(target);
      await writeFile(join(target, 'keep.txt'), 'keep');
      const manifest = manifestOf('dir', 'dir:/x', new MemberBuffer(), {});
      await assert.rejects(
        restoreNow(
          dirDriver,
          entriesOf([file('new.txt'), link('out', '../../../etc'), file('more.txt')]),
          { target, overwrite: true, manifest, backupId: 'b' },
          w.ctx,
        ),
        IntegrityError,
      );
      assert.deepEqual(await readdir(w.dir), ['live']);
      assert.deepEqual(await readdir(target), ['keep.txt']);
    } finally {
      await w.cleanup();
    }
  });

  test('a restore whose file count differs from the manifest is refused', async () => {
    const w = await workspace();
    try {
      const target = join(w.dir, 'restored');
      const manifest = manifestOf('dir', 'dir:/x', new MemberBuffer(), { files: 2, totalBytes: 2 });
      await assert.rejects(
        restoreNow(
          dirDriver,
          entriesOf([file('a')]),
          { target, overwrite: false, manifest, backupId: 'b' },
          w.ctx,
        ),
        /1 files, the manifest says 2/,
      );
      assert.deepEqual(await readdir(w.dir), []);
    } finally {
      await w.cleanup();
    }
  });

  test('link resolution follows links inside the tree as the OS would', () => {
    const links = new Map([
      ['a', '.'],
      ['d/up', '..'],
      ['d/deeper', 'x/y/../../..'],
      ['loop1', 'loop2'],
      ['loop2', 'loop1'],
    ]);
    assert.ok(staysInside(links, 'a'));
    assert.ok(staysInside(links, 'd/up'));
    assert.ok(staysInside(links, 'd/deeper'));
    assert.ok(!staysInside(links, 'loop1'));
    assert.ok(!staysInside(new Map([['d/l', '../..']]), 'd/l'));
  });

  test('in-tree relative links are accepted, even before what they point to exists', async () => {
    const w = await workspace();
    try {
      const target = join(w.dir, 'r');
      const manifest = manifestOf('dir', 'dir:/x', new MemberBuffer(), {});
      await restoreNow(
        dirDriver,
        entriesOf([directory('d'), link('d/l', '../x'), file('x', 'data')]),
        { target, overwrite: false, manifest, backupId: 'b' },
        w.ctx,
      );
      assert.equal(await readlink(join(target, 'd', 'l')), '../x');
      assert.equal(await readFile(join(target, 'd', 'l'), 'utf8'), 'data');
    } finally {
      await w.cleanup();
    }
  });
});
