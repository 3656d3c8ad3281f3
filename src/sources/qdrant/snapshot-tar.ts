/**
 * The structural check of a Qdrant collection snapshot: a tar (as Qdrant's Rust `tar` writer
 * makes it: ustar, with GNU long-name and pax entries for long paths) holding the collection's
 * `config.json` and `version.info` at the top and one folder per shard (`0/`, `1/`, …).
 */
import { BLOCK_SIZE, ByteSource, paddingFor } from '../../archive/tar.ts';
import { IntegrityError } from '../../core/errors.ts';

export interface SnapshotLayout {
  entries: number;
  shards: number[];
  config: Record<string, unknown> | undefined;
}

function octal(block: Buffer, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  if (field[0]! & 0x80) {
    // base-256 (GNU) for large sizes
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    return n;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text && !/^[0-7]+$/.test(text)) return NaN;
  return text ? parseInt(text, 8) : 0;
}

function checksumOk(block: Buffer): boolean {
  const stored = octal(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return stored === sum;
}

async function skip(src: ByteSource, n: number, what: string): Promise<void> {
  let left = n;
  while (left > 0) {
    const piece = Math.min(left, 1024 * 1024);
    await src.read(piece, what);
    left -= piece;
  }
}

/** Reads a snapshot stream to its end and checks its layout; throws IntegrityError (`what` first). */
export async function checkSnapshotTar(
  input: AsyncIterable<unknown>,
  what: string,
): Promise<SnapshotLayout> {
  const src = new ByteSource(input);
  const names = new Set<string>();
  const shards = new Set<number>();
  let config: Record<string, unknown> | undefined;
  let longName: string | undefined;
  let paxPath: string | undefined;
  let entries = 0;
  const fail = (why: string) => new IntegrityError(`${what} is not a Qdrant snapshot: ${why}`);
  try {
    for (;;) {
      let block: Buffer;
      try {
        block = await src.read(BLOCK_SIZE, 'a tar header');
      } catch {
        throw fail(`the tar ends without its end marker after ${entries} entries`);
      }
      if (block.every((b) => b === 0)) break;
      if (!checksumOk(block)) throw fail(`bad tar header checksum at byte ${src.position - 512}`);
      const size = octal(block, 124, 12);
      if (!Number.isFinite(size) || size < 0) throw fail('bad entry size');
      const flag = String.fromCharCode(block[156]!);
      if (flag === 'L' || flag === 'x' || flag === 'g') {
        if (size > 1024 * 1024) throw fail('oversized long-name header');
        const body = await src.read(size, 'a tar header');
        await src.read(paddingFor(size), 'a tar header');
        if (flag === 'L') longName = body.toString('utf8').replace(/\0+$/, '');
        if (flag === 'x') {
          const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
          if (m) paxPath = m[1];
        }
        continue;
      }
      const ustar = block.subarray(257, 262).toString('latin1') === 'ustar';
      const short = block.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      const prefix = ustar ? block.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '') : '';
      const name = (paxPath ?? longName ?? (prefix ? `${prefix}/${short}` : short)).replace(
        /^\.\//,
        '',
      );
      longName = undefined;
      paxPath = undefined;
      entries++;
      if (name.startsWith('/') || name.split('/').includes('..')) throw fail(`unsafe path ${name}`);
      names.add(name.replace(/\/$/, ''));
      const shard = /^(\d+)(\/|$)/.exec(name);
      if (shard) shards.add(Number(shard[1]));
      const hasBody = flag === '0' || flag === '\0' || flag === '7';
      if (name === 'config.json' && hasBody && size <= 16 * 1024 * 1024) {
        const body = await src.read(size, 'config.json');
        await src.read(paddingFor(size), 'config.json');
        try {
          config = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        } catch {
          throw fail('its config.json is not JSON');
        }
        continue;
      }
      if (hasBody) await skip(src, size + paddingFor(size), name);
    }
  } finally {
    // Drain the rest (the second end block, padding) so the caller's stream completes.
    for (;;) {
      const rest = await src.readSome(64 * 1024).catch(() => Buffer.alloc(0));
      if (!rest.length) break;
    }
    await src.close().catch(() => {});
  }
  if (!names.has('config.json')) throw fail('it holds no config.json');
  if (!names.has('version.info')) throw fail('it holds no version.info');
  if (!shards.size) throw fail('it holds no shard folder');
  return { entries, shards: [...shards].sort((a, b) => a - b), config };
}
