import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { cardError, invalidParam, invalidRequest } from '../errors';
import { newId } from '../ids';
import type { PendingItem } from '../store';
import { idOf, planFromPrice } from '../views';
import { type DiscountChoice, discountActive, redeem } from './discounts';
import {
  attemptInvoicePayment,
  createSubscriptionInvoice,
  finalizeInvoice,
  type LineInput,
  type PaymentOutcome,
} from './invoices';
import { chargeDecline, paymentMethodFor } from './payments';
import { addInterval, type Interval, nextBoundary } from './periods';

export type PaymentBehavior = 'allow_incomplete' | 'error_if_incomplete' | 'default_incomplete';
export type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';

export interface NewSubscription {
  customer: string;
  items: Array<{ price: Stripe.Price; quantity: number; metadata: Record<string, string> }>;
  trialEnd: number | null;
  metadata: Record<string, string>;
  defaultPaymentMethod: string | null;
  discounts: DiscountChoice[];
  paymentBehavior: PaymentBehavior;
  description: string | null;
  cancelAtPeriodEnd: boolean;
  checkoutSession?: string;
}

function recurringOf(price: Stripe.Price, param: string): { interval: Interval; count: number } {
  if (!price.recurring) {
    throw invalidParam(
      param,
      `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
    );
  }
  return { interval: price.recurring.interval, count: price.recurring.interval_count };
}

function productName(emulator: Emulator, price: Stripe.Price): string {
  const id = idOf(price.product) ?? '';
  return emulator.store.find('products', id)?.name ?? id;
}

function formatAmount(amount: number, currency: string): string {
  const symbol = currency === 'usd' ? '$' : currency === 'eur' ? '€' : currency === 'gbp' ? '£' : '';
  const value = (amount / 100).toFixed(2);
  return symbol ? `${symbol}${value}` : `${value} ${currency.toUpperCase()}`;
}

function itemDescription(emulator: Emulator, price: Stripe.Price, quantity: number): string {
  const interval = price.recurring ? ` / ${price.recurring.interval}` : '';
  return `${quantity} × ${productName(emulator, price)} (at ${formatAmount(price.unit_amount ?? 0, price.currency)}${interval})`;
}

function periodOf(sub: Stripe.Subscription): { start: number; end: number } {
  const first = sub.items.data[0];
  return {
    start: first?.current_period_start ?? sub.start_date,
    end: first?.current_period_end ?? sub.start_date,
  };
}

function activeDiscounts(
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
function pruneDiscounts(
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

function newItem(
  subId: string,
  price: Stripe.Price,
  quantity: number,
  metadata: Record<string, string>,
  period: { start: number; end: number },
  now: number,
): Stripe.SubscriptionItem {
  return {
    id: newId('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created: now,
    current_trial: null,
    current_period_end: period.end,
    current_period_start: period.start,
    discounts: [],
    metadata,
    plan: planFromPrice(price),
    price,
    quantity,
    subscription: subId,
    tax_rates: [],
  };
}

function withPeriods(sub: Stripe.Subscription, period: { start: number; end: number }): Stripe.Subscription {
  const data = sub.items.data.map((item) => ({
    ...item,
    current_period_start: period.start,
    current_period_end: period.end,
  }));
  return { ...sub, items: { ...sub.items, data } };
}

function fullLines(
  emulator: Emulator,
  sub: Stripe.Subscription,
  period: { start: number; end: number },
  trial: boolean,
): LineInput[] {
  return sub.items.data.map((item) => ({
    price: item.price,
    quantity: item.quantity ?? 1,
    amount: trial ? 0 : (item.price.unit_amount ?? 0) * (item.quantity ?? 1),
    description: trial
      ? `Trial period for ${productName(emulator, item.price)}`
      : itemDescription(emulator, item.price, item.quantity ?? 1),
    period,
    proration: false,
    subscriptionItem: item.id,
  }));
}

function takePendingLines(emulator: Emulator, sub: Stripe.Subscription): LineInput[] {
  const pending = emulator.store.all('pending_items').filter((p) => p.subscription === sub.id);
  const lines: LineInput[] = [];
  for (const p of pending) {
    emulator.store.remove('pending_items', p.id);
    const price = emulator.store.find('prices', p.price);
    if (!price) continue;
    lines.push({
      price,
      quantity: p.quantity,
      amount: p.amount,
      description: p.description,
      period: p.period,
      proration: true,
      subscriptionItem: p.subscription_item,
    });
  }
  return lines;
}

/** Creates, finalizes and tries to pay an invoice; returns the subscription pointing at it. */
function invoiceAndPay(
  emulator: Emulator,
  sub: Stripe.Subscription,
  billingReason: Stripe.Invoice.BillingReason,
  lines: LineInput[],
  period: { start: number; end: number },
  attemptPayment: boolean,
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
  let invoice = open;
  let paid = false;
  if (attemptPayment || open.amount_due === 0) {
    const firstRetry = emulator.dunning.retryDelaysDays[0];
    const nextAttempt =
      billingReason === 'subscription_create' || firstRetry === undefined
        ? null
        : emulator.now() + firstRetry * 86_400;
    const outcome = attemptInvoicePayment(emulator, open, sub, nextAttempt);
    invoice = outcome.invoice;
    paid = outcome.ok;
  }
  const next = pruneDiscounts(emulator, { ...sub, latest_invoice: invoice.id }, period.start, invoice);
  return { sub: next, paid, invoice };
}

export function createSubscription(emulator: Emulator, input: NewSubscription): Stripe.Subscription {
  const now = emulator.now();
  const first = input.items[0];
  if (!first) throw invalidRequest('Missing required param: items.', 'items');
  const { interval, count } = recurringOf(first.price, 'items[0][price]');
  input.items.forEach((item, i) => {
    const r = recurringOf(item.price, `items[${i}][price]`);
    if (r.interval !== interval || r.count !== count) {
      throw invalidRequest(
        'Currency and interval fields must match across all plans on this subscription.',
        `items[${i}][price]`,
      );
    }
    if (item.price.currency !== first.price.currency) {
      throw invalidRequest('Currency and interval fields must match across all plans on this subscription.');
    }
  });
  const trialing = input.trialEnd !== null && input.trialEnd > now;
  const subId = newId('sub');
  const anchor = trialing && input.trialEnd !== null ? input.trialEnd : now;
  const period = { start: now, end: trialing ? anchor : addInterval(now, interval, count) };

  const pm = input.defaultPaymentMethod
    ? emulator.store.get('payment_methods', input.defaultPaymentMethod, 'default_payment_method')
    : undefined;
  const firstAmount = input.items.reduce(
    (sum, item) => sum + (item.price.unit_amount ?? 0) * item.quantity,
    0,
  );
  if (!trialing && firstAmount > 0 && input.paymentBehavior === 'error_if_incomplete') {
    const decline = chargeDecline(pm ?? paymentMethodFor(emulator, input.customer));
    if (decline) throw cardError(decline.message, decline.code, decline.declineCode);
  }

  const discounts = input.discounts.map((choice) =>
    redeem(emulator, choice, {
      customer: input.customer,
      subscription: subId,
      checkoutSession: input.checkoutSession,
    }),
  );
  const invoiceId = newId('in');
  let sub: Stripe.Subscription = {
    id: subId,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: anchor,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: input.cancelAtPeriodEnd ? period.end : null,
    cancel_at_period_end: input.cancelAtPeriodEnd,
    canceled_at: input.cancelAtPeriodEnd ? now : null,
    cancellation_details: input.cancelAtPeriodEnd
      ? { comment: null, feedback: null, feedback_option: null, reason: 'cancellation_requested' }
      : { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency: first.price.currency,
    customer: input.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: input.description,
    discounts: discounts.map((d) => d.id),
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: {
      object: 'list',
      data: input.items.map((item) => newItem(subId, item.price, item.quantity, item.metadata, period, now)),
      has_more: false,
      url: `/v1/subscription_items?subscription=${subId}`,
    },
    latest_invoice: invoiceId,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: trialing ? 'trialing' : 'incomplete',
    test_clock: null,
    transfer_data: null,
    trial_end: trialing ? anchor : null,
    trial_settings: {
      end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' },
    },
    trial_start: trialing ? now : null,
  };
  emulator.store.put('subscriptions', sub);
  emulator.emit('customer.subscription.created', sub);

  const before = sub;
  const discountsNow = activeDiscounts(emulator, sub, period.start);
  const draft = createSubscriptionInvoice(emulator, sub, {
    id: invoiceId,
    billingReason: 'subscription_create',
    lines: fullLines(emulator, sub, period, trialing),
    periodStart: now,
    periodEnd: now,
    discounts: discountsNow,
  });
  const open = finalizeInvoice(emulator, draft);
  const shouldPay = input.paymentBehavior !== 'default_incomplete' || open.amount_due === 0;
  const outcome = shouldPay ? attemptInvoicePayment(emulator, open, sub, null) : null;
  sub = pruneDiscounts(emulator, sub, period.start, outcome?.invoice ?? open);
  if (outcome?.ok && sub.status === 'incomplete') sub = { ...sub, status: 'active' };
  emulator.store.put('subscriptions', sub);
  emulator.emitUpdate('customer.subscription.updated', before, sub);
  return sub;
}

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
  const result = invoiceAndPay(emulator, renewed, 'subscription_cycle', lines, nextPeriod, true);
  let status: Stripe.Subscription.Status = result.paid
    ? 'active'
    : sub.status === 'unpaid'
      ? 'unpaid'
      : 'past_due';
  if (wasTrialing && !result.paid) status = 'past_due';
  const next: Stripe.Subscription = { ...result.sub, status };
  emulator.store.put('subscriptions', next);
  emulator.emitUpdate('customer.subscription.updated', before, next);
  return next;
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
  if (nextAttempt !== null) return;
  const action = emulator.dunning.finalAction;
  if (action === 'cancel') {
    endSubscription(emulator, sub, 'payment_failed');
  } else if (action === 'unpaid' && sub.status !== 'unpaid') {
    const next = { ...sub, status: 'unpaid' as const };
    emulator.store.put('subscriptions', next);
    emulator.emitUpdate('customer.subscription.updated', sub, next);
  }
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

function prorationLines(
  emulator: Emulator,
  oldItems: Stripe.SubscriptionItem[],
  newItems: Stripe.SubscriptionItem[],
  period: { start: number; end: number },
  at: number,
): LineInput[] {
  const span = period.end - period.start;
  if (span <= 0 || at >= period.end) return [];
  const fraction = (period.end - at) / span;
  const date = new Date(at * 1000).toUTCString().slice(5, 16);
  const lines: LineInput[] = [];
  const remaining = { start: at, end: period.end };
  for (const old of oldItems) {
    const replacement = newItems.find((n) => n.id === old.id);
    if (replacement && replacement.price.id === old.price.id && replacement.quantity === old.quantity)
      continue;
    const qty = old.quantity ?? 1;
    lines.push({
      price: old.price,
      quantity: qty,
      amount: -Math.round((old.price.unit_amount ?? 0) * qty * fraction),
      description: `Unused time on ${qty} × ${productName(emulator, old.price)} after ${date}`,
      period: remaining,
      proration: true,
      subscriptionItem: old.id,
    });
  }
  for (const item of newItems) {
    const previous = oldItems.find((o) => o.id === item.id);
    if (previous && previous.price.id === item.price.id && previous.quantity === item.quantity) continue;
    const qty = item.quantity ?? 1;
    lines.push({
      price: item.price,
      quantity: qty,
      amount: Math.round((item.price.unit_amount ?? 0) * qty * fraction),
      description: `Remaining time on ${qty} × ${productName(emulator, item.price)} after ${date}`,
      period: remaining,
      proration: true,
      subscriptionItem: item.id,
    });
  }
  return lines;
}

function applyItemChanges(
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
  return items;
}

export function updateSubscription(
  emulator: Emulator,
  sub: Stripe.Subscription,
  changes: SubscriptionChanges,
): Stripe.Subscription {
  const now = emulator.now();
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
  }
  const before = sub;
  let next: Stripe.Subscription = { ...sub };
  if (changes.metadata !== undefined) next.metadata = changes.metadata;
  if (changes.description !== undefined) next.description = changes.description;
  if (changes.defaultPaymentMethod !== undefined) {
    if (changes.defaultPaymentMethod)
      emulator.store.get('payment_methods', changes.defaultPaymentMethod, 'default_payment_method');
    next.default_payment_method = changes.defaultPaymentMethod;
  }
  if (changes.discounts) {
    next.discounts = changes.discounts.map(
      (choice) => redeem(emulator, choice, { customer: idOf(sub.customer) ?? '', subscription: sub.id }).id,
    );
  }
  const period = periodOf(sub);
  if (changes.cancelAtPeriodEnd !== undefined) {
    next.cancel_at_period_end = changes.cancelAtPeriodEnd;
    next.cancel_at = changes.cancelAtPeriodEnd ? period.end : null;
    next.canceled_at = changes.cancelAtPeriodEnd ? now : null;
    next.cancellation_details = {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: changes.cancelAtPeriodEnd ? 'cancellation_requested' : null,
    };
  }
  if (changes.cancelAt !== undefined) {
    next.cancel_at = changes.cancelAt;
    next.cancel_at_period_end = changes.cancelAt !== null && changes.cancelAt === period.end;
    next.canceled_at = changes.cancelAt === null ? null : now;
    next.cancellation_details = {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: changes.cancelAt === null ? null : 'cancellation_requested',
    };
  }

  let invoiceLines: LineInput[] | null = null;
  let newPeriod = period;
  if (changes.items && changes.items.length > 0) {
    const oldItems = sub.items.data;
    const newItems = applyItemChanges(sub, changes.items, now);
    const oldRecurring = oldItems[0]?.price.recurring;
    const newRecurring = newItems[0]?.price.recurring;
    if (!newRecurring) throw invalidParam('items[0][price]', 'The price specified is not recurring.');
    const intervalChanged =
      oldRecurring?.interval !== newRecurring.interval ||
      oldRecurring?.interval_count !== newRecurring.interval_count;
    next.items = { ...sub.items, data: newItems };
    if (sub.status === 'trialing') {
      // Nothing is charged during a trial, so a plan change there carries no proration.
    } else if (intervalChanged) {
      // A new billing interval resets the cycle: credit the unused time and charge the new period in full.
      newPeriod = { start: now, end: addInterval(now, newRecurring.interval, newRecurring.interval_count) };
      next.billing_cycle_anchor = now;
      const credits =
        changes.prorationBehavior === 'none'
          ? []
          : prorationLines(emulator, oldItems, [], period, changes.prorationDate ?? now);
      next = withPeriods(next, newPeriod);
      invoiceLines = [
        ...credits,
        ...takePendingLines(emulator, sub),
        ...fullLines(emulator, next, newPeriod, false),
      ];
    } else if (changes.prorationBehavior !== 'none') {
      const lines = prorationLines(emulator, oldItems, newItems, period, changes.prorationDate ?? now);
      if (changes.prorationBehavior === 'always_invoice') {
        invoiceLines = [...takePendingLines(emulator, sub), ...lines];
      } else {
        for (const line of lines) {
          const pending: PendingItem = {
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
          emulator.store.put('pending_items', pending);
        }
      }
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
  if (invoiceLines && invoiceLines.length > 0) {
    if (changes.paymentBehavior === 'error_if_incomplete') {
      const decline = chargeDecline(paymentMethodFor(emulator, idOf(sub.customer) ?? '', next));
      if (decline) throw cardError(decline.message, decline.code, decline.declineCode);
    }
    const result = invoiceAndPay(emulator, next, 'subscription_update', invoiceLines, newPeriod, true);
    const afterPay: Stripe.Subscription = {
      ...result.sub,
      status: result.paid ? next.status : 'past_due',
    };
    emulator.store.put('subscriptions', afterPay);
    emulator.emitUpdate('customer.subscription.updated', next, afterPay);
    return afterPay;
  }
  return next;
}

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
  if (options.invoiceNow) {
    if (lines.length > 0) {
      const result = invoiceAndPay(
        emulator,
        ended,
        'subscription_update',
        lines,
        { start: now, end: now },
        true,
      );
      const final = { ...ended, latest_invoice: result.invoice.id };
      emulator.store.put('subscriptions', final);
      return final;
    }
  }
  return ended;
}
