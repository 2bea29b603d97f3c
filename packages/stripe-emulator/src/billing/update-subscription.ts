import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { cardError, invalidParam, invalidRequest } from '../errors';
import { newId } from '../ids';
import type { PendingItem } from '../store';
import { idOf, planFromPrice } from '../views';
import { paymentMethodForCustomer } from './cards';
import type { PaymentBehavior } from './create-subscription';
import { type DiscountChoice, redeem } from './discounts';
import type { LineInput } from './invoices';
import { charge, chargeDecline, paymentMethodFor } from './payments';
import { addInterval } from './periods';
import { previewSubscriptionInvoice } from './preview';
import { invoiceAndPay } from './subscription-invoicing';
import { renewSubscription } from './subscription-lifecycle';
import {
  fullLines,
  newItem,
  periodOf,
  prorationLines,
  takePendingLines,
  withPeriods,
} from './subscription-lines';

export type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';

export interface SubscriptionChanges {
  items?: Array<{
    id?: string;
    price?: Stripe.Price;
    quantity?: number;
    deleted?: boolean;
    metadata?: Record<string, string>;
  }>;
  prorationBehavior: ProrationBehavior;
  prorationDate?: number;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  metadata?: Record<string, string>;
  defaultPaymentMethod?: string | null;
  description?: string | null;
  trialEndNow?: boolean;
  discounts?: DiscountChoice[];
  paymentBehavior: PaymentBehavior;
}

export function applyItemChanges(
  sub: Stripe.Subscription,
  changes: NonNullable<SubscriptionChanges['items']>,
  now: number,
): Stripe.SubscriptionItem[] {
  let items = [...sub.items.data];
  const period = periodOf(sub);
  changes.forEach((change, i) => {
    if (change.id) {
      const index = items.findIndex((item) => item.id === change.id);
      const existing = items[index];
      if (!existing)
        throw invalidParam(
          `items[${i}][id]`,
          `No such subscription item: '${change.id}'`,
          'resource_missing',
        );
      if (change.deleted) {
        items = items.filter((item) => item.id !== change.id);
        return;
      }
      const price = change.price ?? existing.price;
      items[index] = {
        ...existing,
        price,
        plan: planFromPrice(price),
        quantity: change.quantity ?? existing.quantity,
        metadata: change.metadata ?? existing.metadata,
      };
      return;
    }
    if (!change.price)
      throw invalidParam(`items[${i}][price]`, 'Missing required param: price.', 'parameter_missing');
    items.push(newItem(sub.id, change.price, change.quantity ?? 1, change.metadata ?? {}, period, now));
  });
  if (items.length === 0) throw invalidRequest('A subscription must have at least one active plan.', 'items');
  assertValidItems(items, 'items');
  return items;
}

/**
 * Stripe's rules for a subscription's items, on create and update alike: a quantity is a whole number of at least
 * 0 (0 keeps the item, billing nothing), and one price appears on one item only (more of it is a quantity).
 */
export function assertValidItems(
  items: ReadonlyArray<{ price: Stripe.Price; quantity?: number | null }>,
  param: string,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if ((item.quantity ?? 1) < 0) {
      throw invalidParam(
        `${param}[${i}][quantity]`,
        'This value must be greater than or equal to 0.',
        'parameter_invalid_integer',
      );
    }
    if (seen.has(item.price.id)) {
      throw invalidParam(
        param,
        `Cannot add multiple subscription items with the same price: ${item.price.id}`,
      );
    }
    seen.add(item.price.id);
  });
}

function pendingFrom(sub: Stripe.Subscription, line: LineInput): PendingItem {
  return {
    id: newId('ii'),
    customer: idOf(sub.customer) ?? '',
    subscription: sub.id,
    subscription_item: line.subscriptionItem,
    price: line.price.id,
    amount: line.amount,
    currency: sub.currency,
    description: line.description,
    period: line.period,
    quantity: line.quantity,
  };
}

function cancellationDetails(requested: boolean): Stripe.Subscription.CancellationDetails {
  return {
    comment: null,
    feedback: null,
    feedback_option: null,
    reason: requested ? 'cancellation_requested' : null,
  };
}

/**
 * `error_if_incomplete`: Stripe collects what the update bills before it commits anything. When the card declines
 * it answers 402 (naming the failed charge) and the update never happens: the subscription is unchanged and no
 * invoice is saved, so nothing is left open to be retried; only the failed charge and its payment intent remain.
 * Nothing is owed (a credit, or a balance that covers it) means nothing to decline.
 */
function refuseUnpaidUpdate(
  emulator: Emulator,
  sub: Stripe.Subscription,
  newItems: Stripe.SubscriptionItem[],
  changes: SubscriptionChanges,
): void {
  const withPm: Stripe.Subscription = {
    ...sub,
    default_payment_method: changes.defaultPaymentMethod ?? sub.default_payment_method,
  };
  const bill = previewSubscriptionInvoice(emulator, withPm, {
    items: newItems,
    prorationBehavior: changes.prorationBehavior,
    prorationDate: changes.prorationDate,
  });
  if (bill.amount_due <= 0) return;
  const customer = idOf(sub.customer) ?? '';
  const paymentMethod = paymentMethodFor(emulator, customer, withPm);
  const decline = chargeDecline(paymentMethod);
  if (!decline) return;
  const failed = paymentMethod
    ? charge(
        emulator,
        { customer, amount: bill.amount_due, currency: bill.currency, description: 'Subscription update' },
        paymentMethod,
      ).charge
    : null;
  throw cardError(
    decline.message,
    decline.code,
    decline.declineCode,
    undefined,
    failed ? { charge: failed.id } : {},
  );
}

/**
 * Applies an update the way Stripe does: everything is validated (including, with `error_if_incomplete`, the
 * charge an immediate invoice would need) before anything changes.
 */
export function updateSubscription(
  emulator: Emulator,
  sub: Stripe.Subscription,
  requested: SubscriptionChanges,
): Stripe.Subscription {
  const now = emulator.now();
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
  }
  // A test id (`pm_card_visa`) becomes a card attached to the customer, as on Stripe.
  const pmId = requested.defaultPaymentMethod;
  const changes: SubscriptionChanges = pmId
    ? {
        ...requested,
        defaultPaymentMethod: paymentMethodForCustomer(
          emulator,
          pmId,
          idOf(sub.customer) ?? '',
          'default_payment_method',
        ).id,
      }
    : requested;
  const period = periodOf(sub);
  const oldItems = sub.items.data;
  const newItems =
    changes.items && changes.items.length > 0 ? applyItemChanges(sub, changes.items, now) : null;
  const oldRecurring = oldItems[0]?.price.recurring;
  const newRecurring = newItems ? newItems[0]?.price.recurring : oldRecurring;
  if (!newRecurring) throw invalidParam('items[0][price]', 'The price specified is not recurring.');
  const intervalChanged =
    newItems !== null &&
    (oldRecurring?.interval !== newRecurring.interval ||
      oldRecurring?.interval_count !== newRecurring.interval_count);
  const billsNow =
    newItems !== null &&
    sub.status !== 'trialing' &&
    (intervalChanged || changes.prorationBehavior === 'always_invoice');
  if (newItems && billsNow && changes.paymentBehavior === 'error_if_incomplete') {
    refuseUnpaidUpdate(emulator, sub, newItems, changes);
  }

  const before = sub;
  let next: Stripe.Subscription = { ...sub };
  if (changes.metadata !== undefined) next.metadata = changes.metadata;
  if (changes.description !== undefined) next.description = changes.description;
  if (changes.defaultPaymentMethod !== undefined) next.default_payment_method = changes.defaultPaymentMethod;
  if (changes.discounts) {
    next.discounts = changes.discounts.map(
      (choice) => redeem(emulator, choice, { customer: idOf(sub.customer) ?? '', subscription: sub.id }).id,
    );
  }
  if (changes.cancelAtPeriodEnd !== undefined) {
    next.cancel_at_period_end = changes.cancelAtPeriodEnd;
    next.cancel_at = changes.cancelAtPeriodEnd ? period.end : null;
    next.canceled_at = changes.cancelAtPeriodEnd ? now : null;
    next.cancellation_details = cancellationDetails(changes.cancelAtPeriodEnd);
  }
  if (changes.cancelAt !== undefined) {
    next.cancel_at = changes.cancelAt;
    next.cancel_at_period_end = changes.cancelAt !== null && changes.cancelAt === period.end;
    next.canceled_at = changes.cancelAt === null ? null : now;
    next.cancellation_details = cancellationDetails(changes.cancelAt !== null);
  }

  let invoiceLines: LineInput[] = [];
  let newPeriod = period;
  if (newItems) {
    next.items = { ...sub.items, data: newItems };
    const at = changes.prorationDate ?? now;
    // Nothing is charged during a trial, so a plan change there carries no proration.
    if (sub.status !== 'trialing' && intervalChanged) {
      // A new billing interval resets the cycle: credit the unused time and charge the new period in full.
      newPeriod = { start: now, end: addInterval(now, newRecurring.interval, newRecurring.interval_count) };
      next.billing_cycle_anchor = now;
      next = withPeriods(next, newPeriod);
      const credits =
        changes.prorationBehavior === 'none' ? [] : prorationLines(emulator, oldItems, [], period, at);
      invoiceLines = [
        ...credits,
        ...takePendingLines(emulator, sub),
        ...fullLines(emulator, next, newPeriod, false),
      ];
    } else if (sub.status !== 'trialing' && changes.prorationBehavior !== 'none') {
      const lines = prorationLines(emulator, oldItems, newItems, period, at);
      if (billsNow) invoiceLines = [...takePendingLines(emulator, sub), ...lines];
      else for (const line of lines) emulator.store.put('pending_items', pendingFrom(sub, line));
    }
    if (next.cancel_at_period_end) next.cancel_at = periodOf(next).end;
  }
  emulator.store.put('subscriptions', next);
  emulator.emitUpdate('customer.subscription.updated', before, next);

  if (changes.trialEndNow && next.status === 'trialing') {
    const ended = withPeriods(
      { ...next, trial_end: now, billing_cycle_anchor: now },
      { start: period.start, end: now },
    );
    emulator.store.put('subscriptions', ended);
    return renewSubscription(emulator, ended);
  }
  if (invoiceLines.length === 0) return next;
  const result = invoiceAndPay(emulator, next, 'subscription_update', invoiceLines, newPeriod);
  const afterPay: Stripe.Subscription = { ...result.sub, status: result.paid ? next.status : 'past_due' };
  emulator.store.put('subscriptions', afterPay);
  emulator.emitUpdate('customer.subscription.updated', next, afterPay);
  return afterPay;
}
