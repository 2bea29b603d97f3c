import { findProductByAppId, isLiveHubStatus } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { asc, eq } from 'drizzle-orm';

export interface TCrossSell {
  appId: string;
  slug: string;
  name: string;
  tagline: string;
  launched: boolean;
}

/**
 * The portal's "Also try …" card: the first catalog product (in hub."App" order, launched or coming soon) the
 * customer has no live plan for and has not dismissed; null when there is none left to suggest. A customer who
 * has nothing yet is not cross-sold: every card already offers them a product.
 */
export async function chooseCrossSell(db: TDatabase, input: { userId: string }): Promise<TCrossSell | null> {
  const [apps, subscriptions, dismissed] = await Promise.all([
    db.select().from(schema.app).orderBy(asc(schema.app.sortOrder)),
    db
      .select({ appId: schema.subscription.appId, status: schema.subscription.status })
      .from(schema.subscription)
      .where(eq(schema.subscription.userId, input.userId)),
    db
      .select({ appId: schema.crossSellDismissal.appId })
      .from(schema.crossSellDismissal)
      .where(eq(schema.crossSellDismissal.userId, input.userId)),
  ]);
  const owned = new Set(subscriptions.filter((s) => isLiveHubStatus(s.status)).map((s) => s.appId));
  if (owned.size === 0) return null;
  const closed = new Set(dismissed.map((d) => d.appId));
  const next = apps.find((a) => !owned.has(a.id) && !closed.has(a.id) && findProductByAppId(a.id));
  if (!next) return null;
  return {
    appId: next.id,
    slug: next.slug,
    name: next.name,
    tagline: next.tagline,
    launched: Boolean(next.launchUrl),
  };
}
