import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStripeClient, syncStripeCatalog } from '@omg/billing';
import { schema, type TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import type { TMailWorker } from '@omg/mail';
import type { TCaughtMail } from '@omg/mail/catcher';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRIAL_REMINDER_LEAD_MS } from '@/lib/billing-mail/queue-trial-ending-email';
import { startTestMailWorker } from '@/testing/start-test-mail-worker';

const SECRET = 'whsec_hub_trial_ending_test';
const INBOX = process.env.MAIL_CATCHER_URL;
const SMTP = process.env.SMTP_URL;
if (!INBOX || !SMTP) throw new Error('run with `npm run test:unit`: it starts the local SMTP catcher');
/** The reminder of a trial ending this long after 2 days from now is due this long from now. */
const DUE_IN_SECONDS = 4;

let POST: typeof import('./route').POST;
let emulator: StripeEmulator;
let stripe: Stripe;
let hub: TDatabaseHandle;
let receiver: Server;
let worker: TMailWorker | undefined;
let growthPrice = '';

/** Stands in for Next.js: turns the emulator's delivery into a WHATWG Request for the route. */
function startReceiver(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const headers = new Headers();
      for (const name of ['content-type', 'stripe-signature']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers.set(name, value);
      }
      const response = await POST(
        new Request(`http://127.0.0.1${req.url}`, {
          method: req.method,
          headers,
          body: Buffer.concat(chunks),
        }),
        { params: Promise.resolve({}) },
      );
      res.writeHead(response.status, { 'content-type': 'application/json' });
      res.end(await response.text());
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  receiver = await startReceiver();
  emulator = await startStripeEmulator({
    port: 0,
    webhooks: [
      {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/stripe`,
        secret: SECRET,
      },
    ],
    webhookRetry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 },
  });
  // env() caches on first read: the Stripe settings must be in place before the route is imported.
  process.env.STRIPE_SECRET_KEY = 'sk_test_hub_trial_ending';
  process.env.STRIPE_API_BASE = emulator.url;
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  ({ POST } = await import('./route'));
  stripe = createStripeClient('sk_test_hub_trial_ending', emulator.url);
  hub = connectAs('hub');
  await syncStripeCatalog(stripe);
  const [price] = (await stripe.prices.list({ lookup_keys: ['securevault_growth_monthly'] })).data;
  growthPrice = price?.id ?? '';
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
});

/** A Hub user in a checkout trial of SecureVault Growth whose reminder falls due a few seconds from now. */
async function trialingUser() {
  const email = uniqueEmail('trialmail');
  const userId = await seedUser(hub.db, { email, password: 'trial-mail-1', name: 'T' });
  const customer = await stripe.customers.create({
    email: uniqueEmail('cus'),
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  const trialEnd = emulator.now() + TRIAL_REMINDER_LEAD_MS / 1000 + DUE_IN_SECONDS;
  const sub = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: growthPrice }],
    trial_end: trialEnd,
    metadata: { userId, appId: 'app_securevault' },
  });
  await emulator.flushWebhooks();
  return { userId, email, sub, trialEnd: new Date(trialEnd * 1000) };
}

const reminders = (userId: string) =>
  hub.db
    .select()
    .from(schema.outgoingEmail)
    .where(
      and(eq(schema.outgoingEmail.userId, userId), eq(schema.outgoingEmail.kind, 'billing-trial-ending')),
    );

const inbox = async (to: string): Promise<TCaughtMail[]> =>
  (await fetch(`${INBOX}/api/messages?to=${encodeURIComponent(to)}`)).json();

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the user's one reminder is settled (sent or withdrawn) and returns it. */
const settledReminder = (userId: string) =>
  waitFor(async () => {
    const rows = await reminders(userId);
    expect(rows).toHaveLength(1);
    return rows[0] && ['sent', 'withdrawn'].includes(rows[0].status) ? rows[0] : undefined;
  });

describe('"Your free trial ends in 2 days"', () => {
  it('is queued when the trial starts, sent when due, and only once', async () => {
    const { userId, email, sub, trialEnd } = await trialingUser();
    const [queued, ...more] = await reminders(userId);
    expect(more).toEqual([]);
    expect(queued?.status).toBe('queued');
    expect(queued?.sendAfter?.getTime()).toBe(trialEnd.getTime() - TRIAL_REMINDER_LEAD_MS);
    expect(queued?.idempotencyKey).toBe(`trial-ending:${sub.id}:${trialEnd.toISOString()}`);

    // Another event about the same trial (a metadata change) finds the key: nothing more is queued.
    await stripe.subscriptions.update(sub.id, { metadata: { note: 'touched' } });
    await emulator.flushWebhooks();
    expect(await reminders(userId)).toHaveLength(1);

    const sent = await settledReminder(userId);
    expect(sent.status).toBe('sent');
    expect(sent.sentAt?.getTime()).toBeGreaterThanOrEqual(trialEnd.getTime() - TRIAL_REMINDER_LEAD_MS);
    const day = trialEnd.toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' });
    const [mail, ...others] = await inbox(email);
    expect(others).toEqual([]);
    expect(mail?.subject).toBe(`Your free SecureVault Docs trial ends on ${day}`);
    expect(mail?.text).toContain(`Your free SecureVault Docs trial ends on ${day}.`);
    expect(mail?.text).toContain(
      new URL('/billing', process.env.HUB_URL ?? 'http://localhost:3000').toString(),
    );

    // After it was sent, yet another event changes nothing either.
    await stripe.subscriptions.update(sub.id, { metadata: { note: 'again' } });
    await emulator.flushWebhooks();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await reminders(userId)).toHaveLength(1);
    expect(await inbox(email)).toHaveLength(1);
  }, 40_000);

  it('is withdrawn, not sent, when the subscription is canceled during the trial', async () => {
    const { userId, email, sub } = await trialingUser();
    await stripe.subscriptions.cancel(sub.id);
    await emulator.flushWebhooks();
    const withdrawn = await settledReminder(userId);
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.lastError).toMatch(/changed \(status, trialEndsAt\)/);
    expect(withdrawn.sentAt).toBeNull();
    expect((await inbox(email)).map((m) => m.subject)).toEqual([
      'Your SecureVault Docs subscription was canceled',
    ]);
  }, 40_000);

  it('is withdrawn when the trial ends early, and when it is set to cancel at its end', async () => {
    const ended = await trialingUser();
    await stripe.subscriptions.update(ended.sub.id, { trial_end: 'now' });
    const canceling = await trialingUser();
    await stripe.subscriptions.update(canceling.sub.id, { cancel_at_period_end: true });
    await emulator.flushWebhooks();

    const [endedEarly, setToCancel] = await Promise.all([
      settledReminder(ended.userId),
      settledReminder(canceling.userId),
    ]);
    expect(endedEarly).toMatchObject({ status: 'withdrawn', sentAt: null });
    expect(endedEarly.lastError).toMatch(/changed \(trialEndsAt\)/);
    expect(setToCancel).toMatchObject({ status: 'withdrawn', sentAt: null });
    expect(setToCancel.lastError).toMatch(/changed \(cancelAtPeriodEnd\)/);
    for (const { email } of [ended, canceling]) {
      expect((await inbox(email)).filter((m) => /trial ends/.test(m.subject))).toEqual([]);
    }
  }, 40_000);
});
