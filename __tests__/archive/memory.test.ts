import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { checkManifestConsistency, readArchive } from '../../src/archive/reader.ts';
import { ArchiveWriter } from '../../src/archive/writer.ts';
import { headerFor, manifestFor, pseudoRandom, type SourceSpec } from './archive-helpers.ts';

const MiB = 1024 * 1024;
const TOTAL = 300 * MiB;
const CHUNK = 1 * MiB;

/** 300 MB of data produced on the fly in 64 KiB pieces (never held in memory at once). */
function bigBody(hash: ReturnType<typeof createHash>): Readable {
  const pattern = pseudoRandom(MiB + 4096, 77);
  let sent = 0;
  let round = 0;
  return new Readable({
    read() {
      if (sent >= TOTAL) {
        this.push(null);
        return;
      }
      const offset = (round++ * 4099) % 4096;
      const piece = Buffer.from(
        pattern.subarray(offset, offset + Math.min(64 * 1024, TOTAL - sent)),
      );
      piece.writeUInt32LE(round, 0);
      hash.update(piece);
      sent += piece.length;
      this.push(piece);
    },
  });
}

test(
  '300 MB stream through writer and reader with bounded memory',
  { timeout: 300_000 },
  async () => {
    const sources: SourceSpec[] = [{ name: 'db', members: [] }];
    const header = headerFor(sources, CHUNK);
    const writer = new ArchiveWriter({ chunkSize: CHUNK });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sample = () => {
      peak = Math.max(peak, process.memoryUsage().rss);
    };

    const consumed = (async () => {
      const outHash = createHash('sha256');
      let bytes = 0;
      let chunks = 0;
      for await (const item of readArchive(writer.stream)) {
        if (item.kind === 'member' && item.entry.body) {
          for await (const piece of item.entry.body) {
            outHash.update(piece as Buffer);
            bytes += (piece as Buffer).length;
            if (++chunks % 8 === 0) sample();
          }
        } else if (item.kind === 'manifest') {
          checkManifestConsistency(item.manifest, item.observed);
        }
      }
      return { bytes, sha256: outHash.digest('hex') };
    })();

    const inHash = createHash('sha256');
    await writer.writeHeader(header);
    const sink = writer.sourceSink('db');
    const record = await sink.addFile('huge.dump', bigBody(inHash));
    await writer.finish(manifestFor(header, { db: sink.records() }));
    const result = await consumed;
    sample();

    const expected = inHash.digest('hex');
    assert.equal(result.bytes, TOTAL);
    assert.equal(result.sha256, expected);
    assert.equal(record.sha256, expected);
    assert.equal(record.chunks!.length, TOTAL / CHUNK);
    const growth = (peak - baseline) / MiB;
    assert.ok(
      growth < 100,
      `RSS grew by ${growth.toFixed(1)} MiB while streaming ${TOTAL / MiB} MiB`,
    );
  },
);
