/**
 * Runs `work` over `items` with at most `limit` calls in flight, keeping the input order
 * in the answer. Each item's outcome is settled on its own, so one failure never hides
 * the others' results.
 */
export async function settleConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  // One iterator shared by every worker: each takes the next item when it is free.
  const queue = items.entries();

  const worker = async () => {
    for (const [index, item] of queue) {
      try {
        results[index] = { status: "fulfilled", value: await work(item, index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Durable Object calls a request or batch keeps in flight at once. Calls past Workers' six
 * simultaneous connections wait for a slot rather than fail; 25 keeps a 5,000-line batch
 * well inside the request's time while one slow object cannot stall the rest.
 */
export const STOCK_FAN_OUT = 25;
