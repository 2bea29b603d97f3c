import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { invalidRequest } from '../errors';
import { invoiceAndPay } from './subscription-invoicing';
import { endSubscription } from './subscription-lifecycle';
import { periodOf, prorationLines, takePendingLines } from './subscription-lines';

export function cancelSubscriptionNow(
  emulator: Emulator,
  sub: Stripe.Subscription,
  options: { invoiceNow: boolean; prorate: boolean },
): Stripe.Subscription {
  if (sub.status === 'canceled') {
    throw invalidRequest(`A canceled subscription can only update its cancellation_details and metadata.`);
  }
  const now = emulator.now();
  const period = periodOf(sub);
  const credits =
    options.prorate && (sub.status === 'active' || sub.status === 'past_due')
      ? prorationLines(emulator, sub.items.data, [], period, now)
      : [];
  const lines = options.invoiceNow ? [...credits, ...takePendingLines(emulator, sub)] : [];
  const ended = endSubscription(emulator, sub, 'cancellation_requested');
  if (lines.length === 0) return ended;
  const result = invoiceAndPay(emulator, ended, 'subscription_update', lines, { start: now, end: now });
  const final = { ...ended, latest_invoice: result.invoice.id };
  emulator.store.put('subscriptions', final);
  return final;
}
