/**
 * Simulated customers for development and benchmark databases (issue 14's console: `npm run admin:seed-demo`).
 * Pure and deterministic: the same seed, count, months and `now` give the same customers, timelines and ids, so a
 * benchmark run is repeatable and a metrics fixture can be recomputed. Nothing here touches a database.
 *
 * Each customer's life is simulated month by month from sign-up to `now`; the hub."Subscription" row is the state
 * the timeline ends in, so the current rows and the history (task D's table) always agree.
 */
import { createHash } from 'node:crypto';
import { en, Faker } from '@faker-js/faker';
import { CATALOG, CHECKOUT_TRIAL_DAYS, NO_SUBSCRIPTION_TRIAL_DAYS, SVD_APP_ID } from '@omg/contract';

const DAY = 86_400_000;

/** SVD's self-serve plans and their monthly prices, from the catalog (Enterprise has no price: never simulated). */
const SVD_PLANS = (CATALOG.find((p) => p.appId === SVD_APP_ID)?.plans ?? []).flatMap((plan) =>
  plan.priceCents === null ? [] : [{ id: plan.id, priceCents: plan.priceCents }],
);
/** How often each plan is chosen at checkout (starter … business_pro), roughly a real mix. */
const PLAN_WEIGHTS = [40, 32, 14, 7, 4, 3];

export type TDemoStatus = 'trialing' | 'active' | 'past_due' | 'canceled';

export type TDemoEventType =
  | 'signed_up'
  | 'svd_first_use'
  | 'migrated'
  | 'trial_started'
  | 'trial_converted'
  | 'trial_canceled'
  | 'subscribed'
  | 'upgraded'
  | 'downgrade_scheduled'
  | 'downgraded'
  | 'cancel_scheduled'
  | 'past_due'
  | 'recovered'
  | 'canceled'
  | 'reactivated';

/**
 * One thing that happened. `plan`, `status` and `monthlyPriceCents` describe the SVD subscription right after it
 * (null/0 before there is one): `status` is Stripe's word ('trialing' is a Hub row with status 'active' and a
 * future trialEndsAt); `monthlyPriceCents` is what the customer pays per month on that plan (the grandfathered
 * price for a migrated customer), whatever the status — whether it counts as MRR is the metrics' rule.
 */
export interface TDemoEvent {
  type: TDemoEventType;
  at: Date;
  plan: string | null;
  status: TDemoStatus | null;
  monthlyPriceCents: number;
}

/** The hub."Subscription" row (app_securevault) the timeline ends in. */
export interface TDemoSubscription {
  id: string;
  plan: string;
  status: 'active' | 'past_due' | 'canceled';
  stripeSubscriptionId: string;
  stripeCustomerId: string;
  stripePriceId: string;
  currentPeriodEnd: Date | null;
  trialEndsAt: Date | null;
  cancelAtPeriodEnd: boolean;
  migratedAt: Date | null;
  grandfatheredPriceCents: number | null;
  source: 'hub' | 'svd_direct_migration';
  scheduledPlan: string | null;
  scheduledPlanAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TDemoCustomer {
  /** 0-based position in the run: ids and emails derive from it and the seed. */
  index: number;
  userId: string;
  email: string;
  name: string;
  signedUpAt: Date;
  /** First use of SVD (its securevault."UserProfile"), or null for an account that never opened SVD. */
  svdFirstUseAt: Date | null;
  /** Bytes stored in SVD, for the few customers given usage (some above their plan after a downgrade). */
  svdStorageBytes: number;
  stripeCustomerId: string | null;
  subscription: TDemoSubscription | null;
  /** Oldest first; always starts with 'signed_up'. */
  timeline: TDemoEvent[];
}

export interface TSimulateOptions {
  count: number;
  /** Sign-ups are spread over this many months before `now`. */
  months: number;
  now: Date;
  seed: number;
}

/** The user-id prefix of every generated account: how a second run is recognised (and refused). */
export const DEMO_USER_ID_PREFIX = 'demo_';

/** A Stripe-looking id, stable for (seed, kind, index): `cus_` + 14 base62 characters, and so on. */
export function demoStripeId(prefix: string, seed: number, index: number): string {
  const digest = createHash('sha256').update(`${seed}:${prefix}:${index}`).digest();
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let id = '';
  for (let i = 0; i < 14; i += 1) id += alphabet[(digest[i] ?? 0) % 62];
  return `${prefix}_${id}`;
}

/** The legacy (pre-Hub) Stripe price of each plan a migrated customer keeps, and its grandfathered amount. */
export function legacyPriceOf(plan: string): { stripePriceId: string; monthlyPriceCents: number } {
  const price = SVD_PLANS.find((p) => p.id === plan)?.priceCents ?? 0;
  // About a quarter below today's price, rounded to a price ending in 99.
  return {
    stripePriceId: `price_legacy_demo_${plan}`,
    monthlyPriceCents: Math.max(99, Math.round((price * 0.75) / 100) * 100 - 1),
  };
}

export function demoPriceId(plan: string): string {
  return `price_demo_securevault_${plan}_monthly`;
}

/**
 * Yields `count` customers (sign-up order, but for the migrated, who arrive in the first weeks). Roughly: 8 % migrated SVD customers (signed up in the first weeks,
 * grandfathered prices), 52 % who use SVD (about half of them subscribe, half of those through a 7-day trial), 40 %
 * with a Hub account only; subscribers upgrade, schedule downgrades, fall past due, cancel and come back.
 */
export function* simulateCustomers(options: TSimulateOptions): Generator<TDemoCustomer> {
  const faker = new Faker({ locale: [en] });
  faker.seed(options.seed);
  const now = options.now.getTime();
  const start = now - options.months * 30.44 * DAY;
  const emails = new Set<string>();
  // Sign-up instants first, sorted, so the run is in sign-up order and growth bends upwards over the year.
  const instants = Array.from(
    { length: options.count },
    () => start + (now - start) * Math.sqrt(faker.number.float()),
  );
  instants.sort((a, b) => a - b);
  for (let index = 0; index < options.count; index += 1) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    let email = faker.internet.exampleEmail({ firstName, lastName }).toLowerCase();
    for (let n = 2; emails.has(email); n += 1) email = email.replace(/^([^@]*?)(\.\d+)?@/, `$1.${n}@`);
    emails.add(email);
    const roll = faker.number.float();
    const migrated = roll < 0.08;
    const signedUpAt = migrated ? start + faker.number.float({ max: 21 }) * DAY : (instants[index] ?? now);
    yield simulateOne(faker, options, {
      index,
      email,
      name: `${firstName} ${lastName}`,
      signedUpAt,
      kind: migrated ? 'migrated' : roll < 0.6 ? 'svd' : 'hub_only',
      now,
    });
  }
}

interface TSeedFacts {
  index: number;
  email: string;
  name: string;
  signedUpAt: number;
  kind: 'migrated' | 'svd' | 'hub_only';
  now: number;
}

function simulateOne(faker: Faker, options: TSimulateOptions, facts: TSeedFacts): TDemoCustomer {
  const { index, now } = facts;
  const seed = options.seed;
  const timeline: TDemoEvent[] = [];
  let plan: string | null = null;
  let status: TDemoStatus | null = null;
  let price = 0;
  const push = (type: TDemoEventType, at: number) =>
    timeline.push({ type, at: new Date(Math.min(at, now)), plan, status, monthlyPriceCents: price });
  push('signed_up', facts.signedUpAt);
  const customer: TDemoCustomer = {
    index,
    userId: `${DEMO_USER_ID_PREFIX}${demoStripeId('u', seed, index).slice(2)}`,
    email: facts.email,
    name: facts.name,
    signedUpAt: new Date(facts.signedUpAt),
    svdFirstUseAt: null,
    svdStorageBytes: 0,
    stripeCustomerId: null,
    subscription: null,
    timeline,
  };
  if (facts.kind === 'hub_only') return customer;

  const firstUse = facts.signedUpAt + faker.number.float({ max: 2 }) * DAY;
  if (firstUse >= now) return customer;
  customer.svdFirstUseAt = new Date(firstUse);
  push('svd_first_use', firstUse);
  // A few store documents: many within their plan, some above it (a trial that ended, a downgrade).
  if (faker.number.float() < 0.03) {
    customer.svdStorageBytes = Math.round(faker.number.float({ min: 0.05, max: 30 }) * 1024 ** 3);
  }
  const pickPlan = () =>
    SVD_PLANS[faker.helpers.weightedArrayElement(PLAN_WEIGHTS.map((weight, i) => ({ weight, value: i })))] ??
    SVD_PLANS[0];
  const priceOf = (id: string) => grandfathered ?? SVD_PLANS.find((p) => p.id === id)?.priceCents ?? 0;
  let grandfathered: number | null = null;
  let subscribedAt: number;
  let trialEndsAt: number | null = null;
  let migratedAt: number | null = null;

  if (facts.kind === 'migrated') {
    const chosen = pickPlan();
    plan = chosen?.id ?? 'starter';
    grandfathered = legacyPriceOf(plan).monthlyPriceCents;
    price = grandfathered;
    status = 'active';
    migratedAt = firstUse;
    subscribedAt = firstUse;
    push('migrated', firstUse);
  } else {
    // Half of SVD's users subscribe, within their 14-day free trial or a little after it.
    if (faker.number.float() >= 0.5) return customer;
    const at = firstUse + faker.number.float({ max: NO_SUBSCRIPTION_TRIAL_DAYS + 10 }) * DAY;
    if (at >= now) return customer;
    subscribedAt = at;
    plan = pickPlan()?.id ?? 'starter';
    price = priceOf(plan);
    if (faker.number.float() < 0.5) {
      status = 'trialing';
      trialEndsAt = at + CHECKOUT_TRIAL_DAYS * DAY;
      push('trial_started', at);
      if (trialEndsAt <= now) {
        if (faker.number.float() < 0.78) {
          status = 'active';
          push('trial_converted', trialEndsAt);
        } else {
          status = 'canceled';
          push('trial_canceled', trialEndsAt);
        }
      }
    } else {
      status = 'active';
      push('subscribed', at);
    }
  }

  // Month by month from the first paid period: each renewal may bring a change.
  let periodStart = trialEndsAt ?? subscribedAt;
  let cancelAtPeriodEnd = false;
  let scheduledPlan: string | null = null;
  let canceledAt: number | null = status === 'canceled' ? (trialEndsAt ?? subscribedAt) : null;
  const planIndex = () => SVD_PLANS.findIndex((p) => p.id === plan);
  while (periodStart + 30 * DAY <= now || (status === 'canceled' && canceledAt !== null)) {
    const renewal = periodStart + 30 * DAY;
    if (status === 'canceled') {
      // A canceled customer sometimes comes back, a few months later.
      const back = (canceledAt ?? renewal) + faker.number.float({ min: 20, max: 150 }) * DAY;
      if (faker.number.float() < 0.15 && back < now) {
        plan = pickPlan()?.id ?? plan;
        price = priceOf(plan ?? 'starter');
        status = 'active';
        push('reactivated', back);
        periodStart = back;
        canceledAt = null;
        continue;
      }
      break;
    }
    if (renewal > now) break;
    if (scheduledPlan) {
      plan = scheduledPlan;
      price = priceOf(plan);
      scheduledPlan = null;
      push('downgraded', renewal);
    }
    if (cancelAtPeriodEnd) {
      status = 'canceled';
      cancelAtPeriodEnd = false;
      canceledAt = renewal;
      push('canceled', renewal);
      continue;
    }
    const r = faker.number.float();
    const mid = renewal + faker.number.float({ min: 1, max: 25 }) * DAY;
    if (r < 0.025) {
      status = 'past_due';
      push('past_due', renewal);
      if (faker.number.float() < 0.7) {
        status = 'active';
        push('recovered', renewal + faker.number.float({ min: 1, max: 6 }) * DAY);
      } else if (renewal + 14 * DAY <= now) {
        status = 'canceled';
        canceledAt = renewal + 14 * DAY;
        push('canceled', canceledAt);
        continue;
      } else {
        // Still past due now: Stripe opened the new period with an unpaid invoice and keeps retrying.
        periodStart = renewal;
        break;
      }
    } else if (r < 0.055 && mid < now) {
      cancelAtPeriodEnd = true;
      push('cancel_scheduled', mid);
    } else if (r < 0.085 && planIndex() < SVD_PLANS.length - 1 && mid < now) {
      plan = SVD_PLANS[planIndex() + 1]?.id ?? plan;
      price = priceOf(plan ?? 'starter');
      push('upgraded', mid);
    } else if (r < 0.105 && planIndex() > 0 && mid < now) {
      scheduledPlan = SVD_PLANS[planIndex() - 1]?.id ?? null;
      push('downgrade_scheduled', mid);
    }
    periodStart = renewal;
  }

  const stripeCustomerId = demoStripeId('cus', seed, index);
  customer.stripeCustomerId = stripeCustomerId;
  const currentPeriodEnd =
    status === 'canceled'
      ? null
      : status === 'trialing' && trialEndsAt !== null
        ? trialEndsAt
        : periodStart + 30 * DAY;
  const last = timeline[timeline.length - 1];
  const finalPlan = plan ?? 'starter';
  customer.subscription = {
    id: `demo_sub_${index}`,
    plan: finalPlan,
    status: status === 'trialing' ? 'active' : (status ?? 'active'),
    stripeSubscriptionId: demoStripeId('sub', seed, index),
    stripeCustomerId,
    stripePriceId: grandfathered === null ? demoPriceId(finalPlan) : legacyPriceOf(finalPlan).stripePriceId,
    currentPeriodEnd: currentPeriodEnd === null ? null : new Date(currentPeriodEnd),
    trialEndsAt: status === 'trialing' && trialEndsAt !== null ? new Date(trialEndsAt) : null,
    cancelAtPeriodEnd,
    migratedAt: migratedAt === null ? null : new Date(migratedAt),
    grandfatheredPriceCents: grandfathered,
    source: migratedAt === null ? 'hub' : 'svd_direct_migration',
    scheduledPlan,
    scheduledPlanAt: scheduledPlan && currentPeriodEnd !== null ? new Date(currentPeriodEnd) : null,
    createdAt: new Date(subscribedAt),
    updatedAt: last?.at ?? new Date(subscribedAt),
  };
  return customer;
}
