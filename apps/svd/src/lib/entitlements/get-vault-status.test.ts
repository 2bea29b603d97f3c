import { randomUUID } from 'node:crypto';
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

describe('getVaultStatus: usage in one statement', () => {
  const now = new Date('2026-12-10T12:00:00Z');

  it("counts the storage of the user's documents and the units of the subscription's current period only", async () => {
    const userId = await customer(40, now);
    // A paid plan whose period runs from the 5th: the 5 November period is over, the 5 December one is current.
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status, "currentPeriodEnd")
       VALUES (gen_random_uuid(), $1, 'app_securevault', 'growth', 'active', $2)`,
      [userId, new Date('2027-01-05T08:00:00Z')],
    );
    const vaultId = randomUUID();
    await svd.pool.query(`INSERT INTO securevault."Vault" (id, "userId", name) VALUES ($1, $2, 'V')`, [
      vaultId,
      userId,
    ]);
    for (const size of [1000, 2500]) {
      await svd.pool.query(
        `INSERT INTO securevault."Document" (id, "userId", "vaultId", name, "mimeType", "sizeBytes", state)
         VALUES ($1, $2, $3, $4, 'text/plain', $5, 'ready')`,
        [randomUUID(), userId, vaultId, `d-${size}.txt`, size],
      );
    }
    for (const [start, units] of [
      ['2026-11-05T08:00:00Z', 70],
      ['2026-12-05T08:00:00Z', 12],
    ] as const) {
      await svd.pool.query(
        `INSERT INTO securevault."ProcessingUsage" ("userId", "periodStart", "unitsUsed") VALUES ($1, $2, $3)`,
        [userId, new Date(start), units],
      );
    }
    const status = await getVaultStatus(svd.db, userId, now);
    expect(status.entitlement).toMatchObject({ state: 'active', plan: 'growth' });
    expect(status.periodStart.toISOString()).toBe('2026-12-05T08:00:00.000Z');
    expect(status.unitsUsed).toBe(12);
    expect(status.storageUsedBytes).toBe(3500);
    // Another user's documents and a period with no row yet count nothing.
    const other = await getVaultStatus(svd.db, await customer(1, now), now);
    expect(other).toMatchObject({ storageUsedBytes: 0, unitsUsed: 0 });
  });
});

describe('getVaultStatus: a plan comped by staff (hub."Comp", issue 14)', () => {
  const now = new Date('2026-12-10T12:00:00Z');
  const comp = (userId: string, plan: string, endsAt: Date, revokedAt: Date | null = null) =>
    admin.pool.query(
      `INSERT INTO hub."Comp" ("userId", "appId", plan, reason, "startsAt", "endsAt", "grantedBy", "revokedAt")
       VALUES ($1, 'app_securevault', $2, 'test comp', $3, $4, 'staff-test', $5)`,
      [userId, plan, new Date(now.getTime() - DAY), endsAt, revokedAt],
    );

  it('is read in the same statement, as SVD’s role, and gives the better plan until its end', async () => {
    const userId = await customer(40, now);
    expect((await getVaultStatus(svd.db, userId, now)).entitlement.state).toBe('trial_ended');
    await comp(userId, 'pro', new Date(now.getTime() + 30 * DAY));
    const comped = await getVaultStatus(svd.db, userId, now);
    expect(comped.entitlement).toMatchObject({
      state: 'active',
      plan: 'pro',
      readOnly: false,
      label: 'Pro — Active',
    });
    expect(comped.uploadBlockedReason).toBeNull();
    // At its end it is over, without anything having to run.
    const after = await getVaultStatus(svd.db, userId, new Date(now.getTime() + 30 * DAY));
    expect(after.entitlement).toMatchObject({ state: 'trial_ended', plan: 'trial', comped: null });
  });

  it('ignores a revoked comp, and one for another app', async () => {
    const userId = await customer(40, now);
    await comp(userId, 'pro', new Date(now.getTime() + 30 * DAY), new Date(now.getTime() - 1000));
    await admin.pool.query(
      `INSERT INTO hub."Comp" ("userId", "appId", plan, reason, "startsAt", "endsAt", "grantedBy")
       VALUES ($1, 'app_crm', 'pro', 'test comp', $2, $3, 'staff-test')`,
      [userId, new Date(now.getTime() - DAY), new Date(now.getTime() + DAY)],
    );
    expect((await getVaultStatus(svd.db, userId, now)).entitlement.plan).toBe('trial');
  });

  it('SVD’s role reads which plan and until when, never why or by whom', async () => {
    await expect(svd.pool.query('SELECT reason FROM hub."Comp" LIMIT 1')).rejects.toThrow(
      /permission denied/,
    );
    await expect(svd.pool.query('SELECT "grantedBy" FROM hub."Comp" LIMIT 1')).rejects.toThrow(
      /permission denied/,
    );
  });
});
