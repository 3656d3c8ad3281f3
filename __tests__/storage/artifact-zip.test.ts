import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import { IntegrityError } from '../../src/core/errors.ts';
import {
  openZipEntry,
  readZipDirectory,
  readZipEntry,
  type ByteSource,
} from '../../src/storage/artifact/zip.ts';

interface Member {
  name: string;
  data: Buffer;
  deflate?: boolean;
}

/**
 * Builds a zip by hand. With zip64, every size and offset in the central directory is
 * saturated and carried in the ZIP64 extra field, and the ZIP64 end records are written, as
 * archiver does for artifacts over 4 GiB (which are too big to make in a test).
 */
function buildZip(members: Member[], zip64 = false): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const body = m.deflate ? deflateRawSync(m.data) : m.data;
    const name = Buffer.from(m.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(m.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(m.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(m.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, body);
    const extra = Buffer.alloc(zip64 ? 28 : 0);
    if (zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(m.data.length), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(45, 4);
    cd.writeUInt16LE(45, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(m.deflate ? 8 : 0, 10);
    cd.writeUInt16LE(0x6000, 12);
    cd.writeUInt16LE(0x5b76, 14);
    cd.writeUInt32LE(crc32(m.data), 16);
    cd.writeUInt32LE(zip64 ? 0xffffffff : body.length, 20);
    cd.writeUInt32LE(zip64 ? 0xffffffff : m.data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt16LE(extra.length, 30);
    cd.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    central.push(cd, name, extra);
    offset += local.length + name.length + body.length;
  }
  const cdBytes = Buffer.concat(central);
  const tail: Buffer[] = [];
  if (zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeBigUInt64LE(BigInt(members.length), 24);
    rec.writeBigUInt64LE(BigInt(members.length), 32);
    rec.writeBigUInt64LE(BigInt(cdBytes.length), 40);
    rec.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + cdBytes.length), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(rec, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? 0xffff : members.length, 8);
  eocd.writeUInt16LE(zip64 ? 0xffff : members.length, 10);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : cdBytes.length, 12);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...parts, cdBytes, ...tail, eocd]);
}

function bufferSource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    read: async (offset, length) => buf.subarray(offset, offset + length),
    stream: async (offset, length) => Readable.from([buf.subarray(offset, offset + length)]),
  };
}

const members: Member[] = [
  { name: 'set/20261122T030000Z-abcdef.tar.zst', data: randomBytes(300_000) },
  {
    name: 'set/20261122T030000Z-abcdef.sha256',
    data: Buffer.from('ab  x.tar.zst\n'),
    deflate: true,
  },
  { name: 'set/ünïcode name.json', data: Buffer.from('{"a":1}'.repeat(1000)), deflate: true },
  { name: 'set/empty', data: Buffer.alloc(0) },
];

for (const zip64 of [false, true]) {
  test(`reads stored and deflated members of a ${zip64 ? 'ZIP64' : 'plain'} zip by their directory`, async () => {
    const src = bufferSource(buildZip(members, zip64));
    const entries = await readZipDirectory(src, 'test zip');
    assert.deepEqual(
      entries.map((e) => [e.name, e.size]),
      members.map((m) => [m.name, m.data.length]),
    );
    for (const [i, e] of entries.entries()) {
      assert.ok((await readZipEntry(src, e, 'test zip')).equals(members[i]!.data), e.name);
    }
  });
}

test('a damaged member fails its CRC-32 check with IntegrityError', async () => {
  const zip = buildZip(members);
  const at = 30 + members[0]!.name.length + 1000;
  zip[at] = zip[at]! ^ 0xff;
  const src = bufferSource(zip);
  const [first] = await readZipDirectory(src, 'test zip');
  await assert.rejects(readZipEntry(src, first!, 'test zip'), IntegrityError);
});

test('a truncated zip or a member claiming bytes past the end is refused', async () => {
  const zip = buildZip(members);
  await assert.rejects(
    readZipDirectory(bufferSource(zip.subarray(0, zip.length - 30)), 'cut'),
    IntegrityError,
  );
  const src = bufferSource(zip);
  const [first] = await readZipDirectory(src, 'test zip');
  await assert.rejects(
    openZipEntry(src, { ...first!, compressedSize: zip.length }, 'test zip'),
    IntegrityError,
  );
});
