/** Structural check of a Chroma backup's members against its manifest, without a server. */
import type { ArchiveEntry, SourceManifest } from '../../archive/types.ts';
import { IntegrityError } from '../../core/errors.ts';
import {
  COLLECTION_MEMBER,
  chromaDetails,
  compareWithManifest,
  memberOf,
  parseCollectionFile,
  readRecords,
  readSmall,
} from './members.ts';

export async function verifyChroma(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
): Promise<void> {
  const details = chromaDetails(manifest);
  const wanted = new Map(details.collections.map((c) => [c.name, c]));
  const seen = new Set<string>();
  const described = new Set<string>();
  for await (const m of members) {
    const parts = m.type === 'file' && m.body ? memberOf(m.path) : undefined;
    const expected = parts ? wanted.get(parts.collection) : undefined;
    if (!parts || !expected) {
      throw new IntegrityError(`unexpected member '${m.path}' (${m.type}) in a Chroma backup`);
    }
    const what = `${manifest.name}/${m.path}`;
    if (parts.member === COLLECTION_MEMBER) {
      const file = parseCollectionFile(await readSmall(m.body!, what), what);
      if (file.name !== parts.collection) {
        throw new IntegrityError(`${what} describes collection '${file.name}'`);
      }
      described.add(parts.collection);
      continue;
    }
    if (!described.has(parts.collection) || seen.has(parts.collection))
      throw new IntegrityError(`${what} is out of place`);
    const { digest, dimension } = await readRecords(m.body!, what);
    compareWithManifest(what, expected, { count: digest.count, digest: digest.hex() });
    if (expected.dimension !== null && dimension !== null && dimension !== expected.dimension) {
      throw new IntegrityError(
        `${what}: embeddings of ${dimension} dimensions, the manifest says ${expected.dimension}`,
      );
    }
    seen.add(parts.collection);
  }
  for (const c of details.collections) {
    if (!seen.has(c.name))
      throw new IntegrityError(`${manifest.name}: collection '${c.name}' has no records member`);
  }
}
