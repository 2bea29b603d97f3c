import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { getVaultStatus } from '@/lib/entitlements/get-vault-status';

/** The plan, its limits, and what is used of them, read fresh from hub."Subscription" on every call. */
export const GET = apiRoute({}, async ({ session }) => {
  const status = await getVaultStatus(db(), session.userId);
  return Response.json({
    plan: status.entitlement.plan,
    state: status.entitlement.state,
    label: status.entitlement.label,
    readOnly: status.entitlement.readOnly,
    limits: status.entitlement.limits,
    trialEndsAt: status.entitlement.trialEndsAt,
    storageUsedBytes: status.storageUsedBytes,
    unitsUsed: status.unitsUsed,
    periodStart: status.periodStart,
    overStorage: status.overStorage,
    uploadBlockedReason: status.uploadBlockedReason,
    scheduled: status.entitlement.scheduled,
  });
});
