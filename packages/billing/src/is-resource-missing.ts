/**
 * Stripe's answer for an id it does not know (deleted, from another account, or a fresh emulator): 404 with
 * `resource_missing`. Every other failure (network, rate limit, 5xx, a bad key) is an outage or a bug, never
 * "not found".
 */
export function isResourceMissing(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string } | null;
  return e?.statusCode === 404 && e.code === 'resource_missing';
}

/** A Stripe retrieve that answers null for an unknown id and throws everything else. */
export async function orNullIfMissing<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (isResourceMissing(error)) return null;
    throw error;
  }
}
