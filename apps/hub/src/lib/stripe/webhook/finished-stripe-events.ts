import { LRUCache } from 'lru-cache';

/** About 1 MB at most: ids are ~30 characters. Stripe redelivers within days, so the recent ones are what count. */
export const FINISHED_EVENTS_REMEMBERED = 10_000;

/**
 * Ids of Stripe events this process saw finished: after its own processing committed, or after the database said
 * so. `processedAt` is only ever set, never cleared, so "finished" cannot go stale and a redelivery of such an event
 * is answered without a round trip. The database (hub."BillingEvent") stays the truth: an id not remembered here
 * (another instance's event, one evicted, one in progress or failed) is asked there as before.
 */
export type TFinishedStripeEvents = LRUCache<string, true>;

/** One per process (the webhook route's module); a test that needs a process of its own makes its own. */
export function createFinishedStripeEvents(max = FINISHED_EVENTS_REMEMBERED): TFinishedStripeEvents {
  return new LRUCache<string, true>({ max });
}
