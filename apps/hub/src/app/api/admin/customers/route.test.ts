import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '@/lib/admin/grant-role';
import { signUpHubUser } from '@/testing/billing-test-env';
import { GET } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const hub = connectAs('hub');

afterAll(async () => {
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

const search = (query: string, cookie?: string) =>
  GET(new Request(`${HUB}/api/admin/customers${query}`, { headers: cookie ? { cookie } : {} }), {
    params: Promise.resolve({}),
  });

let support: { cookie: string; email: string; userId: string };
let customer: { cookie: string; email: string; userId: string };
beforeAll(async () => {
  support = await signUpHubUser('search-support');
  await grantRole(hub.db, {
    email: support.email,
    role: 'support',
    reason: 'search test',
    actor: 'system:test',
  });
  customer = await signUpHubUser('search-customer');
});

describe('GET /api/admin/customers (issue 14)', () => {
  it('finds a customer by part of the email for support, with the row the table shows', async () => {
    const part = customer.email.slice(0, 20);
    const response = await search(`?q=${encodeURIComponent(part)}`, support.cookie);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ total: 1, totalCapped: false, page: 1, pageSize: 25 });
    expect(body.rows[0]).toMatchObject({
      userId: customer.userId,
      email: customer.email,
      name: 'Test Customer',
      role: 'user',
      deletedAt: null,
      bannedAt: null,
      apps: [],
    });
  });

  it('answers 404 to a deleted staff account, as to every other non-staff caller', async () => {
    const gone = await signUpHubUser('search-deleted');
    await grantRole(hub.db, {
      email: gone.email,
      role: 'admin',
      reason: 'search test',
      actor: 'system:test',
    });
    expect((await search('?q=a', gone.cookie)).status).toBe(200);
    await hub.db.update(schema.user).set({ deletedAt: new Date() }).where(eq(schema.user.id, gone.userId));
    const response = await search('?q=a', gone.cookie);
    expect(response.status).toBe(404);
  });

  it('answers 404, not 400, to a non-staff caller whatever the query says', async () => {
    expect((await search('?page=-1&filter=nonsense', customer.cookie)).status).toBe(404);
    expect((await search('?page=-1&filter=nonsense')).status).toBe(404);
  });

  it.each([
    ['a 10 kB search', `?q=${'x'.repeat(10_000)}`],
    ['a negative page', '?page=-1'],
    ['page zero', '?page=0'],
    ['a huge page', '?page=99999999999999999999'],
    ['a page that is not a number', '?page=abc'],
    ['a fractional page', '?page=1.5'],
    ['an unknown filter', '?filter=past_due,everything'],
    ['an unknown product', '?app=app_nope'],
    ['an unknown sort', '?sort=password'],
    ['an unknown direction', '?dir=sideways'],
    ['an odd page size', '?size=7'],
    ['a NUL byte', '?q=a%00b'],
  ])('refuses %s with a clear 400', async (_what, query) => {
    const response = await search(query, support.cookie);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message.length).toBeGreaterThan(5);
  });

  it.each([
    ['%'],
    ['_'],
    ['\\'],
    ['%_\\'],
    ["' OR 1=1 --"],
    ['"; DROP TABLE core."User"; --'],
    ['Zoë 🙂 日本'],
    ['cus_'],
    ['sub_x'],
    [`${randomUUID()}`],
    ['x'.repeat(200)],
  ])('answers %j with 200 and rows or none', async (q) => {
    const response = await search(
      `?q=${encodeURIComponent(q)}&page=2&size=100&sort=plan&dir=asc`,
      support.cookie,
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(Array.isArray(body.rows)).toBe(true);
  });

  it('gives no rows for a page past the end', async () => {
    const response = await search(`?q=${encodeURIComponent(customer.email)}&page=9999`, support.cookie);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ rows: [], total: 1 });
  });
});
