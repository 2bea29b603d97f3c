import { schema } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import { auth } from '../auth/auth';
import { db } from '../db';
import type { TMembership } from './find-membership';
import { callOrganizationApi } from './organization-api-error';

/** Revokes a pending invitation of this organization (status 'canceled'); its link then says it is no longer valid. */
export async function revokeInvitation(
  headers: Headers,
  membership: TMembership,
  invitationId: string,
): Promise<void> {
  const [invitation] = await db()
    .select({ status: schema.invitation.status })
    .from(schema.invitation)
    .where(
      and(
        eq(schema.invitation.id, invitationId),
        eq(schema.invitation.organizationId, membership.organization.id),
      ),
    );
  // Another organization's invitation is as unknown here as one that never existed.
  if (!invitation) throw new AppError('NOT_FOUND', 'There is no such invitation.');
  if (invitation.status !== 'pending') {
    throw new AppError('CONFLICT', `This invitation was already ${invitation.status}.`);
  }
  await callOrganizationApi(() => auth().api.cancelInvitation({ headers, body: { invitationId } }));
}
