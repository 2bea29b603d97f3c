import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';

export type TBillingEventRow = typeof schema.billingEvent.$inferSelect;

/**
 * Stores a verified event once, by Stripe's id, and returns its row: a redelivery finds the first one, whose
 * `processedAt` tells the caller whether there is anything left to do.
 */
export async function recordBillingEvent(db: TDatabase, event: Stripe.Event): Promise<TBillingEventRow> {
  await db
    .insert(schema.billingEvent)
    .values({
      id: event.id,
      type: event.type,
      stripeCreatedAt: new Date(event.created * 1000),
      payload: event,
    })
    .onConflictDoNothing();
  const [row] = await db.select().from(schema.billingEvent).where(eq(schema.billingEvent.id, event.id));
  if (!row) throw new Error(`Billing event ${event.id} vanished after it was recorded.`);
  return row;
}
