import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';

// Nothing is taken from the client: the customer is the session's, and the way back is always the billing page.
export const ZCreatePortalSessionSchema = z.object({});

/** The user's Stripe customer: hub."Customer", or the one a subscription row names (rows older than that table). */
async function findStripeCustomerId(
  db: TDatabase,
  userId: string,
  organizationId: string | undefined,
): Promise<string | null> {
  if (organizationId) {
    // A business account's own customer (issue 15): its invoices and cards, never a member's personal ones.
    const [organization] = await db
      .select({ stripeCustomerId: schema.customer.stripeCustomerId })
      .from(schema.customer)
      .where(eq(schema.customer.organizationId, organizationId));
    return organization?.stripeCustomerId ?? null;
  }
  const [known] = await db
    .select({ stripeCustomerId: schema.customer.stripeCustomerId })
    .from(schema.customer)
    .where(eq(schema.customer.userId, userId));
  if (known) return known.stripeCustomerId;
  const [fromSubscription] = await db
    .select({ stripeCustomerId: schema.subscription.stripeCustomerId })
    .from(schema.subscription)
    .where(and(eq(schema.subscription.userId, userId), isNotNull(schema.subscription.stripeCustomerId)))
    .orderBy(desc(schema.subscription.updatedAt))
    .limit(1);
  return fromSubscription?.stripeCustomerId ?? null;
}

/**
 * A Stripe customer portal session (payment methods, invoices) for the signed-in user. Only the user's own
 * customer is ever used, so nobody can open another account's billing.
 */
export async function createPortalSession(
  db: TDatabase,
  stripe: Stripe,
  { userId, organizationId, returnUrl }: { userId: string; organizationId?: string; returnUrl: string },
): Promise<{ url: string }> {
  const customer = await findStripeCustomerId(db, userId, organizationId);
  if (!customer) {
    throw new AppError(
      'NOT_FOUND',
      'There are no payment methods or invoices yet: they appear after your first checkout.',
    );
  }
  const session = await stripe.billingPortal.sessions.create({ customer, return_url: returnUrl });
  return { url: session.url };
}
