import { AppError } from '@omg/platform';
import { z } from 'zod';
import { auth } from '../auth/auth';
import { db } from '../db';
import { withSeatAvailable } from '../seats/with-seat-available';
import type { TMembership } from './find-membership';
import { invitationUrl } from './invitation-url';
import { callOrganizationApi } from './organization-api-error';
import { ZOrganizationEmailSchema } from './organization-name';
import { ZAssignableRoleSchema } from './roles';

/** The body of POST /api/organizations/[slug]/invitations: never `owner` (ownership moves by transfer). */
export const ZInviteMemberSchema = z.object({
  email: ZOrganizationEmailSchema,
  role: ZAssignableRoleSchema,
});
export type TInviteMember = z.infer<typeof ZInviteMemberSchema>;

/**
 * Invites an address (owners and admins; requireOrganizationRole has checked). The plugin refuses an existing
 * member and replaces a pending invitation of the same address; the mail goes through the Hub's outbox
 * (auth.ts's sendInvitationEmail), and the link comes back so the inviter can pass it on if the mail is slow.
 */
export async function inviteMember(
  headers: Headers,
  membership: TMembership,
  input: TInviteMember,
): Promise<{ id: string; email: string; role: string; expiresAt: string; url: string }> {
  // A pending invitation holds a seat: beyond the business plan's seats the inviter is asked to add one (409
  // SEAT_REQUIRED), and the seat lock makes two admins racing for the last seat get one invitation, not two.
  const invitation = await withSeatAvailable(db(), membership.organization.id, () =>
    callOrganizationApi(() =>
      auth().api.createInvitation({
        headers,
        body: { email: input.email, role: input.role, organizationId: membership.organization.id },
      }),
    ),
  );
  if (!invitation) throw new AppError('INTERNAL', 'The invitation could not be created.');
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    expiresAt: new Date(invitation.expiresAt).toISOString(),
    url: invitationUrl(invitation.id),
  };
}
