import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { connectAs } from '../testing';
import {
  consumeRateLimit as consumeOn,
  HUB_RATE_LIMITS,
  rateLimitKey,
  releaseRateLimit as releaseOn,
  SVD_RATE_LIMITS,
  type TRateLimitRule,
} from './consume-rate-limit';

const admin = connectAs('admin');
const handles = [admin];
afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.pool.end()));
});

const rule = (limit: number, windowSeconds = 60) => ({ name: `test-${randomUUID()}`, limit, windowSeconds });

// The same counter on each app's own table, counted by that app's database role.
const TABLES = [
  { app: 'hub', where: HUB_RATE_LIMITS, table: sql`core."RateLimit"`, windowStart: sql`"lastRequest"` },
  {
    app: 'svd',
    where: SVD_RATE_LIMITS,
    table: sql`securevault."RateLimit"`,
    windowStart: sql`"windowStart"`,
  },
] as const;

describe.each(TABLES)('rate limits on the $app table', ({ app, where, table, windowStart }) => {
  // Two pools as two instances of the app would hold them, on the same database.
  const instanceA = connectAs(app);
  const instanceB = connectAs(app);
  handles.push(instanceA, instanceB);
  const consumeRateLimit = (db: typeof instanceA.db, limit: TRateLimitRule, subject: string) =>
    consumeOn(db, where, limit, subject);
  const releaseRateLimit = (db: typeof instanceA.db, limit: TRateLimitRule, subject: string) =>
    releaseOn(db, where, limit, subject);

  /** Moves a window into the past, as if its time had passed. */
  async function age(key: string, seconds: number) {
    await admin.db.execute(
      sql`UPDATE ${table} SET ${windowStart} = ${windowStart} - ${seconds * 1000} WHERE "key" = ${key}`,
    );
  }

  it('allows exactly the limit when two instances count one key at the same moment', async () => {
    const limit = rule(10);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        consumeRateLimit((i % 2 ? instanceA : instanceB).db, limit, 'subject'),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    for (const refused of results.filter((r) => !r.allowed)) {
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
  });

  it('counts each subject and each rule on its own', async () => {
    const limit = rule(1);
    expect((await consumeRateLimit(instanceA.db, limit, 'one')).allowed).toBe(true);
    expect((await consumeRateLimit(instanceB.db, limit, 'one')).allowed).toBe(false);
    expect((await consumeRateLimit(instanceB.db, limit, 'two')).allowed).toBe(true);
    expect((await consumeRateLimit(instanceB.db, rule(1), 'one')).allowed).toBe(true);
  });

  it('frees a refused subject when its window ends, and starts a new window then', async () => {
    const limit = rule(2, 900);
    await consumeRateLimit(instanceA.db, limit, 's');
    await consumeRateLimit(instanceA.db, limit, 's');
    const refused = await consumeRateLimit(instanceB.db, limit, 's');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(890);
    await age(rateLimitKey(limit, 's'), 600);
    // Refused attempts do not move the window: 5 minutes are left, not 15.
    const stillRefused = await consumeRateLimit(instanceB.db, limit, 's');
    expect(stillRefused.allowed).toBe(false);
    expect(stillRefused.retryAfterSeconds).toBeLessThanOrEqual(300);
    await age(rateLimitKey(limit, 's'), 300);
    const again = await consumeRateLimit(instanceB.db, limit, 's');
    expect(again).toMatchObject({ allowed: true });
    expect(again.retryAfterSeconds).toBeGreaterThan(890);
  });

  it('gives back a released attempt', async () => {
    const limit = rule(2);
    await consumeRateLimit(instanceA.db, limit, 's');
    await consumeRateLimit(instanceA.db, limit, 's');
    await releaseRateLimit(instanceB.db, limit, 's');
    expect((await consumeRateLimit(instanceA.db, limit, 's')).allowed).toBe(true);
    expect((await consumeRateLimit(instanceA.db, limit, 's')).allowed).toBe(false);
  });

  it('keeps no subject as it came: the key is the rule and a hash, whatever the subject holds', async () => {
    const limit = rule(3);
    for (const subject of ['Someone@Example.test', 'nul\u0000byte', 'x'.repeat(2_000_000)]) {
      expect((await consumeRateLimit(instanceA.db, limit, subject)).allowed).toBe(true);
      const key = rateLimitKey(limit, subject);
      expect(key).toMatch(new RegExp(`^${limit.name}:[A-Za-z0-9_-]{43}$`));
      const rows = await admin.db.execute(sql`SELECT "count" FROM ${table} WHERE "key" = ${key}`);
      expect(rows.rows).toEqual([{ count: 1 }]);
    }
  });
});

describe('each app counts on its own table only', () => {
  /** PostgreSQL's insufficient_privilege, as pg raises it or drizzle wraps it. */
  const permissionDenied = (error: unknown) => {
    const { code, cause } = error as { code?: string; cause?: { code?: string } };
    return (code ?? cause?.code) === '42501';
  };

  it("refuses the Hub's role SVD's table and SVD's role the Hub's", async () => {
    const hub = connectAs('hub');
    const svd = connectAs('svd');
    handles.push(hub, svd);
    await expect(consumeOn(hub.db, SVD_RATE_LIMITS, rule(1), 's')).rejects.toSatisfy(permissionDenied);
    await expect(consumeOn(svd.db, HUB_RATE_LIMITS, rule(1), 's')).rejects.toSatisfy(permissionDenied);
    await expect(releaseOn(hub.db, SVD_RATE_LIMITS, rule(1), 's')).rejects.toSatisfy(permissionDenied);
    await expect(releaseOn(svd.db, HUB_RATE_LIMITS, rule(1), 's')).rejects.toSatisfy(permissionDenied);
  });
});
