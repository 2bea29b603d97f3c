import { findProductByAppId, formatPrice } from '@omg/contract';
import type { TSubscriptionRow } from '@omg/db';
import type Stripe from 'stripe';
import type { TWebhookResult } from '../stripe/webhook/webhook.types';

export interface TNotice {
  kind: string;
  /** What happened, once: Stripe may deliver an event twice or out of order, the outbox keeps one mail per key. */
  idempotencyKey: string;
  /** A person's notice, or (issue 15) a business account's: its billing email and its owner. */
  userId?: string;
  organizationId?: string;
  subject: string;
  title: string;
  lines: string[];
}

/** Display names from the catalog; an id the catalog does not know is never shown. */
function names(appId: string, planId?: string | null) {
  const product = findProductByAppId(appId);
  const plan = product?.plans.find((p) => p.id === planId);
  return { product: product?.name ?? 'your subscription', plan: plan?.name ?? 'a new plan' };
}

const ownerOf = (row: TSubscriptionRow): { userId: string } | { organizationId: string } =>
  row.userId ? { userId: row.userId } : { organizationId: row.organizationId ?? '' };

const day = (date: Date) =>
  date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/**
 * What a processed Stripe event tells the customer (payment failed, canceled, duplicate refunded, plan changed or
 * downgrade scheduled), each with the key that keeps it to one mail per thing that happened. Decided from the
 * event's type and the row as provisioning left it, with nothing read: the webhook also asks it whether an event
 * calls for any mail at all (billing-mail-due.ts).
 */
export function noticesFor(
  event: Stripe.Event,
  result: TWebhookResult,
  row: TSubscriptionRow | undefined,
): TNotice[] {
  const notices: TNotice[] = [];
  // An organization's duplicate is told to the member who bought it, when known (issue 15).
  if (result.duplicate?.userId) {
    const { duplicateStripeSubscriptionId, userId, appId, invoices } = result.duplicate;
    const paid = invoices.reduce((sum, invoice) => sum + invoice.paidCents, 0);
    const { product } = names(appId);
    notices.push({
      kind: 'billing-duplicate-refunded',
      idempotencyKey: `duplicate-refunded:${duplicateStripeSubscriptionId}`,
      userId,
      subject: `We refunded a duplicate ${product} payment`,
      title: 'Duplicate payment refunded',
      lines: [
        `You paid twice for ${product}. We kept your first subscription, canceled the second one and refunded ${paid > 0 ? formatPrice(paid) : 'its payment'} to your card.`,
        'Refunds usually show on your statement within 5–10 business days.',
      ],
    });
  }
  // A business subscription (issue 15) has no userId: its notices go to the organization (see recipientsOf).
  const owner = row?.userId ?? row?.organizationId;
  if (!row || !owner) return notices;
  const { product, plan } = names(row.appId, row.plan);
  if (event.type === 'invoice.payment_failed') {
    notices.push({
      kind: 'billing-payment-failed',
      idempotencyKey: `payment-failed:${event.data.object.id}`,
      ...ownerOf(row),
      subject: `Your ${product} payment failed`,
      title: 'Your payment failed',
      lines: [
        `We could not charge your card for ${product} (${plan}).`,
        'Please update your card in Billing; we will retry the payment automatically.',
      ],
    });
  }
  if (row.status === 'canceled') {
    notices.push({
      kind: 'billing-canceled',
      idempotencyKey: `canceled:${row.stripeSubscriptionId}`,
      ...ownerOf(row),
      subject: `Your ${product} subscription was canceled`,
      title: 'Subscription canceled',
      lines: [
        `Your ${product} subscription (${plan}) has been canceled.`,
        'You can subscribe again at any time.',
      ],
    });
  } else if (row.scheduledPlan && row.scheduledPlanAt) {
    const next = names(row.appId, row.scheduledPlan).plan;
    notices.push({
      kind: 'billing-downgrade-scheduled',
      idempotencyKey: `downgrade-scheduled:${row.stripeSubscriptionId}:${row.scheduledPlan}:${row.scheduledPlanAt.toISOString()}`,
      ...ownerOf(row),
      subject: `Your ${product} plan changes to ${next} on ${day(row.scheduledPlanAt)}`,
      title: 'Plan change scheduled',
      lines: [
        `You keep ${product} ${plan} until ${day(row.scheduledPlanAt)}; from then on your plan is ${next}.`,
      ],
    });
  } else if (
    event.type === 'customer.subscription.updated' &&
    event.data.previous_attributes &&
    'items' in event.data.previous_attributes &&
    row.stripePriceId
  ) {
    // The row is Stripe's current state, so a late or repeated "updated" names the same price and the same key.
    notices.push({
      kind: 'billing-plan-changed',
      idempotencyKey: `plan-changed:${row.stripeSubscriptionId}:${row.stripePriceId}`,
      ...ownerOf(row),
      subject: `Your ${product} plan is now ${plan}`,
      title: 'Plan changed',
      lines: [`Your ${product} subscription is now on the ${plan} plan.`],
    });
  }
  return notices;
}
