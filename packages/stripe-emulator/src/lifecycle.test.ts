import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Catalog,
  createCatalog,
  DAY,
  startEmulator,
  startReceiver,
  submitCheckout,
} from './test/helpers';

const SECRET = 'whsec_lifecycle';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(options: Parameters<typeof startEmulator>[0] = {}) {
  const receiver = await startReceiver();
  const { emu, stripe } = await startEmulator({
    webhooks: [{ url: receiver.url, secret: SECRET }],
    ...options,
  });
  cleanups.push(
    () => emu.close(),
    () => receiver.close(),
  );
  const catalog: Catalog = await createCatalog(stripe);
  return { receiver, emu, stripe, catalog };
}

async function checkoutWithTrial(
  stripe: Stripe,
  catalog: Catalog,
  card: string,
): Promise<Stripe.Subscription> {
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: catalog.monthly.id, quantity: 1 }],
    subscription_data: { trial_period_days: 14, metadata: { userId: 'u1' } },
    success_url: 'http://127.0.0.1:9/ok',
  });
  const res = await submitCheckout(session.url ?? '', { email: 'life@example.com', cardNumber: card });
  expect(res.status).toBe(303);
  const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription'] });
  return done.subscription as Stripe.Subscription;
}

describe('time-driven lifecycle', () => {
  it('trial → past_due (card 0341 fails at trial end) → retries → canceled, with the matching webhooks', async () => {
    const { receiver, emu, stripe, catalog } = await setup();
    const sub = await checkoutWithTrial(stripe, catalog, '4000 0000 0000 0341');
    expect(sub.status).toBe('trialing');
    const trialEnd = sub.trial_end ?? 0;

    emu.advanceClock(trialEnd - emu.now() + 60);
    const pastDue = await stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    expect(pastDue.status).toBe('past_due');
    const invoice = pastDue.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_cycle',
      status: 'open',
      attempt_count: 1,
      amount_due: 1000,
    });
    expect(invoice.next_payment_attempt).toBe(trialEnd + 3 * DAY);
    expect(invoice.parent?.subscription_details?.metadata).toEqual({ userId: 'u1' });
    expect(pastDue.items.data[0]?.current_period_start).toBe(trialEnd);

    emu.advanceClock(3 * DAY);
    expect((await stripe.invoices.retrieve(invoice.id)).attempt_count).toBe(2);
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');

    emu.advanceClock(12 * DAY);
    const canceled = await stripe.subscriptions.retrieve(sub.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.cancellation_details?.reason).toBe('payment_failed');
    expect((await stripe.invoices.retrieve(invoice.id)).attempt_count).toBe(4);

    await emu.flushWebhooks();
    const events = receiver.received.map((r) =>
      stripe.webhooks.constructEvent(r.body, String(r.headers['stripe-signature']), SECRET),
    );
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'invoice.payment_failed')).toHaveLength(4);
    expect(types).toContain('customer.subscription.deleted');
    const toPastDue = events.find(
      (e) =>
        e.type === 'customer.subscription.updated' &&
        (e.data.object as Stripe.Subscription).status === 'past_due' &&
        (e.data.previous_attributes as Partial<Stripe.Subscription>).status === 'trialing',
    );
    expect(toPastDue).toBeDefined();
    const notice = events.find((e) => e.type === 'customer.subscription.trial_will_end');
    expect(notice?.created).toBe(trialEnd - 3 * DAY);
    expect(types.indexOf('customer.subscription.created')).toBeLessThan(
      types.indexOf('customer.subscription.deleted'),
    );
  });

  it('trial → active with a paid subscription_cycle invoice, then monthly renewals', async () => {
    const { emu, stripe, catalog } = await setup();
    const sub = await checkoutWithTrial(stripe, catalog, '4242424242424242');
    emu.advanceClock((sub.trial_end ?? 0) - emu.now() + 1);
    const active = await stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    expect(active.status).toBe('active');
    expect(active.latest_invoice as Stripe.Invoice).toMatchObject({
      status: 'paid',
      amount_paid: 1000,
      billing_reason: 'subscription_cycle',
    });

    emu.advanceClock(62 * DAY);
    const invoices = await stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data.map((i) => i.billing_reason)).toEqual([
      'subscription_cycle',
      'subscription_cycle',
      'subscription_cycle',
      'subscription_create',
    ]);
    expect(invoices.data.every((i) => i.status === 'paid')).toBe(true);
    const current = await stripe.subscriptions.retrieve(sub.id);
    expect(current.items.data[0]?.current_period_end).toBeGreaterThan(emu.now());
    expect(current.items.data[0]?.current_period_start).toBeLessThanOrEqual(emu.now());
  });

  it('marks the subscription unpaid instead of canceling when configured, via the HTTP clock', async () => {
    const { emu, stripe, catalog } = await setup({
      dunning: { retryDelaysDays: [1], finalAction: 'unpaid' },
    });
    const sub = await checkoutWithTrial(stripe, catalog, '4000000000000341');
    const before = emu.now();
    const res = await fetch(`${emu.url}/_emulator/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 16 * DAY }),
    });
    const body = (await res.json()) as { now: number; ran: number };
    expect(body.ran).toBeGreaterThanOrEqual(2);
    expect(body.now).toBeGreaterThanOrEqual(before + 16 * DAY);
    expect(body.now).toBeLessThanOrEqual(emu.now());
    const unpaid = await stripe.subscriptions.retrieve(sub.id);
    expect(unpaid.status).toBe('unpaid');
  });

  it('pays an open invoice on demand once the card is fixed, returning the subscription to active', async () => {
    const { emu, stripe, catalog } = await setup();
    const sub = await checkoutWithTrial(stripe, catalog, '4000000000000341');
    emu.advanceClock((sub.trial_end ?? 0) - emu.now() + 1);
    const pastDue = await stripe.subscriptions.retrieve(sub.id);
    expect(pastDue.status).toBe('past_due');
    const failed = (await stripe.invoices
      .pay(pastDue.latest_invoice as string)
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(failed).toBeInstanceOf(Stripe.errors.StripeCardError);

    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: sub.customer as string });
    await stripe.subscriptions.update(sub.id, { default_payment_method: pm.id });
    const paid = await stripe.invoices.pay(pastDue.latest_invoice as string);
    expect(paid.status).toBe('paid');
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
  });

  it('applies a once coupon to the first paid invoice after a trial, and a repeating one for its months', async () => {
    const { emu, stripe, catalog } = await setup();
    const once = await stripe.coupons.create({ percent_off: 50, duration: 'once' });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: catalog.monthly.id, quantity: 1 }],
      subscription_data: { trial_period_days: 7 },
      discounts: [{ coupon: once.id }],
      success_url: 'http://127.0.0.1:9/ok',
    });
    const completed = emu.completeCheckout(session.id, {
      email: 'once@example.com',
    }) as Stripe.Checkout.Session;
    const trialSub = completed.subscription as string;
    emu.advanceClock(7 * DAY + 60);
    emu.advanceClock(31 * DAY);
    const trialInvoices = await stripe.invoices.list({ subscription: trialSub });
    expect(trialInvoices.data.map((i) => i.amount_paid)).toEqual([1000, 500, 0]);

    const repeating = await stripe.coupons.create({
      amount_off: 100,
      currency: 'usd',
      duration: 'repeating',
      duration_in_months: 2,
    });
    const customer = await stripe.customers.create({ email: 'repeat@example.com' });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
      default_payment_method: pm.id,
      discounts: [{ coupon: repeating.id }],
    });
    emu.advanceClock(63 * DAY);
    const invoices = await stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data.map((i) => i.amount_paid)).toEqual([1000, 900, 900]);
    expect(invoices.data[1]?.total_discount_amounts?.[0]?.amount).toBe(100);
    expect(invoices.data[1]?.lines.data[0]?.discount_amounts?.[0]?.amount).toBe(100);
  });
});
