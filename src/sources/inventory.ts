import type { Inventory } from '../archive/types.ts';

/**
 * A restored or live inventory against the one a backup recorded: tables and exact row counts
 * (estimated counts are not compared), files and bytes, PostgreSQL sequences and large objects,
 * Redis keys per type; a figure is compared only when both sides have it. `rename` maps a name
 * of the backup to the actual copy's (a drill's scratch database, Redis's spare database
 * index). `against` names the expected side in the messages: a drill compares with 'the
 * backup', a driver checking its own member with 'the manifest'. Returns the differences,
 * each naming what differs; empty when they agree.
 */
export function inventoryDifferences(
  expected: Inventory | undefined,
  actual: Inventory,
  rename: (name: string) => string = (n) => n,
  against: 'backup' | 'manifest' = 'backup',
): string[] {
  const diffs: string[] = [];
  if (!expected) return diffs;
  const says = (v: unknown) =>
    against === 'manifest' ? `the manifest says ${v}` : `the backup ${v}`;
  if (expected.tables) {
    const got = new Map((actual.tables ?? []).map((t) => [t.name, t]));
    const wanted = new Set<string>();
    for (const t of expected.tables) {
      const name = rename(t.name);
      wanted.add(name);
      const g = got.get(name);
      if (!g) diffs.push(`table ${t.name} is missing`);
      else if (!t.estimated && !g.estimated && g.rows !== t.rows)
        diffs.push(`table ${t.name} has ${g.rows} rows, ${says(t.rows)}`);
    }
    for (const name of got.keys())
      if (!wanted.has(name)) diffs.push(`table ${name} is not in the ${against}`);
  }
  if (typeof expected.files === 'number' && typeof actual.files === 'number') {
    if (expected.files !== actual.files)
      diffs.push(`${actual.files} files, ${says(expected.files)}`);
  }
  if (typeof expected.totalBytes === 'number' && typeof actual.totalBytes === 'number') {
    if (expected.totalBytes !== actual.totalBytes && expected.files !== undefined)
      diffs.push(`${actual.totalBytes} bytes of files, ${says(expected.totalBytes)}`);
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
          `${label} ${name}: ${JSON.stringify(got ?? null)}, ${says(JSON.stringify(value))}`,
        );
    }
  }
  if (typeof want['largeObjects'] === 'number' && typeof have['largeObjects'] === 'number') {
    if (want['largeObjects'] !== have['largeObjects'])
      diffs.push(`${have['largeObjects']} large objects, ${says(want['largeObjects'])}`);
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
