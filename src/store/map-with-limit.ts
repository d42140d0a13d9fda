/**
 * Like `Promise.all(items.map(fn))` but with at most `limit` calls in flight, so that listing or
 * reading a store of 100,000 files does not run out of file descriptors (EMFILE).
 * Results keep the order of `items`.
 */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
