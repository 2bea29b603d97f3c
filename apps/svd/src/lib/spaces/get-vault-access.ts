import { ORGANIZATION_ROLES, type TOrganizationRole } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { findVault } from '../documents/find-vault';
import { isTeam, requireSpaceAction, type TSpace } from './space';
import type { TVaultAccess } from './vault-access.types';

const ZRoleSchema = z.enum(ORGANIZATION_ROLES);
const ROLE_ORDER: Record<TOrganizationRole, number> = { owner: 0, admin: 1, member: 2, viewer: 3 };

/**
 * Who can open a team vault (issue 15), for its owners and admins: whether it is limited, and every current member
 * with whether they see it. Personal vaults are never limited (404 here); members and viewers are refused (403).
 */
export async function getVaultAccess(
  db: TDatabase,
  input: TSpace & { vaultId: string },
): Promise<TVaultAccess> {
  if (!isTeam(input)) throw new AppError('NOT_FOUND', 'Only a team’s vaults can be limited to some members.');
  requireSpaceAction(input, 'manage');
  const vault = await findVault(db, input);
  const m = schema.membership;
  const u = schema.user;
  const a = schema.vaultAccess;
  const [access] = await db.select({ userIds: a.userIds }).from(a).where(eq(a.vaultId, vault.id));
  const rows = await db
    .select({ userId: m.userId, role: m.role, email: u.email, name: u.name })
    .from(m)
    .innerJoin(u, eq(u.id, m.userId))
    .where(eq(m.organizationId, input.organizationId))
    .orderBy(asc(sql`lower(${u.email})`));
  const listed = new Set(access?.userIds ?? []);
  const members = rows
    .map((row) => {
      const role = ZRoleSchema.parse(row.role);
      const alwaysSees = role === 'owner' || role === 'admin';
      return { ...row, role, alwaysSees, allowed: alwaysSees || !access || listed.has(row.userId) };
    })
    .sort((x, y) => ROLE_ORDER[x.role] - ROLE_ORDER[y.role]);
  return { vaultId: vault.id, vaultName: vault.name, restricted: Boolean(access), members };
}
