import { randomUUID } from 'node:crypto';
import type { TDatabaseHandle } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, seedHubSession, uniqueEmail } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCustomerSessions } from './load-customer-sessions';

let hub: TDatabaseHandle;
let admin: TDatabaseHandle;
beforeAll(() => {
  hub = connectAs('hub');
  admin = connectAs('admin');
});
afterAll(async () => {
  await Promise.all([hub.pool.end(), admin.pool.end()]);
});

describe('loadCustomerSessions: both apps, newest first (issue 14)', () => {
  it("lists the Hub's sessions with browser and address, and SVD's through the view (no ids or token hashes)", async () => {
    const userId = await seedUser(admin.db, {
      email: uniqueEmail('sessions'),
      password: 'sessions-pass-1',
      name: 'S',
    });
    const other = await seedUser(admin.db, {
      email: uniqueEmail('other'),
      password: 'sessions-pass-1',
      name: 'O',
    });
    const older = await seedHubSession(admin.db, userId);
    await admin.pool.query(
      `UPDATE core."Session" SET "createdAt" = now() - interval '2 days', "expiresAt" = now() - interval '1 day' WHERE id = $1`,
      [older],
    );
    const newer = await seedHubSession(admin.db, userId);
    await admin.pool.query(
      `UPDATE core."Session" SET "userAgent" = 'Firefox/140', "ipAddress" = '203.0.113.9' WHERE id = $1`,
      [newer],
    );
    await seedHubSession(admin.db, other);
    await admin.pool.query(
      `INSERT INTO securevault."Session" (id, "tokenHash", "userId", "hubSessionId", "expiresAt")
       VALUES ($1, $2, $3, $4, now() + interval '1 hour')`,
      [randomUUID(), randomUUID(), userId, newer],
    );

    const sessions = await loadCustomerSessions(hub.db, userId);
    expect(sessions.hubTotal).toBe(2);
    expect(sessions.hub.map((s) => [s.id, s.live])).toEqual([
      [newer, true],
      [older, false],
    ]);
    expect(sessions.hub[0]).toMatchObject({ userAgent: 'Firefox/140', ipAddress: '203.0.113.9' });
    expect(sessions.svdTotal).toBe(1);
    expect(sessions.svd).toEqual([
      { hubSessionId: newer, createdAt: expect.any(Date), expiresAt: expect.any(Date), live: true },
    ]);
  });

  it("the Hub's role reads SVD's sessions only through the view, never the table", async () => {
    await expect(hub.pool.query('SELECT "tokenHash" FROM securevault."Session" LIMIT 1')).rejects.toThrow(
      /permission denied/,
    );
    const columns = await hub.pool.query('SELECT * FROM securevault."SessionActivity" LIMIT 0');
    expect(columns.fields.map((f) => f.name).sort()).toEqual([
      'createdAt',
      'expiresAt',
      'hubSessionId',
      'userId',
    ]);
  });

  it('is empty for a customer who never signed in', async () => {
    const userId = await seedUser(admin.db, {
      email: uniqueEmail('never'),
      password: 'sessions-pass-1',
      name: 'N',
    });
    expect(await loadCustomerSessions(hub.db, userId)).toEqual({
      hub: [],
      hubTotal: 0,
      svd: [],
      svdTotal: 0,
    });
  });
});
