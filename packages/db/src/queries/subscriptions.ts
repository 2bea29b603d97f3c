import { and, eq } from 'drizzle-orm';
import type { TDatabase } from '../client';
import * as schema from '../schema';
import type { TTransaction } from '../with-advisory-lock';

export type TSubscriptionRow = typeof schema.subscription.$inferSelect;

/** The user's one hub."Subscription" row for an app (the unique key allows no second), whatever its status. */
export async function findSubscription(
  db: TDatabase | TTransaction,
  { userId, appId }: { userId: string; appId: string },
): Promise<TSubscriptionRow | undefined> {
  const [row] = await db
    .select()
    .from(schema.subscription)
    .where(and(eq(schema.subscription.userId, userId), eq(schema.subscription.appId, appId)));
  return row;
}
