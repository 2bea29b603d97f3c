import { schema, type TDatabase } from '@omg/db';
import { asc, eq, sql } from 'drizzle-orm';

export interface TCustomerOrganization {
  id: string;
  name: string;
  slug: string;
  role: string;
}

export interface TCustomerProfile {
  id: string;
  email: string;
  name: string | null;
  /** core."User".role: 'user' for customers, 'support' or 'admin' for staff. */
  role: string;
  /** 'business' when the customer belongs to an organization (or signed up as one), else 'personal'. */
  accountType: 'personal' | 'business';
  organizations: TCustomerOrganization[];
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  passkeyCount: number;
  createdAt: Date | null;
  deletedAt: Date | null;
  /** Every Stripe customer id the Hub knows for this user (hub."Customer", and subscriptions' own). */
  stripeCustomerIds: string[];
}

/**
 * Who the customer is (issue 14, the customer page's first section), by primary key and indexed user ids
 * only; null when no user has this id. Deleted accounts are shown (with deletedAt), never hidden.
 */
export async function loadCustomerProfile(db: TDatabase, userId: string): Promise<TCustomerProfile | null> {
  const u = schema.user;
  const [user] = await db
    .select({
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      accountType: u.accountType,
      emailVerified: u.emailVerified,
      twoFactorEnabled: u.twoFactorEnabled,
      createdAt: u.createdAt,
      deletedAt: u.deletedAt,
      // Written out in full: inside a subquery an unqualified "userId" would name the subquery's own column.
      passkeyCount: sql<number>`(select count(*)::int from core."Passkey" p where p."userId" = ${userId})`,
      stripeCustomerIds: sql<string[]>`array(
        select c."stripeCustomerId" from hub."Customer" c where c."userId" = ${userId}
        union
        select s."stripeCustomerId" from hub."Subscription" s
        where s."userId" = ${userId} and s."stripeCustomerId" is not null)`,
    })
    .from(u)
    .where(eq(u.id, userId));
  if (!user) return null;
  const organizations = await db
    .select({
      id: schema.organization.id,
      name: schema.organization.name,
      slug: schema.organization.slug,
      role: schema.membership.role,
    })
    .from(schema.membership)
    .innerJoin(schema.organization, eq(schema.organization.id, schema.membership.organizationId))
    .where(eq(schema.membership.userId, userId))
    .orderBy(asc(schema.organization.name));
  return {
    ...user,
    accountType: organizations.length > 0 || user.accountType === 'business' ? 'business' : 'personal',
    organizations,
    stripeCustomerIds: [...user.stripeCustomerIds].sort(),
  };
}
