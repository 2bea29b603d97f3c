import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { idOf } from '../views';
import { discountActive } from './discounts';
import {
  attemptInvoicePayment,
  createSubscriptionInvoice,
  finalizeInvoice,
  type LineInput,
} from './invoices';

export function activeDiscounts(
  emulator: Emulator,
  sub: Stripe.Subscription,
  periodStart: number,
): Stripe.Discount[] {
  return sub.discounts
    .map((ref) => emulator.store.find('discounts', idOf(ref) ?? ''))
    .filter((d): d is Stripe.Discount => d !== undefined && discountActive(emulator, d, periodStart));
}

/**
 * A `once` coupon leaves the subscription after the first invoice it actually reduced (so a $0 trial invoice
 * does not use it up); an expired `repeating` one leaves when its months are over.
 */
export function pruneDiscounts(
  emulator: Emulator,
  sub: Stripe.Subscription,
  periodStart: number,
  invoice: Stripe.Invoice,
): Stripe.Subscription {
  const used = new Set(
    invoice.total_discount_amounts?.filter((d) => d.amount > 0).map((d) => idOf(d.discount)) ?? [],
  );
  const keep = sub.discounts.filter((ref) => {
    const id = idOf(ref) ?? '';
    const discount = emulator.store.find('discounts', id);
    if (!discount) return false;
    const coupon = emulator.store.find('coupons', idOf(discount.source.coupon) ?? '');
    if (!coupon) return false;
    if (coupon.duration === 'once' && used.has(id)) return false;
    return discountActive(emulator, discount, periodStart);
  });
  return { ...sub, discounts: keep };
}

/** Creates, finalizes and tries to pay an invoice (scheduling the first dunning retry on failure). */
export function invoiceAndPay(
  emulator: Emulator,
  sub: Stripe.Subscription,
  billingReason: Stripe.Invoice.BillingReason,
  lines: LineInput[],
  period: { start: number; end: number },
): { sub: Stripe.Subscription; paid: boolean; invoice: Stripe.Invoice } {
  const discounts = activeDiscounts(emulator, sub, period.start);
  const draft = createSubscriptionInvoice(emulator, sub, {
    billingReason,
    lines,
    periodStart: period.start,
    periodEnd: period.end,
    discounts,
  });
  const open = finalizeInvoice(emulator, draft);
  const firstRetry = emulator.dunning.retryDelaysDays[0];
  const nextAttempt = firstRetry === undefined ? null : emulator.now() + firstRetry * 86_400;
  const outcome = attemptInvoicePayment(emulator, open, sub, nextAttempt);
  const next = pruneDiscounts(
    emulator,
    { ...sub, latest_invoice: outcome.invoice.id },
    period.start,
    outcome.invoice,
  );
  return { sub: next, paid: outcome.ok, invoice: outcome.invoice };
}
