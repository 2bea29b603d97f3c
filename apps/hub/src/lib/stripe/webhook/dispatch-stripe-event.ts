import type Stripe from 'stripe';
import { checkoutSessionCompleted } from './checkout-session-completed';
import { invoiceSubscriptionId } from './invoice-subscription-id';
import { subscriptionChanged } from './subscription-changed';
import type { TWebhookContext, TWebhookResult } from './webhook.types';

/**
 * The event types the Hub acts on, each with where its subscription id is; every other type is acknowledged and
 * left alone. Only a finished checkout needs more than the id (the customer and the Hub's checkout row).
 */
export async function dispatchStripeEvent(
  context: TWebhookContext,
  event: Stripe.Event,
): Promise<TWebhookResult> {
  switch (event.type) {
    case 'checkout.session.completed':
      return checkoutSessionCompleted(context, event.data.object);
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return subscriptionChanged(context, event.data.object.id);
    case 'invoice.paid':
    case 'invoice.payment_failed':
      return subscriptionChanged(context, invoiceSubscriptionId(event.data.object));
    default:
      return { outcome: 'ignored' };
  }
}
