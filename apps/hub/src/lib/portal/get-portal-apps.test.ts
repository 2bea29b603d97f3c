import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPortalApps } from './get-portal-apps';

const DAY = 86_400_000;

let hub: TDatabaseHandle;
let admin: TDatabaseHandle;

beforeAll(() => {
  hub = connectAs('hub');
  admin = connectAs('admin');
});

afterAll(async () => {
  await Promise.all([hub.pool.end(), admin.pool.end()]);
});

/** A customer who first used SVD `daysAgo` days ago (SVD writes the profile on the first launch). */
async function customer(daysAgo: number | null, now: Date): Promise<string> {
  const email = uniqueEmail('portal-trial');
  const userId = await seedUser(admin.db, { email, password: 'portal-pass-1', name: 'P' });
  if (daysAgo !== null) {
    await admin.pool.query(
      `INSERT INTO securevault."UserProfile" ("userId", email, "createdAt") VALUES ($1, $2, $3)`,
      [userId, email, new Date(now.getTime() - daysAgo * DAY)],
    );
  }
  return userId;
}

async function portalWords(userId: string, now: Date) {
  const apps = await getPortalApps(hub.db, { userId, now });
  const words = (appId: string) => apps.find((a) => a.appId === appId)?.state.status;
  return { svd: words('app_securevault'), crm: words('app_crm') };
}

describe('getPortalApps: SVD’s free trial, counted as SVD counts it', () => {
  const now = new Date('2026-12-01T12:00:00Z');

  it('counts the days left from the customer’s first use of SVD', async () => {
    expect(await portalWords(await customer(10, now), now)).toEqual({
      svd: 'Free trial, 4 days left',
      crm: 'Not subscribed',
    });
  });

  it('says the trial ended once its 14 days are over', async () => {
    const userId = await customer(15, now);
    const apps = await getPortalApps(hub.db, { userId, now });
    const svd = apps.find((a) => a.appId === 'app_securevault');
    expect(svd?.state).toMatchObject({ kind: 'trial_ended', status: 'Free trial ended', live: false });
  });

  it('before the first launch says what SVD will say on it: the full 14 days', async () => {
    expect((await portalWords(await customer(null, now), now)).svd).toBe('Free trial, 14 days left');
  });

  it('lets a subscription decide over the free trial', async () => {
    const userId = await customer(15, now);
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status) VALUES (gen_random_uuid(), $1, 'app_securevault', 'growth', 'active')`,
      [userId],
    );
    expect((await portalWords(userId, now)).svd).toBe('Active');
  });
});
