import type { TDatabase } from '@omg/db';
import { schema } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';

export type TCustomerRow = typeof schema.customer.$inferSelect;

/**
 * Remembers which Stripe customer belongs to a user. One customer per user, never two: when the user already
 * has one, that row wins and is returned unchanged, so the caller can see it differs. A Stripe customer already
 * owned by another user is refused rather than silently moved.
 */
export async function upsertCustomer(
  db: TDatabase,
  input: { userId: string; stripeCustomerId: string },
): Promise<TCustomerRow> {
  await db.insert(schema.customer).values(input).onConflictDoNothing();
  const [mine] = await db.select().from(schema.customer).where(eq(schema.customer.userId, input.userId));
  if (!mine) {
    throw new AppError('CONFLICT', 'This Stripe customer already belongs to another account.', {
      details: { stripeCustomerId: input.stripeCustomerId },
    });
  }
  return mine;
}
