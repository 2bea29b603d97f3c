import { findProductByAppId, SVD_APP_ID } from '@omg/contract';
import type { TSubscriptionRow } from '@omg/db';
// Relative imports only: `npm run svd:migrate` runs this outside Next.js (through maintenance.ts).
import type { TSvdExportRow } from './svd-export-row';

/** The columns of hub."Subscription" the migration owns; a re-run compares exactly these. */
export type TMigratedValues = Pick<
  TSubscriptionRow,
  | 'plan'
  | 'status'
  | 'stripeSubscriptionId'
  | 'stripeCustomerId'
  | 'stripePriceId'
  | 'currentPeriodEnd'
  | 'trialEndsAt'
  | 'cancelAtPeriodEnd'
  | 'grandfatheredPriceCents'
  | 'source'
  | 'scheduledPlan'
  | 'scheduledPlanAt'
>;

/** What Stripe says about the line's subscription, when it names one. */
export type TStripeValues = Pick<
  TMigratedValues,
  'status' | 'stripePriceId' | 'currentPeriodEnd' | 'trialEndsAt' | 'cancelAtPeriodEnd'
>;

/** What hub."Subscription" should say for the line: the export's plan and price, Stripe's state when it has one. */
export function migratedValues(
  row: TSvdExportRow,
  stripe: TStripeValues | null,
  stripeCustomerId: string | null,
): TMigratedValues {
  return {
    plan: row.plan,
    status: stripe?.status ?? 'active',
    stripeSubscriptionId: row.stripeSubscriptionId ?? null,
    stripeCustomerId,
    stripePriceId: stripe?.stripePriceId ?? null,
    currentPeriodEnd: stripe?.currentPeriodEnd ?? null,
    trialEndsAt: stripe?.trialEndsAt ?? null,
    cancelAtPeriodEnd: stripe?.cancelAtPeriodEnd ?? false,
    grandfatheredPriceCents: row.monthlyPriceCents,
    source: 'svd_direct_migration',
    scheduledPlan: null,
    scheduledPlanAt: null,
  };
}

const sameValue = (a: unknown, b: unknown) =>
  a instanceof Date || b instanceof Date
    ? (a instanceof Date ? a.getTime() : a) === (b instanceof Date ? b.getTime() : b)
    : a === b;

/** The migrated columns where the Hub's row (or its JSON) differs from what the line says. */
export const changedColumns = (
  existing: Partial<Record<keyof TMigratedValues, unknown>>,
  values: TMigratedValues,
) =>
  Object.entries(values)
    .filter(([key, value]) => !sameValue(existing[key as keyof TMigratedValues], value))
    .map(([key]) => key);

/** A new account is a business account when its SVD plan is a business plan. */
export const accountTypeOf = (plan: string) =>
  findProductByAppId(SVD_APP_ID)?.plans.find((p) => p.id === plan)?.audience ?? 'personal';
