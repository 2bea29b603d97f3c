import { findProductByAppId, formatBillingDay, isLiveHubStatus } from '@omg/contract';
import {
  findSubscription,
  type TDatabase,
  type TSubscriptionRow,
  withSubscriptionChangeCause,
} from '@omg/db';
import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { z } from 'zod';
import { cancelSubscription } from '../billing/cancel-subscription';
import { scheduleCancellation } from '../billing/schedule-cancellation';
import { findSupportTarget } from './find-support-target';
import { recordAuditEntry } from './record-audit-entry';
import { auditActorFields, type TSupportActor, ZSupportReasonSchema } from './support-actor';

export const ZCancelCustomerSubscriptionSchema = z.object({
  appId: z.string().trim().min(1, 'Choose the product.').max(100),
  /** `now`: access ends at once. `period_end`: access continues until the paid period ends. */
  when: z.enum(['now', 'period_end'], { error: 'Choose “now” or “at period end”.' }),
  reason: ZSupportReasonSchema,
});
export type TCancelCustomerSubscription = z.input<typeof ZCancelCustomerSubscriptionSchema>;

/** What the audit entry keeps of the row before and after. */
export const subscriptionSnapshot = (row: TSubscriptionRow) => ({
  appId: row.appId,
  plan: row.plan,
  status: row.status,
  cancelAtPeriodEnd: row.cancelAtPeriodEnd,
  currentPeriodEnd: row.currentPeriodEnd?.toISOString() ?? null,
  stripeSubscriptionId: row.stripeSubscriptionId,
});

export interface TCancelCustomerSubscriptionResult {
  before: ReturnType<typeof subscriptionSnapshot>;
  after: ReturnType<typeof subscriptionSnapshot>;
  auditId: string;
}

/**
 * Cancels a customer's subscription now or at period end (support), through the customer's own billing
 * operations: Stripe first (real SDK), then the row through provisioning, as when the customer cancels. Stripe
 * cannot join a database transaction, so the audit entry is written once the change is confirmed, with the row
 * before and after. A second identical request is refused with a 409 (already canceled / already booked).
 */
export async function cancelCustomerSubscription(
  database: TDatabase,
  stripe: Stripe,
  actor: TSupportActor,
  userId: string,
  input: TCancelCustomerSubscription,
): Promise<TCancelCustomerSubscriptionResult> {
  const { appId, when, reason } = ZCancelCustomerSubscriptionSchema.parse(input);
  const target = await findSupportTarget(database, userId);
  const product = findProductByAppId(appId);
  if (!product) throw new AppError('BAD_REQUEST', `There is no product ${appId}.`);
  const row = await findSubscription(database, { userId: target.id, appId });
  if (!row) throw new AppError('NOT_FOUND', `${target.email} has no ${product.name} subscription.`);
  if (!isLiveHubStatus(row.status)) {
    throw new AppError('CONFLICT', `The ${product.name} subscription is already canceled.`);
  }
  if (when === 'period_end') {
    if (row.cancelAtPeriodEnd) {
      const end = row.currentPeriodEnd ?? row.trialEndsAt;
      throw new AppError(
        'CONFLICT',
        `The ${product.name} subscription already ends at the end of its period${end ? ` (${formatBillingDay(end)})` : ''}.`,
      );
    }
    if (!row.stripeSubscriptionId) {
      throw new AppError(
        'CONFLICT',
        `This ${product.name} subscription is not billed through Stripe, so it has no paid period to run out: cancel it now instead.`,
      );
    }
  }
  const customer = { userId: target.id, appId };
  // The subscription history (hub."SubscriptionChange") names the staff action as the cause.
  // The subscription history (hub."SubscriptionChange") names the staff action as the cause.
  await withSubscriptionChangeCause(
    { source: 'hub', sourceRef: when === 'now' ? 'admin-cancel' : 'admin-cancel-at-period-end' },
    async () => {
      if (when === 'now') await cancelSubscription(database, stripe, customer);
      else await scheduleCancellation(database, stripe, customer);
    },
  );
  const saved = await findSubscription(database, customer);
  if (!saved) throw new AppError('NOT_FOUND', 'The subscription no longer exists.');
  const before = subscriptionSnapshot(row);
  const after = subscriptionSnapshot(saved);
  const auditId = await recordAuditEntry(database, {
    ...auditActorFields(actor),
    action: when === 'now' ? 'subscription.cancel_now' : 'subscription.cancel_at_period_end',
    targetUserId: target.id,
    reason,
    before,
    after,
  });
  return { before, after, auditId };
}
