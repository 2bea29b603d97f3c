import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const admin = connectAs('admin');

afterAll(async () => {
  await admin.pool.end();
});

function validate(body: unknown, address: string = randomUUID()) {
  return POST(
    new Request(`${HUB}/api/coupons/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `${address}, 10.0.0.1` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );
}

describe('POST /api/coupons/validate', () => {
  it('answers a valid code with its discount and the plan’s discounted price', async () => {
    const code = `V${randomUUID().slice(0, 8).toUpperCase()}`;
    await admin.db
      .insert(schema.coupon)
      .values({ code, description: 'Twenty off', type: 'PERCENTAGE', percentOff: 20 });
    const response = await validate({
      code: code.toLowerCase(),
      productId: 'app_securevault',
      plan: 'growth',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      valid: true,
      discount: 20,
      type: 'PERCENTAGE',
      code,
      description: 'Twenty off',
      discountedPriceCents: 1199,
    });
  });

  it('answers an unknown code with the generic refusal', async () => {
    const response = await validate({ code: 'NOPE-NOT-A-CODE', productId: 'app_securevault' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ valid: false, error: 'Invalid coupon code' });
  });

  it('rejects a malformed body with 400 and a message', async () => {
    const missing = await validate({ productId: 'app_securevault' });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.message).toBeTruthy();
    expect((await validate({ code: 'X'.repeat(41), productId: 'app_securevault' })).status).toBe(400);
    expect((await validate('{not json')).status).toBe(400);
  });

  it('allows 10 attempts a minute per client address, then answers 429', async () => {
    const address = `203.0.113.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    for (let i = 0; i < 10; i += 1) {
      expect((await validate({ code: `GUESS${i}`, productId: 'app_securevault' }, address)).status).toBe(200);
    }
    const limited = await validate({ code: 'GUESS10', productId: 'app_securevault' }, address);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.message).toBe(
      'Too many coupon attempts. Please wait a minute and try again.',
    );
    // Another client is not affected.
    expect((await validate({ code: 'GUESS0', productId: 'app_securevault' })).status).toBe(200);
  });
});
