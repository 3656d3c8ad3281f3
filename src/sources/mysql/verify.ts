/** Structural check of a backup's members without a server. */
import type { SourceManifest, ArchiveEntry } from '../../archive/types.ts';
import { IntegrityError } from '../../core/errors.ts';
import { SqlDumpScan } from './dump-scan.ts';
import { detailsOf } from '../types.ts';

export async function verifyMembers(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
): Promise<void> {
  const dumped = detailsOf(manifest, 'mysql').databases ?? [];
  const seen = new Set<string>();
  for await (const entry of members) {
    const db = dumped.find((d) => d.member === entry.path);
    if (!db || !entry.body) {
      entry.body?.resume();
      continue;
    }
    const scan = new SqlDumpScan();
    for await (const chunk of entry.body) scan.update(chunk as Buffer);
    if (!scan.complete)
      throw new IntegrityError(
        `mysql: ${entry.path} lacks the '-- Dump completed' trailer: the dump is incomplete`,
      );
    const listed = (manifest.inventory.tables ?? []).filter((t) =>
      t.name.startsWith(`${db.name}.`),
    );
    const found = [...scan.rows].map(([t, rows]) => ({ name: `${db.name}.${t}`, rows }));
    const key = (l: Array<{ name: string; rows: number }>) =>
      JSON.stringify(l.map((t) => [t.name, t.rows]).sort());
    if (key(found) !== key(listed)) {
      throw new IntegrityError(
        `mysql: ${entry.path} holds tables/rows ${key(found)} but the manifest lists ${key(listed)}`,
      );
    }
    seen.add(entry.path);
  }
  for (const d of dumped)
    if (!seen.has(d.member)) throw new IntegrityError(`mysql: the backup lacks ${d.member}`);
}
