import { randomUUID } from 'node:crypto';
import { connectAs } from '@omg/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { consumeRateLimit, rateLimitKey, releaseRateLimit } from './consume-rate-limit';

// Two pools as two Hub instances would hold them, on the same database.
const instanceA = connectAs('hub');
const instanceB = connectAs('hub');
const admin = connectAs('admin');

afterAll(async () => {
  await Promise.all([instanceA.pool.end(), instanceB.pool.end(), admin.pool.end()]);
});

const rule = (limit: number, windowSeconds = 60) => ({ name: `test-${randomUUID()}`, limit, windowSeconds });

/** Moves a window into the past, as if its time had passed. */
async function age(key: string, seconds: number) {
  await admin.db.execute(
    sql`UPDATE core."RateLimit" SET "lastRequest" = "lastRequest" - ${seconds * 1000} WHERE "key" = ${key}`,
  );
}

describe('consumeRateLimit (PostgreSQL, shared by every instance)', () => {
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
      const rows = await admin.db.execute(sql`SELECT "count" FROM core."RateLimit" WHERE "key" = ${key}`);
      expect(rows.rows).toEqual([{ count: 1 }]);
    }
  });
});
