import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { getVaultStatus } from './get-vault-status';

const DAY = 86_400_000;
const admin = connectAs('admin');
const svd = connectAs('svd');

afterAll(async () => {
  await Promise.all([admin.pool.end(), svd.pool.end()]);
});

/** A customer whose SVD profile was created `daysAgo` days ago (null: never launched SVD). */
async function customer(daysAgo: number | null, now: Date): Promise<string> {
  const email = uniqueEmail('svd-trial');
  const userId = await seedUser(admin.db, { email, password: 'svd-trial-pass-1', name: 'T' });
  if (daysAgo !== null) {
    await svd.pool.query(
      `INSERT INTO securevault."UserProfile" ("userId", email, "createdAt") VALUES ($1, $2, $3)`,
      [userId, email, new Date(now.getTime() - daysAgo * DAY)],
    );
  }
  return userId;
}

// The same cases as the Hub's portal test (apps/hub/src/lib/portal/get-portal-apps.test.ts): the two apps must
// print the same words for the same customer.
describe('getVaultStatus: the free trial from the profile’s creation', () => {
  const now = new Date('2026-12-01T12:00:00Z');

  it('has 4 days left 10 days after the first use', async () => {
    const { entitlement } = await getVaultStatus(svd.db, await customer(10, now), now);
    expect(entitlement).toMatchObject({ state: 'trial', trialDaysLeft: 4, label: 'Free trial, 4 days left' });
  });

  it('has ended 15 days after the first use, and uploads stop', async () => {
    const { entitlement } = await getVaultStatus(svd.db, await customer(15, now), now);
    expect(entitlement).toMatchObject({ state: 'trial_ended', readOnly: true, label: 'Free trial ended' });
  });

  it('starts the full 14 days on the first use', async () => {
    const { entitlement } = await getVaultStatus(svd.db, await customer(null, now), now);
    expect(entitlement.label).toBe('Free trial, 14 days left');
  });
});
