import { PLAN_LIMITS } from '@omg/contract';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { getVaultStatus } from './get-vault-status';

const admin = connectAs('admin');
const svd = connectAs('svd');

afterAll(async () => {
  await Promise.all([admin.pool.end(), svd.pool.end()]);
});

async function subscriber(extra: string) {
  const userId = await seedUser(admin.db, {
    email: uniqueEmail('svd-mig'),
    password: 'a-password-123',
    name: 'M',
  });
  await admin.pool.query(
    `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status, "currentPeriodEnd"${extra ? ', source, "migratedAt", "grandfatheredPriceCents", "stripeSubscriptionId"' : ''})
     VALUES (gen_random_uuid(), $1, 'app_securevault', 'growth', 'active', $2${extra ? `, ${extra}` : ''})`,
    [userId, new Date('2027-01-01T00:00:00Z')],
  );
  return userId;
}

describe('a migrated SecureVault customer in SVD (SPEC §7)', () => {
  it('has the same plan name and limits as a customer who bought the plan through the Hub', async () => {
    const migrated = await subscriber(`'svd_direct_migration', now(), 999, 'sub_legacy_${Date.now()}'`);
    const bought = await subscriber('');
    const now = new Date('2026-12-01T12:00:00Z');
    const a = await getVaultStatus(svd.db, migrated, now);
    const b = await getVaultStatus(svd.db, bought, now);
    expect(a.entitlement).toEqual(b.entitlement);
    expect(a.entitlement).toMatchObject({ state: 'active', plan: 'growth', readOnly: false });
    expect(a.entitlement.limits).toEqual(PLAN_LIMITS.growth);
    expect(a.entitlement.label).toContain('Growth');
    expect(a.uploadBlockedReason).toBeNull();
  });
});
