import type { TOrganizationRole } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq } from 'drizzle-orm';

export interface TMembership {
  membershipId: string;
  role: TOrganizationRole;
  organization: { id: string; name: string; slug: string; billingEmail: string };
}

/**
 * The user's membership of one organization (by id or slug), read fresh from core."Membership", or null when the
 * user is not (or no longer) a member. Every organization route and the launch token decide from this row.
 */
export async function findMembership(
  database: TDatabase,
  where: { userId: string } & ({ organizationId: string } | { slug: string }),
): Promise<TMembership | null> {
  const [row] = await database
    .select({
      membershipId: schema.membership.id,
      role: schema.membership.role,
      id: schema.organization.id,
      name: schema.organization.name,
      slug: schema.organization.slug,
      billingEmail: schema.organization.billingEmail,
    })
    .from(schema.membership)
    .innerJoin(schema.organization, eq(schema.organization.id, schema.membership.organizationId))
    .where(
      and(
        eq(schema.membership.userId, where.userId),
        'slug' in where
          ? eq(schema.organization.slug, where.slug)
          : eq(schema.organization.id, where.organizationId),
      ),
    )
    .limit(1);
  if (!row) return null;
  return {
    membershipId: row.membershipId,
    // The CHECK constraint keeps the column to these four words.
    role: row.role as TOrganizationRole,
    organization: { id: row.id, name: row.name, slug: row.slug, billingEmail: row.billingEmail },
  };
}
