import type { Inventory } from '../archive/types.ts';

/**
 * The scratch copy's inventory against the backup's: tables and exact row counts (estimated
 * counts are not compared), files and bytes, PostgreSQL sequences and large objects, Redis keys
 * per type. `rename` maps a name of the backup to the scratch copy's (MySQL's scratch database,
 * Redis's spare database index). Returns the differences, each naming what differs.
 */
export function inventoryDifferences(
  expected: Inventory,
  actual: Inventory,
  rename: (name: string) => string = (n) => n,
): string[] {
  const diffs: string[] = [];
  if (expected.tables) {
    const got = new Map((actual.tables ?? []).map((t) => [t.name, t]));
    const wanted = new Set<string>();
    for (const t of expected.tables) {
      const name = rename(t.name);
      wanted.add(name);
      const g = got.get(name);
      if (!g) diffs.push(`table ${t.name} is missing`);
      else if (!t.estimated && !g.estimated && g.rows !== t.rows)
        diffs.push(`table ${t.name} has ${g.rows} rows, the backup ${t.rows}`);
    }
    for (const name of got.keys())
      if (!wanted.has(name)) diffs.push(`table ${name} is not in the backup`);
  }
  if (typeof expected.files === 'number' && typeof actual.files === 'number') {
    if (expected.files !== actual.files)
      diffs.push(`${actual.files} files, the backup ${expected.files}`);
  }
  if (typeof expected.totalBytes === 'number' && typeof actual.totalBytes === 'number') {
    if (expected.totalBytes !== actual.totalBytes && expected.files !== undefined)
      diffs.push(`${actual.totalBytes} bytes of files, the backup ${expected.totalBytes}`);
  }
  const want = expected.extra ?? {};
  const have = actual.extra ?? {};
  for (const [key, label] of [
    ['sequences', 'sequence'],
    ['keysByType', 'keys of'],
  ] as const) {
    const w = want[key] as Record<string, unknown> | undefined;
    const h = have[key] as Record<string, unknown> | undefined;
    if (!w || !h) continue;
    const hv = new Map(Object.entries(h));
    for (const [name, value] of Object.entries(w)) {
      const got = hv.get(rename(name));
      // Key order carries no meaning: a Redis database restored elsewhere SCANs its keys, and so
      // counts their types, in another order than the source did.
      if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(value)))
        diffs.push(
          `${label} ${name}: ${JSON.stringify(got ?? null)}, the backup ${JSON.stringify(value)}`,
        );
    }
  }
  if (typeof want['largeObjects'] === 'number' && typeof have['largeObjects'] === 'number') {
    if (want['largeObjects'] !== have['largeObjects'])
      diffs.push(`${have['largeObjects']} large objects, the backup ${want['largeObjects']}`);
  }
  return diffs;
}

/** A JSON value with every object's keys sorted, for comparisons. */
export function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === 'object') {
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]),
    );
  }
  return x;
}

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
