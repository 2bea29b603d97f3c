import { entitledApiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { listMemberUsage } from '@/lib/spaces/member-usage';
import { isTeam, spaceMay } from '@/lib/spaces/space';
import { spaceOf } from '@/lib/spaces/space-of-session';

/**
 * The plan, its limits, and what is used of them, read fresh from hub."Subscription" on every call. In a team
 * space the organization's plan and pooled usage, which every member sees; owners and admins also get `members`,
 * what each one's uploads take of it. The status comes with the session (one statement, entitledApiRoute); spaceOf
 * refuses a removed member before any of it is answered.
 */
export const GET = entitledApiRoute({}, async ({ session }) => {
  const space = spaceOf(session);
  const { status } = session;
  const members =
    isTeam(space) && spaceMay(space, 'manage') ? await listMemberUsage(db(), space.organizationId) : null;
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
    ...(isTeam(space) ? { team: { organizationId: space.organizationId, role: space.role } } : {}),
    ...(members ? { members } : {}),
  });
});
