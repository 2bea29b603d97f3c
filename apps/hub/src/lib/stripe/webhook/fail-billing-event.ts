import { schema, type TDatabase } from '@omg/db';
import { eq, sql } from 'drizzle-orm';

const MAX_ERROR_LENGTH = 2_000;

/**
 * Keeps why processing failed on the event row (for operators; never sent to the caller) and counts the attempt.
 * The row stays unprocessed, so Stripe's retry runs the handler again.
 */
export async function failBillingEvent(
  db: TDatabase,
  { eventId, error }: { eventId: string; error: unknown },
): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await db
    .update(schema.billingEvent)
    .set({
      attempts: sql`${schema.billingEvent.attempts} + 1`,
      error: message.slice(0, MAX_ERROR_LENGTH),
      // Released at once: Stripe's retry (or a redelivery) may try again without waiting out the claim.
      claimedUntil: null,
    })
    .where(eq(schema.billingEvent.id, eventId));
}
