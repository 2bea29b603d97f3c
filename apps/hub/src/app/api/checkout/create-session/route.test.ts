import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const admin = connectAs('admin');
let emulator: StripeEmulator;
let POST: typeof import('./route').POST;
let auth: typeof import('@/lib/auth/auth').auth;

beforeAll(async () => {
  emulator = await startStripeEmulator();
  // env() is read once per module graph: point it at this emulator before the route is first imported.
  process.env.STRIPE_SECRET_KEY = 'sk_test_checkout_route';
  process.env.STRIPE_API_BASE = emulator.url;
  const { syncStripeCatalog } = await import('@/lib/billing/sync-catalog');
  const { createStripeClient } = await import('@/lib/stripe/create-stripe-client');
  await syncStripeCatalog(createStripeClient('sk_test_checkout_route', emulator.url));
  ({ POST } = await import('./route'));
  ({ auth } = await import('@/lib/auth/auth'));
});

afterAll(async () => {
  await emulator.close();
  await admin.pool.end();
});

async function signedIn(): Promise<{ cookie: string; userId: string }> {
  const response = await auth().api.signUpEmail({
    body: { email: uniqueEmail('checkout'), password: 'checkout-pass-1', name: 'Buyer' },
    asResponse: true,
  });
  const cookie =
    response.headers
      .getSetCookie()
      .find((c) => c.includes('session_token='))
      ?.split(';')[0] ?? '';
  return { cookie, userId: (await response.json()).user.id };
}

function create(body: unknown, cookie?: string) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (cookie) headers.set('cookie', cookie);
  return POST(
    new Request(`${HUB}/api/checkout/create-session`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    }),
    {
      params: Promise.resolve({}),
    },
  );
}

describe('POST /api/checkout/create-session', () => {
  it('requires a Hub session', async () => {
    const response = await create({ productId: 'securevault', plan: 'growth' });
    expect(response.status).toBe(401);
  });

  it('validates every field with a clear message', async () => {
    const { cookie } = await signedIn();
    expect((await create({ plan: 'growth' }, cookie)).status).toBe(400);
    const unknownPlan = await create({ productId: 'securevault', plan: 'platinum' }, cookie);
    expect(unknownPlan.status).toBe(400);
    expect((await unknownPlan.json()).error.message).toContain('has no plan “platinum”');
    const enterprise = await create({ productId: 'securevault', plan: 'enterprise' }, cookie);
    expect((await enterprise.json()).error.message).toContain('contact sales');
  });

  it('hands a double click the same checkout, with the plan and user in its metadata', async () => {
    const { cookie, userId } = await signedIn();
    const [first, second] = await Promise.all([
      create({ productId: 'securevault', plan: 'growth', trial: true }, cookie),
      create({ productId: 'securevault', plan: 'growth', trial: true }, cookie),
    ]);
    const a = await first.json();
    const b = await second.json();
    expect(first.status).toBe(200);
    expect(a.url).toBe(b.url);
    const sessionId = new URL(a.url).pathname.split('/').pop() ?? '';
    const { createStripeClient } = await import('@/lib/stripe/create-stripe-client');
    const stripe = createStripeClient('sk_test_checkout_route', emulator.url);
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    expect(session).toMatchObject({
      mode: 'subscription',
      client_reference_id: userId,
      metadata: { userId, appId: 'app_securevault', plan: 'growth' },
    });
    expect(session.success_url).toBe(`${HUB}/checkout/success?session_id={CHECKOUT_SESSION_ID}`);
    const customers = await stripe.customers.list({ email: undefined, limit: 100 });
    expect(customers.data.filter((c) => c.metadata?.userId === userId)).toHaveLength(1);
  });

  it('refuses a second subscription to the same app with 409 and where to manage it', async () => {
    const { cookie, userId } = await signedIn();
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status) VALUES (gen_random_uuid(), $1, 'app_securevault', 'growth', 'active')`,
      [userId],
    );
    const response = await create({ productId: 'securevault', plan: 'pro' }, cookie);
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.error.message).toContain('You already subscribe to SecureVault Docs');
    expect(body.error.details.manageUrl).toBe(`${HUB}/portal`);
  });
});

describe('trial eligibility', () => {
  it('offers a trial once per user and app, never after an earlier subscription', async () => {
    const { getCheckoutOffer } = await import('@/lib/checkout/checkout-offer');
    const userId = await seedUser(admin.db, {
      email: uniqueEmail('trial'),
      password: 'trial-pass-12',
      name: 'T',
    });
    expect(
      (await getCheckoutOffer(admin.db, { userId, productSlug: 'securevault', planId: 'growth' }))
        .trialEligible,
    ).toBe(true);
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status) VALUES (gen_random_uuid(), $1, 'app_securevault', 'growth', 'canceled')`,
      [userId],
    );
    const offer = await getCheckoutOffer(admin.db, { userId, productSlug: 'securevault', planId: 'growth' });
    expect(offer).toMatchObject({ trialEligible: false, existing: null });
  });
});
