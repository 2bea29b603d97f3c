/**
 * Runs `cleanup` after `error` ended an operation, then rethrows `error`. A cleanup that fails too is not
 * dropped: both errors are thrown together, so the request fails loudly (and is logged with its request id)
 * instead of leaving debris nobody hears about.
 */
export async function rethrowAfterCleanup(
  error: unknown,
  cleanup: () => Promise<unknown>,
  cleanupName: string,
): Promise<never> {
  try {
    await cleanup();
  } catch (cleanupError) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AggregateError([error, cleanupError], `${cleanupName} failed after: ${reason}`);
  }
  throw error;
}
