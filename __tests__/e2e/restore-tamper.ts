import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { sha256sumLine } from '../../src/archive/hash.ts';
import type { Manifest, MemberRecord, SidecarManifest } from '../../src/archive/types.ts';
import { ArchiveWriter } from '../../src/archive/writer.ts';
import { readAll, type ReadMember } from '../archive/archive-helpers.ts';

/** The stored files of one uncompressed backup, as bytes, so each test can start from them. */
export interface StoredBackup {
  dir: string;
  id: string;
  archive: Buffer;
  sidecar: SidecarManifest;
}

export async function loadBackup(store: string, set: string): Promise<StoredBackup> {
  const dir = join(store, set);
  const name = (await readdir(dir)).find((f) => f.endsWith('.manifest.json'))!;
  const id = name.slice(0, -'.manifest.json'.length);
  const sidecar = JSON.parse(await readFile(join(dir, name), 'utf8')) as SidecarManifest;
  const archive = await readFile(join(store, sidecar.archive.key));
  return { dir: store, id, archive, sidecar };
}

/**
 * Writes the backup back, its archive repacked through ArchiveWriter after `change` edited the
 * members: every chunk hash, member record and the inner manifest are consistent with the new
 * content, and the stored-object sha256 and size in the sidecars are updated too, as an attacker
 * with write access (or an innocent repack) would leave them. Only the sidecar manifest's
 * members still describe the original, so only the inner-vs-sidecar comparison (or a source's
 * own check) can tell.
 */
export async function storeRepacked(
  b: StoredBackup,
  change: (members: ReadMember[]) => ReadMember[],
): Promise<void> {
  const read = await readAll(createReadStream(join(b.dir, b.sidecar.archive.key)));
  const members = change(read.members.map((m) => ({ ...m })));
  const writer = new ArchiveWriter({ chunkSize: read.header!.chunkSize });
  const bytes = buffer(writer.stream);
  await writer.writeHeader(read.header!);
  const records: Record<string, MemberRecord[]> = {};
  for (const s of read.header!.sources) {
    const sink = writer.sourceSink(s.name);
    for (const m of members.filter((x) => x.source === s.name)) {
      const meta = { mode: m.mode, mtime: m.mtime };
      if (m.type === 'file') await sink.addFile(m.path, m.data!, meta);
      else if (m.type === 'directory') await sink.addDirectory(m.path, meta);
      else await sink.addSymlink(m.path, m.linkTarget!, meta);
    }
    records[s.name] = sink.records();
  }
  const inner: Manifest = {
    ...read.manifest!,
    sources: read.manifest!.sources.map((s) => ({ ...s, members: records[s.name] ?? [] })),
  };
  await writer.finish(inner);
  const tar = await bytes;
  const sha256 = createHash('sha256').update(tar).digest('hex');
  const sidecar: SidecarManifest = {
    ...b.sidecar,
    archive: { ...b.sidecar.archive, size: tar.length, sha256 },
  };
  const key = b.sidecar.archive.key;
  await writeFile(join(b.dir, key), tar);
  await writeFile(
    join(b.dir, key.replace(/\.tar$/, '.sha256')),
    sha256sumLine(sha256, key.split('/').pop()!),
  );
  await writeFile(join(b.dir, key.replace(/\.tar$/, '.manifest.json')), JSON.stringify(sidecar));
}

/** Replaces every occurrence of `from` with `to` (same length) in a member's content. */
export function edited(data: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error('same length only');
  const out = Buffer.from(data);
  const needle = Buffer.from(from);
  let at = out.indexOf(needle);
  if (at < 0) throw new Error(`'${from}' is not in the member`);
  while (at >= 0) {
    out.write(to, at);
    at = out.indexOf(needle, at + 1);
  }
  return out;
}

/** The four ways an archive can differ from its manifest, each self-consistent inside. */
export function tampers(
  contentMember: string,
  editFrom: string,
  editTo: string,
): Array<{ name: string; change: (members: ReadMember[]) => ReadMember[] }> {
  const pick = (ms: ReadMember[]) => {
    const m = ms.find((x) => x.path === contentMember && x.type === 'file');
    if (!m) throw new Error(`no member ${contentMember} in ${ms.map((x) => x.path).join(', ')}`);
    return m;
  };
  return [
    {
      name: 'edited content with consistent chunk hashes',
      change: (ms) => {
        const m = pick(ms);
        m.data = edited(m.data!, editFrom, editTo);
        return ms;
      },
    },
    {
      name: 'a member whose mtime and mode differ from the manifest',
      change: (ms) => {
        const m = pick(ms);
        m.mtime = new Date(m.mtime.getTime() + 3_600_000);
        m.mode = m.mode ^ 0o004;
        return ms;
      },
    },
    {
      name: 'a member missing',
      change: (ms) => ms.filter((x) => x !== pick(ms)),
    },
    {
      name: 'an extra member',
      change: (ms) => {
        const m = pick(ms);
        return [...ms, { ...m, path: `${m.path}.extra`, data: Buffer.from('extra\n') }];
      },
    },
  ];
}
