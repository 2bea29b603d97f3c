import { schema, type TDatabase } from '@omg/db';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';

/**
 * Longer than any processing takes (Stripe calls have their own timeouts); if a process dies holding a claim,
 * the event is free again after this, and Stripe's retries come later than that anyway.
 */
const CLAIM_SECONDS = 300;

export type TClaimResult = 'claimed' | 'processed' | 'in_progress';

/**
 * Takes the right to process a recorded event: one atomic UPDATE, so two first deliveries of the same event at
 * the same moment (Stripe delivers at least once) cannot both run its handler. The loser learns whether the
 * event is already done or still in another delivery's hands.
 */
export async function claimBillingEvent(db: TDatabase, eventId: string): Promise<TClaimResult> {
  const claimed = await db
    .update(schema.billingEvent)
    .set({ claimedUntil: sql`now() + make_interval(secs => ${CLAIM_SECONDS})` })
    .where(
      and(
        eq(schema.billingEvent.id, eventId),
        isNull(schema.billingEvent.processedAt),
        or(isNull(schema.billingEvent.claimedUntil), lt(schema.billingEvent.claimedUntil, sql`now()`)),
      ),
    )
    .returning({ id: schema.billingEvent.id });
  if (claimed.length > 0) return 'claimed';
  const [row] = await db
    .select({ processedAt: schema.billingEvent.processedAt })
    .from(schema.billingEvent)
    .where(eq(schema.billingEvent.id, eventId));
  return row?.processedAt ? 'processed' : 'in_progress';
}
