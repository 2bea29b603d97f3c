import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { logger } from '../logger';

export type TStripeEmailSync = 'updated' | 'unchanged' | 'no_customer' | 'failed';

/**
 * After a customer's new sign-in email is committed (the link to the new address opened), their Stripe customer
 * gets it too, so receipts and Stripe's own mail reach the address they now use. Best-effort by design: the email
 * change has already happened and must stand whatever Stripe does, so a failure is logged (reconcilable by hand
 * from the log line) and reported as 'failed', never thrown.
 */
export async function syncStripeCustomerEmail(
  db: TDatabase,
  stripe: () => Stripe,
  input: { userId: string; email: string },
): Promise<TStripeEmailSync> {
  try {
    const [row] = await db
      .select({ stripeCustomerId: schema.customer.stripeCustomerId })
      .from(schema.customer)
      .where(eq(schema.customer.userId, input.userId));
    if (!row) return 'no_customer';
    const client = stripe();
    const current = await client.customers.retrieve(row.stripeCustomerId);
    if (!current.deleted && current.email === input.email) return 'unchanged';
    await client.customers.update(row.stripeCustomerId, { email: input.email });
    return 'updated';
  } catch (error) {
    logger.warn(
      { err: error, userId: input.userId },
      'email change: the Stripe customer keeps its old email (update failed)',
    );
    return 'failed';
  }
}
