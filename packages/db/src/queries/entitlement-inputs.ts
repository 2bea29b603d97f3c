import { SVD_APP_ID, type TEntitlementSubscription } from '@omg/contract';
import { and, eq, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { TDatabase } from '../client';
import * as schema from '../schema';

/**
 * Whose SVD entitlement: a person's, or in a team space (issue 15) the organization's business subscription. As
 * values (the console, SVD's getVaultStatus), or as columns of the statement the inputs are part of (SVD's session
 * read, which finds the owner and the inputs in one round trip): then `organizationId` is a column that is NULL
 * for a personal space, and the row decides.
 */
export interface TEntitlementOwner {
  userId: string | SQLWrapper;
  /** Set in a team space: the organization's subscription applies, with no trial and no comp of its own. */
  organizationId?: string | SQLWrapper | null;
}

const isColumn = (value: string | SQLWrapper | null | undefined): value is SQLWrapper =>
  typeof value === 'object' && value !== null;

/**
 * The join condition of the owner's hub."Subscription" row for SVD (`schema.subscription`, left-joined by the
 * caller): a person's row by user, a team's by organization. With an organization column, whichever the row's
 * space is; written as an OR so PostgreSQL still reads each arm by its unique key.
 */
export function entitlementSubscriptionOf(owner: TEntitlementOwner): SQL {
  const s = schema.subscription;
  const team = owner.organizationId ?? null;
  const ownerMatches = isColumn(team)
    ? sql`((${team} is null and ${s.userId} = ${owner.userId}) or ${s.organizationId} = ${team})`
    : team
      ? eq(s.organizationId, team)
      : eq(s.userId, owner.userId);
  return and(ownerMatches, eq(s.appId, SVD_APP_ID)) as SQL;
}

/** The join condition of the owner's securevault."UserProfile" (`schema.userProfile`, joined by the caller). */
export const entitlementProfileOf = (owner: TEntitlementOwner): SQL =>
  eq(schema.userProfile.userId, owner.userId);

/**
 * THE columns an SVD entitlement is read from, shared by SVD (getVaultStatus and the session read, which enforce it
 * on every request) and the Hub's console (loadCustomerEntitlement, "why does this customer have access?"), so the
 * two can never read different inputs: the owner's hub."Subscription" row for SVD, when securevault."UserProfile"
 * was created (the trial's start), and a running comp (hub."Comp", not revoked): [plan, end in epoch
 * milliseconds]. One comp runs at a time per app (grantComp refuses a second); the latest end is taken should two
 * overlap. The statement joins `schema.subscription` on entitlementSubscriptionOf and `schema.userProfile` on
 * entitlementProfileOf (none of them need exist); pass its row to entitlementInputsOf. `now` may be a
 * placeholder of a prepared statement, given as an ISO string.
 */
export function entitlementInputColumns(owner: TEntitlementOwner, now: Date | SQLWrapper) {
  const { subscription: s, userProfile: p, comp: c } = schema;
  const team = owner.organizationId ?? null;
  // A placeholder (a prepared statement's `now`) is filled with an ISO string, as a Date is sent here.
  const at = now instanceof Date ? now.toISOString() : now;
  // A comp is a person's: none in a team space.
  const compOwner = isColumn(team)
    ? sql`${team} is null and ${c.userId} = ${owner.userId}`
    : team
      ? sql`false`
      : sql`${c.userId} = ${owner.userId}`;
  return {
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
      from ${c} where ${compOwner} and ${c.appId} = ${SVD_APP_ID}
        and ${c.revokedAt} is null and ${c.startsAt} <= ${at}::timestamp and ${c.endsAt} > ${at}::timestamp
      order by ${c.endsAt} desc limit 1)`,
  };
}

/**
 * The entitlement's inputs for an owner given as values, in one statement: entitlementInputColumns joined onto a
 * single row; `extra` adds a caller's own columns to the same round trip (SVD: storage and units used; the
 * console: the Stripe customer). Pass the row to entitlementInputsOf.
 */
export function selectEntitlementInputs<TExtra extends SelectedFields>(
  db: TDatabase,
  owner: TEntitlementOwner,
  now: Date,
  extra: TExtra,
) {
  return db
    .select({ ...entitlementInputColumns(owner, now), ...extra })
    .from(sql`(select 1) as "one"`)
    .leftJoin(schema.userProfile, entitlementProfileOf(owner))
    .leftJoin(schema.subscription, entitlementSubscriptionOf(owner));
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
