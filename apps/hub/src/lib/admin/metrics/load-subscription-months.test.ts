import { randomUUID } from 'node:crypto';
import { annotateSubscriptionChange, schema, type TDatabaseHandle } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { and, asc, eq, lt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeSubscriptionMetrics,
  SubscriptionMetricsEngine,
  type THistoryRow,
} from './compute-subscription-metrics';
import { HISTORY_COLUMNS, loadSubscriptionMonths, metricsSnapshotsWritten } from './load-subscription-months';
import { monthsBetween, type TMonth } from './metrics-query';

// The closed months kept in hub."SubscriptionMetricsSnapshot" must give exactly what a full recompute of the
// history gives: after a restart (a new process resumes the stored state), in a new month (resumed from last
// month's start) and after late rows (one in last month, one months back). A product of its own, so the history is
// this file's alone; each "process" is a new pool (its own in-memory cache).
const admin = connectAs('admin');
const handles: TDatabaseHandle[] = [];
const APP = `app_snapshot_${randomUUID().slice(0, 8)}`;
const BASIC = 1000;
const PLUS = 2500;
const TRIAL_END = new Date('2030-01-01T00:00:00Z');
const c = schema.subscriptionChange;
const snapshots = schema.subscriptionMetricsSnapshot;
const keys = schema.subscriptionMetricsSnapshotKey;

afterAll(async () => {
  for (const handle of handles) await handle.pool.end();
  await admin.pool.end();
});

/** A new Hub process: a pool of its own, so nothing is cached in memory yet. */
function newProcess(): TDatabaseHandle {
  const handle = connectAs('hub');
  handles.push(handle);
  return handle;
}

async function newUser(name: string): Promise<string> {
  const id = randomUUID();
  await admin.db.insert(schema.user).values({ id, email: uniqueEmail(`snapshot-${name}`), name });
  return id;
}

/** One change of the user's subscription, dated `at` as a Stripe event would date it. */
async function change(
  userId: string,
  at: string,
  values: { plan?: string; status?: string; trialEndsAt?: Date | null },
): Promise<void> {
  await admin.db.transaction(async (tx) => {
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

/** The months from January to now's month, the last one ending now (as the dashboard's current month does). */
function monthsUpTo(now: Date): TMonth[] {
  const months = monthsBetween('2026-01', now.toISOString().slice(0, 7));
  const last = months.at(-1) as TMonth;
  return [...months.slice(0, -1), { ...last, end: now }];
}

/** The full recompute: every history row of the product before `now`, through computeSubscriptionMetrics. */
async function recomputed(now: Date) {
  const rows: THistoryRow[] = await admin.db
    .select(HISTORY_COLUMNS)
    .from(c)
    .where(and(eq(c.appId, APP), lt(c.occurredAt, now)))
    .orderBy(asc(c.occurredAt), asc(c.id));
  const months = computeSubscriptionMetrics(rows, monthsUpTo(now));
  return { months, mrrNowCents: months.at(-1)?.mrrEndCents };
}

async function stored() {
  await metricsSnapshotsWritten();
  const rows = await admin.db
    .select({
      monthStart: snapshots.monthStart,
      historyRows: snapshots.historyRows,
      computedAt: snapshots.computedAt,
    })
    .from(snapshots)
    .where(eq(snapshots.product, APP))
    .orderBy(asc(snapshots.monthStart));
  return rows.map((r) => ({ ...r, monthStart: r.monthStart.toISOString().slice(0, 7) }));
}

/** Each subscription's state kept at `month`'s start (hub."SubscriptionMetricsSnapshotKey"), by customer. */
async function storedEntries(month: string) {
  await metricsSnapshotsWritten();
  const rows = await admin.db
    .select()
    .from(keys)
    .where(and(eq(keys.product, APP), eq(keys.monthStart, new Date(`${month}-01T00:00:00Z`))))
    .orderBy(asc(keys.customer));
  return rows.map(({ product: _product, monthStart: _monthStart, ...entry }) => entry);
}

/** The same from every history row before `month`, replayed month by month from January by a fresh engine. */
async function replayedEntries(month: string) {
  const end = new Date(`${month}-01T00:00:00Z`);
  const rows: THistoryRow[] = await admin.db
    .select(HISTORY_COLUMNS)
    .from(c)
    .where(and(eq(c.appId, APP), lt(c.occurredAt, end)))
    .orderBy(asc(c.occurredAt), asc(c.id));
  const engine = new SubscriptionMetricsEngine();
  const cursor = { next: 0 };
  for (const m of monthsBetween('2026-01', month).slice(0, -1)) {
    engine.window(m.key, m.end.getTime(), rows, cursor);
  }
  return engine
    .entries()
    .map((e) => ({
      customer: e.customer,
      appId: e.row.appId,
      subscriptionId: e.row.subscriptionId,
      userId: e.row.userId,
      organizationId: e.row.organizationId,
      status: e.row.status,
      monthlyAmountCents: e.row.monthlyAmountCents,
      trial: e.row.trial,
      occurredAt: e.row.occurredAt.getTime(),
      pastDueSince: e.pastDueSince,
      contribution: e.contribution,
      graceEnd: e.graceEnd,
      everCounted: e.everCounted,
      trialOpen: e.openTrial !== undefined,
      trialCohort: e.openTrial ?? null,
    }))
    .sort((a, b) => a.customer.localeCompare(b.customer));
}

const load = (hubProcess: TDatabaseHandle, now: Date) =>
  loadSubscriptionMonths(hubProcess.db, APP, monthsBetween('2026-01', now.toISOString().slice(0, 7)), now);

beforeAll(async () => {
  await admin.db.insert(schema.planPrice).values([
    { appId: APP, plan: 'basic', monthlyPriceCents: BASIC },
    { appId: APP, plan: 'plus', monthlyPriceCents: PLUS },
  ]);
  const [a, b, t, d] = [await newUser('a'), await newUser('b'), await newUser('t'), await newUser('d')];
  await change(a, '2026-01-05T10:00:00Z', { plan: 'plus', status: 'active' });
  await change(b, '2026-01-10T10:00:00Z', { plan: 'basic', status: 'active' });
  await change(a, '2026-03-02T10:00:00Z', { plan: 'basic' });
  await change(d, '2026-04-02T10:00:00Z', { plan: 'plus', status: 'active' });
  // Across August's start: B's renewal fails on 25 July (the grace ends on 8 August), T's trial starts in July
  // and converts in August, so the state kept at August's start holds a grace still running and an open trial.
  await change(b, '2026-07-25T10:00:00Z', { status: 'past_due' });
  await change(t, '2026-07-20T10:00:00Z', { plan: 'plus', status: 'active', trialEndsAt: TRIAL_END });
  await change(t, '2026-08-10T10:00:00Z', { trialEndsAt: null });
  // Across September's start: D's renewal fails on 28 August; A upgrades on 5 September.
  await change(d, '2026-08-28T10:00:00Z', { status: 'past_due' });
  await change(a, '2026-09-05T10:00:00Z', { plan: 'plus' });
});

describe('closed months kept in the database (hub."SubscriptionMetricsSnapshot")', () => {
  it('equal a full recompute after a restart, in a new month and after late rows', async () => {
    const august = new Date('2026-08-20T12:00:00Z');
    const first = await load(newProcess(), august);
    expect(first).toEqual(await recomputed(august));
    // B's grace ended inside August; T converted in August (July's cohort).
    expect(first.months.map((m) => m.mrrEndCents).slice(6)).toEqual([
      BASIC + BASIC + PLUS,
      BASIC + PLUS + PLUS,
    ]);
    expect(first.months[6]?.trialsConverted).toBe(1);
    const [august1] = await stored();
    expect(august1).toMatchObject({ monthStart: '2026-08', historyRows: 6 });
    // One row per subscription, as a full replay leaves them (B's grace still running, T's trial open).
    expect(await storedEntries('2026-08')).toEqual(await replayedEntries('2026-08'));
    expect((await storedEntries('2026-08')).length).toBe(4);

    // A restart: another process resumes August's snapshot as it is (nothing recomputed, nothing written).
    expect(await load(newProcess(), august)).toEqual(first);
    expect(await stored()).toEqual([august1]);

    // A new month: September resumes from August's start, and keeps its own snapshot beside it.
    const september = new Date('2026-09-15T12:00:00Z');
    const hubProcess = newProcess();
    expect(await load(hubProcess, september)).toEqual(await recomputed(september));
    expect(await stored()).toEqual([
      august1,
      expect.objectContaining({ monthStart: '2026-09', historyRows: 8 }),
    ]);
    // September's subscriptions: those August touched replayed, the others copied from August's rows.
    expect(await storedEntries('2026-09')).toEqual(await replayedEntries('2026-09'));

    // A Stripe event of 30 August arrives in September: August's snapshot still holds (it starts before the
    // late row), September's is written again from it.
    await change(await newUser('late-august'), '2026-08-30T10:00:00Z', { plan: 'basic', status: 'active' });
    const afterLate = await load(hubProcess, september);
    expect(afterLate).toEqual(await recomputed(september));
    // August's new MRR: T's converted trial and the late subscription.
    expect(afterLate.months[7]?.newCents).toBe(PLUS + BASIC);
    expect(await stored()).toEqual([
      august1,
      expect.objectContaining({ monthStart: '2026-09', historyRows: 9 }),
    ]);
    expect(await storedEntries('2026-09')).toEqual(await replayedEntries('2026-09'));

    // One of March, months back: no snapshot holds any longer, the whole history is replayed.
    await change(await newUser('late-march'), '2026-03-10T10:00:00Z', { plan: 'plus', status: 'active' });
    const afterOld = await load(newProcess(), september);
    expect(afterOld).toEqual(await recomputed(september));
    expect(afterOld.months[2]?.newCents).toBe(PLUS);
    expect(await stored()).toEqual([
      august1,
      expect.objectContaining({ monthStart: '2026-09', historyRows: 10 }),
    ]);
    expect(await storedEntries('2026-09')).toEqual(await replayedEntries('2026-09'));
    // And a restart after all that resumes September's snapshot with the same figures.
    expect(await load(newProcess(), september)).toEqual(afterOld);
  });
});
