import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createStripeClient, provisionSubscription, syncStripeCatalog } from '@omg/billing';
import { findSubscription, schema, type TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSvdCustomers, type TMigrateSvdCustomersInput } from './migrate-svd-customers';
import type { TMigrationRowResult } from './migration.types';

const SECRET = 'whsec_svd_migration_test';
const DAY = 86_400;

let POST: typeof import('@/app/api/webhooks/stripe/route').POST;
let emulator: StripeEmulator;
let stripe: Stripe;
let hub: TDatabaseHandle;
let receiver: Server;
let growthPrice: string;
let legacyPrice: Stripe.Price;

/** Stands in for Next.js: the emulator's webhook deliveries reach the Hub's real route. */
function startReceiver(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const headers = new Headers({ 'content-type': 'application/json' });
      headers.set('stripe-signature', String(req.headers['stripe-signature'] ?? ''));
      const response = await POST(
        new Request(`http://127.0.0.1${req.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) }),
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
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/stripe`;
  emulator = await startStripeEmulator({
    webhooks: [{ url: webhookUrl, secret: SECRET }],
    webhookRetry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 },
  });
  // env() caches on first read: the Stripe settings must be in place before the route is imported.
  process.env.STRIPE_SECRET_KEY = 'sk_test_svd_migration';
  process.env.STRIPE_API_BASE = emulator.url;
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  ({ POST } = await import('@/app/api/webhooks/stripe/route'));
  stripe = createStripeClient('sk_test_svd_migration', emulator.url);
  hub = connectAs('hub');
  await syncStripeCatalog(stripe);
  const [growth] = (await stripe.prices.list({ lookup_keys: ['securevault_growth_monthly'] })).data;
  growthPrice = growth?.id ?? '';
  // What SVD sold before the Hub: not in the catalog, found by no lookup key of ours.
  legacyPrice = await stripe.prices.create({
    currency: 'usd',
    unit_amount: 1099,
    recurring: { interval: 'month' },
    lookup_key: 'svd_direct_pro_2019',
    product_data: { name: 'SecureVault Pro (2019)' },
  });
  await emulator.flushWebhooks();
});

afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

/** An export as SVD's tool writes it: a BOM, CRLF line ends, names quoted when they hold commas. */
function exportFile(lines: string[]): Readable {
  const header = 'email,name,plan,start_date,monthly_price,stripe_customer_id,stripe_subscription_id';
  return Readable.from([Buffer.from(`\ufeff${[header, ...lines].join('\r\n')}\r\n`, 'utf8')]);
}

async function migrate(lines: string[], options: Omit<TMigrateSvdCustomersInput, 'source'> = {}) {
  await emulator.flushWebhooks();
  const rows: TMigrationRowResult[] = [];
  const summary = await migrateSvdCustomers(hub.db, stripe, {
    source: exportFile(lines),
    onRow: (row) => rows.push(row),
    ...options,
  });
  await emulator.flushWebhooks();
  rows.sort((a, b) => a.line - b.line);
  return { summary, rows, byLine: (line: number) => rows.find((r) => r.line === line) };
}

/** Every address here carries this run's tag, so counts see only this file's rows while other files run. */
const TAG = `mig${Date.now().toString(36)}`;
const email = (name: string) => uniqueEmail(`${TAG}-${name}`);

/** Rows in every table the migration writes (this file's): a dry run must leave each count as it was. */
async function tableCounts() {
  const mine = sql`(SELECT id FROM core."User" WHERE email LIKE ${`${TAG}-%`})`;
  const [row] = (
    await hub.db.execute(sql`SELECT
      (SELECT count(*)::int FROM core."User" WHERE id IN ${mine}) AS users,
      (SELECT count(*)::int FROM hub."Subscription" WHERE "userId" IN ${mine}) AS subscriptions,
      (SELECT max("updatedAt")::text FROM hub."Subscription" WHERE "userId" IN ${mine}) AS "updatedAt",
      (SELECT count(*)::int FROM hub."Customer" WHERE "userId" IN ${mine}) AS customers,
      (SELECT count(*)::int FROM hub."LegacyPrice" WHERE "stripePriceId" = ${legacyPrice.id}) AS "legacyPrices"`)
  ).rows;
  return row;
}

async function customerWithCard(email: string): Promise<string> {
  const customer = await stripe.customers.create({
    email,
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  return customer.id;
}

async function userByEmail(email: string) {
  const [user] = await hub.db
    .select()
    .from(schema.user)
    .where(sql`lower(${schema.user.email}) = ${email.toLowerCase()}`);
  return user;
}

const svdRow = (userId: string) => findSubscription(hub.db, { userId, appId: 'app_securevault' });

describe('npm run svd:migrate — migrateSvdCustomers against PostgreSQL and the Stripe emulator', () => {
  const alice = email('alice');
  const bob = email('bob');
  const carol = email('carol');
  const legacy = email('legacy');
  const twice = email('twice');
  const fixtures = {} as {
    carolId: string;
    legacyCustomer: string;
    legacySubscription: Stripe.Subscription;
    twiceId: string;
    twiceLegacy: Stripe.Subscription;
    twiceHub: Stripe.Subscription;
    mislabeled: Stripe.Subscription;
  };
  let lines: string[];

  beforeAll(async () => {
    // Carol already has a Hub account (signed up with a mixed-case address), and no SVD subscription.
    fixtures.carolId = await seedUser(hub.db, { email: carol, password: 'carol-pass-123', name: 'Carol' });
    fixtures.legacyCustomer = await customerWithCard(legacy);
    fixtures.legacySubscription = await stripe.subscriptions.create({
      customer: fixtures.legacyCustomer,
      items: [{ price: legacyPrice.id }],
    });
    // The same legacy price for someone the export calls Growth: the price already means Pro, so it is refused.
    fixtures.mislabeled = await stripe.subscriptions.create({
      customer: await customerWithCard(email('mislabeled')),
      items: [{ price: legacyPrice.id }],
    });
    // "Twice" pays SVD directly, then buys SVD in the Hub an hour later: two live subscriptions.
    fixtures.twiceId = await seedUser(hub.db, { email: twice, password: 'twice-pass-123', name: 'Twice' });
    fixtures.twiceLegacy = await stripe.subscriptions.create({
      customer: await customerWithCard(twice),
      items: [{ price: legacyPrice.id }],
    });
    emulator.advanceClock(3600);
    const hubCustomer = await customerWithCard(twice);
    await hub.db.insert(schema.customer).values({ userId: fixtures.twiceId, stripeCustomerId: hubCustomer });
    fixtures.twiceHub = await stripe.subscriptions.create({
      customer: hubCustomer,
      items: [{ price: growthPrice }],
      metadata: { userId: fixtures.twiceId, appId: 'app_securevault' },
    });
    await emulator.flushWebhooks();
    await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: fixtures.twiceHub.id });

    lines = [
      `${alice},Alice Smith,growth,2024-03-01,14.99,,`, // line 2
      `${bob},"Baker, Bob, Jr.",pro,2023-01-15,19.99,,`, // line 3
      `${carol.toUpperCase()},Carol,starter,2025-06-30,7.99,,`, // line 4
      `${legacy},Lee Gacy,pro,2019-05-01,10.99,${fixtures.legacyCustomer},${fixtures.legacySubscription.id}`, // 5
      'not-an-email,Nobody,growth,2024-01-01,14.99,,', // line 6
      `${email('plan')},Plato,platinum,2024-01-01,14.99,,`, // line 7
      `${email('neg')},Neg,growth,2024-01-01,-5,,`, // line 8
      `${email('nan')},Nan,growth,2024-01-01,twelve,,`, // line 9
      `${email('future')},Future,growth,2099-01-01,14.99,,`, // line 10
      `${alice.toUpperCase()},Alice Again,pro,2024-03-01,24.99,,`, // line 11
      `${email('short')},Short,growth`, // line 12
      `${email('mislabeled')},Mis Label,growth,2020-01-01,8.99,,${fixtures.mislabeled.id}`, // line 13
      `${twice},Twice,pro,2018-02-01,10.99,,${fixtures.twiceLegacy.id}`, // line 14
    ];
  });

  it('first run: creates or matches users, writes migrated subscriptions, rejects bad lines with reasons, lists the conflict', async () => {
    const { summary, byLine } = await migrate(lines);
    expect(summary.counts).toEqual({ created: 4, updated: 0, unchanged: 0, rejected: 8, conflict: 1 });
    expect(summary.rows).toBe(13);
    expect(summary.usersCreated).toBe(3);

    const aliceUser = await userByEmail(alice);
    expect(aliceUser).toMatchObject({ email: alice, name: 'Alice Smith', emailVerified: false });
    const [credential] = await hub.db
      .select()
      .from(schema.account)
      .where(eq(schema.account.userId, aliceUser?.id ?? ''));
    expect(credential).toBeUndefined(); // no password until the customer claims the account
    expect(await svdRow(aliceUser?.id ?? '')).toMatchObject({
      plan: 'growth',
      status: 'active',
      source: 'svd_direct_migration',
      grandfatheredPriceCents: 1499,
      stripeSubscriptionId: null,
    });
    expect((await svdRow(aliceUser?.id ?? ''))?.migratedAt).toBeInstanceOf(Date);
    expect((await userByEmail(bob))?.name).toBe('Baker, Bob, Jr.');
    expect(byLine(4)).toMatchObject({ outcome: 'created', userId: fixtures.carolId, userCreated: false });
    expect(await svdRow(fixtures.carolId)).toMatchObject({ plan: 'starter', grandfatheredPriceCents: 799 });

    // The legacy customer: the row agrees with Stripe, and the price is recorded as the plan the export names.
    const legacyUser = await userByEmail(legacy);
    const item = fixtures.legacySubscription.items.data[0];
    expect(await svdRow(legacyUser?.id ?? '')).toMatchObject({
      plan: 'pro',
      status: 'active',
      stripeSubscriptionId: fixtures.legacySubscription.id,
      stripeCustomerId: fixtures.legacyCustomer,
      stripePriceId: legacyPrice.id,
      currentPeriodEnd: new Date((item?.current_period_end ?? 0) * 1000),
      grandfatheredPriceCents: 1099,
      source: 'svd_direct_migration',
    });
    expect(byLine(5)?.legacyPrice).toEqual({ stripePriceId: legacyPrice.id, plan: 'pro' });
    const [recorded] = await hub.db
      .select()
      .from(schema.legacyPrice)
      .where(eq(schema.legacyPrice.stripePriceId, legacyPrice.id));
    expect(recorded).toMatchObject({ appId: 'app_securevault', plan: 'pro', monthlyPriceCents: 1099 });
    const [customer] = await hub.db
      .select()
      .from(schema.customer)
      .where(eq(schema.customer.userId, legacyUser?.id ?? ''));
    expect(customer?.stripeCustomerId).toBe(fixtures.legacyCustomer);

    expect(byLine(6)).toMatchObject({ outcome: 'rejected', reason: 'email is not a valid email address' });
    expect(byLine(7)?.reason).toMatch(/^plan is not an SVD plan/);
    expect(byLine(8)?.reason).toBe('monthly_price must not be negative');
    expect(byLine(9)?.reason).toMatch(/^monthly_price is not a number/);
    expect(byLine(10)?.reason).toBe('start_date is in the future');
    expect(byLine(11)?.reason).toBe(`email ${alice} is already on line 2`);
    expect(byLine(12)?.reason).toBe('has 3 fields, the header has 7');
    expect(byLine(13)?.reason).toContain(
      `legacy Stripe price ${legacyPrice.id} is recorded as app_securevault pro`,
    );
    for (const line of [6, 7, 8, 9, 10, 11, 12, 13]) expect(byLine(line)?.outcome).toBe('rejected');

    // Never a silent double payment: both ids, what to do, and the Hub's row untouched.
    expect(byLine(14)).toMatchObject({
      outcome: 'conflict',
      conflict: {
        hubStripeSubscriptionId: fixtures.twiceHub.id,
        exportStripeSubscriptionId: fixtures.twiceLegacy.id,
        newerStripeSubscriptionId: fixtures.twiceHub.id,
        advice: expect.stringContaining('--resolve-conflicts'),
      },
    });
    expect(await svdRow(fixtures.twiceId)).toMatchObject({
      stripeSubscriptionId: fixtures.twiceHub.id,
      plan: 'growth',
      source: 'hub',
    });
    expect(summary.problems.map((p) => p.line)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('second run: every good line unchanged, nothing written', async () => {
    const before = await tableCounts();
    const { summary, rows } = await migrate(lines);
    expect(summary.counts).toEqual({ created: 0, updated: 0, unchanged: 4, rejected: 8, conflict: 1 });
    expect(rows.filter((r) => r.outcome === 'unchanged').map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(await tableCounts()).toEqual(before);
  });

  it('dry run: reports what a real run does, and writes nothing', async () => {
    const dana = email('dana');
    const dryLines = [
      `${dana},Dana,business_growth,2022-11-30,59.99,,`,
      `${alice},Alice Smith,pro,2024-03-01,14.99,,`, // changes Alice's plan
      `${bob},"Baker, Bob, Jr.",pro,2023-01-15,19.99,,`,
      'broken,Broken,pro,2022-01-01,1,,',
    ];
    const before = await tableCounts();
    const dry = await migrate(dryLines, { dryRun: true });
    expect(await tableCounts()).toEqual(before);
    expect(await userByEmail(dana)).toBeUndefined();
    expect(dry.summary).toMatchObject({
      dryRun: true,
      counts: { created: 1, updated: 1, unchanged: 1, rejected: 1, conflict: 0 },
    });
    expect(dry.rows[1]).toMatchObject({ outcome: 'updated', changes: ['plan'] });

    const real = await migrate(dryLines);
    const shape = (r: TMigrationRowResult) => [r.line, r.outcome, r.reason, r.changes, r.plan];
    expect(real.rows.map(shape)).toEqual(dry.rows.map(shape));
    expect(real.summary.counts).toEqual(dry.summary.counts);
    expect((await userByEmail(dana))?.accountType).toBe('business');
  });

  it('--resolve-conflicts cancels the newer subscription with a refund in Stripe, then migrates the export’s', async () => {
    const { byLine, summary } = await migrate(lines, { resolveConflicts: true });
    expect(summary.conflictsResolved).toBe(1);
    expect(byLine(14)).toMatchObject({
      outcome: 'conflict',
      conflict: { resolution: { canceledStripeSubscriptionId: fixtures.twiceHub.id, refundedCents: 1499 } },
    });
    expect((await stripe.subscriptions.retrieve(fixtures.twiceHub.id)).status).toBe('canceled');
    expect((await stripe.subscriptions.retrieve(fixtures.twiceLegacy.id)).status).toBe('active');
    const [invoice] = (await stripe.invoices.list({ subscription: fixtures.twiceHub.id, status: 'paid' }))
      .data;
    const refunds = (await stripe.refunds.list({ limit: 100 })).data.filter(
      (r) => r.metadata?.invoice === invoice?.id,
    );
    expect(refunds.map((r) => r.amount)).toEqual([1499]);
    expect(await svdRow(fixtures.twiceId)).toMatchObject({
      stripeSubscriptionId: fixtures.twiceLegacy.id,
      plan: 'pro',
      status: 'active',
      source: 'svd_direct_migration',
      grandfatheredPriceCents: 1099,
    });

    // Resolved is settled: the next run finds nothing to do for that customer.
    const again = await migrate(lines, { resolveConflicts: true });
    expect(again.byLine(14)?.outcome).toBe('unchanged');
    expect(again.summary.counts.conflict).toBe(0);
  });

  it('a renewal of the legacy Stripe subscription keeps the row active at the grandfathered price and recorded plan', async () => {
    const legacyUser = await userByEmail(legacy);
    const before = await svdRow(legacyUser?.id ?? '');
    emulator.advanceClock(32 * DAY);
    await emulator.flushWebhooks();
    const renewed = await stripe.subscriptions.retrieve(fixtures.legacySubscription.id);
    expect(renewed.status).toBe('active');
    const after = await svdRow(legacyUser?.id ?? '');
    expect(after).toMatchObject({
      plan: 'pro',
      status: 'active',
      stripePriceId: legacyPrice.id,
      grandfatheredPriceCents: 1099,
      source: 'svd_direct_migration',
      migratedAt: before?.migratedAt,
    });
    expect(after?.currentPeriodEnd?.getTime()).toBe((renewed.items.data[0]?.current_period_end ?? 0) * 1000);
    expect(after?.currentPeriodEnd?.getTime()).toBeGreaterThan(before?.currentPeriodEnd?.getTime() ?? 0);
    const events = await hub.db
      .select()
      .from(schema.billingEvent)
      .where(
        sql`${schema.billingEvent.payload}->'data'->'object'->>'id' = ${fixtures.legacySubscription.id}
          OR ${schema.billingEvent.payload}->'data'->'object'->'parent'->'subscription_details'->>'subscription' = ${fixtures.legacySubscription.id}`,
      );
    const renewal = events.filter(
      (e) => e.type === 'invoice.paid' || e.type === 'customer.subscription.updated',
    );
    expect(renewal.length).toBeGreaterThan(0);
    expect(events.every((e) => e.processedAt !== null && e.error === null)).toBe(true);
    expect(renewal.some((e) => e.outcome === 'provisioned')).toBe(true);
  });
});

describe('npm run svd:migrate — plain lines take the one-statement path', () => {
  it('stores names with quotes, backslashes and $1 exactly, several lines at once, and re-runs unchanged', async () => {
    const names = [
      `O'Brien \\ "Q"`,
      'Semi; DROP TABLE x; --',
      'Dollar $1 $9',
      "Back\\slash ''",
      'Ünïcødé 名前',
    ];
    const lines = Array.from({ length: 60 }, (_, i) => {
      const name = names[i % names.length] ?? '';
      return `${email(`batch${i}`)},"${name.replace(/"/g, '""')}",starter,2024-05-05,7.99,,`;
    });
    const first = await migrate(lines, { concurrency: 3 });
    expect(first.summary.counts).toMatchObject({ created: 60, rejected: 0 });
    for (const [i, row] of first.rows.entries()) {
      expect((await userByEmail(row.email ?? ''))?.name).toBe(names[i % names.length]);
    }
    const again = await migrate(lines, { concurrency: 3 });
    expect(again.summary.counts).toMatchObject({ unchanged: 60, created: 0, updated: 0 });
  });
});

describe('npm run svd:migrate — customers the Hub already bills', () => {
  /** A Hub account that bought through the Hub: its own Stripe customer, a live subscription on `lookupKey`. */
  async function hubSubscriber(name: string, lookupKey: string) {
    const address = email(name);
    const userId = await seedUser(hub.db, { email: address, password: `${name}-pass-123`, name });
    const customer = await customerWithCard(address);
    await hub.db.insert(schema.customer).values({ userId, stripeCustomerId: customer });
    const [price] = (await stripe.prices.list({ lookup_keys: [lookupKey] })).data;
    const subscription = await stripe.subscriptions.create({
      customer,
      items: [{ price: price?.id ?? '' }],
      metadata: { userId, appId: lookupKey.startsWith('crm') ? 'app_crm' : 'app_securevault' },
    });
    await provisionSubscription(hub.db, stripe, { stripeSubscriptionId: subscription.id });
    return { address, userId, customer, subscription };
  }

  it('a customer paying SVD outside Stripe and through the Hub is a conflict only a person resolves', async () => {
    const { address, userId, subscription } = await hubSubscriber('outside', 'securevault_growth_monthly');
    const line = `${address},Outside,pro,2020-01-01,19.99,,`;
    const { byLine } = await migrate([line], { resolveConflicts: true });
    expect(byLine(2)).toMatchObject({
      outcome: 'conflict',
      conflict: {
        hubStripeSubscriptionId: subscription.id,
        exportStripeSubscriptionId: null,
        newerStripeSubscriptionId: null,
        advice: expect.stringContaining('outside Stripe'),
        resolutionError: expect.stringContaining('two Stripe subscriptions'),
      },
    });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    expect(await svdRow(userId)).toMatchObject({
      plan: 'growth',
      source: 'hub',
      grandfatheredPriceCents: null,
    });
  });

  it('an ended export subscription beside the Hub’s live one changes nothing; another live Stripe customer is refused', async () => {
    const hubSide = await hubSubscriber('ended', 'securevault_growth_monthly');
    const endedLegacy = await stripe.subscriptions.create({
      customer: await customerWithCard(hubSide.address),
      items: [{ price: legacyPrice.id }],
    });
    await stripe.subscriptions.cancel(endedLegacy.id);
    const crm = await hubSubscriber('crmbuyer', 'crm_pro_monthly');
    const crmLegacy = await stripe.subscriptions.create({
      customer: await customerWithCard(crm.address),
      items: [{ price: legacyPrice.id }],
    });
    const { byLine } = await migrate([
      `${hubSide.address},Ended,pro,2020-01-01,10.99,,${endedLegacy.id}`,
      `${crm.address},Crm,pro,2020-01-01,10.99,,${crmLegacy.id}`,
    ]);
    expect(byLine(2)).toMatchObject({ outcome: 'unchanged', note: expect.stringContaining('has ended') });
    expect(await svdRow(hubSide.userId)).toMatchObject({
      stripeSubscriptionId: hubSide.subscription.id,
      source: 'hub',
    });
    // One Stripe customer per user: the Hub's still bills CRM, so the export's cannot silently replace it.
    expect(byLine(3)).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringContaining(`the Hub already knows this user as Stripe customer ${crm.customer}`),
    });
    expect(await svdRow(crm.userId)).toBeUndefined();
  });
});

describe('npm run svd:migrate --send-invites — the welcome with the claim link, once per customer', () => {
  it('queues nothing in a dry run, one welcome per customer on the first run, none on a re-run', async () => {
    const { sendMigrationInvite } = await import('../account-claim/send-migration-invite');
    const hooks = { sendInvite: sendMigrationInvite };
    const erin = email('erin');
    const frank = email('frank');
    const inviteLines = [
      `${erin},Erin,growth,2024-02-02,14.99,,`,
      `${frank},"Frank, Jr.",pro,2023-03-03,24.99,,`,
    ];
    const mailsFor = async (address: string) =>
      hub.db.select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.to, address));

    const dry = await migrate(inviteLines, { dryRun: true, hooks });
    expect(dry.rows.map((r) => [r.outcome, r.invite?.queued])).toEqual([
      ['created', true],
      ['created', true],
    ]);
    expect(await mailsFor(erin)).toHaveLength(0);
    expect(await userByEmail(erin)).toBeUndefined();

    const first = await migrate(inviteLines, { hooks });
    expect(first.summary.invitesQueued).toBe(2);
    const [welcome] = await mailsFor(erin);
    const erinId = (await userByEmail(erin))?.id;
    expect(welcome).toMatchObject({ kind: expect.any(String), userId: erinId });
    expect(welcome?.idempotencyKey).toBe(`migration-welcome:${erinId}`);
    const claims = await hub.db
      .select()
      .from(schema.accountClaim)
      .where(eq(schema.accountClaim.userId, erinId ?? ''));
    expect(claims).toHaveLength(1);

    const again = await migrate(inviteLines, { hooks });
    expect(again.rows.map((r) => [r.outcome, r.invite?.queued])).toEqual([
      ['unchanged', false],
      ['unchanged', false],
    ]);
    expect(await mailsFor(erin)).toHaveLength(1);
    expect(await mailsFor(frank)).toHaveLength(1);
  });
});
