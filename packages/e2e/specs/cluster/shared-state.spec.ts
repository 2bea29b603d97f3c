import { randomInt, randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { newAccount } from '../../fixtures/accounts';
import { instance } from '../../fixtures/cluster';
import { adminDatabase } from '../../fixtures/database';
import { svdUrl } from '../../fixtures/launch';
import { expect, test } from '../../fixtures/test';

/**
 * What several instances must share, asked of single instances past the balancer (as the balancer would send
 * them, with the client's address in X-Forwarded-For): the apps run with TRUSTED_PROXY_HOPS=1.
 */
const hubUrl = process.env.E2E_HUB_URL ?? '';
const hub1 = () => instance('hub-1').url;
const hub2 = () => instance('hub-2').url;
const svd1 = () => instance('svd-1').url;
const svd2 = () => instance('svd-2').url;

/** A client address of its own per use, so the limits one test reaches never meet another's requests. */
const newAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

async function signUpOn(base: string, address: string) {
  const account = newAccount('cluster-http');
  const response = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: hubUrl, 'x-forwarded-for': address },
    body: JSON.stringify({ name: account.name, email: account.email, password: account.password }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { user: { id: string } };
  return { cookie: cookiesOf(response), userId: body.user.id };
}

test('a hand-off minted by Hub instance 1 is spent on SVD instance 2, whose session instance 1 honours; a replay on SVD instance 1 is refused', async () => {
  const address = newAddress();
  const hub = await signUpOn(hub1(), address);

  // The browser binding comes from SVD instance 1, the token from Hub instance 1.
  const start = await fetch(`${svd1()}/login/start`, {
    redirect: 'manual',
    headers: { 'x-forwarded-for': address },
  });
  expect(start.status).toBe(303);
  const stateCookie = cookiesOf(start);
  const launchUrl = new URL(start.headers.get('location') ?? '');
  expect(launchUrl.origin).toBe(hubUrl);
  const launch = await fetch(`${hub1()}${launchUrl.pathname}${launchUrl.search}`, {
    redirect: 'manual',
    headers: { cookie: hub.cookie, 'x-forwarded-for': address },
  });
  expect(launch.status).toBe(200);
  const page = await launch.text();
  expect(page).toContain(`action="${svdUrl}/login"`);
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1] ?? '';
  expect(token).not.toBe('');

  const post = (base: string) =>
    fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: hubUrl,
        cookie: stateCookie,
        'x-forwarded-for': address,
      },
      body: new URLSearchParams({ token }).toString(),
    });

  // SVD instance 2 spends it and opens a session…
  const spent = await post(svd2());
  expect(spent.status).toBe(303);
  expect(spent.headers.get('location')).toBe(`${svdUrl}/vault`);
  const svdSession = cookiesOf(spent);
  expect(svdSession).toMatch(/=/);
  // …which SVD instance 1 knows (sessions live in PostgreSQL).
  const vault = await fetch(`${svd1()}/api/usage`, {
    headers: { cookie: svdSession, 'x-forwarded-for': address },
  });
  expect(vault.status).toBe(200);

  // The same post again, now to SVD instance 1: the token's id is spent in PostgreSQL, not in instance 2's memory.
  const replay = await post(svd1());
  expect(replay.status).toBe(401);
  expect(await replay.text()).toContain('Sign-in link already used');
  expect(replay.headers.getSetCookie()).toEqual([]);
});

test('a sign-in limit reached across both Hub instances holds on each of them', async () => {
  const address = newAddress();
  const email = `nobody-${randomUUID().slice(0, 8)}@example.test`;
  const signIn = (base: string) =>
    fetch(`${base}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: hubUrl, 'x-forwarded-for': address },
      body: JSON.stringify({ email, password: 'wrong-password-2026' }),
    });
  // Five attempts a minute per address, spread over both instances: each answers for itself, all are counted once.
  for (const base of [hub1(), hub2(), hub1(), hub2(), hub1()]) {
    expect((await signIn(base)).status).toBe(401);
  }
  for (const base of [hub2(), hub1()]) {
    const refused = await signIn(base);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  }
  // Another address is not affected, on either instance.
  const other = newAddress();
  const fresh = await fetch(`${hub2()}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: hubUrl, 'x-forwarded-for': other },
    body: JSON.stringify({ email, password: 'wrong-password-2026' }),
  });
  expect(fresh.status).toBe(401);
});

test('the same Stripe event delivered to both Hub instances at the same moment is applied once', async () => {
  const secret = process.env.STRIPE_WEBHOOK_SECRET ?? '';
  const apiBase = new URL(process.env.STRIPE_API_BASE ?? '');
  const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '', {
    host: apiBase.hostname,
    port: Number(apiBase.port),
    protocol: 'http',
    telemetry: false,
  });
  const { userId } = await signUpOn(hub2(), newAddress());

  // A real subscription in the emulator; its own events reach the Hub through the balancer.
  const [price] = (await stripe.prices.list({ lookup_keys: ['securevault_growth_monthly'], limit: 1 })).data;
  const customer = await stripe.customers.create({
    email: `cluster-${randomUUID().slice(0, 8)}@example.test`,
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: price?.id ?? '' }],
    metadata: { userId, appId: 'app_securevault', plan: 'growth' },
  });

  const { pool } = adminDatabase();
  try {
    await expect
      .poll(async () => {
        const rows = await pool.query(`SELECT 1 FROM hub."Subscription" WHERE "stripeSubscriptionId" = $1`, [
          subscription.id,
        ]);
        return rows.rowCount;
      })
      .toBe(1);

    // Several rounds, each a new event sent to both instances at once, as Stripe's at-least-once delivery can.
    for (let round = 0; round < 3; round += 1) {
      const event = {
        id: `evt_cluster_${randomUUID().replaceAll('-', '')}`,
        object: 'event',
        api_version: '2026-10-28.endive',
        created: Math.floor(Date.now() / 1000),
        data: { object: await stripe.subscriptions.retrieve(subscription.id) },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: 'customer.subscription.updated',
      };
      const payload = JSON.stringify(event);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
      const answers = await Promise.all(
        [hub1(), hub2()].map(async (base) => {
          const response = await fetch(`${base}/api/webhooks/stripe`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'stripe-signature': signature },
            body: payload,
          });
          return { status: response.status, body: (await response.json()) as Record<string, unknown> };
        }),
      );
      // Exactly one delivery ran the handler; the other was told it is done (200 duplicate) or still running (409).
      const handled = answers.filter((a) => a.status === 200 && a.body.outcome !== undefined);
      expect(handled, JSON.stringify(answers)).toHaveLength(1);
      const other = answers.find((a) => a !== handled[0]);
      expect(
        other?.status === 409 || (other?.status === 200 && other.body.duplicate === true),
        JSON.stringify(answers),
      ).toBe(true);
      const recorded = await pool.query(
        `SELECT attempts, "processedAt" FROM hub."BillingEvent" WHERE id = $1`,
        [event.id],
      );
      expect(recorded.rows).toHaveLength(1);
      expect(recorded.rows[0].attempts).toBe(1);
      expect(recorded.rows[0].processedAt).not.toBeNull();
    }
    const rows = await pool.query(`SELECT plan, status FROM hub."Subscription" WHERE "userId" = $1`, [
      userId,
    ]);
    expect(rows.rows).toEqual([{ plan: 'growth', status: 'active' }]);
  } finally {
    await pool.end();
  }
});
