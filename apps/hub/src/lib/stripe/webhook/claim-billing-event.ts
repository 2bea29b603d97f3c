import { schema, type TDatabase } from '@omg/db';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type Stripe from 'stripe';

/**
 * Longer than any processing takes (Stripe calls have their own timeouts); if a process dies holding a claim,
 * the event is free again after this, and Stripe's retries come later than that anyway.
 */
const CLAIM_SECONDS = 300;

export type TClaimResult =
  /**
   * This delivery may process the event. `readTicket` is a number from hub."StripeReadTicket" taken by the same
   * statement, after the event reached us and before any Stripe read for it: provisioning's ordering guard.
   */
  { state: 'claimed'; readTicket: number } | { state: 'processed' } | { state: 'in_progress' };

const claimUntil = sql`now() + make_interval(secs => ${CLAIM_SECONDS})`;

/**
 * Both statements, built once per database handle and prepared once per connection (named statements): every new
 * event runs the claim, and drizzle's building of it alone cost about 0.25 ms a delivery.
 */
const prepareStatements = (db: TDatabase) => ({
  claim: db
    .insert(schema.billingEvent)
    .values({
      id: sql.placeholder('id'),
      type: sql.placeholder('type'),
      stripeCreatedAt: sql.placeholder('stripeCreatedAt'),
      payload: sql`${sql.placeholder('rawBody')}::jsonb`,
      claimedUntil: claimUntil,
    })
    .onConflictDoUpdate({
      target: schema.billingEvent.id,
      set: { claimedUntil: claimUntil },
      where: and(
        isNull(schema.billingEvent.processedAt),
        or(isNull(schema.billingEvent.claimedUntil), lt(schema.billingEvent.claimedUntil, sql`now()`)),
      ),
    })
    // Evaluated only for the row this delivery claimed.
    .returning({ readTicket: sql<string>`nextval('hub."StripeReadTicket"')::text` })
    .prepare('hub_billing_event_claim'),
  state: db
    .select({ processedAt: schema.billingEvent.processedAt })
    .from(schema.billingEvent)
    .where(eq(schema.billingEvent.id, sql.placeholder('id')))
    .prepare('hub_billing_event_state'),
});
const prepared = new WeakMap<TDatabase, ReturnType<typeof prepareStatements>>();

/**
 * Records a verified event by Stripe's id and takes the right to process it, in one statement: an INSERT whose
 * conflict (a redelivery, or two first deliveries at the same moment: Stripe delivers at least once) becomes the
 * claim of an unfinished, unclaimed (or lapsed) row, so no two deliveries can both run its handler. The first
 * delivery's payload is kept; the body is stored as PostgreSQL parses it (no re-serialising of the parsed event).
 * Only a delivery that claims nothing reads again, to learn whether the event is done or in another's hands.
 */
export async function claimBillingEvent(
  db: TDatabase,
  { event, rawBody }: { event: Stripe.Event; rawBody: string },
): Promise<TClaimResult> {
  const statements = prepared.get(db) ?? prepareStatements(db);
  prepared.set(db, statements);
  const [claimed] = await statements.claim.execute({
    id: event.id,
    type: event.type,
    stripeCreatedAt: new Date(event.created * 1000),
    rawBody,
  });
  if (claimed) {
    const readTicket = Number(claimed.readTicket);
    if (!Number.isSafeInteger(readTicket)) throw new Error('hub."StripeReadTicket" gave no ticket');
    return { state: 'claimed', readTicket };
  }
  const [row] = await statements.state.execute({ id: event.id });
  return row?.processedAt ? { state: 'processed' } : { state: 'in_progress' };
}
