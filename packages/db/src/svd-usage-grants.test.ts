import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectAs } from './testing';

// The roles as the running apps connect; applyRoleGrants ran after the migrations (npm test's setup).
const hub = connectAs('hub');
const svd = connectAs('svd');

afterAll(async () => {
  await Promise.all([hub.pool.end(), svd.pool.end()]);
});

describe("the Hub reads SVD usage as per-user sums only (issue 14's console)", () => {
  it('sees storage and document counts in securevault."UserUsage", as SVD counts them', async () => {
    const userId = `usage-${randomUUID()}`;
    const vaultId = randomUUID();
    await svd.pool.query(`INSERT INTO securevault."Vault" (id, "userId", name) VALUES ($1, $2, 'Taxes')`, [
      vaultId,
      userId,
    ]);
    for (const [size, state] of [
      [1000, 'ready'],
      [2500, 'ready'],
      [500, 'uploading'],
    ] as const) {
      await svd.pool.query(
        `INSERT INTO securevault."Document" (id, "userId", "vaultId", name, "mimeType", "sizeBytes", state)
         VALUES ($1, $2, $3, 'secret.pdf', 'application/pdf', $4, $5)`,
        [randomUUID(), userId, vaultId, size, state],
      );
    }
    const read = await hub.pool.query(
      'SELECT "storageBytes", "documentCount" FROM securevault."UserUsage" WHERE "userId" = $1',
      [userId],
    );
    // The reservation counts against storage (as getVaultStatus counts it) but is not yet a document.
    expect(read.rows).toEqual([{ storageBytes: '4000', documentCount: 2 }]);
    // What the same person uploads to a team vault is the team's (issue 15): not in their personal usage.
    const teamVaultId = randomUUID();
    const organizationId = randomUUID();
    await svd.pool.query(
      `INSERT INTO securevault."Vault" (id, "userId", "organizationId", name) VALUES ($1, $2, $3, 'Team documents')`,
      [teamVaultId, userId, organizationId],
    );
    await svd.pool.query(
      `INSERT INTO securevault."Document" (id, "userId", "organizationId", "vaultId", name, "mimeType", "sizeBytes", state)
       VALUES ($1, $2, $3, $4, 'team.pdf', 'application/pdf', 7000, 'ready')`,
      [randomUUID(), userId, organizationId, teamVaultId],
    );
    const after = await hub.pool.query(
      'SELECT "storageBytes", "documentCount" FROM securevault."UserUsage" WHERE "userId" = $1',
      [userId],
    );
    expect(after.rows).toEqual([{ storageBytes: '4000', documentCount: 2 }]);
    const units = await hub.pool.query(
      'SELECT "userId", "periodStart", "unitsUsed" FROM securevault."ProcessingUsage" WHERE "userId" = $1',
      [userId],
    );
    expect(units.rows).toEqual([]);
  });

  it.each([
    ['a document name', 'SELECT name FROM securevault."Document" LIMIT 1'],
    ['a document content', 'SELECT "textContent" FROM securevault."Document" LIMIT 1'],
    ['a vault name', 'SELECT name FROM securevault."Vault" LIMIT 1'],
    ['a profile email', 'SELECT email FROM securevault."UserProfile" LIMIT 1'],
    ['a write to the usage', `UPDATE securevault."ProcessingUsage" SET "unitsUsed" = 0`],
  ])('refuses %s with permission denied', async (_what, query) => {
    await expect(hub.pool.query(query)).rejects.toMatchObject({ code: '42501' });
  });
});
