import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createStripeClient, syncStripeCatalog } from '@omg/billing';
import { schema, type TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import type { TMailWorker } from '@omg/mail';
import type { TCaughtMail } from '@omg/mail/catcher';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMailWorker } from '@/testing/start-test-mail-worker';

const SECRET = 'whsec_hub_billing_mail_test';
const DAY = 86_400;
const INBOX = process.env.MAIL_CATCHER_URL;
const SMTP = process.env.SMTP_URL;
if (!INBOX || !SMTP) throw new Error('run with `npm run test:unit`: it starts the local SMTP catcher');

type TRoute = typeof import('./route');
let POST: TRoute['POST'];
let emulator: StripeEmulator;
let stripe: Stripe;
let hub: TDatabaseHandle;
let receiver: Server;
let worker: TMailWorker | undefined;
let stateDir: string;
const prices: Record<string, string> = {};
/** Every event body the route accepted, to replay by hand. */
const delivered: string[] = [];

/** Stands in for Next.js: turns the emulator's delivery into a WHATWG Request for the route. */
function startReceiver(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const headers = new Headers();
      for (const name of ['content-type', 'stripe-signature']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers.set(name, value);
      }
      const response = await POST(
        new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: raw }),
        { params: Promise.resolve({}) },
      );
      if (response.ok) delivered.push(raw.toString('utf8'));
      res.writeHead(response.status, { 'content-type': 'application/json' });
      res.end(await response.text());
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'hub-billing-mail-'));
  receiver = await startReceiver();
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/stripe`;
  emulator = await startStripeEmulator({
    port: 0,
    persistPath: path.join(stateDir, 'stripe.json'),
    webhooks: [{ url: webhookUrl, secret: SECRET }],
    webhookRetry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 },
  });
  // env() caches on first read: the Stripe settings must be in place before the route is imported.
  process.env.STRIPE_SECRET_KEY = 'sk_test_hub_billing_mail';
  process.env.STRIPE_API_BASE = emulator.url;
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  ({ POST } = await import('./route'));
  stripe = createStripeClient('sk_test_hub_billing_mail', emulator.url);
  hub = connectAs('hub');
  await syncStripeCatalog(stripe);
  for (const key of [
    'securevault_growth_monthly',
    'securevault_pro_monthly',
    'securevault_business_starter_monthly',
  ]) {
    const [price] = (await stripe.prices.list({ lookup_keys: [key] })).data;
    if (!price) throw new Error(`catalog price ${key} missing`);
    prices[key] = price.id;
  }
  await emulator.flushWebhooks();
  // The real worker, once the mail earlier files left on the shared queue is sent (see startTestMailWorker).
  worker = await startTestMailWorker();
});

afterAll(async () => {
  await worker?.stop();
  await emulator.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
  await rm(stateDir, { recursive: true, force: true });
});

async function newUser() {
  const email = uniqueEmail('billmail');
  const userId = await seedUser(hub.db, { email, password: 'billing-mail-1', name: 'B' });
  return { userId, email };
}

async function customerWithCard(card = 'pm_card_visa'): Promise<string> {
  const customer = await stripe.customers.create({
    email: uniqueEmail('cus'),
    payment_method: card,
    invoice_settings: { default_payment_method: card },
  });
  return customer.id;
}

const inbox = async (to: string): Promise<TCaughtMail[]> =>
  (await fetch(`${INBOX}/api/messages?to=${encodeURIComponent(to)}`)).json();

/**
 * Waits for the mail to reach the catcher (through the outbox, the queue and the worker). A failure says what the
 * outbox holds for the address, so a mail never written can be told from one written and not yet sent. (Twice in
 * CI the first one had not come after 20 s: it was behind the 150 mails earlier files had queued with no worker
 * running, which startTestMailWorker now sends before this file's tests start.)
 */
async function mailTo(to: string, subject: RegExp, timeoutMs = 20_000): Promise<TCaughtMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = (await inbox(to)).find((m) => subject.test(m.subject));
    if (mail) return mail;
    if (Date.now() > deadline) {
      const outbox = await hub.db
        .select({ status: schema.outgoingEmail.status, subject: schema.outgoingEmail.subject })
        .from(schema.outgoingEmail)
        .where(eq(schema.outgoingEmail.to, to));
      throw new Error(
        `no mail "${subject}" to ${to}: inbox ${JSON.stringify(await inbox(to))}, outbox ${JSON.stringify(outbox)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every event about the user's subscriptions again, signed anew: Stripe redelivering each of them. */
async function replayAll() {
  const replayed = [...delivered];
  for (const body of replayed) {
    // A fresh id makes it a new event to the Hub's event log, so only the mail keys can stop a second mail.
    const payload = JSON.stringify({ ...JSON.parse(body), id: `evt_replay_${crypto.randomUUID()}` });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const response = await POST(
      new Request('http://127.0.0.1/api/webhooks/stripe', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(200);
  }
}

/**
 * Lets the worker drain whatever a replay might have queued, then reads the inbox. A reminder queued for days
 * from now (the trial's) is not waited for: it is not due in this test's lifetime.
 */
async function settledInbox(to: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pending = await hub.db
      .select({ status: schema.outgoingEmail.status, sendAfter: schema.outgoingEmail.sendAfter })
      .from(schema.outgoingEmail)
      .where(eq(schema.outgoingEmail.to, to));
    const dueLater = (m: (typeof pending)[number]) =>
      m.status === 'queued' && m.sendAfter !== null && m.sendAfter.getTime() > Date.now() + 60_000;
    if (pending.every((m) => m.status === 'sent' || dueLater(m)) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return inbox(to);
}

const subjects = (mails: TCaughtMail[]) => mails.map((m) => m.subject).sort();

describe('billing mail from Stripe webhooks', () => {
  it('payment failed (with a link to Billing), plan changed and canceled: each once, replays send nothing more', async () => {
    const { userId, email } = await newUser();
    const sub = await stripe.subscriptions.create({
      customer: await customerWithCard('pm_card_chargeCustomerFail'),
      items: [{ price: prices.securevault_growth_monthly ?? '' }],
      trial_period_days: 7,
      metadata: { userId, appId: 'app_securevault' },
    });
    await emulator.flushWebhooks();

    await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id, price: prices.securevault_pro_monthly }],
    });
    await emulator.flushWebhooks();
    const changed = await mailTo(email, /plan is now Pro/);
    expect(changed.subject).toBe('Your SecureVault Docs plan is now Pro');
    expect(changed.text).not.toMatch(/\bpro\b|growth|app_securevault/);

    emulator.advanceClock(8 * DAY);
    await emulator.flushWebhooks();
    const failed = await mailTo(email, /payment failed/);
    expect(failed.subject).toBe('Your SecureVault Docs payment failed');
    expect(failed.text).toContain('SecureVault Docs (Pro)');
    const href = [...failed.html.matchAll(/href="([^"]+)"/g)]
      .map((m) => m[1])
      .find((h) => h?.endsWith('/billing'));
    expect(href).toBe(`${new URL('/billing', process.env.HUB_URL ?? 'http://localhost:3000')}`);
    expect(failed.text).toContain(href);

    await stripe.subscriptions.cancel(sub.id);
    await emulator.flushWebhooks();
    await mailTo(email, /subscription was canceled/);

    const expected = [
      'Your SecureVault Docs payment failed',
      'Your SecureVault Docs plan is now Pro',
      'Your SecureVault Docs subscription was canceled',
    ];
    expect(subjects(await settledInbox(email))).toEqual(expected);
    await replayAll();
    expect(subjects(await settledInbox(email))).toEqual(expected);
  }, 60_000);

  it('a business subscription’s failed payment and cancellation go to the billing email and the owner, once each', async () => {
    const owner = await newUser();
    const member = await newUser();
    const billingEmail = uniqueEmail('acme-billing');
    const organizationId = crypto.randomUUID();
    await hub.db.insert(schema.organization).values({
      id: organizationId,
      name: 'Acme Mail',
      slug: `acme-mail-${organizationId.slice(0, 8)}`,
      billingEmail,
    });
    await hub.db.insert(schema.membership).values([
      { id: crypto.randomUUID(), organizationId, userId: owner.userId, role: 'owner' },
      { id: crypto.randomUUID(), organizationId, userId: member.userId, role: 'admin' },
    ]);
    const sub = await stripe.subscriptions.create({
      customer: await customerWithCard('pm_card_chargeCustomerFail'),
      items: [{ price: prices.securevault_business_starter_monthly ?? '' }],
      trial_period_days: 7,
      metadata: { organizationId, appId: 'app_securevault', purchasedBy: owner.userId },
    });
    await emulator.flushWebhooks();
    emulator.advanceClock(8 * DAY);
    await emulator.flushWebhooks();
    await stripe.subscriptions.cancel(sub.id);
    await emulator.flushWebhooks();
    // Each notice once per recipient (a trial's end may also say which plan it is on; not this test's concern).
    const once = (mails: TCaughtMail[]) => {
      const all = subjects(mails);
      expect(all.every((subject) => subject.startsWith('Acme Mail: '))).toBe(true);
      return [/payment failed/, /subscription was canceled/].map((s) => all.filter((x) => s.test(x)).length);
    };
    for (const to of [billingEmail, owner.email]) {
      const failed = await mailTo(to, /payment failed/);
      expect(failed.text).toContain('business account Acme Mail');
      await mailTo(to, /subscription was canceled/);
      expect(once(await settledInbox(to))).toEqual([1, 1]);
    }
    // An admin is not the owner: billing mail is not theirs.
    expect(await settledInbox(member.email)).toEqual([]);
    await replayAll();
    for (const to of [billingEmail, owner.email]) expect(once(await settledInbox(to))).toEqual([1, 1]);
  }, 60_000);

  it('a scheduled downgrade is announced once, with both plans by name', async () => {
    const { userId, email } = await newUser();
    const sub = await stripe.subscriptions.create({
      customer: await customerWithCard(),
      items: [{ price: prices.securevault_pro_monthly ?? '' }],
      metadata: { userId, appId: 'app_securevault' },
    });
    await emulator.flushWebhooks();
    const periodStart = sub.items.data[0]?.current_period_start ?? 0;
    const periodEnd = sub.items.data[0]?.current_period_end ?? 0;
    expect(periodEnd).toBeGreaterThan(periodStart);
    // What the Hub's own downgrade writes: the cheaper price now, the paid plan kept until the period ends.
    await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id, price: prices.securevault_growth_monthly }],
      proration_behavior: 'none',
      metadata: { keepPlan: 'pro', keepPlanUntil: String(periodEnd) },
    });
    await emulator.flushWebhooks();
    const mail = await mailTo(email, /plan changes to Growth/);
    expect(mail.text).toContain('You keep SecureVault Docs Pro until');
    await replayAll();
    expect(subjects(await settledInbox(email))).toEqual([mail.subject]);
  }, 60_000);

  it('a duplicate subscription refunded: one mail with the amount, however often its events come', async () => {
    const { userId, email } = await newUser();
    const customer = (await stripe.customers.create({ email: uniqueEmail('dup') })).id;
    const metadata = { userId, appId: 'app_securevault', plan: 'growth' };
    const openCheckout = () =>
      stripe.checkout.sessions.create({
        mode: 'subscription',
        customer,
        line_items: [{ price: prices.securevault_growth_monthly, quantity: 1 }],
        client_reference_id: userId,
        metadata,
        subscription_data: { metadata },
        success_url: 'http://localhost:3100/checkout/success?session_id={CHECKOUT_SESSION_ID}',
        cancel_url: 'http://localhost:3100/checkout/cancel',
      });
    const first = await openCheckout();
    const second = await openCheckout();
    emulator.setDeliveryMode({ shuffle: true, duplicates: true, seed: 11 });
    try {
      emulator.completeCheckout(first.id, { card: '4242424242424242' });
      emulator.completeCheckout(second.id, { card: '4242424242424242' });
      await emulator.flushWebhooks();
    } finally {
      emulator.setDeliveryMode({ shuffle: false, duplicates: false });
    }
    const mail = await mailTo(email, /refunded a duplicate/);
    expect(mail.subject).toBe('We refunded a duplicate SecureVault Docs payment');
    expect(mail.text).toContain('refunded $14.99');
    await replayAll();
    expect(subjects(await settledInbox(email))).toEqual([mail.subject]);
  }, 60_000);
});
