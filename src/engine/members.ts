import { finished } from 'node:stream/promises';
import type { ArchiveItem } from '../archive/reader.ts';
import type { ArchiveEntry, ArchiveHeader, Manifest, MemberRecord } from '../archive/types.ts';
import { IntegrityError } from '../core/errors.ts';

/** Makes sure an entry's body was read to the end (or drains it) before the next entry is parsed. */
async function drain(entry: ArchiveEntry): Promise<void> {
  const body = entry.body;
  if (!body || body.readableEnded || body.destroyed) {
    if (body?.errored) throw body.errored;
    return;
  }
  body.resume();
  await finished(body);
}

export interface ArchiveWalk {
  header: ArchiveHeader;
  manifest: Manifest;
  observed: Record<string, MemberRecord[]>;
  /** Source folders seen, in archive order. */
  seen: string[];
}

/**
 * Walks an archive, handing each source folder's members to `onSource` as an async iterable
 * (in archive order, one source at a time). Unconsumed bodies are drained; sources listed in the
 * header but with no members get an empty iterable at the end.
 */
export async function walkArchive(
  items: AsyncGenerator<ArchiveItem>,
  onSource: (source: string, members: AsyncIterable<ArchiveEntry>) => Promise<void>,
): Promise<ArchiveWalk> {
  let next = await items.next();
  if (next.done || next.value.kind !== 'header')
    throw new IntegrityError('archive does not start with its header');
  const header = next.value.header;
  next = await items.next();
  const seen: string[] = [];
  while (!next.done && next.value.kind === 'member') {
    const source = next.value.source;
    if (seen.includes(source))
      throw new IntegrityError(`source folder '${source}' appears twice in the archive`);
    seen.push(source);
    let current: IteratorResult<ArchiveItem> = next;
    const members = async function* (): AsyncGenerator<ArchiveEntry> {
      while (!current.done && current.value.kind === 'member' && current.value.source === source) {
        const entry = current.value.entry;
        yield entry;
        await drain(entry);
        current = await items.next();
      }
    };
    await onSource(source, members());
    // A consumer that stopped early leaves members behind: skip them so the walk can go on.
    while (!current.done && current.value.kind === 'member' && current.value.source === source) {
      await drain(current.value.entry);
      current = await items.next();
    }
    next = current;
  }
  for (const s of header.sources) {
    if (!seen.includes(s.name)) {
      seen.push(s.name);
      await onSource(s.name, (async function* () {})());
    }
  }
  if (next.done || next.value.kind !== 'manifest')
    throw new IntegrityError('archive ends without its manifest');
  const { manifest, observed } = next.value;
  const tail = await items.next();
  if (!tail.done) throw new IntegrityError('archive has entries after its manifest');
  return { header, manifest, observed, seen };
}
