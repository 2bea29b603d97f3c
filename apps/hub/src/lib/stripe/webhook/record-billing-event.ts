import { schema, type TDatabase } from '@omg/db';
import type Stripe from 'stripe';

/**
 * Stores a verified event once, by Stripe's id; a redelivery leaves the first row as it is, and the claim that
 * follows (claim-billing-event.ts) tells the caller whether there is anything left to do.
 */
export async function recordBillingEvent(db: TDatabase, event: Stripe.Event): Promise<void> {
  await db
    .insert(schema.billingEvent)
    .values({
      id: event.id,
      type: event.type,
      stripeCreatedAt: new Date(event.created * 1000),
      payload: event,
    })
    .onConflictDoNothing();
}
