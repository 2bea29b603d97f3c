import { SVD_APP_ID, type TEntitlementSubscription } from '@omg/contract';
import { and, eq, sql } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { TDatabase } from '../client';
import * as schema from '../schema';

/** Whose SVD entitlement: a person's, or in a team space (issue 15) the organization's business subscription. */
export interface TEntitlementOwner {
  userId: string;
  /** Set in a team space: the organization's subscription applies, with no trial and no comp of its own. */
  organizationId?: string | null;
}

/**
 * THE statement an SVD entitlement is read from, shared by SVD (getVaultStatus, which enforces it on every request)
 * and the Hub's console (loadCustomerEntitlement, "why does this customer have access?"), so the two can never
 * read different inputs: the owner's hub."Subscription" row for SVD, when securevault."UserProfile" was created
 * (the trial's start), and a running comp (hub."Comp", not revoked): [plan, end in epoch milliseconds]. One comp
 * runs at a time per app (grantComp refuses a second); the latest end is taken should two overlap. Everything is
 * joined onto a single row (none of them need exist); `extra` adds a caller's own columns to the same round trip
 * (SVD: storage and units used; the console: the Stripe customer). Pass the row to entitlementInputsOf.
 */
export function selectEntitlementInputs<TExtra extends SelectedFields>(
  db: TDatabase,
  owner: TEntitlementOwner,
  now: Date,
  extra: TExtra,
) {
  const { subscription: s, userProfile: p, comp: c } = schema;
  const team = owner.organizationId ?? null;
  const at = now.toISOString();
  return db
    .select({
      plan: s.plan,
      status: s.status,
      trialEndsAt: s.trialEndsAt,
      currentPeriodEnd: s.currentPeriodEnd,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      scheduledPlan: s.scheduledPlan,
      scheduledPlanAt: s.scheduledPlanAt,
      profileCreatedAt: p.createdAt,
      comp: sql<
        [string, number] | null
      >`(select json_build_array(${c.plan}, extract(epoch from ${c.endsAt}) * 1000)
        from ${c} where ${team ? sql`false` : sql`${c.userId} = ${owner.userId}`} and ${c.appId} = ${SVD_APP_ID}
          and ${c.revokedAt} is null and ${c.startsAt} <= ${at}::timestamp and ${c.endsAt} > ${at}::timestamp
        order by ${c.endsAt} desc limit 1)`,
      ...extra,
    })
    .from(sql`(select 1) as "one"`)
    .leftJoin(p, eq(p.userId, owner.userId))
    .leftJoin(
      s,
      and(team ? eq(s.organizationId, team) : eq(s.userId, owner.userId), eq(s.appId, SVD_APP_ID)),
    );
}

/** The columns of selectEntitlementInputs' row that entitlementInputsOf reads. */
export interface TEntitlementInputsRow {
  plan: string | null;
  status: string | null;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean | null;
  scheduledPlan: string | null;
  scheduledPlanAt: Date | null;
  profileCreatedAt: Date | null;
  comp: [string, number] | null;
}

/** selectEntitlementInputs' row as resolveEntitlement's inputs (profileCreatedAt stays the caller's to default). */
export function entitlementInputsOf(row: TEntitlementInputsRow | undefined): {
  subscription: TEntitlementSubscription | null;
  comp: { plan: string; endsAt: Date } | null;
  profileCreatedAt: Date | null;
} {
  const subscription: TEntitlementSubscription | null =
    row?.plan && row.status
      ? {
          plan: row.plan,
          status: row.status,
          trialEndsAt: row.trialEndsAt,
          currentPeriodEnd: row.currentPeriodEnd,
          cancelAtPeriodEnd: row.cancelAtPeriodEnd ?? false,
          scheduledPlan: row.scheduledPlan,
          scheduledPlanAt: row.scheduledPlanAt,
        }
      : null;
  return {
    subscription,
    comp: row?.comp ? { plan: row.comp[0], endsAt: new Date(Number(row.comp[1])) } : null,
    profileCreatedAt: row?.profileCreatedAt ?? null,
  };
}
