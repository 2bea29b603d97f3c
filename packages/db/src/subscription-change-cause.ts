import { AsyncLocalStorage } from 'node:async_hooks';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { TDatabase } from './client';
import type { TTransaction } from './with-advisory-lock';

/**
 * Why hub."Subscription" changed, as hub."SubscriptionChange" records it: a Stripe event (its id and time), a
 * Hub action by name, the SVD migration. The trigger that writes the history reads it from transaction-local
 * settings, so it is attached to the transaction that makes the change and to nothing else.
 */
export const ZSubscriptionChangeCauseSchema = z.object({
  source: z.enum(['stripe_event', 'hub', 'migration']),
  /** The Stripe event id with 'stripe_event'; the action ('cancel', 'plan-change', 'comp', …) otherwise. */
  sourceRef: z.string().min(1).max(200).optional(),
  /** When it happened: Stripe's event time. Without it, the transaction's time. */
  occurredAt: z.date().optional(),
});
export type TSubscriptionChangeCause = z.infer<typeof ZSubscriptionChangeCauseSchema>;

// The webhook knows the event, provisioning (several calls further down) writes the row: the cause travels with the
// async call instead of through every signature between them.
const ambient = new AsyncLocalStorage<TSubscriptionChangeCause>();

/** Runs `work` with `cause` as the reason of every subscription change made inside it (unless one says its own). */
export function withSubscriptionChangeCause<T>(
  cause: TSubscriptionChangeCause,
  work: () => Promise<T>,
): Promise<T> {
  return ambient.run(ZSubscriptionChangeCauseSchema.parse(cause), work);
}

/** The cause set by the nearest withSubscriptionChangeCause around this call, if any. */
export function currentSubscriptionChangeCause(): TSubscriptionChangeCause | undefined {
  return ambient.getStore();
}

/**
 * Tells the history trigger why the next changes of hub."Subscription" in this transaction happen. Call it inside
 * the transaction, before the write: the ambient cause (withSubscriptionChangeCause) wins over `fallback`, which
 * names the operation itself ('hub' + 'provision'). Outside a transaction the settings would end with the
 * statement, so `tx` must be one. Without any annotation the trigger records source 'sql'.
 */
export async function annotateSubscriptionChange(
  tx: TTransaction | TDatabase,
  fallback?: TSubscriptionChangeCause,
): Promise<void> {
  const settings = subscriptionChangeCauseSettings(fallback);
  if (settings) await tx.execute(sql`SELECT ${settings}`);
}

/**
 * annotateSubscriptionChange's settings as select-list expressions, for a statement the transaction runs anyway
 * (provisioning's lock: `withAdvisoryLock(…, { alsoSelect })`), which saves the round trip. Undefined without a
 * cause.
 */
export function subscriptionChangeCauseSettings(fallback?: TSubscriptionChangeCause): SQL | undefined {
  const cause = currentSubscriptionChangeCause() ?? fallback;
  if (!cause) return undefined;
  return sql`set_config('omg.subscription_change_source', ${cause.source}, true),
    set_config('omg.subscription_change_ref', ${cause.sourceRef ?? ''}, true),
    set_config('omg.subscription_change_at', ${cause.occurredAt?.toISOString() ?? ''}, true)`;
}
