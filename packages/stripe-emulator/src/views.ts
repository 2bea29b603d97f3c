import type Stripe from 'stripe';
import type { Store } from './store';

/** The legacy `plan` Stripe still puts beside every subscription item's `price`. */
export function planFromPrice(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? 'month',
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: price.metadata,
    meter: price.recurring?.meter ?? null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: price.recurring?.trial_period_days ?? null,
    usage_type: price.recurring?.usage_type ?? 'licensed',
  };
}

/** Subscription items always embed their price; show its current state, as Stripe does. */
export function viewSubscription(store: Store, sub: Stripe.Subscription): Stripe.Subscription {
  const data = sub.items.data.map((item) => {
    const price = store.find('prices', item.price.id) ?? item.price;
    return { ...item, price, plan: planFromPrice(price) };
  });
  return { ...sub, items: { ...sub.items, data } };
}

/**
 * Whether a coupon can still be redeemed: the `valid` the API shows on it, and the first check before applying
 * one. Here, below the emulator core and billing, because both need it.
 */
export function couponIsValid(coupon: Stripe.Coupon, now: number): boolean {
  if (coupon.redeem_by !== null && coupon.redeem_by < now) return false;
  if (coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions) return false;
  return true;
}

/** Decimals travel as strings on the wire; the SDK's types name its own Decimal class for them. */
export function asDecimal(value: string): NonNullable<Stripe.Price['unit_amount_decimal']> {
  return value as unknown as NonNullable<Stripe.Price['unit_amount_decimal']>;
}

export function idOf(ref: string | { id?: string } | null | undefined): string | null {
  if (ref === null || ref === undefined) return null;
  return typeof ref === 'string' ? ref : (ref.id ?? null);
}

/** An invoice's payments, newest first: what `expand: ['payments']` includes and `/v1/invoice_payments` lists. */
export function paymentsOfInvoice(store: Store, invoiceId: string): Stripe.InvoicePayment[] {
  return store
    .all('invoice_payments')
    .filter((p) => p.invoice === invoiceId)
    .reverse();
}

/**
 * `invoice.payments` is includable: absent unless `expand[]` names it, as on Stripe, which also leaves it out
 * of event payloads.
 */
export function includable(store: Store, field: string, parent: Record<string, unknown>): unknown {
  if (parent.object === 'invoice' && field === 'payments' && typeof parent.id === 'string') {
    const data = paymentsOfInvoice(store, parent.id);
    return { object: 'list', data, has_more: false, url: `/v1/invoice_payments?invoice=${parent.id}` };
  }
  return undefined;
}
