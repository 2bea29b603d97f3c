import { schema, type TDatabase } from '@omg/db';
import { and, eq, sql } from 'drizzle-orm';
import { getUserSubscription } from './get-user-subscription';
import { resolveEntitlement, type TEntitlement } from './resolve-entitlement';
import { usagePeriodStart } from './usage-period';

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

/** The user's entitlement and usage, read fresh (SPEC §6: no cache longer than a second; here none). */
export async function getVaultStatus(db: TDatabase, userId: string, now = new Date()): Promise<TVaultStatus> {
  const [subscription, [profile], [storage]] = await Promise.all([
    getUserSubscription(db, userId),
    db
      .select({ createdAt: schema.userProfile.createdAt })
      .from(schema.userProfile)
      .where(eq(schema.userProfile.userId, userId)),
    db
      .select({ used: sql<string>`coalesce(sum(${schema.document.sizeBytes}), 0)` })
      .from(schema.document)
      .where(eq(schema.document.userId, userId)),
  ]);
  const entitlement = resolveEntitlement({ subscription, profileCreatedAt: profile?.createdAt ?? now, now });
  const periodStart = usagePeriodStart(entitlement, now);
  const [units] = await db
    .select({ used: schema.processingUsage.unitsUsed })
    .from(schema.processingUsage)
    .where(
      and(eq(schema.processingUsage.userId, userId), eq(schema.processingUsage.periodStart, periodStart)),
    );
  const storageUsedBytes = Number(storage?.used ?? 0);
  const overStorage = storageUsedBytes > entitlement.limits.storageBytes;
  return {
    entitlement,
    storageUsedBytes,
    unitsUsed: units?.used ?? 0,
    periodStart,
    overStorage,
    uploadBlockedReason: uploadBlockedReason(entitlement, overStorage),
  };
}

function uploadBlockedReason(entitlement: TEntitlement, overStorage: boolean): string | null {
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
