import { provisionAndResolve } from '@omg/billing';
import type Stripe from 'stripe';
import { invoiceSubscriptionId } from './invoice-subscription-id';
import type { TWebhookContext, TWebhookResult } from './webhook.types';

/** A paid invoice can lift a subscription out of `past_due` or start it; its subscription's state says which. */
export async function invoicePaid(
  context: TWebhookContext,
  invoice: Stripe.Invoice,
): Promise<TWebhookResult> {
  const stripeSubscriptionId = invoiceSubscriptionId(invoice);
  if (!stripeSubscriptionId) return { outcome: 'ignored', reason: 'Not a subscription invoice.' };
  return provisionAndResolve(context.db, context.stripe, { stripeSubscriptionId });
}
