import { randomUUID } from 'node:crypto';
import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCustomerProfile } from './load-customer-profile';

let hub: TDatabaseHandle;
let admin: TDatabaseHandle;
beforeAll(() => {
  hub = connectAs('hub');
  admin = connectAs('admin');
});
afterAll(async () => {
  await Promise.all([hub.pool.end(), admin.pool.end()]);
});

const newUser = (prefix = 'profile') =>
  seedUser(admin.db, { email: uniqueEmail(prefix), password: 'profile-pass-1', name: 'Pat Profile' });

describe('loadCustomerProfile (issue 14)', () => {
  it('is null for an id no user has', async () => {
    expect(await loadCustomerProfile(hub.db, randomUUID())).toBeNull();
  });

  it('a personal customer: verified, 2FA, passkeys, role, creation, Stripe customers from both places', async () => {
    const userId = await newUser();
    await admin.pool.query(
      `UPDATE core."User" SET "emailVerified" = true, "twoFactorEnabled" = true WHERE id = $1`,
      [userId],
    );
    for (const n of [1, 2]) {
      await admin.pool.query(
        `INSERT INTO core."Passkey" (id, "publicKey", "userId", "credentialID", "deviceType")
         VALUES (gen_random_uuid(), 'pk', $1, $2, 'singleDevice')`,
        [userId, `cred-${userId}-${n}`],
      );
    }
    await admin.pool.query(`INSERT INTO hub."Customer" ("userId", "stripeCustomerId") VALUES ($1, $2)`, [
      userId,
      `cus_b_${userId}`,
    ]);
    await admin.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, "stripeCustomerId")
       VALUES (gen_random_uuid(), $1, 'app_securevault', 'growth', $2)`,
      [userId, `cus_a_${userId}`],
    );
    const profile = await loadCustomerProfile(hub.db, userId);
    expect(profile).toMatchObject({
      id: userId,
      name: 'Pat Profile',
      role: 'user',
      accountType: 'personal',
      organizations: [],
      emailVerified: true,
      twoFactorEnabled: true,
      passkeyCount: 2,
      deletedAt: null,
      stripeCustomerIds: [`cus_a_${userId}`, `cus_b_${userId}`],
    });
    expect(profile?.createdAt).toBeInstanceOf(Date);
  });

  it('a member of an organization is a business account, with the organization and role; deleted is shown', async () => {
    const userId = await newUser('business');
    const orgId = randomUUID();
    await admin.pool.query(
      `INSERT INTO core."Organization" (id, name, slug, "billingEmail") VALUES ($1, 'Acme Books', $2, 'billing@acme.test')`,
      [orgId, `acme-${orgId.slice(0, 8)}`],
    );
    await admin.pool.query(
      `INSERT INTO core."Membership" (id, "organizationId", "userId", role) VALUES (gen_random_uuid(), $1, $2, 'admin')`,
      [orgId, userId],
    );
    await admin.pool.query(`UPDATE core."User" SET "deletedAt" = now() WHERE id = $1`, [userId]);
    const profile = await loadCustomerProfile(hub.db, userId);
    expect(profile?.accountType).toBe('business');
    expect(profile?.organizations).toEqual([
      { id: orgId, name: 'Acme Books', slug: expect.stringMatching(/^acme-/), role: 'admin' },
    ]);
    expect(profile?.deletedAt).toBeInstanceOf(Date);
    expect(profile?.passkeyCount).toBe(0);
    expect(profile?.stripeCustomerIds).toEqual([]);
  });
});
