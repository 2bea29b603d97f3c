import { randomUUID } from 'node:crypto';
import { createStripeClient, syncStripeCatalog } from '@omg/billing';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  organizationClient,
  serveOrganizationRoutes,
  signUp,
  type TPerson,
} from '@/testing/organizations-over-http';

/**
 * Every Hub billing route × every kind of person (issue 15's authorization table): Acme's owner, admin, member
 * and viewer, a member Acme removed, the owner of another organization (its account active) and a personal
 * user. Billing routes act for the caller's active account: owners and admins of Acme reach Acme's billing,
 * members and viewers are told who may (403), and nobody else can reach Acme's subscription at all — the table
 * ends by checking that Acme's row and its Stripe subscription are exactly as before.
 */

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const SECRET = 'whsec_billing_roles_test';
const hub = connectAs('hub');

type TRoute = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;
const BILLING_ROUTES: Record<string, () => Promise<Record<string, unknown>>> = {
  '/api/checkout/create-session': () => import('@/app/api/checkout/create-session/route'),
  '/api/billing/seats': () => import('@/app/api/billing/seats/route'),
  '/api/billing/seats/preview': () => import('@/app/api/billing/seats/preview/route'),
  '/api/webhooks/stripe': () => import('@/app/api/webhooks/stripe/route'),
  '/api/billing/change-plan': () => import('@/app/api/billing/change-plan/route'),
  '/api/billing/cancel': () => import('@/app/api/billing/cancel/route'),
  '/api/billing/keep-plan': () => import('@/app/api/billing/keep-plan/route'),
  '/api/billing/resume': () => import('@/app/api/billing/resume/route'),
  '/api/billing/portal': () => import('@/app/api/billing/portal/route'),
};

const PERSONAS = ['owner', 'admin', 'member', 'viewer', 'former member', 'other org', 'personal'] as const;
type TPersona = (typeof PERSONAS)[number];

let emulator: StripeEmulator;
let stripe: Stripe;
let orgServer: TServedOverHttp;
let billingServer: TServedOverHttp;
let org: ReturnType<typeof organizationClient>;
let billing: ReturnType<typeof organizationClient>;
const people = {} as Record<TPersona, TPerson>;
let acme: { id: string; slug: string; name: string };
let globex: { id: string; slug: string; name: string };

/** A row's extra check of a successful answer, for whom it was. */
type TCheck = (persona: TPersona, body: Record<string, unknown>) => Promise<void>;

async function acmeCustomer(): Promise<string | undefined> {
  const [row] = await hub.db
    .select({ id: schema.customer.stripeCustomerId })
    .from(schema.customer)
    .where(eq(schema.customer.organizationId, acme.id));
  return row?.id;
}

async function join(slug: string, inviter: TPerson, person: TPerson, role: string) {
  const invited = await org('POST', `/api/organizations/${slug}/invitations`, inviter, {
    email: person.email,
    role,
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const { id } = invited.body.invitation as { id: string };
  expect((await org('POST', `/api/invitations/${id}/accept`, person)).status).toBe(200);
}

async function switchTo(person: TPerson, organizationId: string | null) {
  const switched = await org('POST', '/api/active-organization', person, { organizationId });
  expect(switched.status, JSON.stringify(switched.body)).toBe(200);
}

async function createOrganization(owner: TPerson, name: string) {
  const created = await org('POST', '/api/organizations', owner, {
    name,
    billingEmail: `billing-${owner.email}`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.organization as typeof acme;
}

/** Acme's subscription as the Hub and Stripe hold it: what no refused or foreign request may change. */
async function acmeBilling() {
  const [row] = await hub.db
    .select()
    .from(schema.subscription)
    .where(
      and(eq(schema.subscription.organizationId, acme.id), eq(schema.subscription.appId, 'app_securevault')),
    );
  const remote = await stripe.subscriptions.retrieve(row?.stripeSubscriptionId ?? '');
  return {
    row: { ...row, updatedAt: undefined },
    stripe: {
      status: remote.status,
      cancelAtPeriodEnd: remote.cancel_at_period_end,
      items: remote.items.data.map((item) => [item.price.id, item.quantity]),
      metadata: remote.metadata,
    },
  };
}

beforeAll(async () => {
  billingServer = await serveOverHttp(
    async (request) => {
      const load = BILLING_ROUTES[new URL(request.url).pathname];
      if (!load) return new Response('no such route in this test', { status: 404 });
      const handler = (await load())[request.method] as TRoute | undefined;
      if (!handler) return new Response('method not allowed', { status: 405 });
      return handler(request, { params: Promise.resolve({}) });
    },
    { hops: 0, origin: HUB },
  );
  emulator = await startStripeEmulator({
    webhooks: [{ url: `${billingServer.url}/api/webhooks/stripe`, secret: SECRET }],
    webhookRetry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 },
  });
  // env() is read once: the Stripe settings must be in place before the first route is imported.
  process.env.STRIPE_SECRET_KEY = 'sk_test_billing_roles';
  process.env.STRIPE_API_BASE = emulator.url;
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  stripe = createStripeClient('sk_test_billing_roles', emulator.url);
  await syncStripeCatalog(stripe);
  orgServer = await serveOrganizationRoutes(HUB);
  org = organizationClient(orgServer, HUB);
  billing = organizationClient(billingServer, HUB);
  const signedUp = await Promise.all(PERSONAS.map((persona) => signUp(`roles-${persona.replace(' ', '-')}`)));
  for (const [index, persona] of PERSONAS.entries()) people[persona] = signedUp[index] as TPerson;
  acme = await createOrganization(people.owner, 'Acme');
  await join(acme.slug, people.owner, people.admin, 'admin');
  await join(acme.slug, people.owner, people.member, 'member');
  await join(acme.slug, people.owner, people.viewer, 'viewer');
  await join(acme.slug, people.owner, people['former member'], 'member');
  for (const persona of ['owner', 'admin', 'member', 'viewer', 'former member'] as const) {
    await switchTo(people[persona], acme.id);
  }
  // Acme buys Business Starter on the hosted checkout (paid, no trial).
  const started = await billing('POST', '/api/checkout/create-session', people.owner, {
    productId: 'app_securevault',
    plan: 'business_starter',
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const sessionId = new URL(started.body.url as string).pathname.split('/').pop() ?? '';
  emulator.completeCheckout(sessionId, { card: '4242424242424242' });
  await emulator.flushWebhooks();
  // The former member had Acme active when they were removed.
  const [former] = await hub.db
    .select({ id: schema.membership.id })
    .from(schema.membership)
    .where(
      and(
        eq(schema.membership.organizationId, acme.id),
        eq(schema.membership.userId, people['former member'].userId),
      ),
    );
  expect(
    (await org('DELETE', `/api/organizations/${acme.slug}/members/${former?.id}`, people.owner)).status,
  ).toBe(204);
  globex = await createOrganization(people['other org'], 'Globex');
  await switchTo(people['other org'], globex.id);
}, 90_000);

afterAll(async () => {
  await emulator.close();
  await Promise.all([orgServer.close(), billingServer.close()]);
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

describe('every Hub billing route × every kind of person (issue 15)', () => {
  // Statuses in PERSONAS order: owner, admin, member, viewer, former member, other org, personal; null = the
  // owner's and admin's own success is walked in business-billing.test (it changes the subscription).
  const table: [string, string, unknown, (number | null)[], TCheck?][] = [
    ['GET', '/api/billing/seats', undefined, [200, 200, 200, 200, 404, 200, 404]],
    ['POST', '/api/billing/seats/preview', { extraSeats: 1 }, [200, 200, 403, 403, 404, 404, 404]],
    ['POST', '/api/billing/seats', { extraSeats: 1 }, [null, null, 403, 403, 404, 404, 404]],
    // Before any checkout of theirs: the others have no Stripe customer of their own yet, and never get Acme's.
    ['POST', '/api/billing/portal', {}, [200, 200, 403, 403, 404, 404, 404]],
    [
      'POST',
      '/api/checkout/create-session',
      { productId: 'app_securevault', plan: 'business_growth' },
      // Owners and admins: Acme already subscribes. The others buy for their own account (a person may buy a
      // business plan for themselves; Globex for Globex) — never for Acme.
      [409, 409, 403, 403, 200, 200, 200],
      async (persona, body) => {
        const sessionId = new URL(String(body.url)).pathname.split('/').pop() ?? '';
        const session = await stripe.checkout.sessions.retrieve(sessionId);
        expect(session.metadata?.organizationId, persona).toBe(
          persona === 'other org' ? globex.id : undefined,
        );
        expect(session.customer, persona).not.toBe(await acmeCustomer());
      },
    ],
    [
      'POST',
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'business_growth' },
      [null, null, 403, 403, 404, 404, 404],
    ],
    ['POST', '/api/billing/cancel', { appId: 'app_securevault' }, [null, null, 403, 403, 404, 404, 404]],
    ['POST', '/api/billing/keep-plan', { productId: 'app_securevault' }, [409, 409, 403, 403, 404, 404, 404]],
    ['POST', '/api/billing/resume', { appId: 'app_securevault' }, [409, 409, 403, 403, 404, 404, 404]],
  ];

  it.each(table)('%s %s', async (method, path, body, statuses, check) => {
    const before = await acmeBilling();
    for (const [index, persona] of PERSONAS.entries()) {
      const expected = statuses[index];
      if (expected === null) continue;
      const response = await billing(method, path, people[persona], body);
      expect(response.status, `${persona}: ${JSON.stringify(response.body)}`).toBe(expected);
      const text = JSON.stringify(response.body);
      if (index >= PERSONAS.indexOf('former member')) {
        expect(text).not.toContain('Acme');
        expect(text).not.toContain(acme.id);
      }
      if (expected === 403) expect(text).toContain('owners and admins');
      if (check && expected === 200) await check(persona, response.body);
    }
    // Nothing above changed Acme's subscription, in the Hub or in Stripe.
    await emulator.flushWebhooks();
    expect(await acmeBilling()).toEqual(before);
  });
});

describe('an organization’s checkout takes a coupon as a person’s does (issue 15)', () => {
  it('puts the promotion code on the organization’s session, and the paid plan is the organization’s', async () => {
    const code = `ORG${randomUUID().slice(0, 8).toUpperCase()}`;
    await hub.db.insert(schema.coupon).values({ code, type: 'PERCENTAGE', percentOff: 20 });
    const started = await billing('POST', '/api/checkout/create-session', people['other org'], {
      productId: 'app_securevault',
      plan: 'business_starter',
      couponCode: code.toLowerCase(),
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const session = await stripe.checkout.sessions.retrieve(
      new URL(String(started.body.url)).pathname.split('/').pop() ?? '',
    );
    const [coupon] = await hub.db.select().from(schema.coupon).where(eq(schema.coupon.code, code));
    expect(session.discounts).toEqual([
      { coupon: coupon?.stripeCouponId, promotion_code: coupon?.stripePromotionCodeId },
    ]);
    expect(session.metadata).toMatchObject({ organizationId: globex.id, couponCode: code });
    emulator.completeCheckout(session.id, { card: '4242424242424242' });
    await emulator.flushWebhooks();
    const [row] = await hub.db
      .select()
      .from(schema.subscription)
      .where(
        and(
          eq(schema.subscription.organizationId, globex.id),
          eq(schema.subscription.appId, 'app_securevault'),
        ),
      );
    expect(row).toMatchObject({ userId: null, plan: 'business_starter', status: 'active' });
    // The success page records the redemption, as for a person (shown twice, counted once).
    const { completeCheckout } = await import('@/lib/checkout/complete-checkout');
    for (let i = 0; i < 2; i += 1) {
      const result = await completeCheckout(hub.db, stripe, {
        userId: people['other org'].userId,
        stripeSessionId: session.id,
      });
      expect(result.state).toBe('complete');
    }
    const [redeemed] = await hub.db.select().from(schema.coupon).where(eq(schema.coupon.code, code));
    expect(redeemed?.timesRedeemed).toBe(1);
  });
});
