import type { Inventory } from '../archive/types.ts';

/** The comparison is the sources' shared building block; drills use it as it is. */
export { inventoryDifferences, sortKeys } from '../sources/inventory.ts';

const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The figures a passed inventory check reports: '3 tables, 1204 rows', '12 files, 3.1 MiB'. */
export function inventoryFigures(inv: Inventory): string {
  const parts: string[] = [];
  if (inv.tables) {
    const keyed = inv.extra?.['keysByType'] !== undefined;
    const rows = inv.tables.reduce((n, t) => n + t.rows, 0);
    parts.push(
      keyed
        ? `${count(inv.tables.length, 'database')}, ${count(rows, 'key')}`
        : `${count(inv.tables.length, 'table')}, ${count(rows, 'row')}`,
    );
  }
  const seq = inv.extra?.['sequences'];
  const sequences = seq && typeof seq === 'object' ? Object.keys(seq).length : 0;
  if (sequences) parts.push(count(sequences, 'sequence'));
  if (typeof inv.files === 'number') parts.push(count(inv.files, 'file'));
  if (typeof inv.totalBytes === 'number' && typeof inv.files === 'number')
    parts.push(count(inv.totalBytes, 'byte'));
  return parts.join(', ') || 'empty';
}
