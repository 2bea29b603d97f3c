import { findProductByAppId, type TCatalogProduct } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { asc } from 'drizzle-orm';
import { buildPlanComparison, type TComparedPlan } from '../plans/build-plan-comparison';

export interface TLandingProduct {
  appId: string;
  slug: string;
  name: string;
  tagline: string;
  description: string;
  /** Only a product with a launch URL in hub."App" can be bought and opened; the rest say "Coming soon". */
  launched: boolean;
  /** The cheapest self-serve monthly price in cents; null when every plan is "Contact sales". */
  fromPriceCents: number | null;
  /** The plans exactly as the product page's comparison shows them to a visitor (the same function, the same words). */
  plans: TComparedPlan[];
}

function cheapest(product: TCatalogProduct): number | null {
  const prices = product.plans.map((p) => p.priceCents).filter((c): c is number => c !== null);
  return prices.length ? Math.min(...prices) : null;
}

/**
 * The public landing page's products and prices: the apps in hub."App" (the portal's source, in its order) with
 * each one's plans built by `buildPlanComparison` for a signed-out visitor — the product page's own comparison — so
 * the landing page can never show other prices or limits than the page a customer buys from.
 */
export async function loadLandingProducts(
  db: TDatabase,
  { now = new Date() }: { now?: Date } = {},
): Promise<TLandingProduct[]> {
  const apps = await db.select().from(schema.app).orderBy(asc(schema.app.sortOrder));
  return apps.flatMap((app) => {
    const product = findProductByAppId(app.id);
    if (!product) return [];
    const launched = Boolean(app.launchUrl);
    const comparison = buildPlanComparison({
      product,
      launched,
      currentPlanId: null,
      trialEligible: true,
      now,
    });
    return [
      {
        appId: app.id,
        slug: app.slug,
        name: app.name,
        tagline: app.tagline,
        description: app.description,
        launched,
        fromPriceCents: cheapest(product),
        plans: comparison.plans,
      },
    ];
  });
}
