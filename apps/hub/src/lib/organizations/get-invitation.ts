import type { TOrganizationRole } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';

export type TInvitationState = 'pending' | 'expired' | 'accepted' | 'rejected' | 'canceled';

export interface TInvitationView {
  id: string;
  organizationName: string;
  organizationSlug: string;
  inviterName: string;
  email: string;
  role: TOrganizationRole;
  state: TInvitationState;
}

/**
 * An invitation as /invitations/[id] shows it, or null for an unknown id. Whoever holds the link (the invited
 * address, or the inviter who copied it) sees which account and which address it is for; only the signed-in
 * account with that address can accept or decline it.
 */
export async function getInvitation(
  database: TDatabase,
  invitationId: string,
): Promise<TInvitationView | null> {
  const [row] = await database
    .select({
      id: schema.invitation.id,
      email: schema.invitation.email,
      role: schema.invitation.role,
      status: schema.invitation.status,
      expiresAt: schema.invitation.expiresAt,
      organizationName: schema.organization.name,
      organizationSlug: schema.organization.slug,
      inviterName: schema.user.name,
      inviterEmail: schema.user.email,
    })
    .from(schema.invitation)
    .innerJoin(schema.organization, eq(schema.organization.id, schema.invitation.organizationId))
    .innerJoin(schema.user, eq(schema.user.id, schema.invitation.inviterId))
    .where(eq(schema.invitation.id, invitationId));
  if (!row) return null;
  const state: TInvitationState =
    row.status === 'pending' && row.expiresAt <= new Date() ? 'expired' : (row.status as TInvitationState);
  return {
    id: row.id,
    organizationName: row.organizationName,
    organizationSlug: row.organizationSlug,
    inviterName: row.inviterName || row.inviterEmail,
    email: row.email,
    role: row.role as TOrganizationRole,
    state,
  };
}
