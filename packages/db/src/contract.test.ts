import { SUBSCRIPTION_STATUSES } from '@omg/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { seedCatalog, seedUser } from './seed';
import { connectAs, uniqueEmail } from './testing';

const admin = connectAs('admin');
const hub = connectAs('hub');
const svd = connectAs('svd');

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

/** The hand-off document's provisioning statement, verbatim but for the user id (SPEC §2). */
const provisioning = (userId: string, plan: 'pro' | 'growth') => `
INSERT INTO hub."Subscription" (id, "userId", "appId", "plan", "status")
VALUES (gen_random_uuid(), '${userId}', 'app_securevault', '${plan}', 'active')
ON CONFLICT ("userId", "appId") DO UPDATE SET "plan" = '${plan}', "status" = 'active';`;

describe('the shared database contract', () => {
  it('runs the seeds’ provisioning statement verbatim, and a second run updates the same row', async () => {
    const userId = await seedUser(hub.db, { email: uniqueEmail(), password: 'a-password-123', name: 'P' });
    await admin.pool.query(provisioning(userId, 'pro'));
    const first = await admin.pool.query(
      'SELECT id, plan, status FROM hub."Subscription" WHERE "userId" = $1',
      [userId],
    );
    expect(first.rows).toEqual([{ id: expect.any(String), plan: 'pro', status: 'active' }]);
    expect(first.rows[0].id).toMatch(/^[0-9a-f-]{36}$/);

    await admin.pool.query('UPDATE hub."Subscription" SET status = \'canceled\' WHERE "userId" = $1', [
      userId,
    ]);
    await admin.pool.query(provisioning(userId, 'growth'));
    const second = await admin.pool.query(
      'SELECT id, plan, status FROM hub."Subscription" WHERE "userId" = $1',
      [userId],
    );
    expect(second.rows).toEqual([{ id: first.rows[0].id, plan: 'growth', status: 'active' }]);
  });

  it('refuses a second subscription row for the same user and app', async () => {
    const userId = await seedUser(hub.db, { email: uniqueEmail(), password: 'a-password-123', name: 'D' });
    const insert = `INSERT INTO hub."Subscription" (id, "userId", "appId", plan) VALUES (gen_random_uuid(), $1, 'app_securevault', 'starter')`;
    await hub.pool.query(insert, [userId]);
    await expect(hub.pool.query(insert, [userId])).rejects.toMatchObject({
      code: '23505',
      constraint: 'Subscription_userId_appId_key',
    });
  });

  it('refuses a status outside active / past_due / canceled', async () => {
    const userId = await seedUser(hub.db, { email: uniqueEmail(), password: 'a-password-123', name: 'S' });
    await expect(
      hub.pool.query(
        `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status) VALUES (gen_random_uuid(), $1, 'app_crm', 'pro', 'trialing')`,
        [userId],
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('writes every contract status, defaults a missing one to active, and refuses NULL', async () => {
    const userId = await seedUser(hub.db, { email: uniqueEmail(), password: 'a-password-123', name: 'N' });
    for (const status of SUBSCRIPTION_STATUSES) {
      await hub.pool.query(
        `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status) VALUES (gen_random_uuid(), $1, 'app_iq', 'pro', $2)
         ON CONFLICT ("userId", "appId") DO UPDATE SET status = $2`,
        [userId, status],
      );
    }
    await hub.pool.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan) VALUES (gen_random_uuid(), $1, 'app_leads', 'pro')`,
      [userId],
    );
    const defaulted = await hub.pool.query(
      `SELECT status FROM hub."Subscription" WHERE "userId" = $1 AND "appId" = 'app_leads'`,
      [userId],
    );
    expect(defaulted.rows).toEqual([{ status: 'active' }]);
    await expect(
      hub.pool.query(`UPDATE hub."Subscription" SET status = NULL WHERE "userId" = $1`, [userId]),
    ).rejects.toMatchObject({ code: '23502' });
  });

  it('treats emails case-insensitively: one account per address, whatever its spelling', async () => {
    const email = uniqueEmail('Case');
    const id = await seedUser(hub.db, { email, password: 'a-password-123', name: 'C' });
    expect(
      await seedUser(hub.db, { email: email.toUpperCase(), password: 'other-pass-456', name: 'C2' }),
    ).toBe(id);
    await expect(
      hub.pool.query(`INSERT INTO core."User" (id, email) VALUES (gen_random_uuid(), $1)`, [
        email.toUpperCase(),
      ]),
    ).rejects.toMatchObject({ code: '23505' });
  });
});

describe('least privilege', () => {
  it('refuses an INSERT into hub."Subscription" as SVD’s role', async () => {
    const userId = await seedUser(hub.db, { email: uniqueEmail(), password: 'a-password-123', name: 'L' });
    await expect(
      svd.pool.query(
        `INSERT INTO hub."Subscription" (id, "userId", "appId", plan) VALUES (gen_random_uuid(), $1, 'app_securevault', 'pro')`,
        [userId],
      ),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('lets SVD read users and subscriptions but never write core or hub', async () => {
    const userId = await seedUser(hub.db, { email: uniqueEmail(), password: 'a-password-123', name: 'R' });
    const read = await svd.pool.query('SELECT email FROM core."User" WHERE id = $1', [userId]);
    expect(read.rowCount).toBe(1);
    await expect(svd.pool.query('SELECT plan FROM hub."Subscription" LIMIT 1')).resolves.toBeDefined();
    await expect(
      svd.pool.query('UPDATE core."User" SET name = $2 WHERE id = $1', [userId, 'x']),
    ).rejects.toMatchObject({
      code: '42501',
    });
    await expect(svd.pool.query('DELETE FROM hub."Subscription"')).rejects.toMatchObject({ code: '42501' });
    await expect(svd.pool.query('SELECT password FROM core."Account" LIMIT 1')).rejects.toMatchObject({
      code: '42501',
    });
    await expect(svd.pool.query('SELECT token FROM core."Session" LIMIT 1')).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('gives SVD its own schema and lets the Hub read only when each profile was created and units per period', async () => {
    const profileId = `profile-${Date.now()}`;
    await svd.pool.query(
      `INSERT INTO securevault."UserProfile" ("userId", email, name) VALUES ($1, 'svd@example.test', 'P') ON CONFLICT DO NOTHING`,
      [profileId],
    );
    // The two columns the Hub needs to count SVD's free trial (a column-level grant).
    const read = await hub.pool.query<{ userId: string; createdAt: Date }>(
      'SELECT "userId", "createdAt" FROM securevault."UserProfile" WHERE "userId" = $1',
      [profileId],
    );
    expect(read.rows).toEqual([{ userId: profileId, createdAt: expect.any(Date) }]);
    const refused = { code: '42501' };
    // Nothing else of the profile: not the customer's email or name, not every column.
    for (const column of ['email', 'name', '"accountType"', '"updatedAt"', '"lastLoginAt"', '*']) {
      await expect(
        hub.pool.query(`SELECT ${column} FROM securevault."UserProfile" LIMIT 1`),
      ).rejects.toMatchObject(refused);
    }
    // No writes.
    await expect(
      hub.pool.query(
        `INSERT INTO securevault."UserProfile" ("userId", email) VALUES ($1, 'hub@example.test')`,
        [`${profileId}-hub`],
      ),
    ).rejects.toMatchObject(refused);
    await expect(
      hub.pool.query(`UPDATE securevault."UserProfile" SET "createdAt" = now() WHERE "userId" = $1`, [
        profileId,
      ]),
    ).rejects.toMatchObject(refused);
    await expect(
      hub.pool.query(`DELETE FROM securevault."UserProfile" WHERE "userId" = $1`, [profileId]),
    ).rejects.toMatchObject(refused);
    // Processing units per user and period (the console's usage, issue 14): those three columns, no write.
    await expect(
      hub.pool.query(
        'SELECT "userId", "periodStart", "unitsUsed" FROM securevault."ProcessingUsage" LIMIT 1',
      ),
    ).resolves.toBeDefined();
    for (const sql of [
      'SELECT "updatedAt" FROM securevault."ProcessingUsage" LIMIT 1',
      'SELECT * FROM securevault."ProcessingUsage" LIMIT 1',
      `INSERT INTO securevault."ProcessingUsage" ("userId", "periodStart") VALUES ('${profileId}', now())`,
      'UPDATE securevault."ProcessingUsage" SET "unitsUsed" = 0',
      'DELETE FROM securevault."ProcessingUsage"',
    ]) {
      await expect(hub.pool.query(sql)).rejects.toMatchObject(refused);
    }
    // No other table of SVD's.
    const others = await svd.pool.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'securevault' AND tablename NOT IN ('UserProfile', 'ProcessingUsage')`,
    );
    expect(others.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['Vault', 'Document', 'Session']));
    for (const { name } of others.rows) {
      await expect(hub.pool.query(`SELECT 1 FROM securevault."${name}" LIMIT 1`)).rejects.toMatchObject(
        refused,
      );
    }
  });

  it('lets SVD record, update and clear orphaned blobs, with a known reason only', async () => {
    const key = `orphan-${Date.now()}`;
    await svd.pool.query(
      `INSERT INTO securevault."OrphanedBlob" ("storageKey", reason, "lastError") VALUES ($1, 'document_deleted', 'EACCES')`,
      [key],
    );
    await svd.pool.query(
      `UPDATE securevault."OrphanedBlob" SET attempts = attempts + 1 WHERE "storageKey" = $1`,
      [key],
    );
    await expect(
      svd.pool.query(
        `INSERT INTO securevault."OrphanedBlob" ("storageKey", reason, "lastError") VALUES ($1, 'because', 'x')`,
        [`${key}-other`],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    const deleted = await svd.pool.query(`DELETE FROM securevault."OrphanedBlob" WHERE "storageKey" = $1`, [
      key,
    ]);
    expect(deleted.rowCount).toBe(1);
    await expect(hub.pool.query('SELECT 1 FROM securevault."OrphanedBlob" LIMIT 1')).rejects.toMatchObject({
      code: '42501',
    });
  });
});

describe('seeders', () => {
  it('upserts the four catalog apps, idempotently', async () => {
    await seedCatalog(hub.db, { SVD_URL: 'http://localhost:3101' });
    await seedCatalog(hub.db, { SVD_URL: 'http://localhost:3101' });
    const apps = await hub.pool.query('SELECT id, "launchUrl" FROM hub."App" ORDER BY "sortOrder"');
    expect(apps.rows).toEqual([
      { id: 'app_securevault', launchUrl: 'http://localhost:3101' },
      { id: 'app_crm', launchUrl: null },
      { id: 'app_iq', launchUrl: null },
      { id: 'app_leads', launchUrl: null },
    ]);
  });
});
