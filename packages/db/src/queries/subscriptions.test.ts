import { afterAll, describe, expect, it } from 'vitest';
import { seedUser } from '../seed';
import { connectAs, uniqueEmail } from '../testing';
import { findSubscription } from './subscriptions';

const admin = connectAs('admin');
const svd = connectAs('svd');

afterAll(async () => {
  await Promise.all([admin.pool.end(), svd.pool.end()]);
});

describe('findSubscription', () => {
  it('finds the user’s row for one app, whatever its status, and nothing for another app or user', async () => {
    const userId = await seedUser(admin.db, {
      email: uniqueEmail('find'),
      password: 'a-password-123',
      name: 'F',
    });
    const other = await seedUser(admin.db, {
      email: uniqueEmail('find'),
      password: 'a-password-123',
      name: 'O',
    });
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status) VALUES
         (gen_random_uuid(), $1, 'app_securevault', 'growth', 'canceled'),
         (gen_random_uuid(), $1, 'app_crm', 'pro', 'active'),
         (gen_random_uuid(), $2, 'app_iq', 'pro', 'active')`,
      [userId, other],
    );
    // SVD's role reads it too: it is how SVD resolves entitlements.
    expect(await findSubscription(svd.db, { userId, appId: 'app_securevault' })).toMatchObject({
      userId,
      appId: 'app_securevault',
      plan: 'growth',
      status: 'canceled',
    });
    expect(await findSubscription(svd.db, { userId, appId: 'app_crm' })).toMatchObject({ plan: 'pro' });
    expect(await findSubscription(svd.db, { userId, appId: 'app_iq' })).toBeUndefined();
    expect(await findSubscription(svd.db, { userId: other, appId: 'app_securevault' })).toBeUndefined();
  });
});
