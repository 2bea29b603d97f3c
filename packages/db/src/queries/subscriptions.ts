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

/**
 * Whose entitlement a hub."Subscription" row is: a person's (`userId`, personal plans) or an organization's
 * (`organizationId`, its business subscription, issue 15). A row has exactly one of the two.
 */
export type TBillingOwner =
  | { userId: string; organizationId?: never }
  | { organizationId: string; userId?: never };

/** The owner's one row for an app (a person's by the unique key, an organization's by the partial unique index). */
export async function findOwnedSubscription(
  db: TDatabase | TTransaction,
  { owner, appId }: { owner: TBillingOwner; appId: string },
): Promise<TSubscriptionRow | undefined> {
  if (owner.userId !== undefined) return findSubscription(db, { userId: owner.userId, appId });
  const [row] = await db
    .select()
    .from(schema.subscription)
    .where(
      and(eq(schema.subscription.organizationId, owner.organizationId), eq(schema.subscription.appId, appId)),
    );
  return row;
}

/** The owner a row belongs to. */
export function ownerOf(row: Pick<TSubscriptionRow, 'userId' | 'organizationId'>): TBillingOwner | null {
  if (row.organizationId) return { organizationId: row.organizationId };
  return row.userId ? { userId: row.userId } : null;
}
