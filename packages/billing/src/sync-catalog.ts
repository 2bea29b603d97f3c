import { CATALOG, type TCatalogProduct } from '@omg/contract';
import type Stripe from 'stripe';

export interface TCatalogSyncReport {
  productsCreated: number;
  pricesCreated: number;
  pricesReplaced: number;
  unchanged: number;
}

async function findProduct(stripe: Stripe, appId: string): Promise<Stripe.Product | null> {
  for await (const product of stripe.products.list({ limit: 100 })) {
    if (product.metadata?.appId === appId) return product;
  }
  return null;
}

async function ensureProduct(stripe: Stripe, product: TCatalogProduct, report: TCatalogSyncReport) {
  const existing = await findProduct(stripe, product.appId);
  if (existing) {
    if (existing.name !== product.name || !existing.active) {
      return stripe.products.update(existing.id, { name: product.name, active: true });
    }
    return existing;
  }
  report.productsCreated += 1;
  return stripe.products.create(
    {
      name: product.name,
      description: product.description,
      metadata: { appId: product.appId, slug: product.slug },
    },
    { idempotencyKey: `catalog-product-${product.appId}` },
  );
}

/**
 * Makes the configured Stripe account (or the local emulator) hold the catalog's products and monthly prices,
 * found by `lookup_key` so no price id is ever hard-coded. Safe to run any number of times: it converges. A
 * price whose amount changed gets a new Stripe price that takes over the lookup key; subscribers keep theirs.
 */
export async function syncStripeCatalog(stripe: Stripe, catalog = CATALOG): Promise<TCatalogSyncReport> {
  const report: TCatalogSyncReport = {
    productsCreated: 0,
    pricesCreated: 0,
    pricesReplaced: 0,
    unchanged: 0,
  };
  for (const product of catalog) {
    const stripeProduct = await ensureProduct(stripe, product, report);
    for (const plan of product.plans) {
      if (!plan.lookupKey || plan.priceCents === null) continue;
      const [current] = (await stripe.prices.list({ lookup_keys: [plan.lookupKey], active: true, limit: 1 }))
        .data;
      if (
        current &&
        current.unit_amount === plan.priceCents &&
        current.currency === 'usd' &&
        current.product === stripeProduct.id
      ) {
        report.unchanged += 1;
        continue;
      }
      await stripe.prices.create({
        product: stripeProduct.id,
        currency: 'usd',
        unit_amount: plan.priceCents,
        recurring: { interval: 'month' },
        lookup_key: plan.lookupKey,
        transfer_lookup_key: Boolean(current),
        nickname: `${product.name} ${plan.name}`,
        metadata: { appId: product.appId, plan: plan.id },
      });
      if (current) report.pricesReplaced += 1;
      else report.pricesCreated += 1;
    }
  }
  return report;
}
