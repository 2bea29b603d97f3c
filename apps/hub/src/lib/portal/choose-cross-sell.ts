import { findProductByAppId, isLiveHubStatus } from '@omg/contract';
import type { TDatabase } from '@omg/db';
import { readPortalRows } from './read-portal-rows';

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
  const rows = await readPortalRows(db, input.userId);
  const owned = new Set(
    rows.filter((r) => r.subscription && isLiveHubStatus(r.subscription.status)).map((r) => r.app.id),
  );
  if (owned.size === 0) return null;
  const next = rows
    .filter((r) => r.dismissedAt === null)
    .map((r) => r.app)
    .find((a) => !owned.has(a.id) && findProductByAppId(a.id));
  if (!next) return null;
  return {
    appId: next.id,
    slug: next.slug,
    name: next.name,
    tagline: next.tagline,
    launched: Boolean(next.launchUrl),
  };
}
