import { findProductByAppId, isLiveHubStatus } from '@omg/contract';
import {
  findSubscription,
  schema,
  type TDatabase,
  withAdvisoryLock,
  withSubscriptionChangeCause,
} from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import { cancelSubscription } from '../billing/cancel-subscription';
import { subscriptionSnapshot } from './cancel-customer-subscription';
import { findLastPayment } from './find-last-payment';
import { findSupportTarget } from './find-support-target';
import { recordAuditEntry } from './record-audit-entry';
import { auditActorFields, type TSupportActor, ZSupportReasonSchema } from './support-actor';

export const ZRefundLastPaymentSchema = z.object({
  /** The charge the confirmation showed: the refund is refused if the last payment is another one by now. */
  chargeId: z.string().trim().min(1, 'Review the payment first.').max(100),
  /** Also end access: the subscription the payment was for is canceled now. */
  endAccess: z.boolean().default(false),
  reason: ZSupportReasonSchema,
});
export type TRefundLastPayment = z.input<typeof ZRefundLastPaymentSchema>;

export interface TRefundLastPaymentResult {
  refundId: string;
  chargeId: string;
  refundedCents: number;
  currency: string;
  /** The subscription canceled with it (endAccess), as it is now. */
  canceled: ReturnType<typeof subscriptionSnapshot> | null;
  auditId: string;
}

const money = (cents: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);

/**
 * Refunds what is still unrefunded of the customer's last payment (admin), through Stripe's refunds with an
 * idempotency key per charge and refunded amount, so a double submit makes one refund. `endAccess` also cancels
 * the subscription that payment was for, now. Stripe cannot join a transaction: the audit entry follows the
 * refund, once per refund (a replayed request finds the entry and writes no second one).
 */
export async function refundLastPayment(
  database: TDatabase,
  stripe: Stripe,
  actor: TSupportActor,
  userId: string,
  input: TRefundLastPayment,
): Promise<TRefundLastPaymentResult> {
  const { chargeId, endAccess, reason } = ZRefundLastPaymentSchema.parse(input);
  const target = await findSupportTarget(database, userId);
  const last = await findLastPayment(database, stripe, target.id);
  if (!last) throw new AppError('NOT_FOUND', `${target.email} has made no payment.`);
  if (last.chargeId !== chargeId) {
    throw new AppError(
      'CONFLICT',
      'The last payment is not the one you reviewed any more. Look at it again.',
    );
  }
  if (last.refundableCents <= 0) {
    throw new AppError(
      'CONFLICT',
      `The last payment (${money(last.amountCents, last.currency)}) was already refunded in full.`,
    );
  }
  const row =
    endAccess && last.appId
      ? await findSubscription(database, { userId: target.id, appId: last.appId })
      : null;
  if (endAccess && (!row || !isLiveHubStatus(row.status))) {
    const name = last.appId ? (findProductByAppId(last.appId)?.name ?? last.appId) : null;
    throw new AppError(
      'CONFLICT',
      name
        ? `The ${name} subscription this payment was for is already canceled: refund without ending access.`
        : 'This payment is not for a subscription the Hub tracks: refund without ending access.',
    );
  }

  const alreadyRefunded = last.amountCents - last.refundableCents;
  const refund = await stripe.refunds.create(
    {
      charge: last.chargeId,
      amount: last.refundableCents,
      reason: 'requested_by_customer',
      metadata: { omgStaff: actor.staff.userId, omgUser: target.id },
    },
    { idempotencyKey: `omg-admin-refund-${last.chargeId}-${alreadyRefunded}` },
  );
  let canceled: TRefundLastPaymentResult['canceled'] = null;
  if (row && last.appId) {
    const appId = last.appId;
    await withSubscriptionChangeCause({ source: 'hub', sourceRef: 'admin-refund-end-access' }, () =>
      cancelSubscription(database, stripe, { userId: target.id, appId }),
    );
    const saved = await findSubscription(database, { userId: target.id, appId: last.appId });
    canceled = saved ? subscriptionSnapshot(saved) : null;
  }

  // One audit entry per refund: two identical requests at once get the same refund back from Stripe.
  const auditId = await withAdvisoryLock(database, `admin-refund:${refund.id}`, async (tx) => {
    const [earlier] = await tx
      .select({ id: schema.auditLog.id })
      .from(schema.auditLog)
      .where(
        and(
          eq(schema.auditLog.action, 'payment.refund'),
          eq(sql`${schema.auditLog.after}->>'refundId'`, refund.id),
        ),
      );
    if (earlier) return earlier.id;
    return recordAuditEntry(tx, {
      ...auditActorFields(actor),
      action: 'payment.refund',
      targetUserId: target.id,
      reason,
      before: {
        chargeId: last.chargeId,
        amountCents: last.amountCents,
        refundedCents: alreadyRefunded,
        currency: last.currency,
        subscription: row ? subscriptionSnapshot(row) : null,
      },
      after: {
        refundId: refund.id,
        refundedCents: alreadyRefunded + refund.amount,
        currency: refund.currency,
        subscription: canceled,
      },
    });
  });
  return {
    refundId: refund.id,
    chargeId: last.chargeId,
    refundedCents: refund.amount,
    currency: refund.currency,
    canceled,
    auditId,
  };
}
