import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { checkManifestConsistency, readArchive } from '../../src/archive/reader.ts';
import { ArchiveWriter, DEFAULT_CHUNK_SIZE } from '../../src/archive/writer.ts';
import { HashingStream, parseSha256sum, sha256sumLine } from '../../src/archive/hash.ts';
import { archiveExtension, compressionFromKey } from '../../src/archive/compression.ts';
import { encodeHeader, parseNumber, parsePaxTime, paxRecord } from '../../src/archive/tar.ts';
import { HEADER_ENTRY, MANIFEST_ENTRY } from '../../src/archive/types.ts';
import { IntegrityError, SourceError } from '../../src/core/errors.ts';
import {
  archiveBytes,
  headerFor,
  pseudoRandom,
  readAll,
  sha256,
  writeArchive,
  type SourceSpec,
} from './archive-helpers.ts';

const CHUNK = 4096;

function sampleSources(): SourceSpec[] {
  const t = new Date(1_700_000_000_123);
  return [
    {
      name: 'db',
      members: [
        { type: 'file', path: 'empty.bin', data: Buffer.alloc(0), meta: { mode: 0o600, mtime: t } },
        { type: 'file', path: 'small.txt', data: Buffer.from('hello lifeboat\n') },
        { type: 'file', path: 'exact.bin', data: pseudoRandom(CHUNK, 2), stream: true },
        {
          type: 'file',
          path: 'exact-plus-one.bin',
          data: pseudoRandom(CHUNK + 1, 3),
          stream: true,
        },
        { type: 'file', path: 'multi.bin', data: pseudoRandom(5 * CHUNK + 123, 4), stream: true },
        { type: 'file', path: 'two-exact.bin', data: pseudoRandom(2 * CHUNK, 5) },
      ],
    },
    {
      name: 'uploads',
      members: [
        { type: 'directory', path: 'img', meta: { mode: 0o750, mtime: t } },
        {
          type: 'file',
          path: 'img/a.png',
          data: pseudoRandom(3000, 6),
          meta: { mode: 0o640, mtime: t },
        },
        { type: 'symlink', path: 'latest.png', target: 'img/a.png', meta: { mtime: t } },
        { type: 'symlink', path: 'outside', target: '../../etc/passwd' },
        { type: 'directory', path: `deep/${'d'.repeat(120)}` },
        {
          type: 'file',
          path: `deep/${'d'.repeat(120)}/ünïcødé ${'x'.repeat(80)}.txt`,
          data: Buffer.from('long'),
        },
        { type: 'symlink', path: 'long-link', target: `${'t'.repeat(150)}/target` },
        { type: 'file', path: 'spaces and\nnewline', data: Buffer.from('odd name') },
      ],
    },
  ];
}

test(
  'round trip: files of every size class, directories and symlinks come back identical',
  { timeout: 60_000 },
  async () => {
    const sources = sampleSources();
    const { result, records } = await writeArchive(sources, CHUNK, (stream) => readAll(stream));

    assert.equal(result.header?.id, 'test-id');
    assert.deepEqual(
      result.members.map((m) => `${m.source}/${m.path}`),
      sources.flatMap((s) => s.members.map((m) => `${s.name}/${m.path}`)),
    );
    let i = 0;
    for (const s of sources) {
      for (const spec of s.members) {
        const got = result.members[i++]!;
        assert.equal(got.type, spec.type, spec.path);
        if (spec.type === 'file') assert.ok(got.data?.equals(spec.data), `content of ${spec.path}`);
        if (spec.type === 'symlink') assert.equal(got.linkTarget, spec.target);
        if (spec.meta?.mode !== undefined)
          assert.equal(got.mode, spec.meta.mode, `mode of ${spec.path}`);
        if (spec.meta?.mtime)
          assert.equal(got.mtime.getTime(), spec.meta.mtime.getTime(), `mtime of ${spec.path}`);
      }
    }
    assert.ok(result.manifest && result.observed);
    checkManifestConsistency(result.manifest, result.observed);
    assert.deepEqual(result.observed, records);
  },
);

test(
  'records describe chunks: one entry per small file, numbered parts otherwise, never an empty tail',
  { timeout: 60_000 },
  async () => {
    const { records } = await writeArchive(sampleSources(), CHUNK, (s) => buffer(s));
    const db = Object.fromEntries(records.db!.map((r) => [r.path, r]));
    assert.deepEqual(db['empty.bin']!.chunks, [
      { entry: 'db/empty.bin', size: 0, sha256: sha256('') },
    ]);
    assert.equal(db['empty.bin']!.mode, 0o600);
    assert.equal(db['empty.bin']!.mtime, '2023-11-14T22:13:20.123Z');
    assert.deepEqual(
      db['exact.bin']!.chunks!.map((c) => c.entry),
      ['db/exact.bin'],
    );
    assert.deepEqual(
      db['exact-plus-one.bin']!.chunks!.map((c) => [c.entry, c.size]),
      [
        ['db/exact-plus-one.bin.lbpart-000000', CHUNK],
        ['db/exact-plus-one.bin.lbpart-000001', 1],
      ],
    );
    assert.deepEqual(
      db['two-exact.bin']!.chunks!.map((c) => c.size),
      [CHUNK, CHUNK],
    );
    const multi = db['multi.bin']!;
    assert.equal(multi.size, 5 * CHUNK + 123);
    assert.equal(multi.sha256, sha256(pseudoRandom(5 * CHUNK + 123, 4)));
    assert.equal(multi.chunks!.length, 6);
    assert.equal(multi.chunks![5]!.entry, 'db/multi.bin.lbpart-000005');
    assert.equal(
      multi.chunks![2]!.sha256,
      sha256(pseudoRandom(5 * CHUNK + 123, 4).subarray(2 * CHUNK, 3 * CHUNK)),
    );
    const link = records.uploads!.find((r) => r.path === 'latest.png')!;
    assert.deepEqual(
      { type: link.type, linkTarget: link.linkTarget, mode: link.mode },
      { type: 'symlink', linkTarget: 'img/a.png', mode: 0o777 },
    );
  },
);

test(
  'the archive starts with the header entry and ends with the manifest and two zero blocks',
  { timeout: 60_000 },
  async () => {
    const bytes = await archiveBytes(sampleSources(), CHUNK);
    assert.equal(bytes.length % 512, 0);
    // The header is a pax 'x' entry (it carries LIFEBOAT.sha256) followed by the ustar header.
    assert.equal(String.fromCharCode(bytes[156]!), 'x');
    assert.ok(bytes.subarray(0, 4096).includes(Buffer.from(HEADER_ENTRY)));
    assert.ok(bytes.subarray(bytes.length - 1024).equals(Buffer.alloc(1024)));
    const tail = bytes.subarray(bytes.length - 200_000);
    assert.ok(tail.includes(Buffer.from(MANIFEST_ENTRY)));
  },
);

test('checkManifestConsistency names the first difference', { timeout: 60_000 }, async () => {
  const { result } = await writeArchive(sampleSources(), CHUNK, (stream) => readAll(stream));
  const manifest = structuredClone(result.manifest!);
  manifest.sources[0]!.members[4]!.chunks![3]!.sha256 = '0'.repeat(64);
  assert.throws(
    () => checkManifestConsistency(manifest, result.observed!),
    (err: unknown) => {
      assert.ok(err instanceof IntegrityError);
      assert.match(err.message, /multi\.bin/);
      assert.match(err.message, /chunk 3/);
      return true;
    },
  );
  const missing = structuredClone(result.manifest!);
  missing.sources[1]!.members.pop();
  assert.throws(
    () => checkManifestConsistency(missing, result.observed!),
    /the manifest lists nothing/,
  );
  const renamed = structuredClone(result.manifest!);
  renamed.sources[1]!.name = 'other';
  assert.throws(() => checkManifestConsistency(renamed, result.observed!), /does not list/);
  const size = structuredClone(result.manifest!);
  size.sources[0]!.members[1]!.size = 1;
  assert.throws(() => checkManifestConsistency(size, result.observed!), /size differs/);
});

test(
  'a body left unread is still read and checked before the next member',
  { timeout: 60_000 },
  async () => {
    const sources = sampleSources();
    const { result } = await writeArchive(sources, CHUNK, async (stream) => {
      const seen: string[] = [];
      let manifestOk = false;
      for await (const item of readArchive(stream)) {
        if (item.kind === 'member') {
          seen.push(item.entry.path);
          if (item.entry.path === 'multi.bin') {
            // Read one chunk only, then move on.
            const first: Buffer = await new Promise((resolve) =>
              item.entry.body!.once('data', resolve),
            );
            assert.equal(first.length, CHUNK);
          }
        } else if (item.kind === 'manifest') {
          checkManifestConsistency(item.manifest, item.observed);
          manifestOk = true;
        }
      }
      return { seen, manifestOk };
    });
    assert.equal(result.manifestOk, true);
    assert.equal(result.seen.length, 14);
  },
);

test('stopping early destroys the input stream', { timeout: 60_000 }, async () => {
  const bytes = await archiveBytes(sampleSources(), CHUNK);
  const input = Readable.from([bytes]);
  for await (const item of readArchive(input)) {
    if (item.kind === 'member') break;
  }
  assert.equal(input.destroyed, true);
});

test(
  'the writer respects backpressure: nothing runs ahead of a consumer that does not read',
  { timeout: 60_000 },
  async () => {
    const writer = new ArchiveWriter({ chunkSize: 64 * 1024 });
    const sources: SourceSpec[] = [{ name: 'db', members: [] }];
    await writer.writeHeader(headerFor(sources, 64 * 1024));
    const sink = writer.sourceSink('db');
    let done = false;
    const add = sink
      .addFile('big', Readable.from([pseudoRandom(8 * 1024 * 1024)]))
      .then(() => (done = true));
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    assert.equal(done, false);
    assert.ok(
      writer.stream.readableLength <= 2 * 64 * 1024 + 4096,
      `buffered ${writer.stream.readableLength}`,
    );
    const all = buffer(writer.stream);
    await add;
    await writer.finish(
      (await import('./archive-helpers.ts')).manifestFor(headerFor(sources, 64 * 1024), {
        db: sink.records(),
      }),
    );
    const out = await all;
    const read = await readAll(Readable.from([out]));
    assert.equal(read.members[0]!.data!.length, 8 * 1024 * 1024);
  },
);

test('abort fails the stream and any write in progress', { timeout: 60_000 }, async () => {
  const writer = new ArchiveWriter({ chunkSize: 1024 });
  const sources: SourceSpec[] = [{ name: 'db', members: [] }];
  const consumer = buffer(writer.stream);
  await writer.writeHeader(headerFor(sources, 1024));
  const sink = writer.sourceSink('db');
  const body = new PassThrough();
  const add = sink.addFile('dump', body);
  body.write(pseudoRandom(5000));
  const boom = new Error('pg_dump exited with code 1');
  writer.abort(boom);
  body.end();
  await assert.rejects(consumer, (err) => err === boom);
  await assert.rejects(add);
});

test(
  'a failing member body poisons the archive once chunks were written',
  { timeout: 60_000 },
  async () => {
    const writer = new ArchiveWriter({ chunkSize: 1024 });
    const sources: SourceSpec[] = [{ name: 'db', members: [] }];
    const consumer = buffer(writer.stream);
    await writer.writeHeader(headerFor(sources, 1024));
    const sink = writer.sourceSink('db');
    // Failing before any chunk is written leaves a consistent archive.
    const early = Readable.from(
      (async function* () {
        yield pseudoRandom(100);
        throw new Error('could not open file');
      })(),
    );
    await assert.rejects(sink.addFile('early', early), /could not open file/);
    await sink.addFile('fine', Buffer.from('x'));
    const late = Readable.from(
      (async function* () {
        yield pseudoRandom(5000);
        throw new Error('dump died');
      })(),
    );
    await assert.rejects(sink.addFile('dump', late), /dump died/);
    await assert.rejects(consumer, /dump died/);
    await assert.rejects(sink.addFile('later', Buffer.from('x')));
  },
);

test(
  'the writer refuses unsafe or duplicate member paths and misuse',
  { timeout: 60_000 },
  async () => {
    const sources: SourceSpec[] = [{ name: 'db', members: [] }];
    const w1 = new ArchiveWriter({ chunkSize: 1024 });
    void buffer(w1.stream).catch(() => undefined);
    await assert.rejects(w1.sourceSink('db').addFile('a', Buffer.from('x')), /header first/);
    await assert.rejects(w1.finish({} as never), /header first/);
    assert.throws(() => w1.sourceSink('../x'), /invalid source folder name/);
    assert.throws(() => w1.sourceSink('lifeboat.json/x'), /invalid source folder name/);
    const w3 = new ArchiveWriter({ chunkSize: 1024 });
    void buffer(w3.stream).catch(() => undefined);
    await w3.writeHeader(headerFor(sources, 1024));
    const sink = w3.sourceSink('db');
    for (const bad of ['../evil', '/abs', 'a/../b', 'a//b', './a', '']) {
      await assert.rejects(sink.addFile(bad, Buffer.from('x')), SourceError, bad);
    }
    await sink.addFile('a', Buffer.from('x'));
    await assert.rejects(sink.addFile('a', Buffer.from('y')), /twice/);
    await sink.addSymlink('link', '/etc');
    await assert.rejects(sink.addFile('link/passwd', Buffer.from('y')), /under a symlink/);
    assert.throws(() => w3.sourceSink('db'), /already written/);
    await assert.rejects(w3.writeHeader(headerFor(sources, 1024)), /first/);
    assert.throws(() => new ArchiveWriter({ chunkSize: 0 }), RangeError);
    assert.equal(new ArchiveWriter().chunkSize, DEFAULT_CHUNK_SIZE);
  },
);

test('tar primitives: pax record lengths, numbers, times', () => {
  for (const value of [
    '',
    'x',
    'x'.repeat(85),
    'x'.repeat(86),
    'x'.repeat(991),
    'x'.repeat(992),
    'é'.repeat(500),
  ]) {
    const rec = paxRecord('path', value);
    const len = Number(rec.toString('utf8').split(' ')[0]);
    assert.equal(len, rec.length, `record of ${value.length}`);
  }
  const block = Buffer.alloc(512);
  block.write('0000644\0', 100, 'ascii');
  assert.equal(parseNumber(block, 100, 8, 'mode'), 0o644);
  block.fill(0, 124, 136);
  block[124] = 0x80;
  block.writeUIntBE(2 ** 40, 130, 6);
  assert.equal(parseNumber(block, 124, 12, 'size'), 2 ** 40);
  block.write('12x4\0', 100, 'ascii');
  assert.throws(() => parseNumber(block, 100, 8, 'mode'), IntegrityError);
  assert.equal(parsePaxTime('1700000000.123456789'), 1_700_000_000_123);
  assert.equal(parsePaxTime('1700000000.5'), 1_700_000_000_500);
  assert.equal(parsePaxTime('-1.5'), -1500);
  assert.throws(() => parsePaxTime('12e5'), IntegrityError);
  const h = encodeHeader({
    name: 'a',
    type: 'file',
    size: 0,
    mode: 0o644,
    mtimeMs: 1_700_000_000_250,
  });
  assert.equal(String.fromCharCode(h[156]!), 'x');
  assert.match(h.subarray(512, 1024).toString('utf8'), /mtime=1700000000\.250\n/);
});

test('sha256sum lines and file names', () => {
  const hex = sha256('x');
  const line = sha256sumLine(hex, '20261122T030000Z-abc.tar.zst');
  assert.equal(line, `${hex}  20261122T030000Z-abc.tar.zst\n`);
  assert.deepEqual(parseSha256sum(line), { sha256: hex, fileName: '20261122T030000Z-abc.tar.zst' });
  assert.deepEqual(parseSha256sum(`${hex.toUpperCase()} *b.tar\r\n`), {
    sha256: hex,
    fileName: 'b.tar',
  });
  for (const bad of ['', 'nothing', `${hex.slice(1)}  a`, `${hex}  a\n${hex}  b\n`]) {
    assert.throws(() => parseSha256sum(bad), IntegrityError, JSON.stringify(bad));
  }
  assert.throws(() => sha256sumLine(hex, 'a\nb'));
  assert.equal(archiveExtension('zstd'), '.tar.zst');
  assert.equal(archiveExtension('gzip'), '.tar.gz');
  assert.equal(archiveExtension('none'), '.tar');
  assert.equal(compressionFromKey('set/20261122T030000Z-abc.tar.zst'), 'zstd');
  assert.equal(compressionFromKey('set/x.tar.gz.age'), 'gzip');
  assert.equal(compressionFromKey('set/x.tar'), 'none');
  assert.equal(compressionFromKey('set/x.manifest.json'), undefined);
});

test('HashingStream counts and hashes what passes through', { timeout: 60_000 }, async () => {
  const h = new HashingStream();
  assert.throws(() => h.digest());
  const data = pseudoRandom(100_000);
  const out = buffer(h);
  h.write(data.subarray(0, 1000));
  h.end(data.subarray(1000));
  assert.ok((await out).equals(data));
  assert.equal(h.bytes, data.length);
  assert.equal(h.digest(), sha256(data));
});

test(
  'chunks that arrive in many small pieces read back identical, and a cut inside one is refused',
  { timeout: 60_000 },
  async () => {
    const sources = sampleSources();
    const bytes = await archiveBytes(sources, CHUNK);
    // The reader hands a checked chunk on as the pieces it arrived in: 333-byte pieces make
    // every chunk span many of them, and pieces straddle headers, bodies and padding.
    const pieces = (buf: Buffer): Readable =>
      Readable.from(
        Array.from({ length: Math.ceil(buf.length / 333) }, (_, i) =>
          buf.subarray(i * 333, (i + 1) * 333),
        ),
      );
    const whole = await readAll(Readable.from([bytes]));
    const split = await readAll(pieces(bytes));
    assert.equal(split.members.length, whole.members.length);
    for (let i = 0; i < whole.members.length; i++) {
      const a = whole.members[i]!;
      const b = split.members[i]!;
      assert.equal(b.path, a.path);
      assert.equal(b.data === undefined, a.data === undefined, a.path);
      if (a.data) assert.ok(b.data!.equals(a.data), `content of ${a.path}`);
    }
    // Cut in the middle of multi.bin's third chunk: the reader never hands that chunk on.
    const multi = sources[0]!.members.find((m) => m.path === 'multi.bin')!;
    assert.equal(multi.type, 'file');
    const at = bytes.indexOf((multi as { data: Buffer }).data.subarray(2 * CHUNK, 2 * CHUNK + 64));
    assert.ok(at > 0);
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const item of readArchive(pieces(bytes.subarray(0, at + 1000)))) {
          if (item.kind !== 'member' || !item.entry.body) continue;
          const data = await buffer(item.entry.body);
          seen.push(`${item.entry.path}:${data.length}`);
        }
      })(),
      (err: Error) => err instanceof IntegrityError && /truncated/.test(err.message),
    );
    assert.ok(!seen.some((s) => s.startsWith('multi.bin')), seen.join(', '));
  },
);
