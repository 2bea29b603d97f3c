import { randomUUID } from 'node:crypto';
import { annotateSubscriptionChange, schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMetricsTables } from './build-metrics-tables';
import { loadMetrics, type TMetricsMonth } from './load-metrics';
import { monthsBetween } from './metrics-query';

// A product of its own (its prices in hub."PlanPrice"), so the figures are exactly this file's whatever else the
// shared database holds. Every change goes through hub."Subscription" and its history trigger, dated as Stripe
// would date it (annotateSubscriptionChange), then loadMetrics reads it back.
const hub = connectAs('hub');
const svd = connectAs('svd');
const APP = `app_fixture_${randomUUID().slice(0, 8)}`;
const BASIC = 1000;
const PLUS = 2500;

afterAll(async () => {
  await hub.pool.end();
  await svd.pool.end();
});

async function newUser(name: string, createdAt: string): Promise<string> {
  const id = randomUUID();
  await hub.db
    .insert(schema.user)
    .values({ id, email: uniqueEmail(`metrics-${name}`), name, createdAt: new Date(createdAt) });
  return id;
}

/** One change of the user's subscription to APP, as it happened at `at`. */
async function change(
  userId: string,
  at: string,
  values: { plan?: string; status?: string; trialEndsAt?: Date | null },
): Promise<void> {
  await hub.db.transaction(async (tx) => {
    await annotateSubscriptionChange(tx, {
      source: 'stripe_event',
      sourceRef: `evt_${at}`,
      occurredAt: new Date(at),
    });
    await tx
      .insert(schema.subscription)
      .values({ id: randomUUID(), userId, appId: APP, plan: values.plan ?? 'basic', ...values })
      .onConflictDoUpdate({ target: [schema.subscription.userId, schema.subscription.appId], set: values });
  });
}

const TRIAL = new Date('2030-01-01T00:00:00Z');
const months = monthsBetween('2026-01', '2026-06');
let figures: TMetricsMonth[];

beforeAll(async () => {
  await hub.db.insert(schema.planPrice).values([
    { appId: APP, plan: 'basic', monthlyPriceCents: BASIC },
    { appId: APP, plan: 'plus', monthlyPriceCents: PLUS },
  ]);
  const a = await newUser('a', '2026-01-05T09:00:00Z');
  const b = await newUser('b', '2026-01-10T09:00:00Z');
  const c = await newUser('c', '2026-02-12T09:00:00Z');
  const d = await newUser('d', '2026-05-02T09:00:00Z');
  // January: A starts a trial of Plus, B pays for Basic.
  await change(a, '2026-01-05T10:00:00Z', { plan: 'plus', status: 'active', trialEndsAt: TRIAL });
  await change(b, '2026-01-10T10:00:00Z', { plan: 'basic', status: 'active' });
  // February: A's trial converts; C starts a trial of Basic.
  await change(a, '2026-02-05T10:00:00Z', { trialEndsAt: null });
  await change(c, '2026-02-12T10:00:00Z', { plan: 'basic', status: 'active', trialEndsAt: TRIAL });
  // March: B upgrades to Plus; C cancels during the trial.
  await change(b, '2026-03-01T10:00:00Z', { plan: 'plus' });
  await change(c, '2026-03-12T10:00:00Z', { status: 'canceled', trialEndsAt: null });
  // April: A downgrades to Basic; B's renewal fails on the 20th (inside the 14-day grace at the month's end).
  await change(a, '2026-04-03T10:00:00Z', { plan: 'basic' });
  await change(b, '2026-04-20T10:00:00Z', { status: 'past_due' });
  // May: B's grace ends on the 4th (out of MRR, still past due); D pays for Basic.
  await change(d, '2026-05-02T10:00:00Z', { plan: 'basic', status: 'active' });
  // June: B pays again (a reactivation); A cancels.
  await change(b, '2026-06-10T10:00:00Z', { status: 'active' });
  await change(a, '2026-06-20T10:00:00Z', { status: 'canceled' });

  // Launches: A twice and B once in January, D in May.
  const launches = [
    { id: randomUUID(), userId: a, createdAt: new Date('2026-01-06T10:00:00Z') },
    { id: randomUUID(), userId: a, createdAt: new Date('2026-01-07T10:00:00Z') },
    { id: randomUUID(), userId: b, createdAt: new Date('2026-01-11T10:00:00Z') },
    { id: randomUUID(), userId: d, createdAt: new Date('2026-05-03T10:00:00Z') },
  ];
  await hub.db.insert(schema.launch).values(launches.map((l) => ({ ...l, appId: APP })));
  const metrics = await loadMetrics(
    hub.db,
    { from: '2026-01', to: '2026-06', product: APP, months },
    new Date('2026-07-15T00:00:00Z'),
  );
  figures = metrics.months;
});

const column = <K extends keyof TMetricsMonth>(key: K) => figures.map((m) => m[key]);

describe('metrics from a known sequence of subscription changes (issue 14)', () => {
  it('gives MRR and its movements month by month, and they add up', () => {
    expect(column('month')).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(column('mrrStartCents')).toEqual([0, 1000, 3500, 5000, 3500, 2000]);
    expect(column('newCents')).toEqual([1000, 2500, 0, 0, 1000, 0]);
    expect(column('expansionCents')).toEqual([0, 0, 1500, 0, 0, 0]);
    expect(column('contractionCents')).toEqual([0, 0, 0, 1500, 0, 0]);
    expect(column('churnCents')).toEqual([0, 0, 0, 0, 2500, 1000]);
    expect(column('reactivationCents')).toEqual([0, 0, 0, 0, 0, 2500]);
    expect(column('mrrEndCents')).toEqual([1000, 3500, 5000, 3500, 2000, 3500]);
    for (const m of figures) {
      expect(
        m.mrrStartCents +
          m.newCents +
          m.expansionCents +
          m.reactivationCents -
          m.contractionCents -
          m.churnCents,
      ).toBe(m.mrrEndCents);
    }
  });

  it('gives paying customers, customer churn, past due and the amount at risk', () => {
    expect(column('payingCustomersStart')).toEqual([0, 1, 2, 2, 2, 2]);
    expect(column('payingCustomersEnd')).toEqual([1, 2, 2, 2, 2, 2]);
    expect(column('churnedCustomers')).toEqual([0, 0, 0, 0, 1, 1]);
    expect(column('pastDueCount')).toEqual([0, 0, 0, 1, 1, 0]);
    expect(column('pastDueAmountCents')).toEqual([0, 0, 0, 2500, 2500, 0]);
  });

  it('gives trial starts and trial → paid conversion per starting month', () => {
    expect(column('trialStarts')).toEqual([1, 1, 0, 0, 0, 0]);
    expect(column('trialsConverted')).toEqual([1, 0, 0, 0, 0, 0]);
    const { growth, mrr } = buildMetricsTables({
      query: { from: '2026-01', to: '2026-06', product: APP, months },
      months: figures,
      mrrNowCents: 0,
      accountWide: [],
    });
    expect(growth.rows.map((r) => r.conversionRate)).toEqual([100, 0, null, null, null, null]);
    expect(growth.total).toMatchObject({ trialStarts: 2, trialsConverted: 1, conversionRate: 50 });
    expect(mrr.total).toMatchObject({
      mrrStart: 0,
      mrrEnd: 3500,
      new: 4500,
      churn: 3500,
      churnedCustomers: 2,
    });
    // Customer-months: 2 churned over 0+1+2+2+2+2 paying at the months' starts.
    expect(mrr.total.customerChurnRate).toBe(22.2);
  });

  it('gives sign-ups of the product, active users from launches and the hand-off success', () => {
    expect(column('signUps')).toEqual([2, 1, 0, 0, 1, 0]);
    expect(column('activeUsers')).toEqual([2, 0, 0, 0, 1, 0]);
    expect(figures[0]?.activeUsersByApp).toEqual({ [APP]: 2 });
    expect(column('handoffsIssued')).toEqual([3, 0, 0, 0, 1, 0]);
    // Only SecureVault spends hand-off tokens.
    expect(column('handoffsConsumed')).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('gives SecureVault’s hand-off success: tokens issued against tokens SVD spent', async () => {
    // May 2019: no other test launches then.
    const user = await newUser('svd', '2019-05-01T09:00:00Z');
    const launches = [1, 2, 3].map((day) => ({
      id: randomUUID(),
      userId: user,
      appId: 'app_securevault',
      createdAt: new Date(`2019-05-0${day}T10:00:00Z`),
    }));
    await hub.db.insert(schema.launch).values(launches);
    await svd.db.insert(schema.usedLaunchToken).values(
      launches.slice(0, 2).map((l) => ({
        jti: l.id,
        userId: user,
        usedAt: new Date(l.createdAt.getTime() + 1000),
        expiresAt: new Date(l.createdAt.getTime() + 300_000),
      })),
    );
    const { months: may } = await loadMetrics(hub.db, {
      from: '2019-05',
      to: '2019-05',
      product: 'app_securevault',
      months: monthsBetween('2019-05', '2019-05'),
    });
    expect(may[0]).toMatchObject({ handoffsIssued: 3, handoffsConsumed: 2, activeUsers: 1, signUps: 1 });
  });

  it('counts a past due that recovers inside the grace as no movement at all', async () => {
    const e = await newUser('e', '2026-01-02T09:00:00Z');
    await change(e, '2026-01-02T10:00:00Z', { plan: 'basic', status: 'active' });
    await change(e, '2026-02-01T10:00:00Z', { status: 'past_due' });
    await change(e, '2026-02-10T10:00:00Z', { status: 'active' });
    const { months: again } = await loadMetrics(
      hub.db,
      { from: '2026-02', to: '2026-02', product: APP, months: monthsBetween('2026-02', '2026-02') },
      new Date('2026-07-15T00:00:00Z'),
    );
    expect(again[0]).toMatchObject({
      churnCents: 0,
      reactivationCents: 0,
      mrrStartCents: 2000,
      mrrEndCents: 4500,
    });
    const [row] = await hub.db
      .select()
      .from(schema.subscriptionChange)
      .where(eq(schema.subscriptionChange.userId, e));
    expect(row?.source).toBe('stripe_event');
  });
});

describe('account-wide billing figures from hub."BillingEvent"', () => {
  it('counts refunds, duplicates once per second subscription, and webhook failures', async () => {
    // March 2019: no other test writes events dated then.
    const at = new Date('2019-03-10T12:00:00Z');
    const event = (id: string, type: string, object: Record<string, unknown>, extra = {}) => ({
      id: `evt_fixture_${id}_${randomUUID().slice(0, 8)}`,
      type,
      stripeCreatedAt: at,
      receivedAt: at,
      processedAt: at,
      attempts: 1,
      payload: { id, type, data: { object } },
      ...extra,
    });
    const duplicate = `sub_dup_${randomUUID().slice(0, 8)}`;
    await hub.db.insert(schema.billingEvent).values([
      event('r1', 'refund.created', { object: 'refund', amount: 500, metadata: {} }),
      event('r2', 'refund.created', {
        object: 'refund',
        amount: 1499,
        metadata: { omgDuplicateOf: 'sub_kept' },
      }),
      event(
        'd1',
        'customer.subscription.created',
        { object: 'subscription', id: duplicate },
        { outcome: 'duplicate_resolved' },
      ),
      event(
        'd2',
        'checkout.session.completed',
        { object: 'checkout.session', subscription: duplicate },
        { outcome: 'duplicate_resolved' },
      ),
      event('f1', 'invoice.paid', { object: 'invoice' }, { attempts: 3 }),
      event(
        'f2',
        'invoice.paid',
        { object: 'invoice' },
        { processedAt: null, error: 'Error: boom', attempts: 2 },
      ),
    ]);
    const { months: march } = await loadMetrics(hub.db, {
      from: '2019-03',
      to: '2019-03',
      product: 'all',
      months: monthsBetween('2019-03', '2019-03'),
    });
    expect(march[0]).toMatchObject({
      refunds: 2,
      refundedCents: 1999,
      duplicatesPrevented: 1,
      duplicateRefundedCents: 1499,
      webhookEvents: 6,
      webhookEventsFailed: 2,
      webhookEventsFailing: 1,
    });
  });
});

describe('closed months stay exact when rows arrive late (the totals the triggers keep)', () => {
  const august = { from: '2019-08', to: '2019-08', months: monthsBetween('2019-08', '2019-08') };
  const launchAt = (userId: string, appId: string, at: string) => ({
    id: randomUUID(),
    userId,
    appId,
    createdAt: new Date(at),
  });

  it('a late launch, a second app and a purged token change last year’s month by exactly what they are', async () => {
    // August 2019: no other test launches then. A product of its own (APP) for the per-product figures.
    const u = await newUser('late-u', '2019-08-01T09:00:00Z');
    const v = await newUser('late-v', '2019-07-20T09:00:00Z');
    const first = [launchAt(u, APP, '2019-08-03T10:00:00Z'), launchAt(u, APP, '2019-08-04T10:00:00Z')];
    await hub.db.insert(schema.launch).values(first);
    const before = (await loadMetrics(hub.db, { ...august, product: APP })).months[0];
    expect(before).toMatchObject({
      handoffsIssued: 2,
      activeUsers: 1,
      activeUsersByApp: { [APP]: 1 },
      signUps: 1,
    });

    // Launches dated in August arrive now: v's first (v signed up in July, so August's sign-ups stay one), u's
    // third, and u's first launch of SecureVault that month.
    await hub.db
      .insert(schema.launch)
      .values([
        launchAt(v, APP, '2019-08-10T10:00:00Z'),
        launchAt(u, APP, '2019-08-11T10:00:00Z'),
        launchAt(u, 'app_securevault', '2019-08-12T10:00:00Z'),
      ]);
    const product = (await loadMetrics(hub.db, { ...august, product: APP })).months[0];
    expect(product).toMatchObject({
      handoffsIssued: 4,
      activeUsers: 2,
      activeUsersByApp: { [APP]: 2 },
      signUps: 1,
    });
    const july = await loadMetrics(hub.db, {
      from: '2019-07',
      to: '2019-07',
      product: APP,
      months: monthsBetween('2019-07', '2019-07'),
    });
    expect(july.months[0]?.signUps).toBe(1);
    // Across products u is one active user, whatever number of apps u launched.
    const all = (await loadMetrics(hub.db, { ...august, product: 'all' })).months[0];
    expect(all).toMatchObject({ activeUsers: 2, activeUsersByApp: { [APP]: 2, app_securevault: 1 } });

    // SVD spends u's SecureVault token; later u's account is purged, and its spent tokens go with it.
    const token = { jti: randomUUID(), userId: u, usedAt: new Date('2019-08-12T10:00:01Z') };
    await svd.db
      .insert(schema.usedLaunchToken)
      .values({ ...token, expiresAt: new Date('2019-08-12T10:05:00Z') });
    const svdAugust = { ...august, product: 'app_securevault' };
    expect((await loadMetrics(hub.db, svdAugust)).months[0]).toMatchObject({
      handoffsIssued: 1,
      handoffsConsumed: 1,
    });
    await svd.db.delete(schema.usedLaunchToken).where(eq(schema.usedLaunchToken.jti, token.jti));
    expect((await loadMetrics(hub.db, svdAugust)).months[0]).toMatchObject({
      handoffsIssued: 1,
      handoffsConsumed: 0,
    });
  });

  it('a subscription change dated in a month that already closed recomputes that month and the ones after', async () => {
    // Its own product, so the figures are this test's alone. `now` is in July: January to June are closed, and
    // the first load keeps them (load-subscription-months.ts); the late row must still show.
    const late = `app_fixture_${randomUUID().slice(0, 8)}`;
    await hub.db.insert(schema.planPrice).values({ appId: late, plan: 'basic', monthlyPriceCents: BASIC });
    const query = {
      from: '2026-01',
      to: '2026-07',
      product: late,
      months: monthsBetween('2026-01', '2026-07'),
    };
    const now = new Date('2026-07-15T00:00:00Z');
    const subscribe = async (userId: string, at: string) =>
      hub.db.transaction(async (tx) => {
        await annotateSubscriptionChange(tx, {
          source: 'stripe_event',
          sourceRef: `evt_${at}`,
          occurredAt: new Date(at),
        });
        await tx
          .insert(schema.subscription)
          .values({ id: randomUUID(), userId, appId: late, plan: 'basic', status: 'active' });
      });
    await subscribe(await newUser('late-1', '2026-02-01T09:00:00Z'), '2026-02-01T10:00:00Z');
    const before = await loadMetrics(hub.db, query, now);
    expect(before.months.map((m) => m.mrrEndCents)).toEqual([0, BASIC, BASIC, BASIC, BASIC, BASIC, BASIC]);
    expect(before.mrrNowCents).toBe(BASIC);

    // A Stripe event of April arrives in July.
    await subscribe(await newUser('late-2', '2026-04-01T09:00:00Z'), '2026-04-03T10:00:00Z');
    const after = await loadMetrics(hub.db, query, now);
    expect(after.months.map((m) => m.mrrEndCents)).toEqual([
      0,
      BASIC,
      BASIC,
      2 * BASIC,
      2 * BASIC,
      2 * BASIC,
      2 * BASIC,
    ]);
    expect(after.months.map((m) => m.newCents)).toEqual([0, BASIC, 0, BASIC, 0, 0, 0]);
    expect(after.mrrNowCents).toBe(2 * BASIC);
    // And this month's own changes show without anything closed changing.
    await subscribe(await newUser('late-3', '2026-07-01T09:00:00Z'), '2026-07-02T10:00:00Z');
    const july = await loadMetrics(hub.db, query, now);
    expect(july.months.at(-1)).toMatchObject({ newCents: BASIC, mrrEndCents: 3 * BASIC });
    expect(july.months.slice(0, -1)).toEqual(after.months.slice(0, -1));
  });

  it('two first launches of different apps by one account at once count it once across apps', async () => {
    const w = await newUser('race-w', '2019-09-01T09:00:00Z');
    // Two connections, each holding its launch uncommitted until both have been written.
    const [one, two] = await Promise.all([hub.pool.connect(), hub.pool.connect()]);
    try {
      await one.query('BEGIN');
      await two.query('BEGIN');
      const insert = (client: typeof one, appId: string) =>
        client.query(
          `INSERT INTO hub."Launch" (id, "userId", "appId", "createdAt") VALUES ($1, $2, $3, $4)`,
          [randomUUID(), w, appId, new Date('2019-09-05T10:00:00Z')],
        );
      await insert(one, APP);
      const second = insert(two, 'app_securevault');
      await one.query('COMMIT');
      await second;
      await two.query('COMMIT');
    } finally {
      one.release();
      two.release();
    }
    const september = await loadMetrics(hub.db, {
      from: '2019-09',
      to: '2019-09',
      product: 'all',
      months: monthsBetween('2019-09', '2019-09'),
    });
    expect(september.months[0]).toMatchObject({
      activeUsers: 1,
      activeUsersByApp: { [APP]: 1, app_securevault: 1 },
    });
  });
});
