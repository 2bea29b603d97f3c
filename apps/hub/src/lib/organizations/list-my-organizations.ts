import type { TOrganizationRole } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { asc, eq } from 'drizzle-orm';

export interface TMyOrganization {
  id: string;
  name: string;
  slug: string;
  role: TOrganizationRole;
}

/** The business accounts the user belongs to, by name (the /organizations list and the header's switcher). */
export async function listMyOrganizations(database: TDatabase, userId: string): Promise<TMyOrganization[]> {
  const rows = await database
    .select({
      id: schema.organization.id,
      name: schema.organization.name,
      slug: schema.organization.slug,
      role: schema.membership.role,
    })
    .from(schema.membership)
    .innerJoin(schema.organization, eq(schema.organization.id, schema.membership.organizationId))
    .where(eq(schema.membership.userId, userId))
    .orderBy(asc(schema.organization.name), asc(schema.organization.slug));
  return rows.map((row) => ({ ...row, role: row.role as TOrganizationRole }));
}
