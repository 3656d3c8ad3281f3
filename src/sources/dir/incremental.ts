/**
 * `dir:` in incremental chains: file level. A file whose path, size, mode and mtime match the
 * parent's record (or, with `incremental-rehash`, whose sha256 does) is referenced instead of
 * stored: its record carries the sha256 and the id of the backup whose archive holds it. The
 * state of a backup is its stored members plus its referenced files; deletions are recorded.
 *
 * Restoring walks the chain full backup first: each link's archive is proven while the files
 * the final state takes from it are kept in a private scratch folder (named by the sha256 of
 * their path), then the final state is handed to the ordinary two-phase restore.
 */
import { createHash } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArchiveEntry, MemberRecord, SourceManifest } from '../../archive/types.ts';
import { IntegrityError } from '../../core/errors.ts';
import type { IncrementalSupport, SourceContext } from '../types.ts';

/** The whole state of a backup of one source: stored members and referenced files, by path. */
export function dirState(backupId: string, sm: SourceManifest): Map<string, MemberRecord> {
  const state = new Map<string, MemberRecord>();
  for (const m of sm.members) {
    state.set(m.path, m.type === 'file' ? { ...m, storedIn: backupId } : m);
  }
  for (const m of sm.incremental?.unchanged ?? []) state.set(m.path, m);
  return state;
}

/** The sha256 of a file's content, read without following links. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}

const blobName = (path: string): string =>
  createHash('sha256').update(path).digest('hex').slice(0, 40);

/** Every path of the final state, parents before children (a prefix sorts first). */
function finalState(last: SourceManifest): MemberRecord[] {
  const all = [...last.members, ...(last.incremental?.unchanged ?? [])];
  return all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export const dirIncremental: IncrementalSupport = {
  canFollow: () => true,

  async absorb(members, link, last, scratch, ctx: SourceContext) {
    // The files of the final state whose bytes are in this link's archive.
    const wanted = new Map<string, MemberRecord>();
    const isLast = link.manifest === last;
    for (const m of finalState(last)) {
      if (m.type !== 'file') continue;
      if (isLast ? m.storedIn === undefined : m.storedIn === link.id) wanted.set(m.path, m);
    }
    const records = new Map(link.manifest.members.map((m) => [m.path, m]));
    for await (const m of members) {
      ctx.signal?.throwIfAborted();
      const want = wanted.get(m.path);
      if (!want || m.type !== 'file' || !m.body) continue;
      const stored = records.get(m.path);
      if (stored?.sha256 !== want.sha256 || stored?.size !== want.size) {
        throw new IntegrityError(
          `backup ${link.id} holds ${m.path} with sha256 ${stored?.sha256 ?? 'none'}, but the chain expects ${want.sha256}`,
          { hint: 'the chain is inconsistent: restore an earlier full backup' },
        );
      }
      const out = join(scratch, blobName(m.path));
      await pipeline(m.body, createWriteStream(out, { mode: 0o600 }));
      wanted.delete(m.path);
    }
    const missing = [...wanted.keys()];
    if (missing.length) {
      throw new IntegrityError(
        `backup ${link.id} does not hold ${missing.length} file(s) the chain takes from it (first: ${missing[0]})`,
      );
    }
  },

  async assemble(last, scratch) {
    const state = finalState(last);
    for (const m of state) {
      if (m.type !== 'file') continue;
      const st = await stat(join(scratch, blobName(m.path))).catch(() => undefined);
      if (!st || st.size !== m.size) {
        throw new IntegrityError(
          `${m.path} (stored in backup ${m.storedIn ?? 'the last link'}) was not found in the chain`,
        );
      }
    }
    async function* members(): AsyncGenerator<ArchiveEntry> {
      for (const m of state) {
        const entry: ArchiveEntry = {
          path: m.path,
          type: m.type,
          mode: m.mode,
          mtime: new Date(m.mtime),
        };
        if (m.linkTarget !== undefined) entry.linkTarget = m.linkTarget;
        if (m.type === 'file') entry.body = createReadStream(join(scratch, blobName(m.path)));
        yield entry;
      }
    }
    const { incremental: _incremental, ...full } = last;
    return {
      members: members(),
      manifest: {
        ...full,
        members: state.map(({ storedIn: _s, ...r }) => r),
      },
    };
  },
};
