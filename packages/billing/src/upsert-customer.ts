import type { TBillingOwner, TDatabase } from '@omg/db';
import { schema } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';

export type TCustomerRow = typeof schema.customer.$inferSelect;

/**
 * Remembers which Stripe customer belongs to a user, or to an organization (its business subscriptions, issue 15).
 * One customer per owner, never two: when the owner already has one, that row wins and is returned unchanged, so
 * the caller can see it differs. A Stripe customer already owned by someone else is refused rather than moved.
 */
export async function upsertCustomer(
  db: TDatabase,
  input: TBillingOwner & { stripeCustomerId: string },
): Promise<TCustomerRow> {
  await db.insert(schema.customer).values(input).onConflictDoNothing();
  const [mine] = await db
    .select()
    .from(schema.customer)
    .where(
      input.organizationId !== undefined
        ? eq(schema.customer.organizationId, input.organizationId)
        : eq(schema.customer.userId, input.userId),
    );
  if (!mine) {
    throw new AppError('CONFLICT', 'This Stripe customer already belongs to another account.', {
      details: { stripeCustomerId: input.stripeCustomerId },
    });
  }
  return mine;
}
