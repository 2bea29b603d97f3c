import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createStripeClient, resolveDuplicateSubscription, syncStripeCatalog } from '@omg/billing';
import { schema, type TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { and, eq, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBillingEvent } from '@/lib/stripe/webhook/claim-billing-event';

const SECRET = 'whsec_hub_webhook_test_current';
const RETIRED_SECRET = 'whsec_hub_webhook_test_retired';
const DAY = 86_400;

type TRoute = typeof import('./route');
let POST: TRoute['POST'];
let emulator: StripeEmulator;
let stripe: Stripe;
let hub: TDatabaseHandle;
let receiver: Server;
let webhookUrl: string;
let stateDir: string;
const prices: Record<string, string> = {};
const responses: Array<{ eventId: string; status: number; body: Record<string, unknown> }> = [];

/** Stands in for Next.js: turns the emulator's delivery into a WHATWG Request for the route. */
function startReceiver(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const headers = new Headers();
      for (const name of ['content-type', 'stripe-signature', 'user-agent']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers.set(name, value);
      }
      const response = await POST(
        new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: raw }),
        { params: Promise.resolve({}) },
      );
      const text = await response.text();
      const eventId = (JSON.parse(raw.toString('utf8')) as { id?: string }).id ?? '';
      responses.push({ eventId, status: response.status, body: JSON.parse(text) });
      res.writeHead(response.status, { 'content-type': 'application/json' });
      res.end(text);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function startEmulator(port = 0) {
  return startStripeEmulator({
    port,
    persistPath: path.join(stateDir, 'stripe.json'),
    webhooks: [{ url: webhookUrl, secret: SECRET }],
    webhookRetry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 },
  });
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'hub-webhook-'));
  receiver = await startReceiver();
  webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/stripe`;
  emulator = await startEmulator();
  // env() caches on first read: the Stripe settings must be in place before the route is imported.
  process.env.STRIPE_SECRET_KEY = 'sk_test_hub_webhook';
  process.env.STRIPE_API_BASE = emulator.url;
  process.env.STRIPE_WEBHOOK_SECRET = `${RETIRED_SECRET}, ${SECRET}`;
  ({ POST } = await import('./route'));
  stripe = createStripeClient('sk_test_hub_webhook', emulator.url);
  hub = connectAs('hub');
  await syncStripeCatalog(stripe);
  for (const key of ['securevault_growth_monthly', 'securevault_pro_monthly']) {
    const [price] = (await stripe.prices.list({ lookup_keys: [key] })).data;
    if (!price) throw new Error(`catalog price ${key} missing`);
    prices[key] = price.id;
  }
  await emulator.flushWebhooks();
});

afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
  await rm(stateDir, { recursive: true, force: true });
});

const newUser = () => seedUser(hub.db, { email: uniqueEmail('hook'), password: 'webhook-pass-1', name: 'W' });

async function customerWithCard(card = 'pm_card_visa'): Promise<string> {
  const customer = await stripe.customers.create({
    email: uniqueEmail('cus'),
    payment_method: card,
    invoice_settings: { default_payment_method: card },
  });
  return customer.id;
}

function subscribe(
  customer: string,
  metadata: Record<string, string>,
  options: { trialDays?: number; lookupKey?: string } = {},
) {
  return stripe.subscriptions.create({
    customer,
    items: [{ price: prices[options.lookupKey ?? 'securevault_growth_monthly'] ?? '' }],
    ...(options.trialDays ? { trial_period_days: options.trialDays } : {}),
    metadata,
  });
}

async function rowsFor(userId: string) {
  return hub.db
    .select()
    .from(schema.subscription)
    .where(and(eq(schema.subscription.userId, userId), eq(schema.subscription.appId, 'app_securevault')));
}

/** Every recorded event about one subscription: its own events and its invoices'. */
async function eventsAbout(stripeSubscriptionId: string) {
  return hub.db
    .select()
    .from(schema.billingEvent)
    .where(
      sql`${schema.billingEvent.payload}->'data'->'object'->>'id' = ${stripeSubscriptionId}
        OR ${schema.billingEvent.payload}->'data'->'object'->'parent'->'subscription_details'->>'subscription' = ${stripeSubscriptionId}`,
    );
}

async function billingEvent(id: string) {
  const [row] = await hub.db.select().from(schema.billingEvent).where(eq(schema.billingEvent.id, id));
  return row;
}

function signedPost(payload: string, secret = SECRET) {
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return POST(
    new Request(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    }),
    { params: Promise.resolve({}) },
  );
}

describe('POST /api/webhooks/stripe — deliveries from the Stripe emulator', () => {
  it('provisions a completed checkout: subscription row, one customer, the Hub checkout row closed', async () => {
    const userId = await newUser();
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: prices.securevault_growth_monthly, quantity: 1 }],
      client_reference_id: userId,
      customer_email: uniqueEmail('buyer'),
      metadata: { userId, appId: 'app_securevault', plan: 'growth' },
      subscription_data: { metadata: { userId, appId: 'app_securevault', plan: 'growth' } },
      success_url: 'http://localhost:3100/checkout/success?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://localhost:3100/checkout/cancel',
    });
    await hub.db.insert(schema.checkoutSession).values({
      userId,
      appId: 'app_securevault',
      plan: 'growth',
      stripeSessionId: session.id,
      url: session.url,
    });
    emulator.completeCheckout(session.id, { card: '4242424242424242' });
    await emulator.flushWebhooks();

    const completed = await stripe.checkout.sessions.retrieve(session.id);
    const stripeSubscriptionId = completed.subscription as string;
    const subscription = await stripe.subscriptions.retrieve(stripeSubscriptionId);
    const [row] = await rowsFor(userId);
    expect(row).toMatchObject({
      plan: 'growth',
      status: 'active',
      stripeSubscriptionId,
      stripeCustomerId: completed.customer,
      stripePriceId: prices.securevault_growth_monthly,
      trialEndsAt: null,
    });
    expect(row?.currentPeriodEnd?.getTime()).toBe(
      (subscription.items.data[0]?.current_period_end ?? 0) * 1000,
    );
    const customers = await hub.db.select().from(schema.customer).where(eq(schema.customer.userId, userId));
    expect(customers.map((c) => c.stripeCustomerId)).toEqual([completed.customer]);
    const [checkout] = await hub.db
      .select()
      .from(schema.checkoutSession)
      .where(eq(schema.checkoutSession.stripeSessionId, session.id));
    expect(checkout?.status).toBe('complete');

    const [completedEvent] = await hub.db
      .select()
      .from(schema.billingEvent)
      .where(
        and(
          eq(schema.billingEvent.type, 'checkout.session.completed'),
          sql`${schema.billingEvent.payload}->'data'->'object'->>'id' = ${session.id}`,
        ),
      );
    expect(completedEvent).toMatchObject({ attempts: 1, error: null });
    expect(completedEvent?.processedAt).toBeInstanceOf(Date);
    expect(['provisioned', 'unchanged']).toContain(completedEvent?.outcome);
  });

  it('follows a trial, a change to pro and a cancellation', async () => {
    const userId = await newUser();
    const sub = await subscribe(
      await customerWithCard(),
      { userId, appId: 'app_securevault' },
      { trialDays: 7 },
    );
    await emulator.flushWebhooks();
    let [row] = await rowsFor(userId);
    expect(row).toMatchObject({ status: 'active', plan: 'growth', stripeSubscriptionId: sub.id });
    expect(row?.trialEndsAt?.getTime()).toBe((sub.trial_end ?? 0) * 1000);

    await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id, price: prices.securevault_pro_monthly }],
    });
    await emulator.flushWebhooks();
    [row] = await rowsFor(userId);
    expect(row).toMatchObject({ plan: 'pro', stripePriceId: prices.securevault_pro_monthly });

    await stripe.subscriptions.cancel(sub.id);
    await emulator.flushWebhooks();
    expect((await rowsFor(userId)).map((r) => r.status)).toEqual(['canceled']);
  });

  it('changes nothing on duplicate deliveries: one row, each event recorded and processed once', async () => {
    emulator.setDeliveryMode({ duplicates: true });
    try {
      const userId = await newUser();
      const sub = await subscribe(await customerWithCard(), { userId, appId: 'app_securevault' });
      await stripe.subscriptions.update(sub.id, {
        items: [{ id: sub.items.data[0]?.id, price: prices.securevault_pro_monthly }],
      });
      await emulator.flushWebhooks();

      expect(await rowsFor(userId)).toHaveLength(1);
      expect((await rowsFor(userId))[0]).toMatchObject({ plan: 'pro', status: 'active' });
      const events = await eventsAbout(sub.id);
      expect(events.length).toBeGreaterThanOrEqual(3);
      for (const event of events) {
        expect(event.processedAt).toBeInstanceOf(Date);
        expect(event.attempts).toBe(1);
        const answers = responses.filter((r) => r.eventId === event.id);
        expect(answers.map((a) => a.status)).toEqual([200, 200]);
        expect(answers[1]?.body).toEqual({ received: true, duplicate: true });
      }
      const ids = events.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      emulator.setDeliveryMode({ duplicates: false });
    }
  });

  it('converges on Stripe’s state in any delivery order: a late "updated" never resurrects a cancellation', async () => {
    emulator.setDeliveryMode({ shuffle: true, duplicates: true, seed: 7 });
    const userId = await newUser();
    let sub: Stripe.Subscription;
    try {
      sub = await subscribe(await customerWithCard(), { userId, appId: 'app_securevault' });
      await stripe.subscriptions.update(sub.id, {
        items: [{ id: sub.items.data[0]?.id, price: prices.securevault_pro_monthly }],
      });
      await stripe.subscriptions.cancel(sub.id);
      await emulator.flushWebhooks();
    } finally {
      emulator.setDeliveryMode({ shuffle: false, duplicates: false });
    }
    expect((await rowsFor(userId)).map((r) => [r.status, r.plan])).toEqual([['canceled', 'pro']]);

    // An "updated" from before the cancellation, arriving for the first time only now: a new id (the original
    // was delivered above, and this process remembers it finished, as every instance's database does).
    const [late] = (await eventsAbout(sub.id)).filter((e) => e.type === 'customer.subscription.updated');
    if (!late) throw new Error('no updated event recorded');
    const lateId = `evt_late_${randomUUID().replaceAll('-', '')}`;
    const response = await signedPost(JSON.stringify({ ...(late.payload as object), id: lateId }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'unchanged' });
    expect((await rowsFor(userId)).map((r) => r.status)).toEqual(['canceled']);
  });

  it('records a subscription it cannot attribute as skipped, with the reason, and answers 200', async () => {
    const sub = await subscribe(await customerWithCard(), {});
    await emulator.flushWebhooks();
    const events = await eventsAbout(sub.id);
    const created = events.find((e) => e.type === 'customer.subscription.created');
    expect(created).toMatchObject({ outcome: 'skipped', error: null, attempts: 1 });
    expect(created?.processedAt).toBeInstanceOf(Date);
    expect(created?.outcomeReason).toMatch(/No user/);
    expect(responses.find((r) => r.eventId === created?.id)?.status).toBe(200);
    expect(
      await hub.db
        .select()
        .from(schema.subscription)
        .where(eq(schema.subscription.stripeSubscriptionId, sub.id)),
    ).toHaveLength(0);
  });

  it('moves a subscription to past_due when the renewal after the trial fails (card 0341)', async () => {
    const userId = await newUser();
    const sub = await subscribe(
      await customerWithCard('pm_card_chargeCustomerFail'),
      { userId, appId: 'app_securevault' },
      { trialDays: 7 },
    );
    await emulator.flushWebhooks();
    expect((await rowsFor(userId))[0]?.status).toBe('active');

    emulator.advanceClock(8 * DAY);
    await emulator.flushWebhooks();
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');
    const [row] = await rowsFor(userId);
    expect(row).toMatchObject({ status: 'past_due', plan: 'growth', trialEndsAt: null });
    const failed = (await eventsAbout(sub.id)).filter((e) => e.type === 'invoice.payment_failed');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((e) => e.processedAt !== null && e.error === null)).toBe(true);
  });
});

describe('POST /api/webhooks/stripe — a second subscription for the same user and app', () => {
  async function openCheckout(userId: string, customer: string) {
    const metadata = { userId, appId: 'app_securevault', plan: 'growth' };
    return stripe.checkout.sessions.create({
      mode: 'subscription',
      customer,
      line_items: [{ price: prices.securevault_growth_monthly, quantity: 1 }],
      client_reference_id: userId,
      metadata,
      subscription_data: { metadata },
      success_url: 'http://localhost:3100/checkout/success?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://localhost:3100/checkout/cancel',
    });
  }

  // A card payment names its payment intent (no `charge`, as on Stripe); the intent's latest charge is refunded.
  async function chargeOf(invoice: Stripe.Invoice) {
    const [payment] = (await stripe.invoicePayments.list({ invoice: invoice.id })).data;
    expect(payment?.payment).toMatchObject({ type: 'payment_intent' });
    expect(payment?.payment.charge).toBeUndefined();
    const intent = payment?.payment.payment_intent;
    if (!intent) throw new Error(`invoice ${invoice.id} has no payment intent`);
    const { latest_charge: charge } = await stripe.paymentIntents.retrieve(
      typeof intent === 'string' ? intent : intent.id,
    );
    if (!charge) throw new Error(`invoice ${invoice.id} has no charge`);
    return stripe.charges.retrieve(typeof charge === 'string' ? charge : charge.id);
  }

  it('keeps the first, cancels the newcomer at once and refunds it; replays change nothing more', async () => {
    const userId = await newUser();
    const customer = (await stripe.customers.create({ email: uniqueEmail('dup') })).id;
    // Both checkouts are paid before the Hub hears of either: the race every earlier guard can lose.
    const first = await openCheckout(userId, customer);
    const second = await openCheckout(userId, customer);
    emulator.completeCheckout(first.id, { card: '4242424242424242' });
    emulator.completeCheckout(second.id, { card: '4242424242424242' });
    await emulator.flushWebhooks();

    const kept = (await stripe.checkout.sessions.retrieve(first.id)).subscription as string;
    const newcomer = (await stripe.checkout.sessions.retrieve(second.id)).subscription as string;
    expect(kept).not.toBe(newcomer);
    const all = (await stripe.subscriptions.list({ customer, status: 'all' })).data;
    expect(all.filter((s) => ['active', 'trialing', 'past_due'].includes(s.status)).map((s) => s.id)).toEqual(
      [kept],
    );
    expect(all.find((s) => s.id === newcomer)?.status).toBe('canceled');

    const [newcomerInvoice] = (await stripe.invoices.list({ subscription: newcomer, status: 'paid' })).data;
    if (!newcomerInvoice) throw new Error('the newcomer has no paid invoice');
    expect(newcomerInvoice.amount_paid).toBeGreaterThan(0);
    const refundedCharge = await chargeOf(newcomerInvoice);
    const refunds = (await stripe.refunds.list({ charge: refundedCharge.id })).data;
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      amount: newcomerInvoice.amount_paid,
      reason: 'duplicate',
      status: 'succeeded',
    });
    expect(refundedCharge).toMatchObject({ refunded: true, amount_refunded: newcomerInvoice.amount_paid });
    const [keptInvoice] = (await stripe.invoices.list({ subscription: kept, status: 'paid' })).data;
    if (!keptInvoice) throw new Error('the kept subscription has no paid invoice');
    expect((await chargeOf(keptInvoice)).amount_refunded).toBe(0);

    expect((await rowsFor(userId)).map((r) => [r.stripeSubscriptionId, r.status, r.plan])).toEqual([
      [kept, 'active', 'growth'],
    ]);
    const resolved = (await eventsAbout(newcomer)).filter((e) => e.outcome === 'duplicate_resolved');
    expect(resolved).toHaveLength(1);
    const price = `$${(newcomerInvoice.amount_paid / 100).toFixed(2)}`;
    expect(resolved[0]?.outcomeReason).toBe(
      `kept ${kept}; canceled ${newcomer} and refunded ${price} (${newcomerInvoice.id})`,
    );
    expect(resolved[0]).toMatchObject({ error: null, attempts: 1 });

    // Every event about the newcomer (and its checkout) delivered again, as new events: nothing more happens.
    const [secondCompleted] = await hub.db
      .select()
      .from(schema.billingEvent)
      .where(
        and(
          eq(schema.billingEvent.type, 'checkout.session.completed'),
          sql`${schema.billingEvent.payload}->'data'->'object'->>'id' = ${second.id}`,
        ),
      );
    if (!secondCompleted) throw new Error('the second checkout was not recorded');
    for (const event of [...(await eventsAbout(newcomer)), secondCompleted]) {
      const replay = JSON.stringify({ ...(event.payload as object), id: `evt_replay_${randomUUID()}` });
      const response = await signedPost(replay);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { outcome: string }).outcome).not.toMatch(/duplicate/);
    }
    await emulator.flushWebhooks();
    expect((await stripe.refunds.list({ charge: refundedCharge.id })).data).toHaveLength(1);
    expect((await stripe.subscriptions.retrieve(kept)).status).toBe('active');
    expect((await rowsFor(userId)).map((r) => [r.stripeSubscriptionId, r.status])).toEqual([
      [kept, 'active'],
    ]);

    // Resolving again by hand is a no-op that says so.
    const again = await resolveDuplicateSubscription(hub.db, stripe, {
      duplicateStripeSubscriptionId: newcomer,
      keptStripeSubscriptionId: kept,
      userId,
      appId: 'app_securevault',
    });
    expect(again).toMatchObject({
      canceled: false,
      refundedCents: 0,
      invoices: [{ invoiceId: newcomerInvoice.id, status: 'already_refunded', refundedCents: 0 }],
    });
    expect(again.summary).toBe(
      `kept ${kept}; ${newcomer} was already canceled and its charges were already refunded (${newcomerInvoice.id})`,
    );
    expect((await stripe.refunds.list({ charge: refundedCharge.id })).data).toHaveLength(1);
  });
});

describe('POST /api/webhooks/stripe — signatures and failures', () => {
  const fakeEvent = (type = 'product.updated') =>
    JSON.stringify({
      id: `evt_test_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      type,
      created: Math.floor(Date.now() / 1000),
      api_version: '2026-10-28.endive',
      livemode: false,
      data: { object: { id: 'prod_x', object: 'product' } },
      request: { id: null, idempotency_key: null },
    });

  it('answers 400 and records nothing for a bad, foreign or missing signature', async () => {
    const payload = fakeEvent();
    const id = (JSON.parse(payload) as { id: string }).id;
    const post = (headers: Record<string, string>, body = payload) =>
      POST(new Request(webhookUrl, { method: 'POST', headers, body }), { params: Promise.resolve({}) });

    const tampered = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    for (const response of [
      await post({ 'stripe-signature': tampered }, payload.replace('product.updated', 'invoice.paid')),
      await post({
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' }),
      }),
      await post({ 'stripe-signature': 't=1,v1=deadbeef' }),
      await post({}),
    ]) {
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.message).toMatch(/signature/i);
    }
    expect(await billingEvent(id)).toBeUndefined();
  });

  it('accepts the retired secret during a rotation and acknowledges event types it does not handle', async () => {
    const payload = fakeEvent();
    const response = await signedPost(payload, RETIRED_SECRET);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'ignored' });
    expect(await billingEvent((JSON.parse(payload) as { id: string }).id)).toMatchObject({
      type: 'product.updated',
      outcome: 'ignored',
      attempts: 1,
    });
  });

  it('answers 500 and records the error when Stripe is unreachable, then succeeds on the retry', async () => {
    const userId = await newUser();
    const sub = await subscribe(await customerWithCard(), { userId, appId: 'app_securevault' });
    await emulator.flushWebhooks();
    const [source] = (await eventsAbout(sub.id)).filter((e) => e.type === 'customer.subscription.created');
    if (!source) throw new Error('no created event recorded');
    const payload = JSON.stringify({ ...(source.payload as object), id: `evt_retry_${randomUUID()}` });
    const eventId = (JSON.parse(payload) as { id: string }).id;
    await hub.db
      .update(schema.subscription)
      .set({ plan: 'starter' })
      .where(eq(schema.subscription.stripeSubscriptionId, sub.id));

    const port = emulator.port;
    await emulator.close();
    const failed = await signedPost(payload);
    expect(failed.status).toBe(500);
    const failedBody = (await failed.json()) as { error: { code: string; message: string } };
    expect(failedBody.error.code).toBe('INTERNAL');
    expect(failedBody.error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    const afterFailure = await billingEvent(eventId);
    expect(afterFailure).toMatchObject({ attempts: 1, processedAt: null });
    expect(afterFailure?.error).toMatch(/\w/);
    expect((await rowsFor(userId))[0]?.plan).toBe('starter');

    emulator = await startEmulator(port);
    const retried = await signedPost(payload);
    expect(retried.status).toBe(200);
    expect(await billingEvent(eventId)).toMatchObject({ attempts: 2, error: null, outcome: 'provisioned' });
    expect((await rowsFor(userId))[0]?.plan).toBe('growth');
  }, 60_000);

  async function freshCopyOfCreatedEvent() {
    const userId = await newUser();
    const sub = await subscribe(await customerWithCard(), { userId, appId: 'app_securevault' });
    await emulator.flushWebhooks();
    const [source] = (await eventsAbout(sub.id)).filter((e) => e.type === 'customer.subscription.created');
    if (!source) throw new Error('no created event recorded');
    const id = `evt_race_${randomUUID().replaceAll('-', '')}`;
    return { id, payload: JSON.stringify({ ...(source.payload as object), id }) };
  }

  it('processes two (or five) first deliveries of one new event arriving together exactly once', async () => {
    const { id, payload } = await freshCopyOfCreatedEvent();
    const responses = await Promise.all(Array.from({ length: 5 }, () => signedPost(payload)));
    const bodies = await Promise.all(
      responses.map(async (r) => ({ status: r.status, body: await r.json() })),
    );
    const processed = bodies.filter((b) => b.status === 200 && 'outcome' in b.body);
    expect(processed).toHaveLength(1);
    for (const other of bodies.filter((b) => !processed.includes(b))) {
      // Either the first had finished (a duplicate) or it was still at work: 409, and Stripe retries.
      if (other.status === 200) expect(other.body).toEqual({ received: true, duplicate: true });
      else expect(other).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    }
    expect(await billingEvent(id)).toMatchObject({ attempts: 1, claimedUntil: null });
    expect(processed[0]?.body.outcome).toMatch(/provisioned|unchanged/);
    const retry = await signedPost(payload);
    expect(await retry.json()).toEqual({ received: true, duplicate: true });
  });

  it('leaves an event claimed by a delivery still at work for the retry, and frees one whose claim lapsed', async () => {
    const { id, payload } = await freshCopyOfCreatedEvent();
    // Another delivery (another instance's) recorded the event and claimed it, and is still at work.
    const claim = await claimBillingEvent(hub.db, { event: JSON.parse(payload), rawBody: payload });
    expect(claim.state).toBe('claimed');
    await hub.db
      .update(schema.billingEvent)
      .set({ claimedUntil: new Date(Date.now() + 60_000) })
      .where(eq(schema.billingEvent.id, id));
    const busy = await signedPost(payload);
    expect(busy.status).toBe(409);
    expect(await billingEvent(id)).toMatchObject({ attempts: 0, processedAt: null });
    // The process holding it died: once the claim lapses, the next delivery processes the event.
    await hub.db
      .update(schema.billingEvent)
      .set({ claimedUntil: new Date(Date.now() - 1_000) })
      .where(eq(schema.billingEvent.id, id));
    const retried = await signedPost(payload);
    expect(retried.status).toBe(200);
    expect(await billingEvent(id)).toMatchObject({ attempts: 1, claimedUntil: null });
  });

  it('refuses a body over 1 MB with 413 without reading it, declared or streamed, and records nothing', async () => {
    const payload = fakeEvent().replace('"prod_x"', `"prod_${'x'.repeat(1024 * 1024)}"`);
    const id = (JSON.parse(payload) as { id: string }).id;
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const declared = await POST(
      new Request(webhookUrl, {
        method: 'POST',
        headers: { 'stripe-signature': signature, 'content-length': String(Buffer.byteLength(payload)) },
        body: payload,
      }),
      { params: Promise.resolve({}) },
    );
    expect(declared.status).toBe(413);
    const bytes = new TextEncoder().encode(payload);
    const streamed = await POST(
      new Request(webhookUrl, {
        method: 'POST',
        headers: { 'stripe-signature': signature },
        body: new ReadableStream({
          start(controller) {
            for (let at = 0; at < bytes.length; at += 64 * 1024)
              controller.enqueue(bytes.slice(at, at + 64 * 1024));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit),
      { params: Promise.resolve({}) },
    );
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await billingEvent(id)).toBeUndefined();
  });
});
