import { backupTime } from '../../src/engine/naming.ts';

/**
 * Resolves once the wall clock is past the second a backup id was taken in, so the next backup
 * gets a later id (ids sort by the UTC second). Usually at once: a run takes longer than that.
 * Instead of a fixed sleep: it waits only for what is missing, never less than needed.
 */
export async function pastSecondOf(backupId: string): Promise<void> {
  const taken = backupTime(backupId).getTime();
  if (Number.isNaN(taken)) throw new Error(`not a backup id: ${backupId}`);
  for (;;) {
    const left = taken + 1000 - Date.now();
    if (left <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, left));
  }
}
