import { randomUUID } from 'node:crypto';
import { connectAs } from '@omg/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { limitCouponAttempts } from './limit-coupon-attempts';

// Two pools as two Hub instances would hold them, on the same database.
const instanceA = connectAs('hub');
const instanceB = connectAs('hub');

afterAll(async () => {
  await Promise.all([instanceA.pool.end(), instanceB.pool.end()]);
});

const randomIp = () => `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;

async function statusOf(response: Response | null): Promise<number> {
  return response?.status ?? 200;
}

async function errorOf(response: Response | null): Promise<{ code: string; message: string }> {
  expect(response, 'a 429 answer').not.toBeNull();
  return (await (response as Response).json()).error;
}

describe('limitCouponAttempts (PostgreSQL, per address and per account)', () => {
  it('allows 10 checks a minute per address across instances, then answers 429 saying when', async () => {
    const address = randomIp();
    for (let i = 0; i < 10; i += 1) {
      const db = (i % 2 ? instanceA : instanceB).db;
      expect(await limitCouponAttempts(db, { address, userId: null })).toBeNull();
    }
    const limited = await limitCouponAttempts(instanceA.db, { address, userId: null });
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorOf(limited)).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Too many coupon attempts. Please wait a minute and try again.',
    });
    // Another address is not affected.
    expect(await limitCouponAttempts(instanceB.db, { address: randomIp(), userId: null })).toBeNull();
  });

  it('limits one account guessing from many addresses', async () => {
    const userId = randomUUID();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const db = (i % 2 ? instanceA : instanceB).db;
      statuses.push(await statusOf(await limitCouponAttempts(db, { address: randomIp(), userId })));
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const limited = await limitCouponAttempts(instanceA.db, { address: randomIp(), userId });
    expect((await errorOf(limited)).message).toMatch(
      /^Too many coupon attempts on your account\. Please try again in \d+ (second|minute)s?\.$/,
    );
    // Another account from the same kind of address is not affected.
    expect(await limitCouponAttempts(instanceA.db, { address: randomIp(), userId: randomUUID() })).toBeNull();
  });

  it('counts IPv6 clients per /64 and unknown clients together', async () => {
    const prefix = `2001:db8:${randomUUID().slice(0, 4)}:7`;
    const statuses: number[] = [];
    for (let i = 1; i <= 11; i += 1) {
      statuses.push(
        await statusOf(await limitCouponAttempts(instanceA.db, { address: `${prefix}::${i}`, userId: null })),
      );
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
  });
});
