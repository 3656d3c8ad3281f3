/** How many small objects (manifests, drill records) a command reads from one store at once. */
export const STORE_READ_CONCURRENCY = 8;

/**
 * Runs `work` on every item with at most `limit` at a time, stopping when the signal aborts.
 * The first rejection rejects the whole (the workers already running finish their item).
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      signal?.throwIfAborted();
      await work(items[next++]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
