import { isLiveHubStatus } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq, isNotNull, ne, notExists } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type Stripe from 'stripe';
import { cancelSubscription } from '../billing/cancel-subscription';

/**
 * Before an account is deleted (issue 15): every business account it owns alone — nobody else is a member
 * (with others in it, deleteAccount refuses earlier) — has its subscriptions canceled now, exactly as the
 * person's own are, so nothing bills an organization nobody can sign in to any more. The organization and its
 * billing records stay for the accounts. Idempotent, like cancelSubscription.
 */
export async function cancelSoleOwnedOrganizations(
  database: TDatabase,
  stripe: Stripe,
  userId: string,
): Promise<void> {
  const m = schema.membership;
  const others = alias(schema.membership, 'others');
  const s = schema.subscription;
  const rows = await database
    .select({ organizationId: s.organizationId, appId: s.appId, status: s.status })
    .from(m)
    .innerJoin(s, eq(s.organizationId, m.organizationId))
    .where(
      and(
        eq(m.userId, userId),
        eq(m.role, 'owner'),
        isNotNull(s.organizationId),
        notExists(
          database
            .select({ id: others.id })
            .from(others)
            .where(and(eq(others.organizationId, m.organizationId), ne(others.userId, userId))),
        ),
      ),
    );
  for (const row of rows) {
    if (!row.organizationId || !isLiveHubStatus(row.status)) continue;
    await cancelSubscription(database, stripe, {
      userId,
      organizationId: row.organizationId,
      appId: row.appId,
    });
  }
}
