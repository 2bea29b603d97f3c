/**
 * A fixed window counter per key, in this process's memory. Chosen over a database table because the Hub runs as
 * one Next.js process and the limit only has to slow down code guessing; a restart forgets the counts, and
 * several instances would each allow `limit` (acceptable for this purpose, and noted here so nobody relies on it
 * as a hard quota).
 */
export function createRateLimiter(options: { limit: number; windowMs: number; maxKeys?: number }) {
  const windows = new Map<string, { startedAt: number; count: number }>();
  const maxKeys = options.maxKeys ?? 10_000;
  return {
    /** Counts one attempt; false when the key is over its limit for the current window. */
    take(key: string, now = Date.now()): boolean {
      const current = windows.get(key);
      if (!current || now - current.startedAt >= options.windowMs) {
        // Bounded memory: forget the oldest windows rather than grow without end under a flood of addresses.
        if (!current && windows.size >= maxKeys) {
          const oldest = windows.keys().next().value;
          if (oldest !== undefined) windows.delete(oldest);
        }
        windows.delete(key);
        windows.set(key, { startedAt: now, count: 1 });
        return true;
      }
      current.count += 1;
      return current.count <= options.limit;
    },
  };
}
