import { findProductByAppId, isLiveHubStatus } from '@omg/contract';
import { findOwnedSubscription, type TDatabase, type TSubscriptionRow } from '@omg/db';
import { AppError } from '@omg/platform';

/**
 * The user's (or, with `organizationId`, the business account's) live subscription to the app that Stripe manages:
 * the only kind whose period end can be booked.
 */
export async function findStripeManagedSubscription(
  db: TDatabase,
  { userId, organizationId, appId }: { userId: string; organizationId?: string; appId: string },
): Promise<TSubscriptionRow & { stripeSubscriptionId: string }> {
  const row = await findOwnedSubscription(db, {
    owner: organizationId ? { organizationId } : { userId },
    appId,
  });
  const name = findProductByAppId(appId)?.name ?? 'this product';
  if (!row || !isLiveHubStatus(row.status)) {
    throw new AppError('NOT_FOUND', `You have no ${name} subscription to change.`);
  }
  if (!row.stripeSubscriptionId) {
    throw new AppError('CONFLICT', 'This subscription is managed by our team; contact support to change it.');
  }
  return { ...row, stripeSubscriptionId: row.stripeSubscriptionId };
}
