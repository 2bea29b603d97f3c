import { schema, type TDatabase, type TTransaction } from '@omg/db';
import { eq, sql } from 'drizzle-orm';
import type { TWebhookResult } from './webhook.types';

/**
 * Marks an event done, with what it changed; an earlier failure's error is cleared. Inside provisioning's
 * transaction when nothing is mailed (process-stripe-event.ts), so the write and the mark commit together.
 */
export async function finishBillingEvent(
  db: TDatabase | TTransaction,
  { eventId, result }: { eventId: string; result: TWebhookResult },
): Promise<void> {
  await db
    .update(schema.billingEvent)
    .set({
      processedAt: new Date(),
      claimedUntil: null,
      attempts: sql`${schema.billingEvent.attempts} + 1`,
      error: null,
      outcome: result.outcome,
      outcomeReason: result.reason ?? null,
    })
    .where(eq(schema.billingEvent.id, eventId));
}
