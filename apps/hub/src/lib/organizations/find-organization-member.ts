import type { TOrganizationRole } from '@omg/contract';
import { schema } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { db } from '../db';

/** One membership row of this organization by its id; another organization's member is NOT_FOUND here. */
export async function findOrganizationMember(
  organizationId: string,
  membershipId: string,
): Promise<{ id: string; userId: string; role: TOrganizationRole }> {
  const [member] = await db()
    .select({ id: schema.membership.id, userId: schema.membership.userId, role: schema.membership.role })
    .from(schema.membership)
    .where(and(eq(schema.membership.id, membershipId), eq(schema.membership.organizationId, organizationId)));
  if (!member) throw new AppError('NOT_FOUND', 'This person is not a member (any more).');
  return { ...member, role: member.role as TOrganizationRole };
}
