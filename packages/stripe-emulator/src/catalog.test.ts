import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeEmulator } from './index';
import { createCatalog, startEmulator } from './test/helpers';

let emu: StripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  ({ emu, stripe } = await startEmulator());
});
afterAll(() => emu.close());

describe('products and prices', () => {
  it('creates products with custom ids and prices with lookup keys, and filters prices', async () => {
    const product = await stripe.products.create({ id: 'prod_hub_pro', name: 'Hub Pro' });
    expect(product.id).toBe('prod_hub_pro');
    await expect(stripe.products.create({ id: 'prod_hub_pro', name: 'again' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    const monthly = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1500,
      recurring: { interval: 'month' },
      lookup_key: 'hub_pro_monthly',
      metadata: { plan: 'pro' },
    });
    expect(monthly).toMatchObject({
      object: 'price',
      active: true,
      type: 'recurring',
      unit_amount: 1500,
      lookup_key: 'hub_pro_monthly',
      recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
      product: 'prod_hub_pro',
    });
    const oneTime = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 500 });
    expect(oneTime.type).toBe('one_time');

    const byKey = await stripe.prices.list({
      lookup_keys: ['hub_pro_monthly', 'nope'],
      expand: ['data.product'],
    });
    expect(byKey.data.map((p) => p.id)).toEqual([monthly.id]);
    expect((byKey.data[0]?.product as Stripe.Product | undefined)?.name).toBe('Hub Pro');

    const byProduct = await stripe.prices.list({ product: product.id, type: 'recurring' });
    expect(byProduct.data.map((p) => p.id)).toEqual([monthly.id]);

    const archived = await stripe.prices.update(oneTime.id, { active: false });
    expect(archived.active).toBe(false);
    const active = await stripe.prices.list({ product: product.id, active: true });
    expect(active.data.map((p) => p.id)).toEqual([monthly.id]);

    await expect(stripe.products.del(product.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it('refuses a duplicate lookup key unless transfer_lookup_key moves it', async () => {
    const { product, monthly } = await createCatalog(stripe, 'transfer');
    const clash = (await stripe.prices
      .create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1200,
        recurring: { interval: 'month' },
        lookup_key: 'transfer_monthly',
      })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(clash).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(clash.code).toBe('lookup_key_already_exists');

    const moved = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1200,
      recurring: { interval: 'month' },
      lookup_key: 'transfer_monthly',
      transfer_lookup_key: true,
    });
    expect(moved.lookup_key).toBe('transfer_monthly');
    expect((await stripe.prices.retrieve(monthly.id)).lookup_key).toBeNull();
  });

  it('searches products, prices and subscriptions with field and metadata clauses', async () => {
    const product = await stripe.products.create({ name: 'Searchable', metadata: { app: 'svd' } });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 700,
      recurring: { interval: 'month' },
      lookup_key: 'svd_searchable',
    });
    const products = await stripe.products.search({ query: "metadata['app']:'svd' AND active:'true'" });
    expect(products.data.map((p) => p.id)).toEqual([product.id]);
    const prices = await stripe.prices.search({ query: "lookup_key:'svd_searchable'" });
    expect(prices.data.map((p) => p.id)).toEqual([price.id]);
    const byProduct = await stripe.prices.search({ query: `product:'${product.id}'` });
    expect(byProduct.data).toHaveLength(1);
  });

  it('updates and lists products by active and ids', async () => {
    const a = await stripe.products.create({ name: 'A' });
    const b = await stripe.products.create({ name: 'B', active: false });
    const updated = await stripe.products.update(a.id, { name: 'A2', metadata: { tier: '1' } });
    expect(updated).toMatchObject({ name: 'A2', metadata: { tier: '1' } });
    const inactive = await stripe.products.list({ active: false });
    expect(inactive.data.map((p) => p.id)).toContain(b.id);
    const byIds = await stripe.products.list({ ids: [a.id, b.id] });
    expect(byIds.data.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
  });
});

describe('coupons and promotion codes', () => {
  it('creates percent and amount coupons with duration, limits and applies_to', async () => {
    const { product } = await createCatalog(stripe, 'coupon');
    const percent = await stripe.coupons.create({
      id: 'LAUNCH20',
      percent_off: 20,
      duration: 'repeating',
      duration_in_months: 3,
      max_redemptions: 10,
      applies_to: { products: [product.id] },
      name: 'Launch',
    });
    expect(percent).toMatchObject({
      id: 'LAUNCH20',
      object: 'coupon',
      percent_off: 20,
      amount_off: null,
      duration: 'repeating',
      duration_in_months: 3,
      max_redemptions: 10,
      times_redeemed: 0,
      valid: true,
      applies_to: { products: [product.id] },
    });
    const amount = await stripe.coupons.create({ amount_off: 500, currency: 'usd', duration: 'once' });
    expect(amount).toMatchObject({ amount_off: 500, currency: 'usd', percent_off: null });

    const expired = await stripe.coupons.create({
      percent_off: 10,
      redeem_by: Math.floor(Date.now() / 1000) + 60,
    });
    expect(expired.valid).toBe(true);
    emu.advanceClock(120);
    expect((await stripe.coupons.retrieve(expired.id)).valid).toBe(false);

    await expect(stripe.coupons.create({ duration: 'once' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    await expect(stripe.coupons.create({ percent_off: 10, duration: 'repeating' })).rejects.toMatchObject({
      param: 'duration_in_months',
    });
    const removed = await stripe.coupons.del(amount.id);
    expect(removed.deleted).toBe(true);
  });

  it('creates promotion codes for a coupon and finds them by code', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: 'once' });
    const promo = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'HALFOFF',
    });
    expect(promo).toMatchObject({
      object: 'promotion_code',
      code: 'HALFOFF',
      active: true,
      promotion: { type: 'coupon', coupon: coupon.id },
      times_redeemed: 0,
    });
    await expect(
      stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: 'halfoff' }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);

    const found = await stripe.promotionCodes.list({ code: 'HALFOFF', expand: ['data.promotion.coupon'] });
    expect(found.data).toHaveLength(1);
    expect((found.data[0]?.promotion.coupon as Stripe.Coupon | undefined)?.percent_off).toBe(50);

    const off = await stripe.promotionCodes.update(promo.id, { active: false });
    expect(off.active).toBe(false);
    expect((await stripe.promotionCodes.list({ code: 'HALFOFF', active: true })).data).toHaveLength(0);
  });
});
