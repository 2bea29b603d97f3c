import { upsertCustomer } from '@omg/billing';
import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';

/**
 * The user's one Stripe customer: reused when recorded, otherwise created once. The idempotency key makes a
 * retried or concurrent creation return the same customer, and hub."Customer" keeps the first one recorded.
 */
export async function ensureStripeCustomer(
  db: TDatabase,
  stripe: Stripe,
  user: { id: string; email: string; name: string | null },
): Promise<string> {
  const [known] = await db
    .select({ stripeCustomerId: schema.customer.stripeCustomerId })
    .from(schema.customer)
    .where(eq(schema.customer.userId, user.id));
  if (known) return known.stripeCustomerId;
  const created = await stripe.customers.create(
    { email: user.email, name: user.name ?? undefined, metadata: { userId: user.id } },
    { idempotencyKey: `omg-customer-${user.id}` },
  );
  return (await upsertCustomer(db, { userId: user.id, stripeCustomerId: created.id })).stripeCustomerId;
}
