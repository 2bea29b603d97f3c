import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { idOf } from '../views';
import { attemptInvoicePayment, type PaymentOutcome } from './invoices';
import { nextBoundary } from './periods';
import { invoiceAndPay } from './subscription-invoicing';
import { fullLines, periodOf, takePendingLines, withPeriods } from './subscription-lines';

/** Ends a subscription now and emits `customer.subscription.deleted`. */
export function endSubscription(
  emulator: Emulator,
  sub: Stripe.Subscription,
  reason: Stripe.Subscription.CancellationDetails.Reason,
): Stripe.Subscription {
  const now = emulator.now();
  for (const pending of emulator.store.all('pending_items')) {
    if (pending.subscription === sub.id) emulator.store.remove('pending_items', pending.id);
  }
  const ended: Stripe.Subscription = {
    ...sub,
    status: 'canceled',
    canceled_at: sub.canceled_at ?? now,
    ended_at: now,
    cancellation_details: {
      comment: sub.cancellation_details?.comment ?? null,
      feedback: sub.cancellation_details?.feedback ?? null,
      feedback_option: sub.cancellation_details?.feedback_option ?? null,
      reason,
    },
  };
  emulator.store.put('subscriptions', ended);
  emulator.emit('customer.subscription.deleted', ended);
  return ended;
}

/** Period end: cancels when scheduled, else starts the next period and charges for it. */
export function renewSubscription(emulator: Emulator, sub: Stripe.Subscription): Stripe.Subscription {
  const period = periodOf(sub);
  if (sub.cancel_at !== null && sub.cancel_at <= period.end) {
    return endSubscription(emulator, sub, sub.cancellation_details?.reason ?? 'cancellation_requested');
  }
  const price = sub.items.data[0]?.price;
  if (!price?.recurring) return sub;
  const wasTrialing = sub.status === 'trialing';
  const nextPeriod = {
    start: period.end,
    end: nextBoundary(
      sub.billing_cycle_anchor,
      price.recurring.interval,
      price.recurring.interval_count,
      period.end,
    ),
  };
  const before = sub;
  const renewed = withPeriods(sub, nextPeriod);
  const lines = [...takePendingLines(emulator, sub), ...fullLines(emulator, renewed, nextPeriod, false)];
  const result = invoiceAndPay(emulator, renewed, 'subscription_cycle', lines, nextPeriod);
  let status: Stripe.Subscription.Status = result.paid
    ? 'active'
    : sub.status === 'unpaid'
      ? 'unpaid'
      : 'past_due';
  if (wasTrialing && !result.paid) status = 'past_due';
  const next: Stripe.Subscription = { ...result.sub, status };
  emulator.store.put('subscriptions', next);
  emulator.emitUpdate('customer.subscription.updated', before, next);
  if (!result.paid && result.invoice.next_payment_attempt === null) return applyFinalAction(emulator, next);
  return next;
}

/** What happens once dunning has run out of retries (`dunning.finalAction`). */
function applyFinalAction(emulator: Emulator, sub: Stripe.Subscription): Stripe.Subscription {
  const action = emulator.dunning.finalAction;
  if (action === 'cancel') return endSubscription(emulator, sub, 'payment_failed');
  if (action === 'unpaid' && sub.status !== 'unpaid') {
    const next = { ...sub, status: 'unpaid' as const };
    emulator.store.put('subscriptions', next);
    emulator.emitUpdate('customer.subscription.updated', sub, next);
    return next;
  }
  return sub;
}

/** A dunning retry of an open subscription invoice; the last failed retry applies the configured final action. */
export function retryInvoice(emulator: Emulator, invoice: Stripe.Invoice): void {
  const subId = idOf(invoice.parent?.subscription_details?.subscription ?? null);
  const sub = subId ? emulator.store.find('subscriptions', subId) : undefined;
  const retriesDone = invoice.attempt_count - 1;
  const delay = emulator.dunning.retryDelaysDays[retriesDone + 1];
  const nextAttempt = delay === undefined ? null : emulator.now() + delay * 86_400;
  const outcome = attemptInvoicePayment(emulator, invoice, sub, nextAttempt);
  if (!sub || sub.status === 'canceled') return;
  if (outcome.ok) {
    if (sub.status === 'past_due' || sub.status === 'unpaid') {
      const next = { ...sub, status: 'active' as const };
      emulator.store.put('subscriptions', next);
      emulator.emitUpdate('customer.subscription.updated', sub, next);
    }
    return;
  }
  if (nextAttempt === null) applyFinalAction(emulator, sub);
}

/** An immediate, out-of-schedule payment attempt; a success brings a past-due subscription back to active. */
export function payInvoiceNow(emulator: Emulator, invoice: Stripe.Invoice): PaymentOutcome {
  const subId = idOf(invoice.parent?.subscription_details?.subscription ?? null);
  const sub = subId ? emulator.store.find('subscriptions', subId) : undefined;
  const outcome = attemptInvoicePayment(emulator, invoice, sub, invoice.next_payment_attempt);
  if (
    outcome.ok &&
    sub &&
    (sub.status === 'past_due' || sub.status === 'unpaid' || sub.status === 'incomplete')
  ) {
    const next = { ...sub, status: 'active' as const };
    emulator.store.put('subscriptions', next);
    emulator.emitUpdate('customer.subscription.updated', sub, next);
  }
  return outcome;
}

/** Pays a subscription's open invoices at once (after the customer fixed their card), without waiting for dunning. */
export function payOpenInvoices(emulator: Emulator, sub: Stripe.Subscription): void {
  const open = emulator.store
    .all('invoices')
    .filter(
      (inv) =>
        inv.status === 'open' && idOf(inv.parent?.subscription_details?.subscription ?? null) === sub.id,
    );
  for (const invoice of open) payInvoiceNow(emulator, invoice);
}
