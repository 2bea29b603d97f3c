import { Readable } from 'node:stream';
import { annotateSubscriptionChange, schema, type TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { asc, eq, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceSubscriptionId } from '@/lib/stripe/webhook/invoice-subscription-id';
import {
  growthSubscriber,
  postJson,
  startBillingTestEnv,
  svdSubscriptionRow,
} from '@/testing/billing-test-env';

// hub."SubscriptionChange" is written by the trigger on hub."Subscription" (migration 0021): every writer is
// covered, each says why, and a write that changes nothing recorded (a webhook replay) adds nothing.
const SECRET = 'whsec_history_test';
let emulator: StripeEmulator;
let stripe: Stripe;
const hub: TDatabaseHandle = connectAs('hub');
const prices: Record<string, string> = {};

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv('sk_test_history'));
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  for (const key of ['securevault_growth_monthly', 'securevault_pro_monthly']) {
    const [price] = (await stripe.prices.list({ lookup_keys: [key] })).data;
    prices[key] = price?.id ?? '';
  }
});

afterAll(async () => {
  await emulator.close();
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

const historyOf = (subscriptionId: string) =>
  hub.db
    .select()
    .from(schema.subscriptionChange)
    .where(eq(schema.subscriptionChange.subscriptionId, subscriptionId))
    .orderBy(asc(schema.subscriptionChange.occurredAt), asc(schema.subscriptionChange.id));

/** Delivers one event as Stripe would: signed, through the Hub's webhook processing. */
async function deliver(event: Stripe.Event) {
  const { processStripeEvent } = await import('@/lib/stripe/webhook/process-stripe-event');
  const { logger } = await import('@/lib/logger');
  const rawBody = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret: SECRET });
  return processStripeEvent(
    { db: hub.db, stripe: () => stripe, log: logger },
    { rawBody, signature, secrets: SECRET },
  );
}

async function eventAbout(type: string, subscriptionId: string): Promise<Stripe.Event> {
  const events = await stripe.events.list({ type, limit: 100 });
  const found = events.data.find((e) =>
    e.data.object.object === 'invoice'
      ? invoiceSubscriptionId(e.data.object) === subscriptionId
      : (e.data.object as { id?: string }).id === subscriptionId,
  );
  if (!found) throw new Error(`no ${type} event for ${subscriptionId}`);
  return found;
}

describe('subscription history (issue 14 metrics)', () => {
  it('records a webhook change as its Stripe event, at Stripe’s time, and a replay or a no-change event adds nothing', {
    timeout: 30_000,
  }, async () => {
    const userId = await seedUser(hub.db, {
      email: uniqueEmail('hist'),
      password: 'history-pass-1',
      name: 'H',
    });
    const customer = await stripe.customers.create({
      email: uniqueEmail('hist-cus'),
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: prices.securevault_growth_monthly ?? '' }],
      metadata: { userId, appId: 'app_securevault' },
    });
    const created = await eventAbout('customer.subscription.created', subscription.id);
    expect(await deliver(created)).toMatchObject({ outcome: 'provisioned' });
    const row = await svdSubscriptionRow(hub.db, userId);
    if (!row) throw new Error('expected a subscription row');
    const [first, ...none] = await historyOf(row.id);
    expect(none).toEqual([]);
    expect(first).toMatchObject({
      userId,
      appId: 'app_securevault',
      plan: 'growth',
      status: 'active',
      monthlyAmountCents: 1499,
      currency: 'usd',
      trial: false,
      cancelAtPeriodEnd: false,
      previousPlan: null,
      source: 'stripe_event',
      sourceRef: created.id,
      occurredAt: new Date(created.created * 1000),
    });

    // The same event again (Stripe delivers at least once), and another event that changes nothing.
    expect(await deliver(created)).toEqual({ received: true, duplicate: true });
    await deliver(await eventAbout('invoice.paid', subscription.id));
    expect(await historyOf(row.id)).toHaveLength(1);

    await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]?.id ?? '', price: prices.securevault_pro_monthly ?? '' }],
      proration_behavior: 'none',
    });
    const updated = await eventAbout('customer.subscription.updated', subscription.id);
    await deliver(updated);
    await deliver(updated);
    const history = await historyOf(row.id);
    expect(history).toHaveLength(2);
    expect(history[1]).toMatchObject({
      plan: 'pro',
      monthlyAmountCents: 2499,
      previousPlan: 'growth',
      previousStatus: 'active',
      previousMonthlyAmountCents: 1499,
      source: 'stripe_event',
      sourceRef: updated.id,
    });
  });

  it('records the Hub’s own actions by name: checkout provisioning, plan change, cancel', {
    timeout: 30_000,
  }, async () => {
    const { POST: changePlanRoute } = await import('@/app/api/billing/change-plan/route');
    const { POST: cancelRoute } = await import('@/app/api/billing/cancel/route');
    const { cookie, userId } = await growthSubscriber({ db: hub.db, emulator, stripe }, 'hist-hub');
    const row = await svdSubscriptionRow(hub.db, userId);
    if (!row) throw new Error('expected a subscription row');
    const upgrade = await postJson(
      changePlanRoute,
      '/api/billing/change-plan',
      { productId: 'app_securevault', plan: 'pro' },
      cookie,
    );
    expect(upgrade.status).toBe(200);
    const cancel = await postJson(cancelRoute, '/api/billing/cancel', { appId: 'app_securevault' }, cookie);
    expect(cancel.status).toBe(200);
    const history = await historyOf(row.id);
    expect(history.map((h) => [h.source, h.sourceRef, h.plan, h.status, h.monthlyAmountCents])).toEqual([
      ['hub', 'provision', 'growth', 'active', 1499],
      ['hub', 'plan-change', 'pro', 'active', 2499],
      ['hub', 'cancel', 'pro', 'canceled', 2499],
    ]);
  });

  it('covers writers that never annotate: the SVD migration, raw SQL, a deleted row', async () => {
    const { migrateSvdCustomers } = await import('@/lib/migration/migrate-svd-customers');
    const email = uniqueEmail('hist-mig');
    const header = 'email,name,plan,start_date,monthly_price,stripe_customer_id,stripe_subscription_id';
    const file = (line: string) => Readable.from([Buffer.from(`${header}\r\n${line}\r\n`, 'utf8')]);
    await migrateSvdCustomers(hub.db, null, { source: file(`${email},Mig,pro,2020-01-01,10.99,,`) });
    const [user] = await hub.db.select().from(schema.user).where(eq(schema.user.email, email));
    const row = await svdSubscriptionRow(hub.db, user?.id ?? '');
    if (!row) throw new Error('expected the migrated row');
    expect(await historyOf(row.id)).toMatchObject([
      { source: 'migration', plan: 'pro', status: 'active', monthlyAmountCents: 1099 },
    ]);

    // A renewal moves only the period end: not recorded. A hand-written UPDATE says 'sql'.
    await hub.db
      .update(schema.subscription)
      .set({ currentPeriodEnd: new Date(), stripeReadTicket: 1 })
      .where(eq(schema.subscription.id, row.id));
    await hub.db
      .update(schema.subscription)
      .set({ status: 'past_due' })
      .where(eq(schema.subscription.id, row.id));
    await hub.db.delete(schema.subscription).where(eq(schema.subscription.id, row.id));
    expect((await historyOf(row.id)).map((h) => [h.source, h.status])).toEqual([
      ['migration', 'active'],
      ['sql', 'past_due'],
      ['sql', 'canceled'],
    ]);
  });

  it('keeps a late event’s time from sorting a newer state before an older one', async () => {
    const userId = await seedUser(hub.db, {
      email: uniqueEmail('hist-late'),
      password: 'history-pass-1',
      name: 'L',
    });
    const id = crypto.randomUUID();
    await hub.db.transaction(async (tx) => {
      await annotateSubscriptionChange(tx, {
        source: 'hub',
        sourceRef: 'test',
        occurredAt: new Date('2026-03-10T00:00:00Z'),
      });
      await tx
        .insert(schema.subscription)
        .values({ id, userId, appId: 'app_crm', plan: 'starter', status: 'active' });
    });
    await hub.db.transaction(async (tx) => {
      await annotateSubscriptionChange(tx, {
        source: 'stripe_event',
        sourceRef: 'evt_late',
        occurredAt: new Date('2026-03-01T00:00:00Z'),
      });
      await tx.update(schema.subscription).set({ plan: 'pro' }).where(eq(schema.subscription.id, id));
    });
    expect(
      (await historyOf(id)).map((h) => [h.plan, h.monthlyAmountCents, h.occurredAt.toISOString()]),
    ).toEqual([
      ['starter', 999, '2026-03-10T00:00:00.000Z'],
      ['pro', 1499, '2026-03-10T00:00:00.000Z'],
    ]);
  });

  it('is append-only for the Hub’s role', async () => {
    const refused = { code: '42501' };
    await expect(hub.pool.query(`UPDATE hub."SubscriptionChange" SET plan = 'x'`)).rejects.toMatchObject(
      refused,
    );
    await expect(hub.pool.query(`DELETE FROM hub."SubscriptionChange"`)).rejects.toMatchObject(refused);
    await expect(hub.pool.query(`TRUNCATE hub."SubscriptionChange"`)).rejects.toMatchObject(refused);
    const [count] = (
      await hub.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM hub."SubscriptionChange"`)
    ).rows;
    expect(count?.n).toBeGreaterThan(0);
  });
});
