import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser } from '@/testing/billing-test-env';
import { POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const admin = connectAs('admin');
let hub: TServedOverHttp | undefined;

beforeAll(async () => {
  // Over real HTTP, behind one trusted proxy: the last x-forwarded-for entry is the client.
  hub = await serveOverHttp((request) => POST(request, { params: Promise.resolve({}) }), {
    hops: 1,
    origin: HUB,
  });
});

afterAll(async () => {
  await hub?.close();
  await admin.pool.end();
});

const randomIp = () => `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;

/** From `address` as our proxy saw it, with a spoofed entry the client put first (which must not count). */
function validate(body: unknown, address: string = randomIp(), cookie?: string) {
  return fetch(`${hub?.url}/api/coupons/validate`, {
    method: 'POST',
    headers: {
      origin: HUB,
      'content-type': 'application/json',
      'x-forwarded-for': `${randomIp()}, ${address}`,
      ...(cookie ? { cookie } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
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
      terms: { percentOff: 20, amountOffCents: null, duration: 'forever', durationInMonths: null },
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
    const address = randomIp();
    for (let i = 0; i < 10; i += 1) {
      expect((await validate({ code: `GUESS${i}`, productId: 'app_securevault' }, address)).status).toBe(200);
    }
    const limited = await validate({ code: 'GUESS10', productId: 'app_securevault' }, address);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.message).toBe(
      'Too many coupon attempts. Please wait a minute and try again.',
    );
    // Another client is not affected.
    expect((await validate({ code: 'GUESS0', productId: 'app_securevault' })).status).toBe(200);
  });

  it('allows 10 attempts a minute per signed-in account, from however many addresses', async () => {
    const { cookie } = await signUpHubUser('coupon-guesser');
    for (let i = 0; i < 10; i += 1) {
      const response = await validate({ code: `ACCT${i}`, productId: 'app_securevault' }, randomIp(), cookie);
      expect(response.status).toBe(200);
    }
    const limited = await validate({ code: 'ACCT10', productId: 'app_securevault' }, randomIp(), cookie);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.message).toMatch(/^Too many coupon attempts on your account\./);
    // The same addresses without that account are not affected.
    expect((await validate({ code: 'ACCT0', productId: 'app_securevault' })).status).toBe(200);
  });
});
