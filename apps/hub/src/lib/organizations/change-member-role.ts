import { AppError } from '@omg/platform';
import { z } from 'zod';
import { auth } from '../auth/auth';
import type { TMembership } from './find-membership';
import { findOrganizationMember } from './find-organization-member';
import { callOrganizationApi } from './organization-api-error';
import { ZAssignableRoleSchema } from './roles';

/** The body of PATCH /api/organizations/[slug]/members/[memberId]: admin, member or viewer (owner: transfer). */
export const ZChangeMemberRoleSchema = z.object({ role: ZAssignableRoleSchema });
export type TChangeMemberRole = z.infer<typeof ZChangeMemberRoleSchema>;

/**
 * Changes a member's role (owners and admins). The owner's role changes only by transfer and nobody is made
 * owner here; an admin may change members and viewers (up to admin, a peer, never above), not other admins.
 * Nobody changes their own role.
 */
export async function changeMemberRole(
  headers: Headers,
  membership: TMembership,
  membershipId: string,
  input: TChangeMemberRole,
): Promise<{ id: string; role: string }> {
  const target = await findOrganizationMember(membership.organization.id, membershipId);
  if (target.id === membership.membershipId) {
    throw new AppError('BAD_REQUEST', 'You cannot change your own role.');
  }
  if (target.role === 'owner') {
    throw new AppError('FORBIDDEN', 'The owner’s role changes only by transferring ownership.');
  }
  if (target.role === 'admin' && membership.role !== 'owner') {
    throw new AppError('FORBIDDEN', 'Only the owner can change an admin’s role.');
  }
  if (target.role === input.role) return { id: target.id, role: target.role };
  await callOrganizationApi(() =>
    auth().api.updateMemberRole({
      headers,
      body: { memberId: target.id, role: input.role, organizationId: membership.organization.id },
    }),
  );
  return { id: target.id, role: input.role };
}
