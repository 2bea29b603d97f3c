import type { TOrganizationRole } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { TMembership } from './find-membership';
import { invitationUrl } from './invitation-url';
import { roleMay, roleRank } from './roles';

export interface TOrganizationMember {
  id: string;
  userId: string;
  name: string | null;
  email: string;
  role: TOrganizationRole;
  joinedAt: string;
}

export interface TPendingInvitation {
  id: string;
  email: string;
  role: TOrganizationRole;
  expiresAt: string;
  url: string;
}

export interface TOrganizationOverview {
  organization: TMembership['organization'];
  you: { membershipId: string; role: TOrganizationRole };
  members: TOrganizationMember[];
  /** Owners and admins only; null for the others (they do not see who was invited). */
  invitations: TPendingInvitation[] | null;
}

/** What /organizations/[slug] shows a member: the members by role, and to managers the pending invitations. */
export async function getOrganizationOverview(
  database: TDatabase,
  membership: TMembership,
): Promise<TOrganizationOverview> {
  const organizationId = membership.organization.id;
  const memberRows = await database
    .select({
      id: schema.membership.id,
      userId: schema.membership.userId,
      role: schema.membership.role,
      joinedAt: schema.membership.createdAt,
      name: schema.user.name,
      email: schema.user.email,
    })
    .from(schema.membership)
    .innerJoin(schema.user, eq(schema.user.id, schema.membership.userId))
    .where(eq(schema.membership.organizationId, organizationId))
    .orderBy(asc(schema.user.email));
  const members = memberRows
    .map((row) => ({ ...row, role: row.role as TOrganizationRole, joinedAt: row.joinedAt.toISOString() }))
    .sort((a, b) => roleRank(a.role) - roleRank(b.role));

  let invitations: TPendingInvitation[] | null = null;
  if (roleMay(membership.role, 'listInvitations')) {
    const rows = await database
      .select({
        id: schema.invitation.id,
        email: schema.invitation.email,
        role: schema.invitation.role,
        expiresAt: schema.invitation.expiresAt,
      })
      .from(schema.invitation)
      .where(
        and(
          eq(schema.invitation.organizationId, organizationId),
          eq(schema.invitation.status, 'pending'),
          gt(schema.invitation.expiresAt, new Date()),
        ),
      )
      .orderBy(asc(schema.invitation.createdAt));
    invitations = rows.map((row) => ({
      id: row.id,
      email: row.email,
      role: row.role as TOrganizationRole,
      expiresAt: row.expiresAt.toISOString(),
      url: invitationUrl(row.id),
    }));
  }
  return {
    organization: membership.organization,
    you: { membershipId: membership.membershipId, role: membership.role },
    members,
    invitations,
  };
}
