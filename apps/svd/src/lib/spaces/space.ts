import { schema } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, isNull, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { isTeam, spaceMay, type TSpace, type TSpaceAction } from './space-rules';

export { isTeam, spaceMay, type TSpace, type TSpaceAction } from './space-rules';

const REFUSED: Record<TSpaceAction, string> = {
  read: 'You are not a member of this team.',
  write:
    'Viewers can read and download the team’s documents, not change them. Ask an admin for the member role.',
  manage: 'Only the team’s owner and admins can do this.',
};

/**
 * A space for the SQL filters below given by values, or by columns of the statement a filter is part of (the
 * session read, which finds the space and its usage in one round trip): a set `organizationId` is a team.
 */
export interface TSpaceRef {
  userId: string | SQLWrapper;
  organizationId?: string | SQLWrapper | null;
}

/** Refuses (403) what the member's role does not allow. */
export function requireSpaceAction(space: TSpace, action: TSpaceAction): void {
  if (!spaceMay(space, action)) throw new AppError('FORBIDDEN', REFUSED[action]);
}

/**
 * Whether the vault in `vaultId` (a column or id) is open to this user (issue 15): always in a personal space and
 * for a team's owners and admins; for members and viewers, unless an owner or admin limited it to other members
 * (securevault."VaultAccess"). Part of the same statement as the rows it guards, so a change holds on the next
 * request, like a role change.
 */
export function vaultVisible(space: TSpace, vaultId: SQLWrapper): SQL {
  if (!isTeam(space) || spaceMay(space, 'manage')) return sql`true`;
  const a = schema.vaultAccess;
  return sql`not exists (select 1 from ${a} where ${a.vaultId} = ${vaultId} and not (${space.userId} = any(${a.userIds})))`;
}

/**
 * The vaults of the space this user may see: a personal space's own vaults, or the team's vaults (those limited
 * to other members left out for members and viewers).
 */
export function vaultsOf(space: TSpace): SQL {
  const v = schema.vault;
  return isTeam(space)
    ? (and(eq(v.organizationId, space.organizationId), vaultVisible(space, v.id)) as SQL)
    : (and(eq(v.userId, space.userId), isNull(v.organizationId)) as SQL);
}

/**
 * The documents of the space this user may see (a team's documents are the team's whoever uploaded them; those
 * in a vault limited to other members are left out for members and viewers).
 */
export function documentsOf(space: TSpace): SQL {
  const d = schema.document;
  return isTeam(space)
    ? (and(pooledDocumentsOf(space), vaultVisible(space, d.vaultId)) as SQL)
    : pooledDocumentsOf(space);
}

/**
 * Every document that counts against the space's storage — for quota sums only, never to show or change
 * documents: a team's pooled storage includes the vaults a member may not see.
 */
export function pooledDocumentsOf(space: TSpace): SQL {
  const d = schema.document;
  return isTeam(space)
    ? eq(d.organizationId, space.organizationId)
    : (and(eq(d.userId, space.userId), isNull(d.organizationId)) as SQL);
}

/**
 * The documents this user may rename, move or delete: all of a personal space's; in a team, every document for
 * owners and admins, their own uploads for members, none for viewers (refused with 403 before any read).
 */
export function editableDocumentsOf(space: TSpace): SQL {
  requireSpaceAction(space, 'write');
  if (!isTeam(space) || spaceMay(space, 'manage')) return documentsOf(space);
  return and(documentsOf(space), eq(schema.document.userId, space.userId)) as SQL;
}

/** The key of the advisory lock that serialises a space's quota reservations (pooled for a team). */
export const quotaLockKey = (space: TSpace) =>
  isTeam(space) ? `svd-quota:org:${space.organizationId}` : `svd-quota:${space.userId}`;

/**
 * The one key of a space's own settings row (securevault."VersionSetting"."ownerKey"): a person's user id, or a
 * team's organization id (ids of both kinds are UUIDs that never collide).
 */
export const usageKey = (space: TSpace) => space.organizationId || space.userId;

/**
 * Whose processing units a space spends (securevault."ProcessingUsage", issue 15): a person's own row
 * (`userId`), or the team's pooled row (`organizationId`) whoever in the team uploaded — exactly one is set.
 */
export function processingOwnerOf(space: { userId: string; organizationId?: string | null }): {
  userId: string | null;
  organizationId: string | null;
} {
  return space.organizationId
    ? { userId: null, organizationId: space.organizationId }
    : { userId: space.userId, organizationId: null };
}

/** The space's row(s) of securevault."ProcessingUsage" (see processingOwnerOf). */
export function processingUsageOf(space: TSpaceRef): SQL {
  const u = schema.processingUsage;
  return space.organizationId ? eq(u.organizationId, space.organizationId) : eq(u.userId, space.userId);
}
