import { schema, type TDatabase } from '@omg/db';
import { and, asc, eq, sql } from 'drizzle-orm';
import { cache } from 'react';

/**
 * Every app in hub."App" (in its order) beside what the portal needs about this customer for it: their own
 * subscription to it, whether they dismissed its cross-sell card, and when their SVD free trial started
 * (securevault."UserProfile"."createdAt", null before the first launch; the Hub's role may read only that column
 * and "userId"). One statement: the portal page renders both its app cards (getPortalApps) and its cross-sell card
 * (chooseCrossSell) from it, and React's `cache` lets the two share one read per render.
 */
export const readPortalRows = cache(async (db: TDatabase, userId: string) =>
  db
    .select({
      app: schema.app,
      subscription: {
        appId: schema.subscription.appId,
        status: schema.subscription.status,
        plan: schema.subscription.plan,
        trialEndsAt: schema.subscription.trialEndsAt,
        currentPeriodEnd: schema.subscription.currentPeriodEnd,
        cancelAtPeriodEnd: schema.subscription.cancelAtPeriodEnd,
      },
      dismissedAt: schema.crossSellDismissal.dismissedAt,
      svdTrialStart: schema.userProfile.createdAt,
      // A plan our team comped for this app (hub."Comp", issue 14), still running: [plan, end in epoch ms].
      comp: sql<
        [string, number] | null
      >`(select json_build_array(c.plan, extract(epoch from c."endsAt") * 1000)
        from hub."Comp" c where c."userId" = ${userId} and c."appId" = ${schema.app.id} and c."revokedAt" is null
          and c."startsAt" <= now() and c."endsAt" > now() order by c."endsAt" desc limit 1)`,
    })
    .from(schema.app)
    .leftJoin(
      schema.subscription,
      and(eq(schema.subscription.appId, schema.app.id), eq(schema.subscription.userId, userId)),
    )
    .leftJoin(
      schema.crossSellDismissal,
      and(eq(schema.crossSellDismissal.appId, schema.app.id), eq(schema.crossSellDismissal.userId, userId)),
    )
    .leftJoin(schema.userProfile, eq(schema.userProfile.userId, userId))
    .orderBy(asc(schema.app.sortOrder)),
);

export type TPortalRow = Awaited<ReturnType<typeof readPortalRows>>[number];
