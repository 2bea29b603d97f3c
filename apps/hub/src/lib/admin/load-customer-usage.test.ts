import { randomUUID } from 'node:crypto';
import { PLAN_LIMITS } from '@omg/contract';
import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCustomerEntitlement } from './load-customer-entitlement';
import { loadCustomerUsage } from './load-customer-usage';

let hub: TDatabaseHandle;
let admin: TDatabaseHandle;
beforeAll(() => {
  hub = connectAs('hub');
  admin = connectAs('admin');
});
afterAll(async () => {
  await Promise.all([hub.pool.end(), admin.pool.end()]);
});

const MB = 1024 ** 2;

async function documents(userId: string, files: Array<[string, number, string]>) {
  const vaultId = randomUUID();
  await admin.pool.query(
    `INSERT INTO securevault."Vault" (id, "userId", name) VALUES ($1, $2, 'Taxes 2026')`,
    [vaultId, userId],
  );
  for (const [name, size, state] of files) {
    await admin.pool.query(
      `INSERT INTO securevault."Document" (id, "userId", "vaultId", name, "mimeType", "sizeBytes", state)
       VALUES (gen_random_uuid(), $1, $2, $3, 'application/pdf', $4, $5)`,
      [userId, vaultId, name, size, state],
    );
  }
}

describe('loadCustomerUsage: SVD usage as sums, never names (issue 14)', () => {
  it('storage (as SVD counts it), ready documents and the units of the current period', async () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const userId = await seedUser(admin.db, {
      email: uniqueEmail('usage'),
      password: 'usage-pass-12',
      name: 'U',
    });
    const neighbour = await seedUser(admin.db, {
      email: uniqueEmail('nb'),
      password: 'usage-pass-12',
      name: 'N',
    });
    await admin.pool.query(
      `INSERT INTO securevault."UserProfile" ("userId", email, "createdAt") VALUES ($1, 'x@example.test', $2)`,
      [userId, new Date('2026-11-28T00:00:00Z')],
    );
    await documents(userId, [
      ['salary-statement.pdf', 3 * MB, 'ready'],
      ['passport-scan.pdf', 2 * MB, 'ready'],
      ['half-uploaded.pdf', 1 * MB, 'uploading'],
    ]);
    await documents(neighbour, [['not-yours.pdf', 50 * MB, 'ready']]);
    await admin.pool.query(
      `INSERT INTO securevault."ProcessingUsage" ("userId", "periodStart", "unitsUsed") VALUES
       ($1, '2026-11-01T00:00:00', 40), ($1, '2026-12-01T00:00:00', 7)`,
      [userId],
    );

    const access = await loadCustomerEntitlement(hub.db, userId, now);
    const usage = await loadCustomerUsage(hub.db, userId, access, now);
    expect(usage).toEqual({
      storageBytes: 6 * MB,
      storageLimitBytes: PLAN_LIMITS.trial.storageBytes,
      documentCount: 2,
      unitsUsed: 7,
      unitsLimit: PLAN_LIMITS.trial.processingUnitsPerMonth,
      periodStart: new Date('2026-12-01T00:00:00Z'),
      overStorage: false,
    });
    // Nothing that names a document or a vault reaches the console.
    expect(JSON.stringify(usage)).not.toMatch(/salary|passport|Taxes|pdf/);
  });

  it("the Hub's role cannot read a document's name or content, only the sums", async () => {
    await expect(hub.pool.query('SELECT name FROM securevault."Document" LIMIT 1')).rejects.toThrow(
      /permission denied/,
    );
    await expect(hub.pool.query('SELECT name FROM securevault."Vault" LIMIT 1')).rejects.toThrow(
      /permission denied/,
    );
  });

  it('zero for a customer without documents, and over quota when storage passes the plan', async () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const empty = await seedUser(admin.db, {
      email: uniqueEmail('empty'),
      password: 'usage-pass-12',
      name: 'E',
    });
    const access = await loadCustomerEntitlement(hub.db, empty, now);
    expect(await loadCustomerUsage(hub.db, empty, access, now)).toMatchObject({
      storageBytes: 0,
      documentCount: 0,
      unitsUsed: 0,
      overStorage: false,
    });
    const big = await seedUser(admin.db, { email: uniqueEmail('big'), password: 'usage-pass-12', name: 'B' });
    await documents(big, [['big.bin', PLAN_LIMITS.trial.storageBytes + 1, 'ready']]);
    const bigAccess = await loadCustomerEntitlement(hub.db, big, now);
    expect((await loadCustomerUsage(hub.db, big, bigAccess, now)).overStorage).toBe(true);
  });
});
