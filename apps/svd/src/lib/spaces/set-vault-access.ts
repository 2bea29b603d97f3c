import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { findVault } from '../documents/find-vault';
import { getVaultAccess } from './get-vault-access';
import { isTeam, requireSpaceAction, type TSpace } from './space';
import type { TVaultAccess, TVaultAccessInput } from './vault-access.types';

/**
 * Opens a team vault to everyone in the team, or limits it to the listed members (issue 15; owners and admins,
 * who always see every vault). Only current members of the team can be listed (400 otherwise, naming none of
 * anyone else's ids). Takes effect on each member's next request: the vault queries read the row every time.
 */
export async function setVaultAccess(
  db: TDatabase,
  input: TSpace & { vaultId: string; access: TVaultAccessInput },
): Promise<TVaultAccess> {
  if (!isTeam(input)) throw new AppError('NOT_FOUND', 'Only a team’s vaults can be limited to some members.');
  requireSpaceAction(input, 'manage');
  const vault = await findVault(db, input);
  const a = schema.vaultAccess;
  if (!input.access.restricted) {
    await db.delete(a).where(eq(a.vaultId, vault.id));
  } else {
    const userIds = [...new Set(input.access.userIds)];
    if (userIds.length > 0) {
      const m = schema.membership;
      const found = await db.$count(
        m,
        and(eq(m.organizationId, input.organizationId), inArray(m.userId, userIds)),
      );
      if (found !== userIds.length) {
        throw new AppError('BAD_REQUEST', 'Only members of the team can be given access to its vaults.');
      }
    }
    await db
      .insert(a)
      .values({ vaultId: vault.id, organizationId: input.organizationId, userIds, updatedBy: input.userId })
      .onConflictDoUpdate({
        target: a.vaultId,
        set: { userIds, updatedBy: input.userId, updatedAt: sql`now()` },
      });
  }
  return getVaultAccess(db, input);
}
