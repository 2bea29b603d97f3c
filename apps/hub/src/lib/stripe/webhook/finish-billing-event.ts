import { schema, type TDatabase } from '@omg/db';
import { eq, sql } from 'drizzle-orm';
import type { TWebhookResult } from './webhook.types';

/** Marks an event done, with what it changed; an earlier failure's error is cleared. */
export async function finishBillingEvent(
  db: TDatabase,
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
