import { CATALOG, type TCatalogProduct } from '@omg/contract';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from './create-stripe-client';
import { syncStripeCatalog } from './sync-catalog';

let emulator: StripeEmulator;

beforeAll(async () => {
  emulator = await startStripeEmulator();
});

afterAll(async () => {
  await emulator.close();
});

const plans = CATALOG.flatMap((p) => p.plans);
/** Each self-serve plan's price, and each business plan's per-seat price. */
const selfServePrices =
  plans.filter((p) => p.priceCents !== null).length + plans.filter((p) => p.seatPriceCents !== null).length;

describe('syncStripeCatalog (through the official SDK, against the local emulator)', () => {
  it('creates every product and price once, findable by lookup key, and converges on a second run', async () => {
    const stripe = createStripeClient('sk_test_catalog', emulator.url);
    const first = await syncStripeCatalog(stripe);
    expect(first).toEqual({
      productsCreated: 4,
      pricesCreated: selfServePrices,
      pricesReplaced: 0,
      unchanged: 0,
    });

    const [growth] = (
      await stripe.prices.list({ lookup_keys: ['securevault_growth_monthly'], expand: ['data.product'] })
    ).data;
    expect(growth).toMatchObject({ unit_amount: 1499, currency: 'usd', recurring: { interval: 'month' } });
    const product = growth?.product;
    if (typeof product !== 'object' || product === null || product.deleted)
      throw new Error('product not expanded');
    expect(product.metadata.appId).toBe('app_securevault');
    // Business plans' extra seats: a per-seat monthly price of the same product, by its own lookup key.
    const [seat] = (await stripe.prices.list({ lookup_keys: ['securevault_business_starter_seat_monthly'] }))
      .data;
    expect(seat).toMatchObject({
      unit_amount: 600,
      currency: 'usd',
      recurring: { interval: 'month' },
      product: product.id,
      metadata: { plan: 'business_starter', kind: 'seat' },
    });

    const second = await syncStripeCatalog(stripe);
    expect(second).toEqual({
      productsCreated: 0,
      pricesCreated: 0,
      pricesReplaced: 0,
      unchanged: selfServePrices,
    });
    expect((await stripe.products.list({ limit: 100 })).data).toHaveLength(4);
  });

  it('moves the lookup key to a new price when the catalog price changes', async () => {
    const stripe = createStripeClient('sk_test_catalog', emulator.url);
    const [vault] = CATALOG as TCatalogProduct[];
    if (!vault) throw new Error('empty catalog');
    const raised: TCatalogProduct = {
      ...vault,
      plans: vault.plans.map((p) => (p.id === 'starter' ? { ...p, priceCents: 899 } : p)),
    };
    const report = await syncStripeCatalog(stripe, [raised]);
    expect(report).toMatchObject({ productsCreated: 0, pricesCreated: 0, pricesReplaced: 1 });
    const starters = (await stripe.prices.list({ lookup_keys: ['securevault_starter_monthly'] })).data;
    expect(starters.map((p) => p.unit_amount)).toEqual([899]);
  });
});
