import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, findSubscription, type TDatabaseHandle } from '@omg/db';
import { testDatabaseUrls } from '@omg/db/testing';
import { PAYMENTS_UNAVAILABLE_MESSAGE } from '@omg/platform';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { type StripeEmulator, type StripeEmulatorOptions, startStripeEmulator } from '@omg/stripe-emulator';
import type pg from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { growthSubscriber, postJson, signUpHubUser } from '@/testing/billing-test-env';
import { getVaultStatus } from '../../../../../svd/src/lib/entitlements/get-vault-status';

/**
 * The Stripe outage drills (issue 12 §1 and §5), on real PostgreSQL through the Hub's own pool (production
 * settings), with the real SDK talking HTTP to the emulator: Stripe answers every call only after 10 s while
 * checkouts, plan changes and webhook deliveries wait on it, and the portal, the account page and SVD's vault keep
 * answering at once from pools that never run short; the Stripe paths answer a clear 503 (the webhook a 500, so
 * Stripe retries) within the budget. Then Stripe stopped: checkout, plan change, cancel and the billing portal
 * say payments are unavailable. Then Stripe's API failing while it still sends events, and then stopped while it
 * owes them: the deliveries fail, are retried once it is back, and converge.
 */

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const KEY = 'sk_test_stripe_outage_drill';
const WEBHOOK_SECRET = 'whsec_stripe_outage_drill';
const LATENCY_MS = 10_000;

type TRoute = Parameters<typeof postJson>[0];

let dataDir: string;
let emulator: StripeEmulator;
let emulatorOptions: StripeEmulatorOptions;
let webhookServer: TServedOverHttp;
let stripe: Stripe;
let svd: TDatabaseHandle;
let hubPool: pg.Pool;
let routes: { checkout: TRoute; changePlan: TRoute; cancel: TRoute; portal: TRoute; webhook: TRoute };
/** What one user waits at most for a Stripe path to give up: every attempt's timeout, plus the SDK's back-off. */
let budgetMs: number;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'stripe-outage-'));
  // The Hub's webhook route on a real socket, where the emulator delivers every event (and retries failures).
  webhookServer = await serveOverHttp(
    async (request) => routes.webhook(request, { params: Promise.resolve({}) }),
    { hops: 0, origin: HUB },
  );
  emulatorOptions = {
    persistPath: path.join(dataDir, 'stripe.json'),
    webhooks: [{ url: `${webhookServer.url}/api/webhooks/stripe`, secret: WEBHOOK_SECRET }],
    // Quick retries for the drill; a delivery may wait on a slow Stripe for a whole budget.
    webhookRetry: { baseDelayMs: 250, maxDelayMs: 1_000, maxAttempts: 30, timeoutMs: 30_000 },
  };
  emulator = await startStripeEmulator(emulatorOptions);
  process.env.STRIPE_SECRET_KEY = KEY;
  process.env.STRIPE_API_BASE = emulator.url;
  process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
  const { createStripeClient, syncStripeCatalog } = await import('@omg/billing');
  stripe = createStripeClient(KEY, emulator.url);
  await syncStripeCatalog(stripe);
  routes = {
    checkout: (await import('@/app/api/checkout/create-session/route')).POST,
    changePlan: (await import('@/app/api/billing/change-plan/route')).POST,
    cancel: (await import('@/app/api/billing/cancel/route')).POST,
    portal: (await import('@/app/api/billing/portal/route')).POST,
    webhook: (await import('@/app/api/webhooks/stripe/route')).POST,
  };
  const { env } = await import('@/lib/env');
  const { STRIPE_TIMEOUT_MS, STRIPE_MAX_NETWORK_RETRIES } = env();
  // Plus the SDK's back-off (at most 0.5 s before the one retry) and the work around the calls on a busy machine.
  budgetMs = STRIPE_TIMEOUT_MS * (STRIPE_MAX_NETWORK_RETRIES + 1) + 3_000;
  hubPool = (await import('@/lib/db')).database().pool;
  // SVD's pool exactly as SVD makes it (apps/svd/src/lib/db.ts).
  svd = createDatabase(testDatabaseUrls().SVD_DATABASE_URL, { applicationName: 'omg-svd' });
}, 60_000);

afterAll(async () => {
  await emulator.close();
  await webhookServer.close();
  await svd.pool.end();
  await rm(dataDir, { recursive: true, force: true });
});

const db = async () => (await import('@/lib/db')).db();

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function errorOf(response: Response) {
  const body = (await response.json()) as { error?: { code: string; message: string } };
  return { status: response.status, ...body.error };
}

/** A user with a Stripe customer and an open Starter checkout: their next checkout starts by asking Stripe. */
async function userWithOpenCheckout(): Promise<{ cookie: string; userId: string }> {
  const user = await signUpHubUser('outage-checkout');
  const body = { productId: 'app_securevault', plan: 'starter' };
  const response = await postJson(routes.checkout, '/api/checkout/create-session', body, user.cookie);
  expect(response.status).toBe(200);
  return user;
}

function signedEvent(stripeSubscriptionId: string, n: number): Request {
  const payload = JSON.stringify({
    id: `evt_outage_${n}_${Date.now()}`,
    object: 'event',
    type: 'customer.subscription.updated',
    data: { object: { id: stripeSubscriptionId, object: 'subscription' } },
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: '2026-10-28.endive',
  });
  return new Request(`${HUB}/api/webhooks/stripe`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
    },
    body: payload,
  });
}

/**
 * How long it took (from at least 500 ms on) until `pool` had no connection checked out and no request waiting
 * for one, for 200 ms in a row; null when that did not happen within `withinMs`.
 */
async function quietPool(pool: pg.Pool, withinMs: number): Promise<number | null> {
  const started = performance.now();
  // Not before the requests have had time to reach their database work.
  await new Promise((resolve) => setTimeout(resolve, 500));
  let quietSince: number | null = null;
  while (performance.now() - started < withinMs) {
    const now = performance.now();
    if (pool.totalCount - pool.idleCount === 0 && pool.waitingCount === 0) {
      quietSince ??= now;
      if (now - quietSince >= 200) return Math.round(quietSince - started);
    } else quietSince = null;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return null;
}

/** The pools' own counters, sampled every few milliseconds while `work` runs. */
async function sampled<T>(pools: Record<string, pg.Pool>, work: () => Promise<T>) {
  const samples: Array<{ pool: string; total: number; idle: number; waiting: number }> = [];
  const take = () => {
    for (const [pool, p] of Object.entries(pools)) {
      samples.push({ pool, total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount });
    }
  };
  const timer = setInterval(take, 5);
  try {
    take();
    const value = await work();
    take();
    return { value, samples };
  } finally {
    clearInterval(timer);
  }
}

describe('Stripe outage drills', () => {
  it('a 10 s Stripe: pages keep answering from a pool that never runs short; payments answer 503 within the budget', async () => {
    const { subscriptionOf, pages } = await pageCalls();
    const checkoutUsers = await Promise.all(Array.from({ length: 8 }, () => userWithOpenCheckout()));
    const changers: Array<{ cookie: string; userId: string }> = [];
    for (let i = 0; i < 4; i += 1)
      changers.push(await growthSubscriber({ db: await db(), emulator, stripe }, 'outage-change'));
    const subscriptionIds = await Promise.all(changers.map((c) => subscriptionOf(c.userId)));
    await emulator.flushWebhooks();

    emulator.setFaults({ latencyMs: LATENCY_MS });
    // 22 requests waiting on Stripe at once, more than the pool's 10 connections.
    const stripePaths = [
      ...checkoutUsers.map((user) => ({
        name: 'checkout',
        run: () =>
          postJson(
            routes.checkout,
            '/api/checkout/create-session',
            { productId: 'app_securevault', plan: 'growth' },
            user.cookie,
          ),
      })),
      ...changers.map((user) => ({
        name: 'change-plan',
        run: () =>
          postJson(
            routes.changePlan,
            '/api/billing/change-plan',
            { productId: 'app_securevault', plan: 'pro' },
            user.cookie,
          ),
      })),
      ...Array.from({ length: 10 }, (_, n) => ({
        name: 'webhook',
        run: () =>
          routes.webhook(signedEvent(subscriptionIds[n % subscriptionIds.length] ?? '', n), {
            params: Promise.resolve({}),
          }),
      })),
    ].map((call) => ({ name: call.name, result: timed(call.run) }));

    // Every Stripe path soon has done its database work and waits on Stripe: from then on the Hub's pool has no
    // connection checked out at all, though 22 requests are in progress.
    const quiet = await quietPool(hubPool, 4_000);
    expect(quiet, 'the pool went quiet while the Stripe paths wait').not.toBeNull();
    // 50 page requests arrive over 5 s, before any Stripe path has given up (about 10.5 s).
    // The billing page shows what the database knows at once and says payments are unavailable, within 3 s.
    const billingCharges = timed(() => billingPageCharges());
    const { value: pageResults, samples } = await sampled({ hub: hubPool, svd: svd.pool }, () =>
      Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          await new Promise((resolve) => setTimeout(resolve, i * 100));
          const page = pages[i % pages.length];
          if (!page) throw new Error('no page');
          return { name: page.name, ...(await timed(page.run)) };
        }),
      ),
    );
    const stillWaiting = await Promise.race([
      Promise.all(stripePaths.map((p) => p.result)).then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 0)),
    ]);

    const billing = await billingCharges;
    expect(billing.value).toMatchObject({ paymentsUnavailable: true });
    expect(billing.value.charges.size).toBe(0);
    expect(billing.ms).toBeLessThan(4_000);

    const stripeResults = await Promise.all(
      stripePaths.map(async (p) => {
        const { value, ms } = await p.result;
        return { name: p.name, ms, ...(await errorOf(value)) };
      }),
    );
    emulator.setFaults({ latencyMs: 0 });

    const hubSamples = samples.filter((s) => s.pool === 'hub');
    const svdSamples = samples.filter((s) => s.pool === 'svd');
    const figures = {
      poolQuietAfterMs: quiet,
      pageRequests: pageResults.length,
      pageSlowestMs: Math.round(Math.max(...pageResults.map((r) => r.ms))),
      pageMedianMs: Math.round(pageResults.map((r) => r.ms).sort((a, b) => a - b)[25] ?? 0),
      hubPoolMax: hubPool.options.max,
      hubMaxTotal: Math.max(...hubSamples.map((s) => s.total)),
      hubMaxInUse: Math.max(...hubSamples.map((s) => s.total - s.idle)),
      hubMaxWaiting: Math.max(...hubSamples.map((s) => s.waiting)),
      svdMaxWaiting: Math.max(...svdSamples.map((s) => s.waiting)),
      samples: samples.length,
      stripePaths: stripeResults.length,
      stripeSlowestMs: Math.round(Math.max(...stripeResults.map((r) => r.ms))),
      stripeFastestMs: Math.round(Math.min(...stripeResults.map((r) => r.ms))),
      budgetMs,
    };
    console.info('[stripe-outage drill] slow Stripe', JSON.stringify(figures));

    // The Stripe paths were still waiting on Stripe while every page answered.
    expect(stillWaiting).toBe(true);
    for (const result of pageResults) expect(result.value, result.name).toBe(true);
    expect(figures.pageSlowestMs).toBeLessThan(2_000);
    // The pools never ran short: no request ever queued for a connection, and the Hub's never filled up.
    expect(figures.hubMaxWaiting).toBe(0);
    expect(figures.svdMaxWaiting).toBe(0);
    expect(figures.hubMaxInUse).toBeLessThan(hubPool.options.max ?? 10);

    for (const result of stripeResults) {
      expect(result.ms, result.name).toBeLessThan(budgetMs);
      if (result.name === 'webhook') {
        // Not a 2xx, so Stripe delivers the event again later.
        expect(result).toMatchObject({ status: 500, code: 'INTERNAL' });
      } else {
        expect(result).toMatchObject({
          status: 503,
          code: 'UNAVAILABLE',
          message: PAYMENTS_UNAVAILABLE_MESSAGE,
        });
      }
    }
    // Nothing was charged or changed: the plan changers are still on Growth, in the Hub and in Stripe.
    for (const [i, changer] of changers.entries()) {
      const row = await findSubscription(await db(), { userId: changer.userId, appId: 'app_securevault' });
      expect(row?.plan).toBe('growth');
      const sub = await stripe.subscriptions.retrieve(subscriptionIds[i] ?? '');
      expect(sub.items.data[0]?.price.lookup_key).toBe('securevault_growth_monthly');
    }
    await emulator.flushWebhooks();
  }, 120_000);

  it('Stripe stopped: checkout, plan change, cancel and the billing portal say payments are unavailable', async () => {
    const buyer = await userWithOpenCheckout();
    const subscriber = await growthSubscriber({ db: await db(), emulator, stripe }, 'outage-stopped');
    await emulator.flushWebhooks();
    const port = emulator.port;
    await emulator.close();
    try {
      const calls: Array<[string, TRoute, string, unknown, string]> = [
        [
          'checkout',
          routes.checkout,
          '/api/checkout/create-session',
          { productId: 'app_securevault', plan: 'growth' },
          buyer.cookie,
        ],
        [
          'change-plan',
          routes.changePlan,
          '/api/billing/change-plan',
          { productId: 'app_securevault', plan: 'pro' },
          subscriber.cookie,
        ],
        ['cancel', routes.cancel, '/api/billing/cancel', { appId: 'app_securevault' }, subscriber.cookie],
        ['portal', routes.portal, '/api/billing/portal', {}, subscriber.cookie],
      ];
      for (const [name, route, routePath, body, cookie] of calls) {
        const { value, ms } = await timed(() => postJson(route, routePath, body, cookie));
        expect(await errorOf(value), name).toMatchObject({
          status: 503,
          code: 'UNAVAILABLE',
          message: PAYMENTS_UNAVAILABLE_MESSAGE,
        });
        expect(ms, name).toBeLessThan(budgetMs);
      }
    } finally {
      emulator = await startStripeEmulator({ ...emulatorOptions, port });
    }
    // Stripe is back: the same subscriber still has Growth, and cancelling works again.
    const row = await findSubscription(await db(), { userId: subscriber.userId, appId: 'app_securevault' });
    expect(row).toMatchObject({ plan: 'growth', status: 'active' });
    const cancel = await postJson(
      routes.cancel,
      '/api/billing/cancel',
      { appId: 'app_securevault' },
      subscriber.cookie,
    );
    expect(cancel.status).toBe(200);
  }, 90_000);

  it('Stripe failing, then stopped, while it owes events: deliveries fail with 5xx, are retried after it returns, and converge', async () => {
    const user = await signUpHubUser('outage-webhook');
    const response = await postJson(
      routes.checkout,
      '/api/checkout/create-session',
      { productId: 'app_securevault', plan: 'growth' },
      user.cookie,
    );
    const sessionId = new URL((await response.json()).url).pathname.split('/').pop() ?? '';
    await emulator.flushWebhooks();
    const before = emulator.deliveries().length;

    emulator.setFaults({ unavailable: true });
    // Paid on Stripe's page: Stripe sends the events, but the Hub cannot read the subscription back yet.
    emulator.completeCheckout(sessionId);
    await expect
      .poll(
        () =>
          emulator
            .deliveries()
            .slice(before)
            .filter((d) => d.status === 500).length,
        {
          timeout: 15_000,
        },
      )
      .toBeGreaterThanOrEqual(2);
    expect(
      await findSubscription(await db(), { userId: user.userId, appId: 'app_securevault' }),
    ).toBeUndefined();
    const failed = emulator.deliveries().slice(before);

    // Then Stripe goes away altogether, owing those events, and comes back on the same state.
    const port = emulator.port;
    await emulator.close();
    emulator = await startStripeEmulator({ ...emulatorOptions, port });
    await emulator.flushWebhooks();
    const resumed = emulator.deliveries();
    console.info(
      '[stripe-outage drill] webhooks',
      JSON.stringify({
        failedBeforeStop: failed.filter((d) => !d.ok).length,
        eventsOwed: new Set(failed.map((d) => d.eventId)).size,
        deliveriesAfterRestart: resumed.length,
        acceptedAfterRestart: resumed.filter((d) => d.ok).length,
      }),
    );
    // Every event that failed was delivered again after the restart and accepted, and the user has what they paid.
    for (const eventId of new Set(failed.filter((d) => !d.ok).map((d) => d.eventId))) {
      const last = resumed.filter((d) => d.eventId === eventId).at(-1);
      expect(last, eventId).toMatchObject({ ok: true });
      expect(last?.attempt).toBeGreaterThan(1);
    }
    expect(
      await findSubscription(await db(), { userId: user.userId, appId: 'app_securevault' }),
    ).toMatchObject({
      plan: 'growth',
      status: 'active',
    });
  }, 90_000);
});

/** What the billing page asks Stripe for (the reader's charges), set by pageCalls. */
let billingPageCharges: () => Promise<
  Awaited<ReturnType<typeof import('@/lib/billing/list-subscription-charges').listSubscriptionCharges>>
>;

/** The work behind the portal, the account page and SVD's vault, each as the page does it for a signed-in user. */
async function pageCalls() {
  const { auth } = await import('@/lib/auth/auth');
  const { getPortalApps } = await import('@/lib/portal/get-portal-apps');
  const { chooseCrossSell } = await import('@/lib/portal/choose-cross-sell');
  const { listAccountSessions } = await import('@/lib/account/list-account-sessions');
  const hub = await db();
  const reader = await growthSubscriber({ db: hub, emulator, stripe }, 'outage-reader');
  const headers = new Headers({ cookie: reader.cookie });
  const session = async () => {
    const found = await auth().api.getSession({ headers });
    if (!found) throw new Error('the reader is not signed in');
    return found;
  };
  const { listSubscriptionCharges } = await import('@/lib/billing/list-subscription-charges');
  const { stripe: hubStripe } = await import('@/lib/stripe/client');
  billingPageCharges = () => listSubscriptionCharges(hub, hubStripe(), { userId: reader.userId });
  const subscriptionOf = async (userId: string) =>
    (await findSubscription(hub, { userId, appId: 'app_securevault' }))?.stripeSubscriptionId ?? '';
  const pages = [
    {
      name: 'portal',
      run: async () => {
        const { user } = await session();
        const [apps] = await Promise.all([
          getPortalApps(hub, { userId: user.id }),
          chooseCrossSell(hub, { userId: user.id }),
        ]);
        return apps.some((app) => app.appId === 'app_securevault');
      },
    },
    {
      name: 'account',
      run: async () => {
        const { user, session: current } = await session();
        return (await listAccountSessions(hub, user.id, current.id)).length > 0;
      },
    },
    {
      name: 'svd vault',
      // SVD reads the Hub's subscription row through its own pool; it never calls Stripe.
      run: async () => (await getVaultStatus(svd.db, reader.userId)).entitlement.plan === 'growth',
    },
  ];
  return { subscriptionOf, pages };
}
