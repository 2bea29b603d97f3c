import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { invalidParam } from '../errors';
import { newId } from '../ids';
import { idOf, planFromPrice } from '../views';
import type { LineInput } from './invoices';
import type { Interval } from './periods';

/* Building blocks shared by creating, renewing, changing and cancelling subscriptions. */

export function recurringOf(price: Stripe.Price, param: string): { interval: Interval; count: number } {
  if (!price.recurring) {
    throw invalidParam(
      param,
      `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
    );
  }
  return { interval: price.recurring.interval, count: price.recurring.interval_count };
}

export function productName(emulator: Emulator, price: Stripe.Price): string {
  const id = idOf(price.product) ?? '';
  return emulator.store.find('products', id)?.name ?? id;
}

export function formatAmount(amount: number, currency: string): string {
  const symbol = currency === 'usd' ? '$' : currency === 'eur' ? '€' : currency === 'gbp' ? '£' : '';
  const value = (amount / 100).toFixed(2);
  return symbol ? `${symbol}${value}` : `${value} ${currency.toUpperCase()}`;
}

export function itemDescription(emulator: Emulator, price: Stripe.Price, quantity: number): string {
  const interval = price.recurring ? ` / ${price.recurring.interval}` : '';
  return `${quantity} × ${productName(emulator, price)} (at ${formatAmount(price.unit_amount ?? 0, price.currency)}${interval})`;
}

export function periodOf(sub: Stripe.Subscription): { start: number; end: number } {
  const first = sub.items.data[0];
  return {
    start: first?.current_period_start ?? sub.start_date,
    end: first?.current_period_end ?? sub.start_date,
  };
}

export function newItem(
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

export function withPeriods(
  sub: Stripe.Subscription,
  period: { start: number; end: number },
): Stripe.Subscription {
  const data = sub.items.data.map((item) => ({
    ...item,
    current_period_start: period.start,
    current_period_end: period.end,
  }));
  return { ...sub, items: { ...sub.items, data } };
}

export function fullLines(
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

/** Prorations waiting for the subscription's next invoice, as invoice lines. */
export function pendingLines(emulator: Emulator, sub: Stripe.Subscription): LineInput[] {
  const lines: LineInput[] = [];
  for (const p of emulator.store.all('pending_items')) {
    const price = p.subscription === sub.id ? emulator.store.find('prices', p.price) : undefined;
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

/** The pending prorations, removed from the queue because an invoice is about to carry them. */
export function takePendingLines(emulator: Emulator, sub: Stripe.Subscription): LineInput[] {
  const lines = pendingLines(emulator, sub);
  for (const p of emulator.store.all('pending_items')) {
    if (p.subscription === sub.id) emulator.store.remove('pending_items', p.id);
  }
  return lines;
}

export function prorationLines(
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
