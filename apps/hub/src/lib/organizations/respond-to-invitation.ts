import { schema } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { auth } from '../auth/auth';
import { db } from '../db';
import { callOrganizationApi } from './organization-api-error';

/** The params of POST /api/invitations/[id]/accept and …/decline. */
export const ZInvitationParamsSchema = z.object({ id: z.string().min(1).max(200) });

/**
 * Accepts or declines an invitation as the signed-in user. The plugin refuses another address's invitation,
 * an expired, revoked or already answered one (accepting twice included: the status moves from 'pending' once);
 * accepting makes the organization the session's active account and returns its slug.
 */
export async function respondToInvitation(
  headers: Headers,
  invitationId: string,
  answer: 'accept' | 'decline',
): Promise<{ slug: string | null }> {
  if (answer === 'decline') {
    await callOrganizationApi(() => auth().api.rejectInvitation({ headers, body: { invitationId } }));
    return { slug: null };
  }
  const accepted = await callOrganizationApi(() =>
    auth().api.acceptInvitation({ headers, body: { invitationId } }),
  );
  if (!accepted) throw new AppError('INTERNAL', 'The invitation could not be accepted.');
  const [organization] = await db()
    .select({ slug: schema.organization.slug })
    .from(schema.organization)
    .where(eq(schema.organization.id, accepted.invitation.organizationId));
  return { slug: organization?.slug ?? null };
}
