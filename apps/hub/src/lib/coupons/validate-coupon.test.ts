import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCoupon } from './validate-coupon';

const admin = connectAs('admin');
const hub = connectAs('hub');

afterAll(async () => {
  await admin.pool.end();
  await hub.pool.end();
});

async function coupon(values: Partial<typeof schema.coupon.$inferInsert> = {}): Promise<string> {
  const code = `T${randomUUID().slice(0, 8).toUpperCase()}`;
  await admin.db
    .insert(schema.coupon)
    .values({ code, description: 'Test coupon', type: 'PERCENTAGE', percentOff: 20, ...values });
  return code;
}

const INVALID = { valid: false, error: 'Invalid coupon code' };

describe('validateCoupon', () => {
  it('accepts an active code in any letter case and prices the plan after the discount', async () => {
    const code = await coupon();
    const result = await validateCoupon(hub.db, {
      code: `  ${code.toLowerCase()} `,
      productId: 'app_securevault',
      plan: 'growth',
    });
    expect(result).toMatchObject({
      valid: true,
      discount: 20,
      type: 'PERCENTAGE',
      code,
      description: 'Test coupon',
      // $14.99 less 20 % ($3.00 after Stripe's rounding).
      discountedPriceCents: 1199,
    });
  });

  it('prices a fixed amount off and never below zero', async () => {
    const code = await coupon({ type: 'FIXED_AMOUNT', percentOff: null, amountOffCents: 500 });
    expect(
      await validateCoupon(hub.db, { code, productId: 'app_securevault', plan: 'growth' }),
    ).toMatchObject({
      valid: true,
      type: 'FIXED_AMOUNT',
      discount: 500,
      discountedPriceCents: 999,
    });
  });

  it('accepts a product-specific code for its product only', async () => {
    const code = await coupon({ appId: 'app_securevault' });
    expect((await validateCoupon(hub.db, { code, productId: 'app_securevault' })).valid).toBe(true);
    expect(await validateCoupon(hub.db, { code, productId: 'app_crm' })).toEqual(INVALID);
  });

  it('refuses unknown, expired, exhausted and inactive codes with the same generic message', async () => {
    const expired = await coupon({ expiresAt: new Date(Date.now() - 1000) });
    const exhausted = await coupon({ maxRedemptions: 2, timesRedeemed: 2 });
    const inactive = await coupon({ active: false });
    const notYetExhausted = await coupon({ maxRedemptions: 2, timesRedeemed: 1 });
    for (const code of ['NO-SUCH-CODE', expired, exhausted, inactive]) {
      expect(await validateCoupon(hub.db, { code, productId: 'app_securevault' })).toEqual(INVALID);
    }
    expect(
      await validateCoupon(hub.db, { code: notYetExhausted, productId: 'app_securevault' }),
    ).toMatchObject({
      valid: true,
    });
    expect(await validateCoupon(hub.db, { code: notYetExhausted, productId: 'no-such-product' })).toEqual(
      INVALID,
    );
  });

  it('stores codes upper-case only, so case never makes two codes', async () => {
    await expect(
      admin.db.insert(schema.coupon).values({ code: 'lower', type: 'PERCENTAGE', percentOff: 5 }),
    ).rejects.toThrow();
  });
});
