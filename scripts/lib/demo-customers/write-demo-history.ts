/**
 * The metrics' records for generated customers (issue 14), written by `seedDemoCustomers`' onBatch hook in the same
 * transaction: hub."SubscriptionChange" from each customer's simulated timeline (the trigger's one row per bulk
 * inserted subscription, dated now, is replaced by the history it stands for), and the launches of SVD's users
 * (hub."Launch", with SVD's spent tokens in securevault."UsedLaunchToken") so that active users and hand-off
 * success have something to count. Deterministic: launches derive from each customer's index.
 */
import type pg from 'pg';
import type { TDemoCustomer, TDemoEvent } from './simulate-customers';

const DAY = 86_400_000;
const APP = 'app_securevault';

interface TChangeRow {
  subscriptionId: string;
  userId: string;
  plan: string;
  status: string;
  amount: number;
  trial: boolean;
  cancelAtPeriodEnd: boolean;
  previousPlan: string | null;
  previousStatus: string | null;
  previousAmount: number | null;
  type: string;
  at: Date;
}

/** The recorded states of one timeline: each event after which plan, status, amount, trial or cancel changed. */
function changesOf(customer: TDemoCustomer): TChangeRow[] {
  const subscription = customer.subscription;
  if (!subscription) return [];
  const rows: TChangeRow[] = [];
  let cancelAtPeriodEnd = false;
  let last: TChangeRow | undefined;
  for (const event of customer.timeline as TDemoEvent[]) {
    if (!event.plan || !event.status) continue;
    if (event.type === 'cancel_scheduled') cancelAtPeriodEnd = true;
    if (event.type === 'canceled' || event.type === 'reactivated' || event.type === 'trial_canceled')
      cancelAtPeriodEnd = false;
    const status = event.status === 'trialing' ? 'active' : event.status;
    const trial = event.status === 'trialing';
    if (
      last &&
      last.plan === event.plan &&
      last.status === status &&
      last.amount === event.monthlyPriceCents &&
      last.trial === trial &&
      last.cancelAtPeriodEnd === cancelAtPeriodEnd
    ) {
      continue;
    }
    const row: TChangeRow = {
      subscriptionId: subscription.id,
      userId: customer.userId,
      plan: event.plan,
      status,
      amount: event.monthlyPriceCents,
      trial,
      cancelAtPeriodEnd,
      previousPlan: last?.plan ?? null,
      previousStatus: last?.status ?? null,
      previousAmount: last?.amount ?? null,
      type: event.type,
      at: event.at,
    };
    rows.push(row);
    last = row;
  }
  return rows;
}

/**
 * When a customer opened SVD: about every 6 to 12 days (by index) from the first use while they have access —
 * to now for a live subscription, to the cancellation for an ended one, 14 days for the free trial alone.
 */
function launchesOf(customer: TDemoCustomer, now: number): number[] {
  if (!customer.svdFirstUseAt) return [];
  const first = customer.svdFirstUseAt.getTime();
  const canceled = [...customer.timeline]
    .reverse()
    .find((e) => e.status === 'canceled' && e.type !== 'svd_first_use');
  const end = !customer.subscription
    ? first + 14 * DAY
    : customer.subscription.status === 'canceled'
      ? (canceled?.at.getTime() ?? first + 14 * DAY)
      : now;
  const gap = (6 + (customer.index % 7)) * DAY;
  const times: number[] = [];
  for (let at = first; at < Math.min(end, now); at += gap) times.push(at);
  return times;
}

const iso = (at: number | Date) => new Date(at).toISOString();

/** onBatch for seedDemoCustomers: history and launches for these customers. Returns how many rows of each. */
export async function writeDemoHistory(
  client: pg.PoolClient,
  customers: TDemoCustomer[],
  options: { now: Date },
): Promise<{ changes: number; launches: number }> {
  const changes = customers.flatMap(changesOf);
  const ids = customers.flatMap((c) => (c.subscription ? [c.subscription.id] : []));
  // The trigger recorded each bulk-inserted row as it is now; the simulated history replaces that one row.
  await client.query(`DELETE FROM hub."SubscriptionChange" WHERE "subscriptionId" = ANY($1::text[])`, [ids]);
  await client.query(
    `INSERT INTO hub."SubscriptionChange" ("subscriptionId", "userId", "appId", plan, status, "monthlyAmountCents",
       trial, "cancelAtPeriodEnd", "previousPlan", "previousStatus", "previousMonthlyAmountCents", source,
       "sourceRef", "occurredAt", "recordedAt")
     SELECT sid, uid, $1, plan, status, amount, trial, cape, pplan, pstatus, pamount, 'backfill', 'demo:' || kind, at, at
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::boolean[], $8::boolean[],
       $9::text[], $10::text[], $11::int[], $12::text[], $13::timestamp[])
       AS t(sid, uid, plan, status, amount, trial, cape, pplan, pstatus, pamount, kind, at)`,
    [
      APP,
      changes.map((c) => c.subscriptionId),
      changes.map((c) => c.userId),
      changes.map((c) => c.plan),
      changes.map((c) => c.status),
      changes.map((c) => c.amount),
      changes.map((c) => c.trial),
      changes.map((c) => c.cancelAtPeriodEnd),
      changes.map((c) => c.previousPlan),
      changes.map((c) => c.previousStatus),
      changes.map((c) => c.previousAmount),
      changes.map((c) => c.type),
      changes.map((c) => iso(c.at)),
    ],
  );

  const now = options.now.getTime();
  const launches = customers.flatMap((c) =>
    launchesOf(c, now).map((at, n) => ({
      id: `demo_launch_${c.index}_${n}`,
      userId: c.userId,
      at,
      n,
      index: c.index,
    })),
  );
  // SVD spends nearly every token a second later; one in forty never arrives (a closed tab, a lost network).
  const spent = launches.filter((l) => (l.index + l.n) % 40 !== 7);
  // A bulk load, written as migration 0036 backfilled: the per-row triggers would update the same few hundred
  // hub."LaunchMonthTotal" counters 690,000 times in this one transaction, and each update walks every version of
  // its row the transaction wrote before (quadratic: 100,000 customers took over half an hour at load 20). Both
  // triggers are off for these inserts only (ALTER TABLE is transactional: they are back on at the batch's end, and
  // never off if the seed fails) and the rows they would write are written set-based. The accounts are new and
  // launch SecureVault only, so each (month, account) is a first launch of the app and of any app that month.
  await client.query(`ALTER TABLE hub."Launch" DISABLE TRIGGER "Launch_month_rollup"`);
  await client.query(
    `ALTER TABLE securevault."UsedLaunchToken" DISABLE TRIGGER "UsedLaunchToken_month_total"`,
  );
  const launched = [launches.map((l) => l.id), launches.map((l) => l.userId), launches.map((l) => iso(l.at))];
  await client.query(
    `INSERT INTO hub."Launch" (id, "userId", "appId", "createdAt")
     SELECT id, uid, $1, at FROM unnest($2::text[], $3::text[], $4::timestamp[]) AS t(id, uid, at)`,
    [APP, ...launched],
  );
  await client.query(
    `INSERT INTO securevault."UsedLaunchToken" (jti, "userId", "usedAt", "expiresAt")
     SELECT id, uid, at + interval '1 second', at + interval '5 minutes'
     FROM unnest($1::text[], $2::text[], $3::timestamp[]) AS t(id, uid, at)`,
    [spent.map((l) => l.id), spent.map((l) => l.userId), spent.map((l) => iso(l.at))],
  );
  const batch = `unnest($2::text[], $3::text[], $4::timestamp[]) AS t(id, uid, at)`;
  await client.query(
    `INSERT INTO hub."LaunchMonth" (month, "appId", "userId", launches)
     SELECT date_trunc('month', at), $1, uid, count(*) FROM ${batch} GROUP BY 1, 3`,
    [APP, ...launched],
  );
  // The trigger's stripes: issued and accounts by the account's hash, spent tokens by the token's; the app's row
  // and the across-apps row ('*', accounts only).
  await client.query(
    `INSERT INTO hub."LaunchMonthTotal" (month, "appId", stripe, issued, users)
     SELECT date_trunc('month', at), a.app, (hashtext(uid) & 15)::smallint, sum(a.issuing), count(DISTINCT uid)
     FROM ${batch}, LATERAL (VALUES ($1::text, 1), ('*', 0)) AS a(app, issuing)
     GROUP BY 1, 2, 3
     ON CONFLICT (month, "appId", stripe) DO UPDATE
       SET issued = "LaunchMonthTotal".issued + EXCLUDED.issued, users = "LaunchMonthTotal".users + EXCLUDED.users`,
    [APP, ...launched],
  );
  await client.query(
    `INSERT INTO hub."LaunchMonthTotal" (month, "appId", stripe, consumed)
     SELECT date_trunc('month', at + interval '1 second'), $1, (hashtext(id) & 15)::smallint, count(*)
     FROM unnest($2::text[], $3::timestamp[]) AS t(id, at) GROUP BY 1, 3
     ON CONFLICT (month, "appId", stripe) DO UPDATE SET consumed = "LaunchMonthTotal".consumed + EXCLUDED.consumed`,
    [APP, spent.map((l) => l.id), spent.map((l) => iso(l.at))],
  );
  await client.query(
    `INSERT INTO hub."ProductUser" ("appId", "userId", "signedUpAt")
     SELECT DISTINCT $1, u.id, u."createdAt" FROM unnest($2::text[]) AS t(uid) JOIN core."User" u ON u.id = t.uid
     ON CONFLICT DO NOTHING`,
    [APP, launches.map((l) => l.userId)],
  );
  await client.query(`ALTER TABLE hub."Launch" ENABLE TRIGGER "Launch_month_rollup"`);
  await client.query(
    `ALTER TABLE securevault."UsedLaunchToken" ENABLE TRIGGER "UsedLaunchToken_month_total"`,
  );
  return { changes: changes.length, launches: launches.length };
}
