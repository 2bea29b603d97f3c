import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { CUSTOMER_SEARCH_COUNT_CAP, PLAN_RANK, searchCustomers } from './search-customers';

const hub = connectAs('hub');
const svd = connectAs('svd');

afterAll(async () => {
  await Promise.all([hub.pool.end(), svd.pool.end()]);
});

const DAY = 86_400_000;
const GB = 1024 ** 3;
const NOW = new Date();
// Every address of this file carries the token, so searching for it isolates this file's customers from the rest
// of the shared test database. Letters and digits only, so it also fits in a Stripe-like id.
const T = randomUUID().replace(/-/g, '').slice(0, 12);
const id = (key: string) => `srch-${T}-${key}`;

interface TSeed {
  key: string;
  name: string;
  createdAt: Date;
  deleted?: boolean;
  banned?: boolean;
  subscription?: {
    appId?: string;
    plan: string;
    status: string;
    trialEndsAt?: Date;
    migrated?: boolean;
    stripeCustomerId?: string;
    stripeSubscriptionId?: string;
  };
  stripeCustomer?: string;
  profileCreatedAt?: Date;
  storageBytes?: number;
}

const SEEDS: TSeed[] = [
  {
    key: 'alice',
    name: 'Alice Wonderland',
    createdAt: new Date('2026-01-10T10:00:00Z'),
    subscription: { plan: 'pro', status: 'active', stripeSubscriptionId: `sub_A${T}` },
    stripeCustomer: `cus_A${T}`,
    profileCreatedAt: new Date('2026-01-10T10:05:00Z'),
    // Within Pro's 200 GB.
    storageBytes: 30 * GB,
  },
  {
    key: 'bob',
    name: 'Bob Builder',
    createdAt: new Date('2026-03-01T10:00:00Z'),
    // A migrated subscription carries its old Stripe customer; there is no hub."Customer" row for it.
    subscription: { plan: 'growth', status: 'past_due', stripeCustomerId: `cus_B${T}`, migrated: true },
  },
  {
    key: 'carol',
    name: 'Carol Danvers',
    createdAt: new Date('2026-05-01T10:00:00Z'),
    subscription: { plan: 'starter', status: 'active', trialEndsAt: new Date(NOW.getTime() + 3 * DAY) },
    // Above Starter's 25 GB.
    storageBytes: 30 * GB,
  },
  {
    key: 'dave',
    name: 'Dave 50%_off \\ Ltd',
    createdAt: new Date('2026-06-01T10:00:00Z'),
    subscription: { plan: 'growth', status: 'active', trialEndsAt: new Date(NOW.getTime() + 20 * DAY) },
  },
  { key: 'erin', name: 'Erin 500 offers', createdAt: new Date('2026-07-01T10:00:00Z') },
  {
    key: 'frank',
    name: 'Frank Zoë 日本',
    createdAt: new Date('2026-08-01T10:00:00Z'),
    // SVD's free trial, 10 of 14 days gone, and 2 GB where the trial allows 1 GB.
    profileCreatedAt: new Date(NOW.getTime() - 10 * DAY),
    storageBytes: 2 * GB,
  },
  {
    key: 'gina',
    name: 'Gina Gone',
    createdAt: new Date('2026-09-01T10:00:00Z'),
    deleted: true,
    subscription: { appId: 'app_crm', plan: 'starter', status: 'active' },
  },
  {
    key: 'hank',
    banned: true,
    name: 'Hank Early',
    createdAt: new Date('2026-10-01T10:00:00Z'),
    // A free trial that ended long ago is not "ending".
    profileCreatedAt: new Date(NOW.getTime() - 40 * DAY),
  },
];

/** core."User" rows by plain SQL: only the columns these tests need, whatever else the table grows. */
async function insertUsers(
  users: {
    id: string;
    email: string;
    name: string;
    createdAt: Date;
    deletedAt?: Date | null;
    bannedAt?: Date | null;
  }[],
) {
  await hub.pool.query(
    `INSERT INTO core."User" (id, email, name, "createdAt", "deletedAt", "bannedAt")
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp[], $5::timestamp[], $6::timestamp[])`,
    [
      users.map((u) => u.id),
      users.map((u) => u.email),
      users.map((u) => u.name),
      users.map((u) => u.createdAt.toISOString()),
      users.map((u) => u.deletedAt?.toISOString() ?? null),
      users.map((u) => u.bannedAt?.toISOString() ?? null),
    ],
  );
}

async function seed() {
  await insertUsers(
    SEEDS.map((s) => ({
      id: id(s.key),
      email: `${s.key}-${T}@Example.test`,
      name: s.name,
      createdAt: s.createdAt,
      deletedAt: s.deleted ? new Date() : null,
      bannedAt: s.banned ? new Date('2026-11-30T12:00:00Z') : null,
    })),
  );
  for (const s of SEEDS) {
    if (s.subscription) {
      await hub.db.insert(schema.subscription).values({
        id: randomUUID(),
        userId: id(s.key),
        appId: s.subscription.appId ?? 'app_securevault',
        plan: s.subscription.plan,
        status: s.subscription.status,
        trialEndsAt: s.subscription.trialEndsAt ?? null,
        migratedAt: s.subscription.migrated ? new Date('2026-02-01T00:00:00Z') : null,
        stripeCustomerId: s.subscription.stripeCustomerId ?? s.stripeCustomer ?? null,
        stripeSubscriptionId: s.subscription.stripeSubscriptionId ?? null,
      });
    }
    if (s.stripeCustomer) {
      await hub.db.insert(schema.customer).values({ userId: id(s.key), stripeCustomerId: s.stripeCustomer });
    }
    if (s.profileCreatedAt) {
      await svd.db.insert(schema.userProfile).values({
        userId: id(s.key),
        email: `${s.key}-${T}@example.test`,
        createdAt: s.profileCreatedAt,
      });
    }
    if (s.storageBytes) {
      const vaultId = randomUUID();
      await svd.db.insert(schema.vault).values({ id: vaultId, userId: id(s.key), name: 'Main' });
      await svd.db.insert(schema.document).values({
        id: randomUUID(),
        userId: id(s.key),
        vaultId,
        name: 'big.bin',
        mimeType: 'application/octet-stream',
        sizeBytes: s.storageBytes,
        state: 'ready',
      });
    }
  }
}

/** The keys of the customers found, in the order given. */
async function keys(input: Record<string, unknown>): Promise<string[]> {
  const result = await searchCustomers(hub.db, input, NOW);
  return result.rows.map((r) => r.userId.replace(`srch-${T}-`, ''));
}

const mine = (found: string[]) => found.filter((k) => SEEDS.some((s) => s.key === k));

beforeAll(seed);

describe('searchCustomers: one box (issue 14)', () => {
  it('finds by part of an email, whatever the case', async () => {
    expect(await keys({ q: `ALICE-${T}` })).toEqual(['alice']);
    expect(await keys({ q: `${T}@example` })).toHaveLength(SEEDS.length);
  });

  it('finds by part of a name, whatever the case', async () => {
    expect(mine(await keys({ q: 'ice wonderLAND' }))).toEqual(['alice']);
    expect(mine(await keys({ q: 'zoë 日本' }))).toEqual(['frank']);
  });

  it('matches the start of an email or a name for one or two characters', async () => {
    const found = mine(await keys({ q: 'er', pageSize: 100, dir: 'asc' }));
    // erin's email and name start with "er"; nobody else's does (Carol and Hank contain it, not at the start).
    expect(found).toEqual(['erin']);
  });

  it('finds by the exact user id only', async () => {
    expect(await keys({ q: id('bob') })).toEqual(['bob']);
    expect(await keys({ q: id('bob').slice(0, -1) })).toEqual([]);
  });

  it("finds by Stripe customer id: the Hub's customer, or the one a subscription carries", async () => {
    expect(await keys({ q: `cus_A${T}` })).toEqual(['alice']);
    expect(await keys({ q: `cus_B${T}` })).toEqual(['bob']);
    expect(await keys({ q: `cus_Z${T}` })).toEqual([]);
  });

  it('finds by Stripe subscription id', async () => {
    expect(await keys({ q: `sub_A${T}` })).toEqual(['alice']);
  });

  it('takes %, _ and \\ literally', async () => {
    expect(mine(await keys({ q: '50%_off' }))).toEqual(['dave']);
    expect(mine(await keys({ q: '_off \\ L' }))).toEqual(['dave']);
    expect(mine(await keys({ q: 'Dave _' }))).toEqual([]);
  });

  it.each(['\'; DROP TABLE core."User"; --', "' OR '1'='1", '%', '_', '\\', '🙂🙂', 'a'.repeat(200)])(
    'answers %j with rows or none, never an error',
    async (q) => {
      const result = await searchCustomers(hub.db, { q: `${q}` }, NOW);
      expect(result.total).toBeGreaterThanOrEqual(0);
      if (q.startsWith("'")) expect(result.rows).toEqual([]);
    },
  );

  it.each([
    [{ q: 'a'.repeat(10_000) }],
    [{ q: 'nul\u0000byte' }],
    [{ page: -1 }],
    [{ page: 0 }],
    [{ page: 1e9 }],
    [{ page: 1.5 }],
    [{ pageSize: 1000 }],
    [{ filters: ['everything'] }],
    [{ app: 'app_nope' }],
    [{ sort: 'password' }],
  ])('refuses %j as invalid input', async (input) => {
    await expect(searchCustomers(hub.db, input, NOW)).rejects.toBeInstanceOf(ZodError);
  });
});

describe('searchCustomers: filters and products', () => {
  const sorted = async (input: Record<string, unknown>) => (await keys({ q: T, ...input })).sort();

  it('past due', async () => {
    expect(await sorted({ filters: ['past_due'] })).toEqual(['bob']);
  });

  it('trial ending within 7 days: a Stripe trial, or SVD’s free trial', async () => {
    expect(await sorted({ filters: ['trial_ending'] })).toEqual(['carol', 'frank']);
    expect(await sorted({ filters: ['trial_ending'], app: 'app_crm' })).toEqual([]);
  });

  it('migrated', async () => {
    expect(await sorted({ filters: ['migrated'] })).toEqual(['bob']);
  });

  it("over quota: SVD storage above the plan's limit (the trial's without a subscription)", async () => {
    expect(await sorted({ filters: ['over_quota'] })).toEqual(['carol', 'frank']);
  });

  it('filters combine (all must hold)', async () => {
    expect(await sorted({ filters: ['trial_ending', 'over_quota'] })).toEqual(['carol', 'frank']);
    expect(await sorted({ filters: ['past_due', 'over_quota'] })).toEqual([]);
  });

  it("a product: its subscribers, and for SVD also its free trial's users", async () => {
    expect(await sorted({ app: 'app_crm' })).toEqual(['gina']);
    expect(await sorted({ app: 'app_securevault' })).toEqual([
      'alice',
      'bob',
      'carol',
      'dave',
      'frank',
      'hank',
    ]);
  });
});

describe('searchCustomers: rows, sorting and paging', () => {
  it('gives each customer’s id, email, name, sign-up, role, deletion and plans per app', async () => {
    const result = await searchCustomers(hub.db, { q: `gina-${T}` }, NOW);
    expect(result.total).toBe(1);
    expect(result.rows[0]).toMatchObject({
      userId: id('gina'),
      email: `gina-${T}@Example.test`,
      name: 'Gina Gone',
      signedUpAt: new Date('2026-09-01T10:00:00Z'),
      role: 'user',
      deletedAt: expect.any(Date),
      apps: [
        {
          appId: 'app_crm',
          appName: 'OMG-CRM',
          plan: 'starter',
          planName: 'Starter',
          status: 'active',
          migrated: false,
        },
      ],
    });
    const [bob] = (await searchCustomers(hub.db, { q: `bob-${T}` }, NOW)).rows;
    expect(bob?.apps).toMatchObject([{ planName: 'Growth', status: 'past_due', migrated: true }]);
    expect(bob?.deletedAt).toBeNull();
    expect(bob?.bannedAt).toBeNull();
    const [hank] = (await searchCustomers(hub.db, { q: `hank-${T}` }, NOW)).rows;
    expect(hank?.bannedAt).toEqual(new Date('2026-11-30T12:00:00Z'));
  });

  it('sorts by sign-up date (newest first by default), email and plan', async () => {
    expect(await keys({ q: T })).toEqual(['hank', 'gina', 'frank', 'erin', 'dave', 'carol', 'bob', 'alice']);
    expect(await keys({ q: T, dir: 'asc' })).toEqual([
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
      'frank',
      'gina',
      'hank',
    ]);
    expect(await keys({ q: T, sort: 'email', dir: 'desc' })).toEqual([
      'hank',
      'gina',
      'frank',
      'erin',
      'dave',
      'carol',
      'bob',
      'alice',
    ]);
    // SVD's plans cheapest first, then those without an SVD plan (newest first) in either direction.
    expect(await keys({ q: T, sort: 'plan', dir: 'asc' })).toEqual([
      'carol',
      'dave',
      'bob',
      'alice',
      'hank',
      'gina',
      'frank',
      'erin',
    ]);
    expect((await keys({ q: T, sort: 'plan', dir: 'desc' })).slice(0, 4)).toEqual([
      'alice',
      'bob',
      'dave',
      'carol',
    ]);
    expect(await keys({ q: T, sort: 'plan', app: 'app_crm' })).toEqual(['gina']);
  });

  it('counts up to 10,000 and pages within them when more match', async () => {
    const C = randomUUID().replace(/-/g, '').slice(0, 12);
    const n = CUSTOMER_SEARCH_COUNT_CAP + 30;
    const key = (i: number) => String(i).padStart(5, '0');
    await insertUsers(
      Array.from({ length: n }, (_, i) => ({
        id: `cap-${C}-${key(i)}`,
        email: `cap-${C}-${key(i)}@example.test`,
        name: `Capped ${i}`,
        createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
      })),
    );
    const first = await searchCustomers(hub.db, { q: C, sort: 'email', dir: 'asc', pageSize: 100 }, NOW);
    expect(first).toMatchObject({ total: CUSTOMER_SEARCH_COUNT_CAP, totalCapped: true });
    expect(first.rows.map((r) => r.userId.slice(-5))).toEqual(Array.from({ length: 100 }, (_, i) => key(i)));
    // The last page within the cap is the 10,000th match in order; past it, nothing.
    const last = await searchCustomers(
      hub.db,
      { q: C, sort: 'email', dir: 'asc', pageSize: 100, page: 100 },
      NOW,
    );
    expect(last.rows.map((r) => r.userId.slice(-5))).toEqual(
      Array.from({ length: 100 }, (_, i) => key(CUSTOMER_SEARCH_COUNT_CAP - 100 + i)),
    );
    const past = await searchCustomers(
      hub.db,
      { q: C, sort: 'email', dir: 'asc', pageSize: 100, page: 101 },
      NOW,
    );
    expect(past).toMatchObject({ rows: [], total: CUSTOMER_SEARCH_COUNT_CAP, totalCapped: true });
    // Newest first: the ones that signed up last.
    const newest = await searchCustomers(hub.db, { q: C }, NOW);
    expect(newest.rows[0]?.userId).toBe(`cap-${C}-${key(n - 1)}`);
  });

  it('pages through the matches with the total, and past the end gives no rows', async () => {
    const P = randomUUID().replace(/-/g, '').slice(0, 12);
    await insertUsers(
      Array.from({ length: 60 }, (_, i) => ({
        id: `page-${P}-${String(i).padStart(2, '0')}`,
        email: `page-${P}-${String(i).padStart(2, '0')}@example.test`,
        name: `Pager ${i}`,
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * DAY),
      })),
    );
    const first = await searchCustomers(hub.db, { q: P, sort: 'email', dir: 'asc', pageSize: 25 }, NOW);
    expect(first.total).toBe(60);
    expect(first.rows.map((r) => r.userId.slice(-2))).toEqual(
      Array.from({ length: 25 }, (_, i) => String(i).padStart(2, '0')),
    );
    const third = await searchCustomers(hub.db, { q: P, sort: 'email', dir: 'asc', page: 3 }, NOW);
    expect(third.rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Pager ${50 + i}`));
    expect(third.total).toBe(60);
    const past = await searchCustomers(hub.db, { q: P, page: 4 }, NOW);
    expect(past).toMatchObject({ rows: [], total: 60, totalCapped: false, page: 4 });
    const fifty = await searchCustomers(hub.db, { q: P, pageSize: 50, page: 2, dir: 'asc' }, NOW);
    expect(fifty.rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Pager ${50 + i}`));
  });
});

describe('hub."CustomerProduct": the precomputed product customers and plans (kept by triggers)', () => {
  const newUser = async (key: string, createdAt: string) => {
    const userId = `srch-${T}-cp-${key}`;
    await hub.db.insert(schema.user).values({
      id: userId,
      email: `${userId}@example.test`,
      name: `CP ${key}`,
      createdAt: new Date(createdAt),
    });
    return userId;
  };
  const rowsOf = async (userId: string) =>
    (
      await hub.pool.query<{ appId: string; planRank: number | null; planStatus: string | null }>(
        `SELECT "appId", "planRank", "planStatus" FROM hub."CustomerProduct" WHERE "userId" = $1 ORDER BY "appId"`,
        [userId],
      )
    ).rows;

  it('ranks every catalog plan in SQL as the search sorts them', async () => {
    const plans = [...PLAN_RANK.keys(), 'no_such_plan'];
    const ranked = await hub.pool.query<{ plan: string; rank: number }>(
      `SELECT p AS plan, hub."PlanRank"(p) AS rank FROM unnest($1::text[]) p`,
      [plans],
    );
    expect(Object.fromEntries(ranked.rows.map((r) => [r.plan, r.rank]))).toEqual(
      Object.fromEntries(plans.map((plan) => [plan, PLAN_RANK.get(plan) ?? 0])),
    );
  });

  it('follows subscriptions and SVD profiles as they are written, changed and removed', async () => {
    const x = await newUser('x', '2026-02-02T10:00:00Z');
    await svd.pool.query(`INSERT INTO securevault."UserProfile" ("userId", email) VALUES ($1, $2)`, [
      x,
      `${x}@example.test`,
    ]);
    expect(await rowsOf(x)).toEqual([{ appId: 'app_securevault', planRank: null, planStatus: null }]);
    await hub.db.insert(schema.subscription).values([
      { id: randomUUID(), userId: x, appId: 'app_securevault', plan: 'pro', status: 'active' },
      { id: randomUUID(), userId: x, appId: 'app_crm', plan: 'starter', status: 'active' },
    ]);
    await hub.pool.query(
      `UPDATE hub."Subscription" SET status = 'past_due' WHERE "userId" = $1 AND "appId" = 'app_securevault'`,
      [x],
    );
    expect(await rowsOf(x)).toEqual([
      { appId: 'app_crm', planRank: PLAN_RANK.get('starter'), planStatus: 'active' },
      { appId: 'app_securevault', planRank: PLAN_RANK.get('pro'), planStatus: 'past_due' },
    ]);
    // Without the subscription SVD's profile still makes a (free-trial) customer; without either, none.
    await hub.pool.query(`DELETE FROM hub."Subscription" WHERE "userId" = $1`, [x]);
    expect(await rowsOf(x)).toEqual([{ appId: 'app_securevault', planRank: null, planStatus: null }]);
    await svd.pool.query(`DELETE FROM securevault."UserProfile" WHERE "userId" = $1`, [x]);
    expect(await rowsOf(x)).toEqual([]);
  });

  it('answers a product alone and the plan sort from it, newest and highest plan first', async () => {
    // Later than anyone else in the shared database, and on the highest plan in its highest status: first.
    const y = await newUser('y', '2099-06-01T10:00:00Z');
    await hub.db.insert(schema.subscription).values({
      id: randomUUID(),
      userId: y,
      appId: 'app_securevault',
      plan: 'enterprise',
      status: 'past_due',
    });
    const first = async (input: Record<string, unknown>) =>
      (await searchCustomers(hub.db, input, NOW)).rows[0]?.userId;
    expect(await first({ app: 'app_securevault' })).toBe(y);
    expect(await first({ sort: 'plan' })).toBe(y);
    expect(await first({ app: 'app_securevault', sort: 'plan' })).toBe(y);
    const all = await searchCustomers(hub.db, { sort: 'plan' }, NOW);
    expect(all.totalCapped).toBe(false);
    expect(all.total).toBe(Number((await hub.pool.query('SELECT count(*) FROM core."User"')).rows[0]?.count));
  });
});
