import type Stripe from 'stripe';

/** Since the basil API versions an invoice names its subscription under `parent.subscription_details`. */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const subscription = invoice.parent?.subscription_details?.subscription;
  if (!subscription) return null;
  return typeof subscription === 'string' ? subscription : subscription.id;
}
