import { connectAs } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser, startBillingTestEnv } from '@/testing/billing-test-env';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const KEY = 'sk_test_billing_portal_route';
const admin = connectAs('admin');
let emulator: StripeEmulator;
let stripe: Stripe;
let POST: typeof import('./route').POST;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv(KEY));
  ({ POST } = await import('./route'));
});

afterAll(async () => {
  await emulator.close();
  await admin.pool.end();
});

const signedIn = () => signUpHubUser('portal');

function portal(body: unknown, cookie?: string) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (cookie) headers.set('cookie', cookie);
  return POST(
    new Request(`${HUB}/api/billing/portal`, { method: 'POST', headers, body: JSON.stringify(body) }),
    { params: Promise.resolve({}) },
  );
}

describe('POST /api/billing/portal', () => {
  it('requires a Hub session', async () => {
    expect((await portal({})).status).toBe(401);
  });

  it('answers 404 with a clear message before the user has a Stripe customer', async () => {
    const { cookie } = await signedIn();
    const response = await portal({}, cookie);
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toContain('after your first checkout');
  });

  it("opens Stripe's customer portal for the user's own customer, returning to /billing", async () => {
    const user = await signedIn();
    const { ensureStripeCustomer } = await import('@/lib/checkout/ensure-stripe-customer');
    const { db } = await import('@/lib/db');
    const customerId = await ensureStripeCustomer(db(), stripe, {
      id: user.userId,
      email: user.email,
      name: 'Payer',
    });
    const [price] = (await stripe.prices.list({ lookup_keys: ['securevault_growth_monthly'] })).data;
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customerId });
    await stripe.subscriptions.create({
      customer: customerId,
      items: [{ price: price?.id ?? '' }],
      default_payment_method: card.id,
    });

    const response = await portal({}, user.cookie);
    expect(response.status).toBe(200);
    const { url } = await response.json();
    expect(url.startsWith(emulator.url)).toBe(true);
    // The hosted portal shows this customer's subscription and links back to the Hub's billing page.
    const page = await (await fetch(url)).text();
    expect(page).toContain('data-testid="subscription"');
    expect(page).toContain(`${HUB}/billing`);
  });

  it('falls back to the customer a subscription row names when hub."Customer" has none (older rows)', async () => {
    const user = await signedIn();
    const customer = await stripe.customers.create({ email: user.email });
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status, "stripeCustomerId")
       VALUES (gen_random_uuid(), $1, 'app_securevault', 'pro', 'active', $2)`,
      [user.userId, customer.id],
    );
    const response = await portal({}, user.cookie);
    expect(response.status).toBe(200);
    // The portal opened is that customer's: it names the customer's email.
    const session = await (await fetch((await response.json()).url)).text();
    expect(session).toContain(`data-testid="portal-customer">${user.email}<`);
  });
});
