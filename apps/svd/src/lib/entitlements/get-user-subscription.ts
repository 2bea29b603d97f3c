import { SVD_APP_ID, type TEntitlementSubscription } from '@omg/contract';
import { findSubscription, type TDatabase } from '@omg/db';

/**
 * The user's SVD subscription as the Hub wrote it in hub."Subscription", read fresh on every call (no cache),
 * so upgrades, downgrades and cancellations apply on the user's very next request.
 */
export async function getUserSubscription(
  db: TDatabase,
  userId: string,
): Promise<TEntitlementSubscription | null> {
  return (await findSubscription(db, { userId, appId: SVD_APP_ID })) ?? null;
}
