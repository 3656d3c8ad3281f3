import { text } from 'node:stream/consumers';
import { parseDrillRecord, type DrillRecord } from '../drill/record.ts';
import type { RunContext } from '../core/context.ts';
import type { CatalogEntry } from './destinations.ts';
import { drillKey } from '../storage/keys.ts';

/**
 * The drill record beside a listed backup, or undefined when it has none or it cannot be read:
 * a missing or damaged record only means nobody can show that drill, never a failed command.
 */
export async function readDrillRecord(
  entry: CatalogEntry,
  ctx: RunContext,
): Promise<DrillRecord | undefined> {
  if (!entry.drilled) return undefined;
  const key = drillKey(entry.set, entry.id);
  try {
    const record = parseDrillRecord(await text(await entry.destination.storage.get(key)));
    if (!record) ctx.log.warn(`${key} on ${entry.destination.displayUrl} is not a drill record`);
    return record;
  } catch (err) {
    ctx.log.warn(
      `cannot read ${key} on ${entry.destination.displayUrl}: ${(err as Error).message}`,
    );
    return undefined;
  }
}

/** The newest drilled backup of a list (oldest first, as listBackups returns it). */
export async function lastDrill(
  entries: readonly CatalogEntry[],
  ctx: RunContext,
): Promise<{ entry: CatalogEntry; record: DrillRecord } | undefined> {
  for (const entry of [...entries].reverse()) {
    if (!entry.drilled) continue;
    const record = await readDrillRecord(entry, ctx);
    if (record) return { entry, record };
  }
  return undefined;
}
