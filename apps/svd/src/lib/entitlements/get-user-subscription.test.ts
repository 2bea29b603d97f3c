import { resolveEntitlement } from '@omg/contract';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { getUserSubscription } from './get-user-subscription';

const admin = connectAs('admin');
const svd = connectAs('svd');

afterAll(async () => {
  await Promise.all([admin.pool.end(), svd.pool.end()]);
});

describe('getUserSubscription', () => {
  it('reads a row written without a status (the column default) as active', async () => {
    const userId = await seedUser(admin.db, {
      email: uniqueEmail('svd-sub'),
      password: 'a-password-123',
      name: 'S',
    });
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan) VALUES (gen_random_uuid(), $1, 'app_securevault', 'growth')`,
      [userId],
    );
    const subscription = await getUserSubscription(svd.db, userId);
    const now = new Date();
    expect(resolveEntitlement({ subscription, profileCreatedAt: now, now }).state).toBe('active');
  });

  it('is null for a user without an SVD subscription', async () => {
    const userId = await seedUser(admin.db, {
      email: uniqueEmail('svd-sub'),
      password: 'a-password-123',
      name: 'N',
    });
    expect(await getUserSubscription(svd.db, userId)).toBeNull();
  });
});
