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

interface TCatalogPrice {
  lookupKey: string;
  cents: number;
  nickname: string;
  metadata: Record<string, string>;
}

/** Every monthly price a product sells: each self-serve plan's, and each business plan's per-seat price. */
function pricesOf(product: TCatalogProduct): TCatalogPrice[] {
  const prices: TCatalogPrice[] = [];
  for (const plan of product.plans) {
    const metadata = { appId: product.appId, plan: plan.id };
    if (plan.lookupKey && plan.priceCents !== null) {
      prices.push({
        lookupKey: plan.lookupKey,
        cents: plan.priceCents,
        nickname: `${product.name} ${plan.name}`,
        metadata,
      });
    }
    if (plan.seatLookupKey && plan.seatPriceCents !== null) {
      prices.push({
        lookupKey: plan.seatLookupKey,
        cents: plan.seatPriceCents,
        nickname: `${product.name} ${plan.name} extra seat`,
        metadata: { ...metadata, kind: 'seat' },
      });
    }
  }
  return prices;
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
    for (const price of pricesOf(product)) {
      const [current] = (await stripe.prices.list({ lookup_keys: [price.lookupKey], active: true, limit: 1 }))
        .data;
      if (
        current &&
        current.unit_amount === price.cents &&
        current.currency === 'usd' &&
        current.product === stripeProduct.id
      ) {
        report.unchanged += 1;
        continue;
      }
      await stripe.prices.create({
        product: stripeProduct.id,
        currency: 'usd',
        unit_amount: price.cents,
        recurring: { interval: 'month' },
        lookup_key: price.lookupKey,
        transfer_lookup_key: Boolean(current),
        nickname: price.nickname,
        metadata: price.metadata,
      });
      if (current) report.pricesReplaced += 1;
      else report.pricesCreated += 1;
    }
  }
  return report;
}
