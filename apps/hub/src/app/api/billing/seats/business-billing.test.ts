import { randomUUID } from 'node:crypto';
import { createStripeClient, syncStripeCatalog } from '@omg/billing';
import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { and, eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  organizationClient,
  serveOrganizationRoutes,
  signUp,
  type TPerson,
} from '@/testing/organizations-over-http';

/**
 * Business subscriptions and seats over HTTP (issue 15): the Hub's routes on a real server, the Stripe emulator
 * delivering signed webhooks to the Hub's webhook route, the organization routes to set up who is who.
 */

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const SECRET = 'whsec_business_billing_test';
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
};

let emulator: StripeEmulator;
let stripe: Stripe;
let orgServer: TServedOverHttp;
let billingServer: TServedOverHttp;
let org: ReturnType<typeof organizationClient>;
let billing: ReturnType<typeof organizationClient>;
let owner: TPerson;
let admin: TPerson;
let member: TPerson;
let acme: { id: string; slug: string; name: string };

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

/** A member who never signs in, written straight to the database: it only takes a seat. */
async function seedMember(organizationId: string) {
  const userId = randomUUID();
  await hub.db.insert(schema.user).values({ id: userId, email: uniqueEmail('seat'), name: 'Seat' });
  await hub.db.insert(schema.membership).values({ id: randomUUID(), organizationId, userId, role: 'member' });
}

const orgRows = (organizationId: string) =>
  hub.db
    .select()
    .from(schema.subscription)
    .where(
      and(
        eq(schema.subscription.organizationId, organizationId),
        eq(schema.subscription.appId, 'app_securevault'),
      ),
    );

/** Pays a checkout on the emulator's hosted page and waits until its webhooks reached the Hub. */
async function pay(url: string) {
  const sessionId = new URL(url).pathname.split('/').pop() ?? '';
  emulator.completeCheckout(sessionId, { card: '4242424242424242' });
  await emulator.flushWebhooks();
  return stripe.checkout.sessions.retrieve(sessionId);
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
  process.env.STRIPE_SECRET_KEY = 'sk_test_business_billing';
  process.env.STRIPE_API_BASE = emulator.url;
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  stripe = createStripeClient('sk_test_business_billing', emulator.url);
  await syncStripeCatalog(stripe);
  orgServer = await serveOrganizationRoutes(HUB);
  org = organizationClient(orgServer, HUB);
  billing = organizationClient(billingServer, HUB);
  [owner, admin, member] = await Promise.all([
    signUp('biz-owner'),
    signUp('biz-admin'),
    signUp('biz-member'),
  ]);
  const created = await org('POST', '/api/organizations', owner, {
    name: 'Acme',
    billingEmail: `billing-${owner.email}`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  acme = created.body.organization as typeof acme;
  await join(acme.slug, owner, admin, 'admin');
  await join(acme.slug, owner, member, 'member');
  for (const person of [owner, admin, member]) await switchTo(person, acme.id);
}, 60_000);

afterAll(async () => {
  await emulator.close();
  await Promise.all([orgServer.close(), billingServer.close()]);
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

describe('an organization buys a business plan (issue 15)', () => {
  it('checkout → hosted page → webhook → the organization’s row; members cannot buy; a second checkout is refused', async () => {
    const personalPlan = await billing('POST', '/api/checkout/create-session', owner, {
      productId: 'app_securevault',
      plan: 'growth',
    });
    expect(personalPlan.status).toBe(400);
    expect(personalPlan.body.error).toMatchObject({ message: expect.stringContaining('business plan') });

    const byMember = await billing('POST', '/api/checkout/create-session', member, {
      productId: 'app_securevault',
      plan: 'business_starter',
    });
    expect(byMember.status).toBe(403);
    expect(byMember.body.error).toMatchObject({ message: expect.stringContaining('owners and admins') });

    const started = await billing('POST', '/api/checkout/create-session', owner, {
      productId: 'app_securevault',
      plan: 'business_starter',
      trial: true,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const session = await pay(started.body.url as string);
    expect(session.metadata).toMatchObject({ organizationId: acme.id, purchasedBy: owner.userId });
    const customer = await stripe.customers.retrieve(session.customer as string);
    expect(customer).toMatchObject({ email: `billing-${owner.email}`, name: 'Acme' });
    // The webhook records the organization's customer as the organization's, never as the buyer's.
    const [completed] = await hub.db
      .select()
      .from(schema.billingEvent)
      .where(sql`${schema.billingEvent.payload} #>> '{data,object,id}' = ${session.id}`);
    expect(completed).toMatchObject({ type: 'checkout.session.completed', processedAt: expect.any(Date) });
    expect(completed?.outcomeReason ?? '').not.toMatch(/customer|another account/);
    const [organizationCustomer] = await hub.db
      .select()
      .from(schema.customer)
      .where(eq(schema.customer.stripeCustomerId, session.customer as string));
    expect(organizationCustomer).toMatchObject({ organizationId: acme.id, userId: null });

    const [row] = await orgRows(acme.id);
    expect(row).toMatchObject({
      userId: null,
      organizationId: acme.id,
      plan: 'business_starter',
      status: 'active',
      stripeSubscriptionId: session.subscription,
      extraSeats: 0,
    });
    // A trial, once per organization and app.
    expect(row?.trialEndsAt).not.toBeNull();
    // The buyer bought nothing for themselves.
    const personal = await hub.db
      .select()
      .from(schema.subscription)
      .where(eq(schema.subscription.userId, owner.userId));
    expect(personal).toEqual([]);
    // End the trial now so seat changes bill (and can be checked) from here on.
    await stripe.subscriptions.update(session.subscription as string, { trial_end: 'now' });
    await emulator.flushWebhooks();

    const second = await billing('POST', '/api/checkout/create-session', admin, {
      productId: 'app_securevault',
      plan: 'business_growth',
    });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ message: expect.stringContaining('Acme already subscribes') });
  });

  it('a second Stripe subscription of the same organization and app that slips past every guard is canceled and refunded', async () => {
    const [kept] = await orgRows(acme.id);
    const [growth] = (await stripe.prices.list({ lookup_keys: ['securevault_business_growth_monthly'] }))
      .data;
    const duplicate = await stripe.subscriptions.create({
      customer: kept?.stripeCustomerId ?? '',
      items: [{ price: growth?.id ?? '' }],
      default_payment_method: 'pm_card_visa',
      metadata: { organizationId: acme.id, purchasedBy: admin.userId, appId: 'app_securevault' },
    });
    await emulator.flushWebhooks();
    expect((await stripe.subscriptions.retrieve(duplicate.id)).status).toBe('canceled');
    const [charged] = (await stripe.invoices.list({ subscription: duplicate.id })).data;
    const charges = (await stripe.charges.list({ customer: kept?.stripeCustomerId ?? '', limit: 100 })).data;
    const refunded = charges.filter((c) => c.amount_refunded > 0);
    expect(charged?.amount_paid).toBe(5999);
    expect(refunded.map((c) => c.amount_refunded)).toEqual([5999]);
    expect(await orgRows(acme.id)).toEqual([
      expect.objectContaining({ stripeSubscriptionId: kept?.stripeSubscriptionId, plan: 'business_starter' }),
    ]);
  });
});

describe('seats (issue 15)', () => {
  it('every member reads the seats; owners and admins add one with a prorated preview that the charge matches', async () => {
    const read = await billing('GET', '/api/billing/seats', member);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      plan: { id: 'business_starter' },
      included: 5,
      extra: 0,
      total: 5,
      members: 3,
      used: 3,
      available: 2,
      seatPriceCents: 600,
    });
    expect((await billing('POST', '/api/billing/seats/preview', member, { extraSeats: 1 })).status).toBe(403);
    expect((await billing('POST', '/api/billing/seats', member, { extraSeats: 1 })).status).toBe(403);
    expect((await billing('POST', '/api/billing/seats', owner, { extraSeats: -1 })).status).toBe(400);

    const preview = await billing('POST', '/api/billing/seats/preview', admin, { extraSeats: 1 });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ fromExtra: 0, toExtra: 1, total: 6, seatPriceCents: 600 });
    // Prorated: the trial ended just now, so nearly a whole period of one seat.
    const amount = preview.body.amountCents as number;
    expect(amount).toBeGreaterThan(550);
    expect(amount).toBeLessThanOrEqual(600);

    const added = await billing('POST', '/api/billing/seats', admin, { extraSeats: 1 });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body).toMatchObject({ changed: true, amountCents: amount, seats: { extra: 1, total: 6 } });
    const [row] = await orgRows(acme.id);
    expect(row?.extraSeats).toBe(1);
    const stripeSub = await stripe.subscriptions.retrieve(row?.stripeSubscriptionId ?? '');
    expect(stripeSub.items.data.map((i) => [i.price.lookup_key, i.quantity])).toEqual([
      ['securevault_business_starter_monthly', 1],
      ['securevault_business_starter_seat_monthly', 1],
    ]);
  });

  it('two admins adding the last seat at once add it once, and it is charged once', async () => {
    const [row] = await orgRows(acme.id);
    const subscriptionId = row?.stripeSubscriptionId ?? '';
    const invoicesBefore = (await stripe.invoices.list({ subscription: subscriptionId, limit: 100 })).data
      .length;
    const [a, b] = await Promise.all([
      billing('POST', '/api/billing/seats', owner, { extraSeats: 2 }),
      billing('POST', '/api/billing/seats', admin, { extraSeats: 2 }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.changed, b.body.changed].sort()).toEqual([false, true]);
    const invoices = (await stripe.invoices.list({ subscription: subscriptionId, limit: 100 })).data;
    expect(invoices.length).toBe(invoicesBefore + 1);
    expect((await stripe.subscriptions.retrieve(subscriptionId)).items.data[1]?.quantity).toBe(2);
    expect((await orgRows(acme.id))[0]?.extraSeats).toBe(2);
  });

  it('removing seats is refused while members would exceed them; after members leave it credits the difference', async () => {
    // 3 members + 4 more = 7 of 7 seats (5 included + 2 extra).
    for (let i = 0; i < 4; i += 1) await seedMember(acme.id);
    const refused = await billing('POST', '/api/billing/seats', owner, { extraSeats: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      message: expect.stringContaining('Remove members first'),
      details: { code: 'SEATS_IN_USE', used: 7, wouldBe: 6 },
    });
    const previewRefused = await billing('POST', '/api/billing/seats/preview', owner, { extraSeats: 0 });
    expect(previewRefused.status).toBe(409);
    expect((await orgRows(acme.id))[0]?.extraSeats).toBe(2);

    await hub.db
      .delete(schema.membership)
      .where(and(eq(schema.membership.organizationId, acme.id), eq(schema.membership.role, 'member')));
    const lowered = await billing('POST', '/api/billing/seats', owner, { extraSeats: 0 });
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);
    expect(lowered.body).toMatchObject({ changed: true, seats: { extra: 0, total: 5, members: 2 } });
    expect(lowered.body.amountCents as number).toBeLessThan(0);
  });
  it('inviting a sixth member asks for a seat; once one is added (prorated) the invitation goes out', async () => {
    // Owner and admin remain; three more members fill Business Starter's five seats.
    for (let i = 0; i < 3; i += 1) await seedMember(acme.id);
    const invite = () =>
      org('POST', `/api/organizations/${acme.slug}/invitations`, admin, {
        email: uniqueEmail('sixth'),
        role: 'member',
      });
    const refused = await invite();
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      message: expect.stringContaining('All 5 seats of Business Starter are in use'),
      details: { code: 'SEAT_REQUIRED', addSeatUrl: '/billing' },
    });
    const preview = await billing('POST', '/api/billing/seats/preview', admin, { extraSeats: 1 });
    const added = await billing('POST', '/api/billing/seats', admin, { extraSeats: 1 });
    expect(added.body).toMatchObject({ changed: true, amountCents: preview.body.amountCents });
    expect((await invite()).status).toBe(201);
    // The member removed above now acts for themselves: no seats to read.
    expect((await billing('GET', '/api/billing/seats', member)).status).toBe(404);
    expect((await billing('GET', '/api/billing/seats', admin)).body).toMatchObject({
      total: 6,
      used: 6,
      available: 0,
      pendingInvitations: 1,
    });
  });
});

describe('an organization changes and cancels its plan as a person does (issue 15)', () => {
  it('owners and admins upgrade (the extra seats move to the new plan’s seat price) and cancel; members cannot; no second trial', async () => {
    const upgrade = { productId: 'app_securevault', plan: 'business_growth' };
    expect((await billing('POST', '/api/billing/change-plan', member, upgrade)).status).toBe(404);
    // Seats are full: the seeded members leave before the former member comes back as a viewer.
    await hub.db
      .delete(schema.membership)
      .where(and(eq(schema.membership.organizationId, acme.id), eq(schema.membership.role, 'member')));
    await join(acme.slug, owner, member, 'viewer');
    await switchTo(member, acme.id);
    expect((await billing('POST', '/api/billing/change-plan', member, upgrade)).status).toBe(403);
    const personalPlan = await billing('POST', '/api/billing/change-plan', admin, {
      productId: 'app_securevault',
      plan: 'pro',
    });
    expect(personalPlan.status).toBe(400);

    const changed = await billing('POST', '/api/billing/change-plan', admin, upgrade);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const [row] = await orgRows(acme.id);
    expect(row).toMatchObject({ plan: 'business_growth', status: 'active', extraSeats: 1 });
    const stripeSub = await stripe.subscriptions.retrieve(row?.stripeSubscriptionId ?? '');
    expect(stripeSub.items.data.map((i) => [i.price.lookup_key, i.quantity])).toEqual([
      ['securevault_business_growth_monthly', 1],
      ['securevault_business_growth_seat_monthly', 1],
    ]);
    expect((await billing('GET', '/api/billing/seats', member)).body).toMatchObject({
      included: 15,
      extra: 1,
    });

    // A downgrade is booked for the period's end (both items on Starter's prices in Stripe); "Keep current
    // plan" puts both back on Growth's — the seat item too — and nothing is booked any more.
    const downgrade = { productId: 'app_securevault', plan: 'business_starter' };
    const booked = await billing('POST', '/api/billing/change-plan', admin, downgrade);
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    const lookupKeys = async () =>
      (await stripe.subscriptions.retrieve(row?.stripeSubscriptionId ?? '')).items.data.map((i) => [
        i.price.lookup_key,
        i.quantity,
      ]);
    expect(await lookupKeys()).toEqual([
      ['securevault_business_starter_monthly', 1],
      ['securevault_business_starter_seat_monthly', 1],
    ]);
    expect((await orgRows(acme.id))[0]).toMatchObject({ scheduledPlan: 'business_starter' });
    const kept = await billing('POST', '/api/billing/keep-plan', admin, { productId: 'app_securevault' });
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    expect(await lookupKeys()).toEqual([
      ['securevault_business_growth_monthly', 1],
      ['securevault_business_growth_seat_monthly', 1],
    ]);
    expect((await orgRows(acme.id))[0]).toMatchObject({
      plan: 'business_growth',
      scheduledPlan: null,
      extraSeats: 1,
    });

    expect((await billing('POST', '/api/billing/cancel', member, { appId: 'app_securevault' })).status).toBe(
      403,
    );
    const canceled = await billing('POST', '/api/billing/cancel', owner, { appId: 'app_securevault' });
    expect(canceled.status, JSON.stringify(canceled.body)).toBe(200);
    expect((await orgRows(acme.id))[0]).toMatchObject({ status: 'canceled' });
    expect((await stripe.subscriptions.retrieve(row?.stripeSubscriptionId ?? '')).status).toBe('canceled');

    // Trials are once per organization and app: coming back buys without one.
    const { getCheckoutOffer } = await import('@/lib/checkout/checkout-offer');
    const { db } = await import('@/lib/db');
    const offer = await getCheckoutOffer(db(), {
      userId: owner.userId,
      productSlug: 'securevault',
      planId: 'business_starter',
      owner: { organizationId: acme.id },
    });
    expect(offer).toMatchObject({ existing: null, trialEligible: false });
    // The owner, buying for themselves, still has theirs.
    const personal = await getCheckoutOffer(db(), {
      userId: owner.userId,
      productSlug: 'securevault',
      planId: 'growth',
    });
    expect(personal.trialEligible).toBe(true);
  });
});

describe('a business account with more members than a plan includes (issue 15)', () => {
  it('buys the seats it needs with the plan, and cannot move to a plan that would not seat everyone', async () => {
    const boss = await signUp('globex-owner');
    const created = await org('POST', '/api/organizations', boss, {
      name: 'Globex',
      billingEmail: `billing-${boss.email}`,
    });
    const globex = created.body.organization as typeof acme;
    await switchTo(boss, globex.id);
    // Seven people before any plan: nothing limited them.
    for (let i = 0; i < 6; i += 1) await seedMember(globex.id);

    const started = await billing('POST', '/api/checkout/create-session', boss, {
      productId: 'app_securevault',
      plan: 'business_starter',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const session = await pay(started.body.url as string);
    expect(session.amount_total).toBe(2999 + 2 * 600);
    const [row] = await orgRows(globex.id);
    expect(row).toMatchObject({ plan: 'business_starter', status: 'active', extraSeats: 2 });
    expect((await billing('GET', '/api/billing/seats', boss)).body).toMatchObject({
      total: 7,
      used: 7,
      available: 0,
    });

    // Business Growth seats 15 + 2: fine. Back to Starter (5 + 2) with one more member: refused.
    const up = await billing('POST', '/api/billing/change-plan', boss, {
      productId: 'app_securevault',
      plan: 'business_growth',
    });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    await seedMember(globex.id);
    const down = await billing('POST', '/api/billing/change-plan', boss, {
      productId: 'app_securevault',
      plan: 'business_starter',
      when: 'now',
    });
    expect(down.status).toBe(409);
    expect(down.body.error).toMatchObject({
      message: expect.stringContaining('Remove members first'),
      details: { code: 'SEATS_IN_USE', used: 8, wouldBe: 7 },
    });
    expect((await orgRows(globex.id))[0]).toMatchObject({ plan: 'business_growth', extraSeats: 2 });
  });
});
