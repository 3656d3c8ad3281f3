import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { readArchive } from '../../src/archive/reader.ts';
import { END_OF_ARCHIVE, encodeHeader, paddingFor } from '../../src/archive/tar.ts';
import { HEADER_ENTRY, MANIFEST_ENTRY } from '../../src/archive/types.ts';
import { IntegrityError } from '../../src/core/errors.ts';
import {
  archiveBytes,
  headerFor,
  piecewise,
  pseudoRandom,
  rawHeader,
  readAll,
  sha256,
  withPadding,
  type SourceSpec,
} from './archive-helpers.ts';

const CHUNK = 2048;
const MULTI = pseudoRandom(4 * CHUNK + 100, 9);
const SMALL = Buffer.from('a small file that fits in one chunk\n'.repeat(10));

const SOURCES: SourceSpec[] = [
  {
    name: 'db',
    members: [
      { type: 'directory', path: 'dir' },
      { type: 'file', path: 'dir/small.txt', data: SMALL },
      { type: 'file', path: 'multi.bin', data: MULTI, stream: true },
      { type: 'symlink', path: 'link', target: 'dir/small.txt' },
    ],
  },
];

const isIntegrity = (err: unknown) => {
  assert.ok(err instanceof IntegrityError, `expected an IntegrityError, got ${String(err)}`);
  return true;
};

interface Segment {
  name: string;
  start: number;
  end: number;
}

/** Splits an uncompressed archive into its entries (pax header included) and the end blocks. */
function segments(buf: Buffer): Segment[] {
  const out: Segment[] = [];
  let off = 0;
  let start = 0;
  let paxName: string | undefined;
  while (off < buf.length) {
    const block = buf.subarray(off, off + 512);
    if (block.equals(Buffer.alloc(512))) {
      out.push({ name: '<end>', start: off, end: buf.length });
      break;
    }
    const size = parseInt(block.subarray(124, 136).toString('latin1').replace(/\0.*$/, ''), 8);
    const flag = String.fromCharCode(block[156]!);
    const body = buf.subarray(off + 512, off + 512 + size);
    const next = off + 512 + size + paddingFor(size);
    if (flag === 'x') {
      paxName = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
      off = next;
      continue;
    }
    const name = paxName ?? block.subarray(0, 100).toString('utf8').replace(/\0.*$/, '');
    out.push({ name, start, end: next });
    paxName = undefined;
    off = next;
    start = next;
  }
  return out;
}

function without(buf: Buffer, names: string[]): Buffer {
  return Buffer.concat(
    segments(buf)
      .filter((s) => !names.includes(s.name))
      .map((s) => buf.subarray(s.start, s.end)),
  );
}

function jsonEntry(name: string, value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value));
  return Buffer.concat([
    encodeHeader({
      name,
      type: 'file',
      size: json.length,
      mode: 0o644,
      mtimeMs: 0,
      records: [['LIFEBOAT.sha256', sha256(json)]],
    }),
    withPadding(json),
  ]);
}

function fileEntry(name: string, member: string, data: Buffer): Buffer {
  return Buffer.concat([
    encodeHeader({
      name,
      type: 'file',
      size: data.length,
      mode: 0o644,
      mtimeMs: 0,
      records: [
        ['LIFEBOAT.member', member],
        ['LIFEBOAT.part', '0'],
        ['LIFEBOAT.sha256', sha256(data)],
        ['LIFEBOAT.parts', '1'],
        ['LIFEBOAT.size', String(data.length)],
        ['LIFEBOAT.member-sha256', sha256(data)],
      ],
    }),
    withPadding(data),
  ]);
}

const validHeader = () => jsonEntry(HEADER_ENTRY, headerFor(SOURCES, CHUNK));

test(
  'a flipped byte inside a chunk fails before that chunk is passed on',
  { timeout: 60_000 },
  async () => {
    const bytes = await archiveBytes(SOURCES, CHUNK);
    const at = bytes.indexOf(MULTI.subarray(CHUNK + 10, CHUNK + 60));
    assert.ok(at > 0);
    const bad = Buffer.from(bytes);
    bad[at + 5]! ^= 0x01;

    const received: Buffer[] = [];
    const read = (async () => {
      for await (const item of readArchive(Readable.from([bad]))) {
        if (item.kind === 'member' && item.entry.body) {
          for await (const piece of item.entry.body)
            if (item.entry.path === 'multi.bin') received.push(piece as Buffer);
        }
      }
    })();
    await assert.rejects(read, (err: unknown) => {
      isIntegrity(err);
      assert.match((err as Error).message, /multi\.bin\.lbpart-000001.*sha256/);
      return true;
    });
    // Only the intact first chunk reached the consumer.
    assert.ok(Buffer.concat(received).equals(MULTI.subarray(0, CHUNK)));

    const single = Buffer.from(bytes);
    single[bytes.indexOf(SMALL) + 3]! ^= 0x20;
    await assert.rejects(readAll(Readable.from([single])), isIntegrity);
  },
);

test(
  'a flipped byte in a tar header or in the manifest is an IntegrityError',
  { timeout: 60_000 },
  async () => {
    const bytes = await archiveBytes(SOURCES, CHUNK);
    const seg = segments(bytes).find((s) => s.name === 'db/dir/small.txt')!;
    const header = Buffer.from(bytes);
    header[seg.start + 520]! ^= 0x04;
    await assert.rejects(readAll(Readable.from([header])), isIntegrity);

    const manifest = segments(bytes).find((s) => s.name === MANIFEST_ENTRY)!;
    const bad = Buffer.from(bytes);
    bad[manifest.end - 600]! ^= 0x01;
    await assert.rejects(readAll(Readable.from([bad])), isIntegrity);
  },
);

test(
  'a truncated archive is always an IntegrityError, wherever it is cut',
  { timeout: 120_000 },
  async () => {
    const bytes = await archiveBytes(SOURCES, CHUNK);
    const cuts = new Set<number>();
    for (let at = 0; at < bytes.length; at += 512) cuts.add(at);
    for (let at = 1; at < bytes.length; at += 997) cuts.add(at);
    cuts.add(bytes.length - 1);
    cuts.add(bytes.length - 512);
    for (const at of cuts) {
      const cut = bytes.subarray(0, at);
      await assert.rejects(
        readAll(piecewise(cut, 700)),
        isIntegrity,
        `cut at ${at} of ${bytes.length}`,
      );
    }
    // The whole archive reads fine, so the failures above come from the cuts.
    const all = await readAll(piecewise(bytes, 700));
    assert.equal(all.members.length, 4);
  },
);

test('missing, reordered or extra entries are IntegrityErrors', { timeout: 60_000 }, async () => {
  const bytes = await archiveBytes(SOURCES, CHUNK);
  const segs = segments(bytes);
  const names = segs.map((s) => s.name);
  assert.deepEqual(names, [
    HEADER_ENTRY,
    'db/dir/',
    'db/dir/small.txt',
    'db/multi.bin.lbpart-000000',
    'db/multi.bin.lbpart-000001',
    'db/multi.bin.lbpart-000002',
    'db/multi.bin.lbpart-000003',
    'db/multi.bin.lbpart-000004',
    'db/link',
    MANIFEST_ENTRY,
    '<end>',
  ]);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['middle chunk missing', without(bytes, ['db/multi.bin.lbpart-000002']), /chunk 2 is missing/],
    ['last chunk missing', without(bytes, ['db/multi.bin.lbpart-000004']), /chunk 4 is missing/],
    ['first chunk missing', without(bytes, ['db/multi.bin.lbpart-000000']), /not the first chunk/],
    ['header missing', without(bytes, [HEADER_ENTRY]), /does not start with lifeboat\.json/],
    ['manifest missing', without(bytes, [MANIFEST_ENTRY]), /ends before lifeboat-manifest\.json/],
  ];
  const seg = (n: string) => segs.find((s) => s.name === n)!;
  const swap = Buffer.concat(
    segs.map((s) => {
      const pick =
        s.name === 'db/multi.bin.lbpart-000001'
          ? seg('db/multi.bin.lbpart-000002')
          : s.name === 'db/multi.bin.lbpart-000002'
            ? seg('db/multi.bin.lbpart-000001')
            : s;
      return bytes.subarray(pick.start, pick.end);
    }),
  );
  cases.push(['chunks out of order', swap, /chunk 1 is missing or out of order/]);
  const endAt = seg('<end>').start;
  cases.push([
    'entry after the manifest',
    Buffer.concat([
      bytes.subarray(0, endAt),
      fileEntry('db/extra', 'extra', Buffer.from('x')),
      END_OF_ARCHIVE,
    ]),
    /after lifeboat-manifest\.json/,
  ]);
  cases.push([
    'garbage after the end blocks',
    Buffer.concat([bytes, Buffer.from('trailing garbage'), Buffer.alloc(496)]),
    /data after its end marker/,
  ]);
  cases.push([
    'only one end block',
    bytes.subarray(0, bytes.length - 512),
    /end-of-archive blocks are incomplete/,
  ]);
  const dup = Buffer.concat([
    bytes.subarray(0, seg('db/link').start),
    bytes.subarray(seg('db/dir/small.txt').start, seg('db/dir/small.txt').end),
    bytes.subarray(seg('db/link').start),
  ]);
  cases.push(['member twice', dup, /appears twice/]);
  for (const [what, buf, message] of cases) {
    await assert.rejects(
      readAll(Readable.from([buf])),
      (err: unknown) => {
        isIntegrity(err);
        assert.match((err as Error).message, message, what);
        return true;
      },
      what,
    );
  }
});

test(
  'hostile entries are refused: path escapes, links, devices, unknown formats',
  { timeout: 60_000 },
  async () => {
    const end = END_OF_ARCHIVE;
    const cases: Array<[string, Buffer, RegExp]> = [
      [
        '../ escape',
        Buffer.concat([validHeader(), fileEntry('db/../evil', '../evil', Buffer.from('x')), end]),
        /unsafe/,
      ],
      [
        'absolute path',
        Buffer.concat([validHeader(), fileEntry('/abs', 'abs', Buffer.from('x')), end]),
        /unsafe/,
      ],
      [
        'member record escapes',
        Buffer.concat([validHeader(), fileEntry('db/ok', '../../ok', Buffer.from('x')), end]),
        /unsafe member path/,
      ],
      [
        'hardlink',
        Buffer.concat([validHeader(), rawHeader('db/hard', '1', 0, 'db/x'), end]),
        /hardlink/,
      ],
      [
        'char device',
        Buffer.concat([validHeader(), rawHeader('db/tty', '3', 0), end]),
        /character device/,
      ],
      ['fifo', Buffer.concat([validHeader(), rawHeader('db/pipe', '6', 0), end]), /fifo/],
      [
        'GNU long name',
        Buffer.concat([validHeader(), rawHeader('././@LongLink', 'L', 0), end]),
        /GNU long name/,
      ],
      [
        'file without Lifeboat records',
        Buffer.concat([
          validHeader(),
          rawHeader('db/plain', '0', 1),
          withPadding(Buffer.from('x')),
          end,
        ]),
        /no LIFEBOAT\.member/,
      ],
      [
        'folder not in the header',
        Buffer.concat([validHeader(), fileEntry('other/x', 'x', Buffer.from('x')), end]),
        /does not list/,
      ],
      [
        'first entry is not the header',
        Buffer.concat([fileEntry('db/x', 'x', Buffer.from('x')), end]),
        /does not start with/,
      ],
      [
        'newer format',
        Buffer.concat([jsonEntry(HEADER_ENTRY, { ...headerFor(SOURCES, CHUNK), format: 2 }), end]),
        /format 2 is newer/,
      ],
      [
        'header without sha256',
        Buffer.concat([rawHeader(HEADER_ENTRY, '0', 2), withPadding(Buffer.from('{}')), end]),
        /LIFEBOAT\.sha256/,
      ],
      [
        'oversized chunk',
        Buffer.concat([validHeader(), fileEntry('db/big', 'big', Buffer.alloc(CHUNK + 1)), end]),
        /more than the archive's chunk size/,
      ],
      [
        'not a tar at all',
        Buffer.from('PK\x03\x04 this is a zip file'.padEnd(1024, '\0')),
        /no valid tar header/,
      ],
      [
        'symlink under a symlink',
        Buffer.concat([
          validHeader(),
          encodeHeader({
            name: 'db/l',
            type: 'symlink',
            size: 0,
            mode: 0o777,
            mtimeMs: 0,
            linkname: '/etc',
          }),
          fileEntry('db/l/passwd', 'l/passwd', Buffer.from('x')),
          end,
        ]),
        /under a symlink/,
      ],
    ];
    const part = (n: number, data: Buffer, last?: { parts: number; whole: Buffer }) =>
      Buffer.concat([
        encodeHeader({
          name: `db/m.lbpart-00000${n}`,
          type: 'file',
          size: data.length,
          mode: 0o644,
          mtimeMs: 0,
          records: [
            ['LIFEBOAT.member', 'm'],
            ['LIFEBOAT.part', String(n)],
            ['LIFEBOAT.sha256', sha256(data)],
            ...(last
              ? ([
                  ['LIFEBOAT.parts', String(last.parts)],
                  ['LIFEBOAT.size', String(last.whole.length)],
                  ['LIFEBOAT.member-sha256', sha256(last.whole)],
                ] as Array<[string, string]>)
              : []),
          ],
        }),
        withPadding(data),
      ]);
    const short = pseudoRandom(CHUNK - 1, 3);
    const tail = pseudoRandom(10, 4);
    cases.push([
      'short chunk in the middle (hashes all valid)',
      Buffer.concat([
        validHeader(),
        part(0, short),
        part(1, tail, { parts: 2, whole: Buffer.concat([short, tail]) }),
        end,
      ]),
      /does not allow/,
    ]);
    const full = pseudoRandom(CHUNK, 5);
    cases.push([
      'empty last chunk',
      Buffer.concat([
        validHeader(),
        part(0, full),
        part(1, Buffer.alloc(0), { parts: 2, whole: full }),
        end,
      ]),
      /does not allow/,
    ]);
    const hugeSize = rawHeader('db/huge', '0', 0);
    hugeSize.fill(0, 124, 136);
    hugeSize[124] = 0x80;
    hugeSize.writeUIntBE(2 ** 45, 130, 6);
    hugeSize.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of hugeSize) sum += b;
    hugeSize.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
    cases.push([
      'base-256 size far beyond the limits',
      Buffer.concat([validHeader(), hugeSize, end]),
      /no LIFEBOAT\.member|chunk size/,
    ]);
    for (const [what, buf, message] of cases) {
      await assert.rejects(
        readAll(Readable.from([buf])),
        (err: unknown) => {
          isIntegrity(err);
          assert.match((err as Error).message, message, what);
          return true;
        },
        what,
      );
    }
  },
);

test('maxEntrySize bounds what one chunk may claim', { timeout: 60_000 }, async () => {
  const bytes = await archiveBytes(SOURCES, CHUNK);
  await assert.rejects(readAll(Readable.from([bytes]), { maxEntrySize: 100 }), isIntegrity);
  const ok = await readAll(Readable.from([bytes]), { maxEntrySize: CHUNK });
  assert.equal(ok.members.length, 4);
});
