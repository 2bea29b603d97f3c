import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { growthSubscriber, postJson, startBillingTestEnv } from '@/testing/billing-test-env';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const hub = connectAs('hub');
let emulator: StripeEmulator;
let stripe: Stripe;
let POST: typeof import('./route').POST;
let syncStripeCustomerEmail: typeof import('@/lib/account/sync-stripe-customer-email').syncStripeCustomerEmail;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv('sk_test_customer_email'));
  ({ POST } = await import('./route'));
  ({ syncStripeCustomerEmail } = await import('@/lib/account/sync-stripe-customer-email'));
});

afterAll(async () => {
  await emulator.close();
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

async function stripeCustomerOf(userId: string) {
  const [row] = await hub.db
    .select({ stripeCustomerId: schema.customer.stripeCustomerId })
    .from(schema.customer)
    .where(eq(schema.customer.userId, userId));
  if (!row) throw new Error('no hub."Customer" row');
  return row.stripeCustomerId;
}

/** Asks for the change on /account's route; returns the link mailed to the new address. */
async function askForChange(cookie: string, password: string, newEmail: string) {
  const response = await postJson(
    POST,
    '/api/account/email',
    { newEmail, currentPassword: password },
    cookie,
  );
  expect(response.status).toBe(200);
  const [mail] = await hub.db
    .select({ text: schema.outgoingEmail.text })
    .from(schema.outgoingEmail)
    .where(and(eq(schema.outgoingEmail.to, newEmail), eq(schema.outgoingEmail.kind, 'confirm-new-email')));
  const link = mail?.text.match(/https?:\/\/\S+\/api\/auth\/verify-email\?\S+/)?.[0] ?? '';
  expect(link).toBeTruthy();
  return link;
}

/** Opens a mailed link with the Hub's real auth route, as its reader would (no cookie: another device). */
async function open(link: string) {
  const { GET } = await import('../../auth/[...all]/route');
  const path = new URL(link).pathname.split('/').slice(3);
  return GET(new Request(link, { headers: { origin: HUB } }), { params: Promise.resolve({ all: path }) });
}

async function userEmail(userId: string) {
  const [row] = await hub.db
    .select({ email: schema.user.email })
    .from(schema.user)
    .where(eq(schema.user.id, userId));
  return row?.email;
}

describe('an email change reaches the Stripe customer', { timeout: 60_000 }, () => {
  it('once the new address’s link is opened, Stripe’s customer has the new email', async () => {
    const { cookie, userId } = await growthSubscriber({ db: hub.db, emulator, stripe }, 'stripemail');
    const customerId = await stripeCustomerOf(userId);
    const oldEmail = await userEmail(userId);
    const newEmail = uniqueEmail('stripemailnew');

    const link = await askForChange(cookie, 'stripemail-pass-12', newEmail);
    // Asking is not changing: until the link is opened, Stripe keeps the address the account still has.
    const before = (await stripe.customers.retrieve(customerId)) as Stripe.Customer;
    expect(before.email).toBe(oldEmail);

    const opened = await open(link);
    expect(opened.status).toBe(302);
    expect(await userEmail(userId)).toBe(newEmail);
    const after = (await stripe.customers.retrieve(customerId)) as Stripe.Customer;
    expect(after.email).toBe(newEmail);
  });

  it('when Stripe refuses, the email change still stands and the failure is reported, not thrown', async () => {
    const { cookie, userId } = await growthSubscriber({ db: hub.db, emulator, stripe }, 'stripemailgone');
    // The customer vanished from Stripe (deleted there by hand): the update can only fail.
    await stripe.customers.del(await stripeCustomerOf(userId));
    const newEmail = uniqueEmail('stripemailgonenew');
    const opened = await open(await askForChange(cookie, 'stripemailgone-pass-12', newEmail));
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toBe('/account?email=changed');
    expect(await userEmail(userId)).toBe(newEmail);

    const { stripe: hubStripe } = await import('@/lib/stripe/client');
    expect(await syncStripeCustomerEmail(hub.db, hubStripe, { userId, email: newEmail })).toBe('failed');
    const unreachable = () => {
      throw new Error('Stripe is not reachable');
    };
    expect(await syncStripeCustomerEmail(hub.db, unreachable, { userId, email: newEmail })).toBe('failed');
  });

  it('an account that never paid has no Stripe customer to update', async () => {
    const { signUpHubUser } = await import('@/testing/billing-test-env');
    const { userId, email } = await signUpHubUser('stripemailnone');
    const { stripe: hubStripe } = await import('@/lib/stripe/client');
    expect(await syncStripeCustomerEmail(hub.db, hubStripe, { userId, email })).toBe('no_customer');
  });
});
