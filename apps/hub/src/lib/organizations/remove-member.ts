import { AppError } from '@omg/platform';
import { auth } from '../auth/auth';
import type { TMembership } from './find-membership';
import { findOrganizationMember } from './find-organization-member';
import { callOrganizationApi } from './organization-api-error';

/**
 * Removes a member (owners and admins). Nobody removes the owner (ownership is transferred first) and an admin
 * does not remove another admin; leaving oneself is "Leave". The removed person's next request finds no
 * membership: their session's active account falls back to Personal.
 */
export async function removeMember(
  headers: Headers,
  membership: TMembership,
  membershipId: string,
): Promise<void> {
  const target = await findOrganizationMember(membership.organization.id, membershipId);
  if (target.id === membership.membershipId) {
    throw new AppError('BAD_REQUEST', 'To leave this business account, use Leave.');
  }
  if (target.role === 'owner') {
    throw new AppError('FORBIDDEN', 'The owner cannot be removed. The owner can transfer ownership first.');
  }
  if (target.role === 'admin' && membership.role !== 'owner') {
    throw new AppError('FORBIDDEN', 'Only the owner can remove an admin.');
  }
  await callOrganizationApi(() =>
    auth().api.removeMember({
      headers,
      body: { memberIdOrEmail: target.id, organizationId: membership.organization.id },
    }),
  );
}
