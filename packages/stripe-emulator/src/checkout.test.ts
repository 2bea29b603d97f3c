import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeEmulator } from './index';
import { type Catalog, createCatalog, startEmulator, submitCheckout } from './test/helpers';

let emu: StripeEmulator;
let stripe: Stripe;
let catalog: Catalog;

beforeAll(async () => {
  ({ emu, stripe } = await startEmulator());
  catalog = await createCatalog(stripe);
});
afterAll(() => emu.close());

function session(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: catalog.monthly.id, quantity: 1 }],
    success_url: 'http://127.0.0.1:9/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://127.0.0.1:9/cancel',
    ...extra,
  });
}

describe('checkout sessions', () => {
  it('creates an open session with a hosted url, expiry and amounts', async () => {
    const s = await session({
      client_reference_id: 'user_1',
      metadata: { userId: 'u1' },
      customer_email: 'buyer@example.com',
    });
    expect(s).toMatchObject({
      object: 'checkout.session',
      mode: 'subscription',
      status: 'open',
      payment_status: 'unpaid',
      client_reference_id: 'user_1',
      metadata: { userId: 'u1' },
      customer: null,
      subscription: null,
      customer_email: 'buyer@example.com',
      amount_subtotal: 1000,
      amount_total: 1000,
      currency: 'usd',
      success_url: 'http://127.0.0.1:9/success?session_id={CHECKOUT_SESSION_ID}',
    });
    expect(s.id).toMatch(/^cs_test_/);
    expect(s.url).toBe(`${emu.url}/c/pay/${s.id}`);
    expect(s.expires_at).toBeGreaterThan(emu.now() + 23 * 3600);

    const withItems = await stripe.checkout.sessions.retrieve(s.id, { expand: ['line_items'] });
    expect(withItems.line_items?.data[0]).toMatchObject({ object: 'item', quantity: 1, amount_total: 1000 });
    expect(withItems.line_items?.data[0]?.price?.id).toBe(catalog.monthly.id);
    const items = await stripe.checkout.sessions.listLineItems(s.id);
    expect(items.data).toHaveLength(1);

    const page = await fetch(s.url ?? '');
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Pro plan');
    expect(html).toContain('$10.00');
    expect(html).toContain('Card number');
  });

  it('validates parameters', async () => {
    await expect(session({ line_items: [{ price: 'price_missing', quantity: 1 }] })).rejects.toMatchObject({
      code: 'resource_missing',
      param: 'line_items[0][price]',
    });
    await expect(session({ mode: 'payment' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    const coupon = await stripe.coupons.create({ percent_off: 10 });
    await expect(
      session({ allow_promotion_codes: true, discounts: [{ coupon: coupon.id }] }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(session({ discounts: [{ coupon: 'nope' }] })).rejects.toMatchObject({
      code: 'resource_missing',
    });
  });

  it('completes through the hosted page: customer, active subscription, paid invoice, redirect', async () => {
    const s = await session({
      metadata: { userId: 'u2' },
      subscription_data: { metadata: { userId: 'u2' } },
    });
    const res = await submitCheckout(s.url ?? '', {
      email: 'paid@example.com',
      cardNumber: '4242 4242 4242 4242',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://127.0.0.1:9/success?session_id=${s.id}`);

    const done = await stripe.checkout.sessions.retrieve(s.id, {
      expand: ['subscription', 'customer', 'subscription.latest_invoice'],
    });
    expect(done.status).toBe('complete');
    expect(done.payment_status).toBe('paid');
    expect(done.customer_details?.email).toBe('paid@example.com');
    const customer = done.customer as Stripe.Customer;
    expect(customer.email).toBe('paid@example.com');
    const sub = done.subscription as Stripe.Subscription;
    expect(sub.status).toBe('active');
    expect(sub.metadata).toEqual({ userId: 'u2' });
    expect(sub.items.data[0]?.price.id).toBe(catalog.monthly.id);
    expect(sub.items.data[0]?.current_period_end).toBeGreaterThan(
      sub.items.data[0]?.current_period_start ?? 0,
    );
    const invoice = sub.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({
      status: 'paid',
      billing_reason: 'subscription_create',
      amount_due: 1000,
      amount_paid: 1000,
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: sub.id, metadata: { userId: 'u2' } },
      },
    });
    expect(invoice.lines.data[0]?.pricing?.price_details?.price).toBe(catalog.monthly.id);

    const types = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type);
    for (const t of [
      'customer.created',
      'customer.subscription.created',
      'invoice.paid',
      'checkout.session.completed',
    ]) {
      expect(types).toContain(t);
    }
    const closed = await fetch(s.url ?? '');
    expect(await closed.text()).toContain('already complete');
  });

  it('shows the decline message on the page for 4000 0000 0000 9995 and creates nothing', async () => {
    const s = await session();
    const customersBefore = (await stripe.customers.list({ limit: 100 })).data.length;
    const res = await submitCheckout(s.url ?? '', {
      email: 'poor@example.com',
      cardNumber: '4000000000009995',
    });
    expect(res.status).toBe(402);
    expect(await res.text()).toContain('Your card has insufficient funds.');
    expect((await stripe.checkout.sessions.retrieve(s.id)).status).toBe('open');
    expect((await stripe.customers.list({ limit: 100 })).data.length).toBe(customersBefore);

    const badNumber = await submitCheckout(s.url ?? '', {
      email: 'x@example.com',
      cardNumber: '4242 4242 4242 4241',
    });
    expect(await badNumber.text()).toContain('Your card number is incorrect.');
  });

  it('starts a trial with subscription_data.trial_period_days and charges nothing today', async () => {
    const s = await session({ subscription_data: { trial_period_days: 14 } });
    expect(s.amount_total).toBe(0);
    const html = await (await fetch(s.url ?? '')).text();
    expect(html).toContain('14 days free');
    expect(html).toContain('Start trial');
    const res = await submitCheckout(s.url ?? '', {
      email: 'trial@example.com',
      cardNumber: '4000000000000341',
    });
    expect(res.status).toBe(303);
    const done = await stripe.checkout.sessions.retrieve(s.id, { expand: ['subscription'] });
    expect(done.payment_status).toBe('no_payment_required');
    const sub = done.subscription as Stripe.Subscription;
    expect(sub.status).toBe('trialing');
    expect((sub.trial_end ?? 0) - (sub.trial_start ?? 0)).toBe(14 * 86_400);
    expect(sub.items.data[0]?.current_period_end).toBe(sub.trial_end);
  });

  it('applies a coupon or a promotion code, and counts the redemption', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 25, duration: 'forever' });
    const withCoupon = await session({ discounts: [{ coupon: coupon.id }] });
    expect(withCoupon.amount_total).toBe(750);
    expect(withCoupon.discounts).toEqual([{ coupon: coupon.id, promotion_code: null }]);
    const completed = emu.completeCheckout(withCoupon.id, {
      email: 'coupon@example.com',
    }) as Stripe.Checkout.Session;
    const sub = await stripe.subscriptions.retrieve(completed.subscription as string, {
      expand: ['latest_invoice', 'discounts'],
    });
    expect((sub.latest_invoice as Stripe.Invoice).amount_paid).toBe(750);
    expect((sub.discounts[0] as Stripe.Discount).source.coupon).toBe(coupon.id);
    expect((await stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);

    const promoCoupon = await stripe.coupons.create({ amount_off: 300, currency: 'usd' });
    await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: promoCoupon.id },
      code: 'SAVE3',
    });
    const withPromo = await session({ allow_promotion_codes: true });
    const applied = await fetch(`${withPromo.url}/promo`, {
      method: 'POST',
      body: new URLSearchParams({ code: 'save3' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await applied.text()).toContain('Promotion code applied.');
    const afterPromo = await stripe.checkout.sessions.retrieve(withPromo.id);
    expect(afterPromo.amount_total).toBe(700);
    const invalid = await fetch(`${withPromo.url}/promo`, {
      method: 'POST',
      body: new URLSearchParams({ code: 'NOPE' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(invalid.status).toBe(400);
  });

  it('shows what a coupon takes off, for how long, and the next charge — the figures the subscription then has', async () => {
    const shortDate = (t: number) =>
      new Date(t * 1000).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
    const nextChargeOf = (html: string) => /data-testid="next-charge">([^<]*)</.exec(html)?.[1];
    const termsOf = (html: string) => /data-testid="discount-terms">([^<]*)</.exec(html)?.[1];
    const cases: Array<{
      coupon: Stripe.CouponCreateParams;
      trial?: number;
      terms: string;
      next: number;
      headline?: string;
    }> = [
      // $10.00 today, and the second month is still inside the three discounted ones.
      {
        coupon: { percent_off: 20, duration: 'repeating', duration_in_months: 3 },
        terms: '20% off for 3 months',
        next: 800,
      },
      {
        coupon: { percent_off: 20, duration: 'repeating', duration_in_months: 1 },
        terms: '20% off for 1 month',
        next: 1000,
      },
      // A once coupon is spent by today's invoice: the renewal is full price.
      { coupon: { amount_off: 250, currency: 'usd', duration: 'once' }, terms: '$2.50 off once', next: 1000 },
      // ...unless a trial makes today's invoice $0: then the first real charge gets it, and "Then" says so.
      {
        coupon: { percent_off: 20, duration: 'once' },
        trial: 7,
        terms: '20% off once',
        next: 800,
        headline: 'Then $8.00 per month',
      },
      {
        coupon: { percent_off: 20, duration: 'forever' },
        trial: 7,
        terms: '20% off forever',
        next: 800,
        headline: 'Then $8.00 per month',
      },
    ];
    for (const c of cases) {
      const coupon = await stripe.coupons.create(c.coupon);
      const s = await session({
        discounts: [{ coupon: coupon.id }],
        ...(c.trial ? { subscription_data: { trial_period_days: c.trial } } : {}),
      });
      const html = await (await fetch(s.url ?? '')).text();
      expect(termsOf(html), c.terms).toBe(c.terms);
      if (c.headline) expect(html).toContain(c.headline);
      const shown = nextChargeOf(html);

      const completed = emu.completeCheckout(s.id, { email: 'terms@example.com' }) as Stripe.Checkout.Session;
      const sub = await stripe.subscriptions.retrieve(completed.subscription as string, {
        expand: ['discounts.source.coupon'],
      });
      const upcoming = await stripe.invoices.createPreview({ subscription: sub.id });
      // The page's promise is the subscription's own upcoming invoice: same amount, same day.
      expect(upcoming.amount_due, c.terms).toBe(c.next);
      expect(shown, c.terms).toBe(
        `$${(c.next / 100).toFixed(2)} on ${shortDate(upcoming.next_payment_attempt ?? 0)}`,
      );
      // The subscription carries the coupon's terms, expandable through discounts.source.coupon.
      if (c.next < 1000) {
        const discount = sub.discounts[0] as Stripe.Discount;
        expect(discount.source.coupon).toMatchObject({
          id: coupon.id,
          duration: c.coupon.duration,
          duration_in_months: c.coupon.duration_in_months ?? null,
        });
      }
    }
  });

  it('stops accepting a coupon once max_redemptions is reached, and an inactive promotion code', async () => {
    const single = await stripe.coupons.create({ percent_off: 10, max_redemptions: 1 });
    const first = await session({ discounts: [{ coupon: single.id }] });
    emu.completeCheckout(first.id, { email: 'single@example.com' });
    expect((await stripe.coupons.retrieve(single.id)).valid).toBe(false);
    await expect(session({ discounts: [{ coupon: single.id }] })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );

    const coupon = await stripe.coupons.create({ percent_off: 10 });
    const promo = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      active: false,
    });
    await expect(session({ discounts: [{ promotion_code: promo.id }] })).rejects.toMatchObject({
      param: 'discounts[0][promotion_code]',
    });
  });

  it('expires sessions via the API and by time, and lists them', async () => {
    const s = await session({ customer: (await stripe.customers.create({ email: 'exp@example.com' })).id });
    const expired = await stripe.checkout.sessions.expire(s.id);
    expect(expired.status).toBe('expired');
    expect(expired.url).toBeNull();
    await expect(stripe.checkout.sessions.expire(s.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );

    const later = await session();
    emu.advanceClock(25 * 3600);
    expect((await stripe.checkout.sessions.retrieve(later.id)).status).toBe('expired');
    const events = await stripe.events.list({ type: 'checkout.session.expired' });
    expect(events.data.map((e) => (e.data.object as Stripe.Checkout.Session).id)).toEqual(
      expect.arrayContaining([s.id, later.id]),
    );
    const listed = await stripe.checkout.sessions.list({ customer: expired.customer as string });
    expect(listed.data.map((x) => x.id)).toEqual([s.id]);
  });
});
