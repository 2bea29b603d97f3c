import { provisionAndResolve } from '@omg/billing';
import type Stripe from 'stripe';
import { invoiceSubscriptionId } from './invoice-subscription-id';
import type { TWebhookContext, TWebhookResult } from './webhook.types';

/**
 * A failed renewal moves the subscription to `past_due` in Stripe (access continues while Stripe retries); the
 * status is read from the subscription, not inferred from the invoice, so a late failure after a successful
 * retry cannot mark a paying user as past due.
 */
export async function invoicePaymentFailed(
  context: TWebhookContext,
  invoice: Stripe.Invoice,
): Promise<TWebhookResult> {
  const stripeSubscriptionId = invoiceSubscriptionId(invoice);
  if (!stripeSubscriptionId) return { outcome: 'ignored', reason: 'Not a subscription invoice.' };
  return provisionAndResolve(context.db, context.stripe, { stripeSubscriptionId });
}
