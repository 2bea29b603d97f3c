import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from './create-stripe-client';
import { syncStripeCatalog } from './sync-catalog';
import { syncStripeCoupons } from './sync-stripe-coupons';

const admin = connectAs('admin');
const hub = connectAs('hub');
let emulator: StripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  emulator = await startStripeEmulator();
  stripe = createStripeClient('sk_test_coupon_sync', emulator.url);
  await syncStripeCatalog(stripe);
});

afterAll(async () => {
  await emulator.close();
  await admin.pool.end();
  await hub.pool.end();
});

const newCode = () => `S${randomUUID().slice(0, 8).toUpperCase()}`;

describe('syncStripeCoupons', () => {
  it('creates a Stripe coupon and a promotion code with the same code, once', async () => {
    const percent = newCode();
    const fixed = newCode();
    await admin.db.insert(schema.coupon).values([
      { code: percent, type: 'PERCENTAGE', percentOff: 20 },
      { code: fixed, type: 'FIXED_AMOUNT', amountOffCents: 300, appId: 'app_securevault' },
    ]);

    await syncStripeCoupons(hub.db, stripe);
    const [row] = await hub.db.select().from(schema.coupon).where(eq(schema.coupon.code, percent));
    const [fixedRow] = await hub.db.select().from(schema.coupon).where(eq(schema.coupon.code, fixed));
    expect(row?.stripeCouponId).toBeTruthy();
    expect(row?.stripePromotionCodeId).toBeTruthy();

    const stripeCoupon = await stripe.coupons.retrieve(row?.stripeCouponId ?? '', {
      expand: ['applies_to'],
    });
    expect(stripeCoupon).toMatchObject({ percent_off: 20, duration: 'forever' });
    expect(stripeCoupon.applies_to?.products ?? []).toEqual([]);
    const promotionCode = await stripe.promotionCodes.retrieve(row?.stripePromotionCodeId ?? '');
    expect(promotionCode.code).toBe(percent);

    const fixedCoupon = await stripe.coupons.retrieve(fixedRow?.stripeCouponId ?? '', {
      expand: ['applies_to'],
    });
    const svdProduct = (await stripe.products.list({ limit: 100 })).data.find(
      (p) => p.metadata.appId === 'app_securevault',
    );
    expect(fixedCoupon).toMatchObject({ amount_off: 300, currency: 'usd', duration: 'forever' });
    expect(fixedCoupon.applies_to?.products).toEqual([svdProduct?.id]);

    // Again: nothing new in Stripe, the same ids on the row.
    const couponsBefore = (await stripe.coupons.list({ limit: 100 })).data.length;
    const codesBefore = (await stripe.promotionCodes.list({ limit: 100 })).data.length;
    const again = await syncStripeCoupons(hub.db, stripe);
    expect(again.created).toBe(0);
    expect((await stripe.coupons.list({ limit: 100 })).data).toHaveLength(couponsBefore);
    expect((await stripe.promotionCodes.list({ limit: 100 })).data).toHaveLength(codesBefore);
    const [after] = await hub.db.select().from(schema.coupon).where(eq(schema.coupon.code, percent));
    expect(after).toMatchObject({
      stripeCouponId: row?.stripeCouponId,
      stripePromotionCodeId: row?.stripePromotionCodeId,
    });
  });

  it('replaces Stripe ids that this Stripe account does not know', async () => {
    const code = newCode();
    await admin.db.insert(schema.coupon).values({
      code,
      type: 'PERCENTAGE',
      percentOff: 10,
      stripeCouponId: 'coupon_from_another_account',
      stripePromotionCodeId: 'promo_from_another_account',
    });
    await syncStripeCoupons(hub.db, stripe);
    const [row] = await hub.db.select().from(schema.coupon).where(eq(schema.coupon.code, code));
    expect(row?.stripeCouponId).not.toBe('coupon_from_another_account');
    expect((await stripe.promotionCodes.retrieve(row?.stripePromotionCodeId ?? '')).code).toBe(code);
  });
});
