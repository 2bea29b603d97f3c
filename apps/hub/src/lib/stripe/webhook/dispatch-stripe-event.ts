import type Stripe from 'stripe';
import { checkoutSessionCompleted } from './checkout-session-completed';
import { customerSubscriptionChanged } from './customer-subscription-changed';
import { invoicePaid } from './invoice-paid';
import { invoicePaymentFailed } from './invoice-payment-failed';
import type { TWebhookContext, TWebhookResult } from './webhook.types';

/** One typed handler per event type the Hub acts on; every other type is acknowledged and left alone. */
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
      return customerSubscriptionChanged(context, event.data.object);
    case 'invoice.paid':
      return invoicePaid(context, event.data.object);
    case 'invoice.payment_failed':
      return invoicePaymentFailed(context, event.data.object);
    default:
      return { outcome: 'ignored' };
  }
}
