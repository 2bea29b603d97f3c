import { resolveEntitlement, type TEntitlement, usagePeriodStart } from '@omg/contract';
import {
  entitlementInputsOf,
  schema,
  selectEntitlementInputs,
  type TDatabase,
  type TEntitlementInputsRow,
} from '@omg/db';
import { type SQLWrapper, sql } from 'drizzle-orm';
import { isTeam, processingUsageOf, type TSpace, type TSpaceRef } from '../spaces/space';
import { storedBytesOf } from '../versions/stored-bytes';

export const NOTICE_RATIO = 0.8;

export interface TVaultStatus {
  entitlement: TEntitlement;
  storageUsedBytes: number;
  unitsUsed: number;
  periodStart: Date;
  /** Storage used is above what the plan allows (after a downgrade): uploads are off until it is not. */
  overStorage: boolean;
  /** Why uploads are refused right now, in words for the user; null when they are allowed. */
  uploadBlockedReason: string | null;
}

/** Units counted in periods that began this long before `now` are read: a period is at most a month (31 days). */
const USAGE_LOOKBACK_MS = 32 * 86_400_000;

/**
 * The user's entitlement and usage, read fresh (SPEC §6: no cache longer than a second; here none), in one
 * statement: the subscription and the profile joined onto a single row, a running comp (hub."Comp"), storage used
 * and the units of recent periods as subqueries. Which period's units count depends on the subscription, so the
 * few recent periods are read and the one that applies is picked here — one round trip instead of two, on one
 * connection instead of three, for every entitled request. A request that has no session yet reads the session
 * and this status in one statement instead (findEntitledSession).
 */
export async function getVaultStatus(
  db: TDatabase,
  owner: string | TSpace,
  now = new Date(),
): Promise<TVaultStatus> {
  // A team space (issue 15) reads the organization's business subscription and its pooled storage and units;
  // it has no free trial and no comp of its own (both are a person's).
  const space: TSpace = typeof owner === 'string' ? { userId: owner } : owner;
  const team = isTeam(space) ? space.organizationId : null;
  // The entitlement's inputs from the statement the Hub's console explains it with (@omg/db), plus usage.
  const [row] = await selectEntitlementInputs(
    db,
    { userId: space.userId, organizationId: team },
    now,
    vaultUsageColumns(space, usageSince(now)),
  );
  return vaultStatusOf(row, team !== null, now);
}

/** Units of periods that began after this (ISO) are read: vaultUsageColumns' `since` for `now`. */
export const usageSince = (now: Date): string => new Date(now.getTime() - USAGE_LOOKBACK_MS).toISOString();

/**
 * The usage columns of the status (storage used, units of periods begun after `since`: usageSince, or a prepared
 * statement's placeholder filled with it), added to the statement that reads the entitlement's inputs. With a
 * column for the organization (findEntitledSession), a CASE picks the team's or the person's sums on the row, so
 * each stays a read by its own index and only the one that applies runs.
 */
export function vaultUsageColumns(space: TSpaceRef, since: string | SQLWrapper) {
  const team = space.organizationId;
  if (typeof team !== 'object' || team === null) return usageColumnsOf(space, since);
  const personal = usageColumnsOf({ userId: space.userId }, since);
  const pooled = usageColumnsOf({ userId: space.userId, organizationId: team }, since);
  return {
    storageUsed: sql<string>`(case when ${team} is null then ${personal.storageUsed} else ${pooled.storageUsed} end)`,
    usage: sql<Array<
      [number, number]
    > | null>`(case when ${team} is null then ${personal.usage} else ${pooled.usage} end)`,
  };
}

function usageColumnsOf(space: TSpaceRef, since: string | SQLWrapper) {
  const u = schema.processingUsage;
  return {
    // Documents, reservations and former versions of the whole space (the one sum the quota uses).
    storageUsed: storedBytesOf(space),
    // [period start in epoch milliseconds, units] of each recent period; timestamps are UTC in this schema.
    usage: sql<Array<[number, number]> | null>`(select json_agg(json_build_array(
        extract(epoch from ${u.periodStart}) * 1000, ${u.unitsUsed}))
      from ${u} where ${processingUsageOf(space)} and ${u.periodStart} > ${since}::timestamp)`,
  };
}

/** The status from a row of the entitlement's inputs and vaultUsageColumns; `team`: the space is a team's. */
export function vaultStatusOf(
  row:
    | (TEntitlementInputsRow & { storageUsed: string | null; usage: Array<[number, number]> | null })
    | undefined,
  team: boolean,
  now: Date,
): TVaultStatus {
  const { subscription, comp, profileCreatedAt } = entitlementInputsOf(row);
  const entitlement = resolveEntitlement({
    subscription,
    comp,
    // A team without a business plan has no trial to run: its "trial" ended before it began (read-only).
    profileCreatedAt: team ? new Date(0) : (profileCreatedAt ?? now),
    now,
  });
  const periodStart = usagePeriodStart(entitlement, now);
  const units = (row?.usage ?? []).find(([start]) => Number(start) === periodStart.getTime())?.[1] ?? 0;
  const storageUsedBytes = Number(row?.storageUsed ?? 0);
  const overStorage = storageUsedBytes > entitlement.limits.storageBytes;
  return {
    entitlement,
    storageUsedBytes,
    unitsUsed: Number(units),
    periodStart,
    overStorage,
    uploadBlockedReason: uploadBlockedReason(entitlement, overStorage, team),
  };
}

function uploadBlockedReason(entitlement: TEntitlement, overStorage: boolean, team: boolean): string | null {
  if (team && entitlement.state === 'trial_ended') {
    return 'This team has no SecureVault Docs business plan. An owner or admin can choose one in the OMG portal — the team’s documents stay available to download.';
  }
  if (team && overStorage && entitlement.state !== 'canceled') {
    return `The team is using more storage than the ${entitlement.limits.name} plan allows. Uploads are disabled for every member until usage is under the limit — delete documents or ask an owner to upgrade.`;
  }
  switch (entitlement.state) {
    case 'trial_ended':
      return 'Your free trial has ended. Subscribe to upload again — your documents stay available to download.';
    case 'canceled':
      return 'Your subscription is canceled. Subscribe to upload again — your documents stay available to download.';
    default:
      return overStorage
        ? `You are using more storage than the ${entitlement.limits.name} plan allows. Uploads are disabled until your usage is under the limit — delete documents or upgrade.`
        : null;
  }
}
