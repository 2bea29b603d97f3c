import {
  CATALOG,
  FREE_TRIAL_PLAN_ID,
  findProductByAppId,
  NO_SUBSCRIPTION_TRIAL_APP_ID,
  NO_SUBSCRIPTION_TRIAL_DAYS,
  PLAN_LIMITS,
  SVD_APP_ID,
} from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq, ilike, inArray, isNotNull, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type TSearchCustomersInput, ZSearchCustomersInputSchema } from './customer-search-query';

/** "Trial ending" means the trial's last day is at most this many days away (issue 14). */
export const TRIAL_ENDING_DAYS = 7;

const DAY_MS = 86_400_000;

export interface TCustomerAppPlan {
  appId: string;
  appName: string;
  plan: string;
  planName: string;
  status: string;
  trialEndsAt: Date | null;
  cancelAtPeriodEnd: boolean;
  migrated: boolean;
}

export interface TCustomerSearchRow {
  userId: string;
  email: string;
  name: string | null;
  signedUpAt: Date | null;
  role: string;
  deletedAt: Date | null;
  /** Banned by staff (sign-in refused), or null. */
  bannedAt: Date | null;
  /** One entry per hub."Subscription" row (every status), in catalog order. */
  apps: TCustomerAppPlan[];
}

export interface TCustomerSearchResult {
  rows: TCustomerSearchRow[];
  /** Exact up to CUSTOMER_SEARCH_COUNT_CAP; `totalCapped` when there are more matches than that. */
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

/** LIKE's wildcards and its escape character, taken literally: a search for "50%_off" finds exactly that text. */
const likeContains = (q: string) => `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

const STRIPE_CUSTOMER_ID = /^cus_[A-Za-z0-9]+$/;
const STRIPE_SUBSCRIPTION_ID = /^sub_[A-Za-z0-9]+$/;

/**
 * Plan order for sorting: the catalog's order across products (cheapest first within each product). SQL's
 * hub."PlanRank" (migration 0038, for hub."CustomerProduct") ranks the same; a test compares them.
 */
export const PLAN_RANK = new Map<string, number>();
for (const product of CATALOG)
  for (const plan of product.plans) if (!PLAN_RANK.has(plan.id)) PLAN_RANK.set(plan.id, PLAN_RANK.size + 1);

/** Matches counted exactly up to this many; beyond it the answer is "more than 10,000" (and paging stops there). */
export const CUSTOMER_SEARCH_COUNT_CAP = 10_000;

/**
 * The console's one search box (issue 14): a Stripe customer id (`cus_…`, from hub."Customer" or a
 * subscription), a Stripe subscription id (`sub_…`), or else part of an email or a name (case-insensitive; one or
 * two characters match the start) or an exact user id; narrowed by filters and a product, sorted, paged, with the
 * total. Built to answer within 100 ms over 100,000 customers (see the comments below for how).
 */
export async function searchCustomers(
  database: TDatabase,
  rawInput: unknown,
  now = new Date(),
): Promise<TCustomerSearchResult> {
  const input = ZSearchCustomersInputSchema.parse(rawInput);
  const conditions = conditionsFor(input, now);
  const where = conditions.length > 0 ? sql` where ${and(...conditions)}` : sql``;
  const u = schema.user;
  const offset = (input.page - 1) * input.pageSize;
  const result = (ids: string[], total: number, totalCapped: boolean) =>
    detailsOf(database, ids).then((rows) => ({
      rows,
      total,
      totalCapped,
      page: input.page,
      pageSize: input.pageSize,
    }));

  // Only the sort keys are carried through the sort; the page's 25 rows get their details afterwards.
  const sortPlan = input.sort === 'plan';
  const ss = alias(schema.subscription, 'sortSubscription');
  const planRank = sql`case ${ss.plan} ${sql.join(
    [...PLAN_RANK].map(([plan, rank]) => sql`when ${plan} then ${rank}::int`),
    sql` `,
  )} else 0 end`;
  const keys =
    input.sort === 'email'
      ? sql`, lower(${u.email}) as "emailKey"`
      : sortPlan
        ? sql`, ${ss.plan} is null as "noPlan", ${planRank} as "planRank", ${ss.status} as "planStatus"`
        : sql``;
  const matched = sql`select ${u.id} as "userId", ${u.createdAt} as "signedUpAt"${keys} from ${u}${
    sortPlan
      ? sql` left join ${schema.subscription} as ${sql.identifier('sortSubscription')} on ${ss.userId} = ${u.id} and ${ss.appId} = ${input.app ?? SVD_APP_ID}`
      : sql``
  }${where}`;
  const dir = sql.raw(input.dir);
  const order =
    input.sort === 'email'
      ? sql`"emailKey" ${dir}, "userId" ${dir}`
      : sortPlan
        ? // Customers without a plan of the product last in both directions; newest first within a plan.
          sql`"noPlan", "planRank" ${dir}, "planStatus" ${dir}, "signedUpAt" desc, "userId" desc`
        : sql`"signedUpAt" ${dir}, "userId" ${dir}`;
  const page = sql`order by ${order} limit ${input.pageSize} offset ${offset}`;
  const precomputed = await fromCustomerProducts(database, input, offset);
  if (precomputed) return result(precomputed.ids, precomputed.total, precomputed.totalCapped);
  /** Walks the sort order (an index where there is one) until the page is full: fast when matches are common. */
  const walk = async () =>
    (
      await database.execute<{ userId: string }>(sql`select "userId" from (${matched}) as m ${page}`)
    ).rows.map((r) => r.userId);

  if (conditions.length === 0) {
    const [ids, counted] = await Promise.all([
      offset < CUSTOMER_SEARCH_COUNT_CAP ? walk() : Promise.resolve([]),
      database.execute<{ n: number }>(sql`select count(*)::int as n from ${u}`),
    ]);
    return result(ids, counted.rows[0]?.n ?? 0, false);
  }
  // With conditions: the first 10,001 matches in the page's order are collected once (MATERIALIZED), counted,
  // and the page is cut from them, in one statement. PostgreSQL picks how to find them from its estimates: for
  // common matches it walks the sort order's index and stops at 10,001; for rare ones (every migrated customer
  // signed up long ago) it gathers them through their own index and sorts them, instead of reading every newer
  // customer one by one. Paging stops at 10,000 (offsets below it, page sizes that divide it), so every page
  // lies inside what was collected; past 10,000 the total reads "more than 10,000".
  const [collected] =
    // ARRAY(subquery) keeps the subquery's order (array_agg over a subquery need not).
    (
      await database.execute<{ n: number; ids: string[] }>(
        sql`with m as materialized (${matched} order by ${order} limit ${CUSTOMER_SEARCH_COUNT_CAP + 1})
        select (select count(*)::int from m) as n,
          array(select "userId" from m ${page}) as ids`,
      )
    ).rows;
  const found = collected?.n ?? 0;
  const capped = found > CUSTOMER_SEARCH_COUNT_CAP;
  return result(
    offset < CUSTOMER_SEARCH_COUNT_CAP ? (collected?.ids ?? []) : [],
    capped ? CUSTOMER_SEARCH_COUNT_CAP : found,
    capped,
  );
}

/**
 * The two searches that would otherwise read every customer (issue 14's benchmark found them slowest): a product
 * alone, newest first, and the plan sort, over everyone or one product. hub."CustomerProduct" (kept by triggers on
 * hub."Subscription" and SVD's profiles) holds each product's customers with their sign-up time, plan rank and
 * status, indexed in these orders, so a page is a short index walk. The same pages and totals as the general
 * statement below (compared on 100,000 generated customers); null for every other search.
 */
async function fromCustomerProducts(
  database: TDatabase,
  input: TSearchCustomersInput,
  offset: number,
): Promise<{ ids: string[]; total: number; totalCapped: boolean } | null> {
  if (input.q !== '' || input.filters.length > 0) return null;
  const cp = sql`hub."CustomerProduct"`;
  const dir = sql.raw(input.dir);
  const size = input.pageSize;
  const ids = async (statement: SQL) =>
    (await database.execute<{ userId: string }>(statement)).rows.map((row) => row.userId);
  /** A product's customers, counted up to the cap as the general statement counts matches. */
  const cappedTotal = async (appId: string) => {
    const [counted] = (
      await database.execute<{ n: number }>(
        sql`select count(*)::int as n from (select 1 from ${cp} where "appId" = ${appId} limit ${CUSTOMER_SEARCH_COUNT_CAP + 1}) m`,
      )
    ).rows;
    const found = counted?.n ?? 0;
    return {
      total: Math.min(found, CUSTOMER_SEARCH_COUNT_CAP),
      totalCapped: found > CUSTOMER_SEARCH_COUNT_CAP,
    };
  };

  if (input.app && input.sort === 'signup') {
    const [page, total] = await Promise.all([
      offset < CUSTOMER_SEARCH_COUNT_CAP
        ? ids(sql`select "userId" from ${cp} where "appId" = ${input.app}
            order by "signedUpAt" ${dir}, "userId" ${dir} limit ${size} offset ${offset}`)
        : Promise.resolve([]),
      cappedTotal(input.app),
    ]);
    return { ids: page, ...total };
  }
  if (input.sort !== 'plan') return null;

  // Customers with a plan of the product first (rank, status, newest), then those without (newest).
  const appId = input.app ?? SVD_APP_ID;
  const pageOf = async () => {
    const planned =
      await ids(sql`select "userId" from ${cp} where "appId" = ${appId} and "planRank" is not null
      order by "planRank" ${dir}, "planStatus" ${dir}, "signedUpAt" desc, "userId" desc limit ${size} offset ${offset}`);
    if (planned.length === size) return planned;
    const [counted] =
      planned.length > 0
        ? [{ n: offset + planned.length }]
        : (
            await database.execute<{ n: number }>(
              sql`select count(*)::int as n from ${cp} where "appId" = ${appId} and "planRank" is not null`,
            )
          ).rows;
    const rest = Math.max(0, offset - (counted?.n ?? 0));
    const unplanned = await ids(
      input.app
        ? // The product's customers without a plan: SVD's free trial.
          sql`select "userId" from ${cp} where "appId" = ${appId} and "planRank" is null
            order by "signedUpAt" desc, "userId" desc limit ${size - planned.length} offset ${rest}`
        : sql`select u.id as "userId" from ${schema.user} u
            where not exists (select 1 from ${schema.subscription} s where s."userId" = u.id and s."appId" = ${appId})
            order by u."createdAt" desc, u.id desc limit ${size - planned.length} offset ${rest}`,
    );
    return [...planned, ...unplanned];
  };
  if (input.app) {
    const [page, total] = await Promise.all([
      offset < CUSTOMER_SEARCH_COUNT_CAP ? pageOf() : Promise.resolve([]),
      cappedTotal(input.app),
    ]);
    return { ids: page, ...total };
  }
  const [page, counted] = await Promise.all([
    offset < CUSTOMER_SEARCH_COUNT_CAP ? pageOf() : Promise.resolve([]),
    database.execute<{ n: number }>(sql`select count(*)::int as n from ${schema.user}`),
  ]);
  return { ids: page, total: counted.rows[0]?.n ?? 0, totalCapped: false };
}

/** The rows of a page, in the page's order: the user's own columns and a plan per app. */
async function detailsOf(database: TDatabase, ids: string[]): Promise<TCustomerSearchRow[]> {
  if (ids.length === 0) return [];
  const u = schema.user;
  const [users, apps] = await Promise.all([
    database
      .select({
        userId: u.id,
        email: u.email,
        name: u.name,
        signedUpAt: u.createdAt,
        role: u.role,
        deletedAt: u.deletedAt,
        bannedAt: u.bannedAt,
      })
      .from(u)
      .where(inArray(u.id, ids)),
    appsOf(database, ids),
  ]);
  const byId = new Map(users.map((user) => [user.userId, user]));
  return ids.flatMap((id) => {
    const user = byId.get(id);
    return user ? [{ ...user, apps: apps.get(id) ?? [] }] : [];
  });
}

function conditionsFor(input: TSearchCustomersInput, now: Date): SQL[] {
  const u = schema.user;
  const s = schema.subscription;
  const c = schema.customer;
  const p = schema.userProfile;
  const conditions: SQL[] = [];
  const nowAt = sql`${now.toISOString()}::timestamp`;
  /** Subscriptions matching `condition`, of the chosen product when one is chosen. */
  const subscribers = (condition: SQL) =>
    sql`select ${s.userId} from ${s} where ${and(condition, input.app ? eq(s.appId, input.app) : undefined)}`;

  const q = input.q;
  if (STRIPE_CUSTOMER_ID.test(q)) {
    // hub."Customer" holds the Hub's own Stripe customer; a migrated subscription may carry an older one.
    conditions.push(
      userIdIn(
        sql`select ${c.userId} from ${c} where ${c.stripeCustomerId} = ${q}
            union select ${s.userId} from ${s} where ${s.stripeCustomerId} = ${q}`,
      ),
    );
  } else if (STRIPE_SUBSCRIPTION_ID.test(q)) {
    conditions.push(userIdIn(sql`select ${s.userId} from ${s} where ${s.stripeSubscriptionId} = ${q}`));
  } else if (q.length >= 3) {
    // Trigram indexes (pg_trgm) answer '%…%' on both columns; the id is the primary key.
    const pattern = likeContains(q);
    conditions.push(or(ilike(u.email, pattern), ilike(u.name, pattern), eq(u.id, q)) as SQL);
  } else if (q) {
    // One or two characters have no trigram: match the start, through the text_pattern_ops indexes.
    const prefix = `${likeContains(q.toLowerCase()).slice(1)}`;
    conditions.push(
      or(sql`lower(${u.email}) like ${prefix}`, sql`lower(${u.name}) like ${prefix}`, eq(u.id, q)) as SQL,
    );
  }

  if (input.app) {
    // A product is a broad condition (most customers of SVD): checked per candidate row through the unique
    // (userId, appId) key and UserProfile's primary key, never by hashing every subscriber and profile first.
    const subscribed = sql`exists (select 1 from ${s} where ${s.userId} = ${u.id} and ${s.appId} = ${input.app})`;
    // SVD's customers include those on its free trial, who have a profile there but no subscription.
    conditions.push(
      input.app === NO_SUBSCRIPTION_TRIAL_APP_ID
        ? sql`(${subscribed} or exists (select 1 from ${p} where ${p.userId} = ${u.id}))`
        : subscribed,
    );
  }

  for (const filter of new Set(input.filters)) {
    if (filter === 'past_due') conditions.push(userIdIn(subscribers(eq(s.status, 'past_due'))));
    if (filter === 'migrated') conditions.push(userIdIn(subscribers(isNotNull(s.migratedAt))));
    if (filter === 'trial_ending') conditions.push(userIdIn(trialEnding(input, now, nowAt, subscribers)));
    if (filter === 'over_quota') conditions.push(userIdIn(overQuota()));
  }
  return conditions;
}

/**
 * `"User".id in (<select of user ids>)`: the planner makes it a semi-join, so each filter is read once through its
 * own index rather than once per user. Alternatives are UNIONs inside one subquery, never ORs of subqueries
 * (which PostgreSQL can only check row by row).
 */
function userIdIn(select: SQL): SQL {
  return sql`${schema.user.id} in (${select})`;
}

/**
 * A trial whose end is in (now, now + 7 days]: a paid plan's Stripe trial (status active, trialEndsAt), or, for
 * SVD, its no-subscription free trial, which ends NO_SUBSCRIPTION_TRIAL_DAYS after the profile's creation.
 */
function trialEnding(
  input: TSearchCustomersInput,
  now: Date,
  nowAt: SQL,
  subscribers: (condition: SQL) => SQL,
): SQL {
  const s = schema.subscription;
  const p = schema.userProfile;
  const until = sql`${new Date(now.getTime() + TRIAL_ENDING_DAYS * DAY_MS).toISOString()}::timestamp`;
  const paidTrial = subscribers(
    and(eq(s.status, 'active'), sql`${s.trialEndsAt} > ${nowAt}`, sql`${s.trialEndsAt} <= ${until}`) as SQL,
  );
  if (input.app && input.app !== NO_SUBSCRIPTION_TRIAL_APP_ID) return paidTrial;
  const trialMs = NO_SUBSCRIPTION_TRIAL_DAYS * DAY_MS;
  const startedAfter = sql`${new Date(now.getTime() - trialMs).toISOString()}::timestamp`;
  const startedBy = sql`${new Date(now.getTime() - trialMs + TRIAL_ENDING_DAYS * DAY_MS).toISOString()}::timestamp`;
  return sql`${paidTrial} union select ${p.userId} from ${p}
    where ${p.createdAt} > ${startedAfter} and ${p.createdAt} <= ${startedBy}
      and not exists (select 1 from ${s} where ${s.userId} = ${p.userId} and ${s.appId} = ${NO_SUBSCRIPTION_TRIAL_APP_ID})`;
}

/**
 * SVD storage above the plan's limit, as SVD counts it (getVaultStatus): securevault."UserUsage" (per-user sums
 * only, the one SVD table view the Hub may read) against the SVD subscription's plan, or the trial's limit.
 */
function overQuota(): SQL {
  const usage = schema.userUsage;
  const s = schema.subscription;
  const limit = sql`case ${s.plan} ${sql.join(
    Object.entries(PLAN_LIMITS).map(
      ([plan, limits]) => sql`when ${plan} then ${limits.storageBytes}::bigint`,
    ),
    sql` `,
  )} else ${PLAN_LIMITS[FREE_TRIAL_PLAN_ID].storageBytes}::bigint end`;
  return sql`select ${usage.userId} from ${usage}
    left join ${s} on ${s.userId} = ${usage.userId} and ${s.appId} = ${SVD_APP_ID}
    where ${usage.storageBytes} > ${limit}`;
}

async function appsOf(database: TDatabase, userIds: string[]): Promise<Map<string, TCustomerAppPlan[]>> {
  const result = new Map<string, TCustomerAppPlan[]>();
  if (userIds.length === 0) return result;
  const s = schema.subscription;
  const subscriptions = await database
    .select({
      userId: s.userId,
      appId: s.appId,
      plan: s.plan,
      status: s.status,
      trialEndsAt: s.trialEndsAt,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      migratedAt: s.migratedAt,
    })
    .from(s)
    .where(inArray(s.userId, userIds));
  const order = (appId: string) => CATALOG.findIndex((p) => p.appId === appId);
  for (const row of subscriptions.sort((a, b) => order(a.appId) - order(b.appId))) {
    if (!row.userId) continue;
    const product = findProductByAppId(row.appId);
    const list = result.get(row.userId) ?? [];
    list.push({
      appId: row.appId,
      appName: product?.name ?? row.appId,
      plan: row.plan,
      planName: product?.plans.find((p) => p.id === row.plan)?.name ?? row.plan,
      status: row.status,
      trialEndsAt: row.trialEndsAt,
      cancelAtPeriodEnd: row.cancelAtPeriodEnd,
      migrated: row.migratedAt !== null,
    });
    result.set(row.userId, list);
  }
  return result;
}
