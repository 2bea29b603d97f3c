import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeEmulator } from './index';
import { type Catalog, createCatalog, startEmulator } from './test/helpers';

let emu: StripeEmulator;
let stripe: Stripe;
let catalog: Catalog;

beforeAll(async () => {
  ({ emu, stripe } = await startEmulator());
  catalog = await createCatalog(stripe);
});
afterAll(() => emu.close());

async function subscribedCustomer(card = '4242424242424242'): Promise<Stripe.Subscription> {
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: catalog.monthly.id, quantity: 1 }],
    success_url: 'http://127.0.0.1:9/ok',
  });
  const completed = emu.completeCheckout(session.id, {
    email: 'portal@example.com',
    card,
  }) as Stripe.Checkout.Session;
  return stripe.subscriptions.retrieve(completed.subscription as string);
}

async function post(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

describe('hosted billing portal', () => {
  it('shows subscriptions and switches plan among active prices of the same product', async () => {
    const sub = await subscribedCustomer();
    const portal = await stripe.billingPortal.sessions.create({
      customer: sub.customer as string,
      return_url: 'http://127.0.0.1:9/account',
    });
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain('Pro plan');
    expect(html).toContain('data-testid="switch-pro_team_monthly"');
    expect(html).toContain('Cancel plan');
    expect(html).toContain('•••• 4242');
    expect(html).toContain('http://127.0.0.1:9/account');

    const res = await post(`${portal.url}/switch`, { subscription: sub.id, price: catalog.team.id });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('notice=');
    const switched = await stripe.subscriptions.retrieve(sub.id);
    expect(switched.items.data[0]?.price.id).toBe(catalog.team.id);

    const other = await stripe.products.create({ name: 'Other' });
    const foreign = await stripe.prices.create({
      product: other.id,
      currency: 'usd',
      unit_amount: 1,
      recurring: { interval: 'month' },
    });
    const refused = await post(`${portal.url}/switch`, { subscription: sub.id, price: foreign.id });
    expect(refused.headers.get('location')).toContain('error=');
    expect((await stripe.subscriptions.retrieve(sub.id)).items.data[0]?.price.id).toBe(catalog.team.id);
  });

  it('cancels at period end and renews again', async () => {
    const sub = await subscribedCustomer();
    const portal = await stripe.billingPortal.sessions.create({ customer: sub.customer as string });
    await post(`${portal.url}/cancel`, { subscription: sub.id });
    expect((await stripe.subscriptions.retrieve(sub.id)).cancel_at_period_end).toBe(true);
    expect(await (await fetch(portal.url)).text()).toContain('Renew plan');
    await post(`${portal.url}/renew`, { subscription: sub.id });
    expect((await stripe.subscriptions.retrieve(sub.id)).cancel_at_period_end).toBe(false);
  });

  it('updates the card and settles a past-due invoice with it', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: catalog.monthly.id, quantity: 1 }],
      subscription_data: { trial_period_days: 3 },
      success_url: 'http://127.0.0.1:9/ok',
    });
    const completed = emu.completeCheckout(session.id, {
      email: 'fix@example.com',
      card: '4000000000000341',
    }) as Stripe.Checkout.Session;
    emu.advanceClock(4 * 86_400);
    const subId = completed.subscription as string;
    expect((await stripe.subscriptions.retrieve(subId)).status).toBe('past_due');

    const portal = await stripe.billingPortal.sessions.create({ customer: completed.customer as string });
    const declined = await post(`${portal.url}/card`, {
      cardNumber: '4000 0000 0000 9995',
      cardExpiry: '12/34',
      cardCvc: '123',
    });
    expect(decodeURIComponent(declined.headers.get('location') ?? '')).toContain(
      'Your card has insufficient funds.',
    );
    const fixed = await post(`${portal.url}/card`, {
      cardNumber: '4242 4242 4242 4242',
      cardExpiry: '12/34',
      cardCvc: '123',
    });
    expect(fixed.status).toBe(303);
    const sub = await stripe.subscriptions.retrieve(subId, {
      expand: ['latest_invoice', 'default_payment_method'],
    });
    expect(sub.status).toBe('active');
    expect((sub.latest_invoice as Stripe.Invoice).status).toBe('paid');
    expect((sub.default_payment_method as Stripe.PaymentMethod).card?.last4).toBe('4242');
    const customer = (await stripe.customers.retrieve(completed.customer as string)) as Stripe.Customer;
    expect(customer.invoice_settings.default_payment_method).toBe(
      (sub.default_payment_method as Stripe.PaymentMethod).id,
    );
  });

  it('follows a portal configuration: listed prices, immediate cancellation, hidden card form and history', async () => {
    const sub = await subscribedCustomer();
    const other = await stripe.products.create({ name: 'Business' });
    const business = await stripe.prices.create({
      product: other.id,
      currency: 'usd',
      unit_amount: 5000,
      recurring: { interval: 'month' },
      lookup_key: 'business_monthly',
    });
    const config = await stripe.billingPortal.configurations.create({
      default_return_url: 'http://127.0.0.1:9/default-return',
      features: {
        subscription_update: {
          enabled: true,
          default_allowed_updates: ['price'],
          proration_behavior: 'always_invoice',
          products: [{ product: other.id, prices: [business.id] }],
        },
        subscription_cancel: { enabled: true, mode: 'immediately', proration_behavior: 'none' },
        payment_method_update: { enabled: false },
        invoice_history: { enabled: false },
      },
    });
    expect(config.features.subscription_update.products?.[0]?.prices).toEqual([business.id]);
    const listed = await stripe.billingPortal.configurations.list();
    expect(listed.data.map((c) => c.id)).toContain(config.id);

    const portal = await stripe.billingPortal.sessions.create({
      customer: sub.customer as string,
      configuration: config.id,
    });
    expect(portal.configuration).toBe(config.id);
    expect(portal.return_url).toBe('http://127.0.0.1:9/default-return');
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain('data-testid="switch-business_monthly"');
    expect(html).not.toContain('switch-pro_team_monthly');
    expect(html).not.toContain('Update card');
    expect(html).not.toContain('Invoice history');
    const refused = await post(`${portal.url}/card`, {
      cardNumber: '4242424242424242',
      cardExpiry: '12/34',
      cardCvc: '123',
    });
    expect(refused.headers.get('location')).toContain('error=');

    await post(`${portal.url}/switch`, { subscription: sub.id, price: business.id });
    const switched = await stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    expect(switched.items.data[0]?.price.id).toBe(business.id);
    expect((switched.latest_invoice as Stripe.Invoice).billing_reason).toBe('subscription_update');

    await post(`${portal.url}/cancel`, { subscription: sub.id });
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('canceled');

    await stripe.billingPortal.configurations.update(config.id, { active: false });
    await expect(
      stripe.billingPortal.sessions.create({ customer: sub.customer as string, configuration: config.id }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});
