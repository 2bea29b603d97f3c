import { idOf } from '@omg/billing';
import type Stripe from 'stripe';

/** Since the basil API versions an invoice names its subscription under `parent.subscription_details`. */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  return idOf(invoice.parent?.subscription_details?.subscription);
}
