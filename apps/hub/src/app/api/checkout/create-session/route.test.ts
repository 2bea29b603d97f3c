import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser, startBillingTestEnv } from '@/testing/billing-test-env';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const admin = connectAs('admin');
let emulator: StripeEmulator;
let POST: typeof import('./route').POST;

beforeAll(async () => {
  ({ emulator } = await startBillingTestEnv('sk_test_checkout_route'));
  ({ POST } = await import('./route'));
});

afterAll(async () => {
  await emulator.close();
  await admin.pool.end();
});

const signedIn = () => signUpHubUser('checkout');

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
    const response = await create({ productId: 'app_securevault', plan: 'growth' });
    expect(response.status).toBe(401);
  });

  it('validates every field with a clear message', async () => {
    const { cookie } = await signedIn();
    expect((await create({ plan: 'growth' }, cookie)).status).toBe(400);
    const unknownPlan = await create({ productId: 'app_securevault', plan: 'platinum' }, cookie);
    expect(unknownPlan.status).toBe(400);
    expect((await unknownPlan.json()).error.message).toContain('has no plan “platinum”');
    const enterprise = await create({ productId: 'app_securevault', plan: 'enterprise' }, cookie);
    expect((await enterprise.json()).error.message).toContain('contact sales');
  });

  it('hands a double click the same checkout, with the plan and user in its metadata', async () => {
    const { cookie, userId } = await signedIn();
    const [first, second] = await Promise.all([
      create({ productId: 'app_securevault', plan: 'growth', trial: true }, cookie),
      create({ productId: 'app_securevault', plan: 'growth', trial: true }, cookie),
    ]);
    const a = await first.json();
    const b = await second.json();
    expect(first.status).toBe(200);
    expect(a.url).toBe(b.url);
    const sessionId = new URL(a.url).pathname.split('/').pop() ?? '';
    const { createStripeClient } = await import('@omg/billing');
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
    const response = await create({ productId: 'app_securevault', plan: 'pro' }, cookie);
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.error.message).toContain('You already subscribe to SecureVault Docs');
    expect(body.error.details.manageUrl).toBe(`${HUB}/portal`);
  });
});

describe('coupons at checkout', () => {
  async function newCoupon(values: Partial<typeof schema.coupon.$inferInsert> = {}) {
    const code = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    await admin.db.insert(schema.coupon).values({ code, type: 'PERCENTAGE', percentOff: 20, ...values });
    return code;
  }
  const sessionIdOf = (url: string) => new URL(url).pathname.split('/').pop() ?? '';
  const couponRow = async (code: string) =>
    (await admin.db.select().from(schema.coupon).where(eq(schema.coupon.code, code)))[0];

  it('puts a valid coupon on the Stripe session as its promotion code, and counts the redemption once', async () => {
    const { createStripeClient } = await import('@omg/billing');
    const { completeCheckout } = await import('@/lib/checkout/complete-checkout');
    const stripe = createStripeClient('sk_test_checkout_route', emulator.url);
    const code = await newCoupon();
    const { cookie, userId } = await signedIn();

    const response = await create(
      { productId: 'app_securevault', plan: 'growth', couponCode: code.toLowerCase() },
      cookie,
    );
    expect(response.status).toBe(200);
    const { url } = await response.json();
    const session = await stripe.checkout.sessions.retrieve(sessionIdOf(url));
    const row = await couponRow(code);
    expect(row?.stripePromotionCodeId).toBeTruthy();
    expect(session.discounts).toEqual([
      { coupon: row?.stripeCouponId, promotion_code: row?.stripePromotionCodeId },
    ]);
    expect(session.metadata).toMatchObject({ userId, plan: 'growth', couponCode: code });
    const [lineItem] = (await stripe.checkout.sessions.listLineItems(session.id)).data;
    expect(lineItem?.amount_discount).toBe(300);

    // Pay it (what the hosted page's Pay button does); the success page may be shown any number of times.
    emulator.completeCheckout(session.id);
    for (let i = 0; i < 2; i += 1) {
      const result = await completeCheckout(admin.db, stripe, { userId, stripeSessionId: session.id });
      expect(result.state).toBe('complete');
    }
    expect((await couponRow(code))?.timesRedeemed).toBe(1);
  });

  it('reuses an open checkout only for the same coupon; another coupon closes the old one first', async () => {
    const { createStripeClient } = await import('@omg/billing');
    const stripe = createStripeClient('sk_test_checkout_route', emulator.url);
    const code = await newCoupon();
    const { cookie } = await signedIn();
    const body = { productId: 'app_securevault', plan: 'pro', couponCode: code };
    const first = (await (await create(body, cookie)).json()).url;
    expect((await (await create({ ...body, couponCode: code.toLowerCase() }, cookie)).json()).url).toBe(
      first,
    );

    const withoutCoupon = await create({ productId: 'app_securevault', plan: 'pro' }, cookie);
    expect(withoutCoupon.status).toBe(200);
    const second = (await withoutCoupon.json()).url;
    expect(second).not.toBe(first);
    expect((await stripe.checkout.sessions.retrieve(sessionIdOf(first))).status).toBe('expired');
    const plain = await stripe.checkout.sessions.retrieve(sessionIdOf(second));
    expect(plain.discounts ?? []).toEqual([]);
    expect(plain.status).toBe('open');
  });

  it('keeps one payable checkout per app: another plan in another tab closes the first', async () => {
    const { createStripeClient } = await import('@omg/billing');
    const stripe = createStripeClient('sk_test_checkout_route', emulator.url);
    const { cookie, userId } = await signedIn();
    const urls: string[] = [];
    for (const plan of ['starter', 'growth', 'pro', 'growth']) {
      const response = await create({ productId: 'app_securevault', plan }, cookie);
      expect(response.status).toBe(200);
      urls.push((await response.json()).url);
    }
    expect(new Set(urls).size).toBe(4);
    const statuses = await Promise.all(
      urls.map(async (url) => (await stripe.checkout.sessions.retrieve(sessionIdOf(url))).status),
    );
    expect(statuses).toEqual(['expired', 'expired', 'expired', 'open']);
    const open = await admin.db
      .select()
      .from(schema.checkoutSession)
      .where(eq(schema.checkoutSession.userId, userId));
    expect(open.filter((row) => row.status === 'open').map((row) => row.plan)).toEqual(['growth']);
    // Paying the closed Starter checkout is no longer possible: Stripe refuses to complete an expired session.
    expect(() => emulator.completeCheckout(sessionIdOf(urls[0] ?? ''))).toThrow(/no longer active/);
  });

  it('refuses a product that has not launched (no launch URL) with 409, whatever the plan, and opens no checkout', async () => {
    const { cookie, userId } = await signedIn();
    for (const plan of ['starter', 'pro', 'platinum']) {
      const response = await create({ productId: 'app_crm', plan, trial: true }, cookie);
      expect(response.status).toBe(409);
      const { error } = await response.json();
      expect(error.message).toBe(
        'OMG-CRM is coming soon: it launches later, and it cannot be bought until then.',
      );
      expect(error.details).toMatchObject({ comingSoon: true });
    }
    const rows = await admin.db
      .select()
      .from(schema.checkoutSession)
      .where(eq(schema.checkoutSession.userId, userId));
    expect(rows).toHaveLength(0);
  });

  it('refuses an invalid coupon with 400 "Invalid coupon code" and opens no checkout', async () => {
    const { cookie, userId } = await signedIn();
    const expired = await newCoupon({ expiresAt: new Date(Date.now() - 60_000) });
    const otherApp = await newCoupon({ appId: 'app_crm' });
    for (const couponCode of ['NOT-A-REAL-CODE', expired, otherApp]) {
      const response = await create({ productId: 'app_securevault', plan: 'growth', couponCode }, cookie);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toBe('Invalid coupon code');
    }
    const rows = await admin.db
      .select()
      .from(schema.checkoutSession)
      .where(eq(schema.checkoutSession.userId, userId));
    expect(rows).toHaveLength(0);
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
