import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { newId } from '../ids';
import { buildSubscriptionInvoice, type LineInput } from './invoices';
import { addInterval, nextBoundary } from './periods';
import { activeDiscounts } from './subscription-invoicing';
import { fullLines, pendingLines, periodOf, prorationLines, withPeriods } from './subscription-lines';
import type { ProrationBehavior } from './update-subscription';

export interface PreviewChange {
  items: Stripe.SubscriptionItem[] | null;
  prorationBehavior: ProrationBehavior;
  prorationDate?: number;
}

/**
 * `invoices.createPreview` for an existing subscription: the invoice an item change would produce now
 * (`always_invoice` or a new interval), otherwise the next renewal with any prorations it would carry.
 * Nothing is stored or emitted.
 */
export function previewSubscriptionInvoice(
  emulator: Emulator,
  sub: Stripe.Subscription,
  change: PreviewChange,
): Stripe.Invoice {
  const now = emulator.now();
  const period = periodOf(sub);
  const at = change.prorationDate ?? now;
  const newItems = change.items ?? sub.items.data;
  const changed: Stripe.Subscription = { ...sub, items: { ...sub.items, data: newItems } };
  const oldRecurring = sub.items.data[0]?.price.recurring;
  const newRecurring = newItems[0]?.price.recurring;
  const intervalChanged =
    change.items !== null &&
    (oldRecurring?.interval !== newRecurring?.interval ||
      oldRecurring?.interval_count !== newRecurring?.interval_count);
  const trialing = sub.status === 'trialing';
  const prorations =
    change.items === null || trialing || change.prorationBehavior === 'none'
      ? []
      : prorationLines(emulator, sub.items.data, intervalChanged ? [] : newItems, period, at);
  let lines: LineInput[];
  let invoicePeriod: { start: number; end: number };
  let reason: Stripe.Invoice.BillingReason;
  if (!trialing && newRecurring && intervalChanged) {
    invoicePeriod = { start: now, end: addInterval(now, newRecurring.interval, newRecurring.interval_count) };
    lines = [
      ...prorations,
      ...pendingLines(emulator, sub),
      ...fullLines(emulator, changed, invoicePeriod, false),
    ];
    reason = 'subscription_update';
  } else if (!trialing && change.items !== null && change.prorationBehavior === 'always_invoice') {
    invoicePeriod = period;
    lines = [...pendingLines(emulator, sub), ...prorations];
    reason = 'subscription_update';
  } else {
    const recurring = newRecurring ?? oldRecurring;
    invoicePeriod = {
      start: period.end,
      end: recurring
        ? nextBoundary(sub.billing_cycle_anchor, recurring.interval, recurring.interval_count, period.end)
        : period.end,
    };
    const renewed = withPeriods(changed, invoicePeriod);
    lines = [
      ...pendingLines(emulator, sub),
      ...prorations,
      ...fullLines(emulator, renewed, invoicePeriod, false),
    ];
    reason = 'upcoming';
  }
  const invoice = buildSubscriptionInvoice(emulator, changed, {
    id: `upcoming_${newId('in')}`,
    billingReason: reason,
    lines,
    periodStart: invoicePeriod.start,
    periodEnd: invoicePeriod.end,
    discounts: activeDiscounts(emulator, sub, invoicePeriod.start),
  });
  return {
    ...invoice,
    created: reason === 'upcoming' ? invoicePeriod.start : now,
    next_payment_attempt: reason === 'upcoming' ? invoicePeriod.start : null,
  };
}
