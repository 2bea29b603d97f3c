import { schema } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '../db';
import type { TMembership } from './find-membership';

/** The body of POST /api/organizations/[slug]/transfer. */
export const ZTransferOwnershipSchema = z.object({ membershipId: z.string().min(1).max(200) });
export type TTransferOwnership = z.infer<typeof ZTransferOwnershipSchema>;

/**
 * Makes another member the owner; the owner becomes an admin. In one transaction with the organization's
 * memberships locked, the old owner demoted before the new one is promoted: the one-owner index never sees two.
 * (better-auth's plugin has no transfer; two role updates through it would leave a moment with two owners or
 * none.) Only the owner may, and the check is repeated under the lock, so two transfers at once cannot both pass.
 */
export async function transferOwnership(membership: TMembership, input: TTransferOwnership): Promise<void> {
  const organizationId = membership.organization.id;
  await db().transaction(async (tx) => {
    const members = await tx
      .select({ id: schema.membership.id, role: schema.membership.role })
      .from(schema.membership)
      .where(eq(schema.membership.organizationId, organizationId))
      .for('update');
    const me = members.find((member) => member.id === membership.membershipId);
    if (me?.role !== 'owner') throw new AppError('FORBIDDEN', 'Only the owner can transfer ownership.');
    const target = members.find((member) => member.id === input.membershipId);
    if (!target) throw new AppError('NOT_FOUND', 'This person is not a member (any more).');
    if (target.id === me.id) throw new AppError('BAD_REQUEST', 'You are the owner already.');
    const now = new Date();
    await tx
      .update(schema.membership)
      .set({ role: 'admin' })
      .where(and(eq(schema.membership.id, me.id), eq(schema.membership.organizationId, organizationId)));
    await tx
      .update(schema.membership)
      .set({ role: 'owner' })
      .where(and(eq(schema.membership.id, target.id), eq(schema.membership.organizationId, organizationId)));
    await tx
      .update(schema.organization)
      .set({ updatedAt: now })
      .where(eq(schema.organization.id, organizationId));
  });
}
