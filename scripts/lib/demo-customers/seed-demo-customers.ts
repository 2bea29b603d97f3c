/**
 * Writes simulated customers (simulate-customers.ts) into a development or benchmark database, set-based: one
 * INSERT … SELECT FROM unnest(arrays) per table and batch, all in one transaction, so 100,000 customers take
 * seconds and a failed run leaves nothing behind. Needs the database's admin URL (it writes the Hub's tables and
 * SVD's profiles). Refuses production (NODE_ENV), a database that is not on this machine unless told otherwise,
 * and a database that already holds demo customers (a second run would double them).
 */
import type pg from 'pg';
import {
  DEMO_USER_ID_PREFIX,
  legacyPriceOf,
  simulateCustomers,
  type TDemoCustomer,
  type TSimulateOptions,
} from './simulate-customers';

export interface TSeedDemoOptions extends TSimulateOptions {
  /** Customers per INSERT (each table one statement per batch). */
  batchSize?: number;
  /**
   * Called inside the transaction after each batch is written (users, customers, subscriptions, SVD profiles):
   * where more rows derived from the same customers go, e.g. subscription history from `customer.timeline`.
   */
  onBatch?: (client: pg.PoolClient, customers: TDemoCustomer[]) => Promise<void>;
  log?: (line: string) => void;
}

export interface TSeedDemoResult {
  customers: number;
  subscriptions: number;
  svdProfiles: number;
  withStorage: number;
  milliseconds: number;
}

export class DemoSeedRefused extends Error {}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

/**
 * Throws DemoSeedRefused unless the target is a development or benchmark database: never with NODE_ENV=production,
 * and only on this machine (loopback or a Unix socket) unless `allowRemote` says the remote one is disposable.
 */
export function assertDemoDatabase(databaseUrl: string, options: { allowRemote?: boolean } = {}): void {
  if (process.env.NODE_ENV === 'production') {
    throw new DemoSeedRefused('Refusing to write demo customers with NODE_ENV=production.');
  }
  const url = new URL(databaseUrl);
  const host = url.searchParams.get('host') ?? url.hostname;
  const local = LOOPBACK.has(host) || host.startsWith('127.') || host.startsWith('/');
  if (!local && !options.allowRemote) {
    throw new DemoSeedRefused(
      `Refusing to write demo customers to ${url.hostname}: only a database on this machine is assumed to be a development one. Pass --allow-remote if that database is disposable.`,
    );
  }
}

/** Fills the database with `count` simulated customers; refuses (DemoSeedRefused) if it holds demo customers already. */
export async function seedDemoCustomers(pool: pg.Pool, options: TSeedDemoOptions): Promise<TSeedDemoResult> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 5_000;
  const result: TSeedDemoResult = {
    customers: 0,
    subscriptions: 0,
    svdProfiles: 0,
    withStorage: 0,
    milliseconds: 0,
  };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Two runs at once would both see an empty database; the second waits and then finds the first's customers.
    await client.query('SELECT pg_advisory_xact_lock(7346014)');
    const existing = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM core."User" WHERE id LIKE $1`,
      [`${DEMO_USER_ID_PREFIX.replace(/_/g, '\\_')}%`],
    );
    const found = existing.rows[0]?.n ?? 0;
    if (found > 0) {
      throw new DemoSeedRefused(
        `This database already holds ${found} demo customers (ids ${DEMO_USER_ID_PREFIX}…): refusing to add more. Start from an empty development database to seed again.`,
      );
    }
    // The trigram indexes take new rows into their pending list and merge it when it is full: a larger list
    // merges far fewer times (VACUUM below merges the rest).
    await client.query("SET LOCAL gin_pending_list_limit = '64MB'");
    await client.query("SET LOCAL maintenance_work_mem = '256MB'");
    await insertLegacyPrices(client);
    let batch: TDemoCustomer[] = [];
    // PostgreSQL writes one batch while the next is simulated here: the two overlap instead of taking turns.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (batch.length === 0) return;
      const customers = batch;
      batch = [];
      await writing;
      writing = (async () => {
        await insertBatch(client, customers, result);
        if (options.onBatch) await options.onBatch(client, customers);
        result.customers += customers.length;
        if (result.customers % 20_000 < customers.length)
          options.log?.(`${result.customers} customers written`);
      })();
      // A failed batch surfaces at the next await; keep it from being reported as unhandled meanwhile.
      writing.catch(() => undefined);
    };
    for (const customer of simulateCustomers(options)) {
      batch.push(customer);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await writing;
    await client.query('COMMIT');
    // Fresh statistics, so the first searches are planned on 100,000 rows rather than on an empty table's guess.
    await client.query(
      'VACUUM (ANALYZE) core."User", hub."Customer", hub."Subscription", securevault."UserProfile", securevault."Document"',
    );
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  result.milliseconds = Date.now() - started;
  return result;
}

/** The grandfathered prices migrated customers keep, known to hub."LegacyPrice" as the SVD migration records them. */
async function insertLegacyPrices(client: pg.PoolClient) {
  const plans = ['starter', 'growth', 'pro', 'business_starter', 'business_growth', 'business_pro'];
  const legacy = plans.map((plan) => ({ plan, ...legacyPriceOf(plan) }));
  await client.query(
    `INSERT INTO hub."LegacyPrice" ("stripePriceId", "appId", plan, "monthlyPriceCents")
     SELECT p, 'app_securevault', plan, cents FROM unnest($1::text[], $2::text[], $3::int[]) AS t(p, plan, cents)
     ON CONFLICT ("stripePriceId") DO NOTHING`,
    [legacy.map((l) => l.stripePriceId), legacy.map((l) => l.plan), legacy.map((l) => l.monthlyPriceCents)],
  );
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

async function insertBatch(client: pg.PoolClient, customers: TDemoCustomer[], result: TSeedDemoResult) {
  await client.query(
    `INSERT INTO core."User" (id, email, name, "emailVerified", "createdAt", "updatedAt")
     SELECT id, email, name, true, at, at FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp[])
       AS t(id, email, name, at)`,
    [
      customers.map((c) => c.userId),
      customers.map((c) => c.email),
      customers.map((c) => c.name),
      customers.map((c) => iso(c.signedUpAt)),
    ],
  );
  const paying = customers.filter((c) => c.subscription && c.stripeCustomerId);
  await client.query(
    `INSERT INTO hub."Customer" ("userId", "stripeCustomerId", "createdAt")
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamp[])`,
    [
      paying.map((c) => c.userId),
      paying.map((c) => c.stripeCustomerId),
      paying.map((c) => iso(c.subscription?.createdAt)),
    ],
  );
  const column = <T>(pick: (s: NonNullable<TDemoCustomer['subscription']>) => T) =>
    paying.map((c) => (c.subscription ? pick(c.subscription) : null));
  await client.query(
    `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status, "stripeSubscriptionId",
       "stripeCustomerId", "stripePriceId", "currentPeriodEnd", "trialEndsAt", "cancelAtPeriodEnd", "migratedAt",
       "grandfatheredPriceCents", source, "scheduledPlan", "scheduledPlanAt", "createdAt", "updatedAt")
     SELECT id, "userId", 'app_securevault', plan, status, sid, cid, pid, cpe, trial, cape, migrated, gp, src, sp,
       spa, created, updated
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::timestamp[], $9::timestamp[], $10::boolean[], $11::timestamp[], $12::int[], $13::text[], $14::text[],
       $15::timestamp[], $16::timestamp[], $17::timestamp[])
       AS t(id, "userId", plan, status, sid, cid, pid, cpe, trial, cape, migrated, gp, src, sp, spa, created, updated)`,
    [
      column((s) => s.id),
      paying.map((c) => c.userId),
      column((s) => s.plan),
      column((s) => s.status),
      column((s) => s.stripeSubscriptionId),
      column((s) => s.stripeCustomerId),
      column((s) => s.stripePriceId),
      column((s) => iso(s.currentPeriodEnd)),
      column((s) => iso(s.trialEndsAt)),
      column((s) => s.cancelAtPeriodEnd),
      column((s) => iso(s.migratedAt)),
      column((s) => s.grandfatheredPriceCents),
      column((s) => s.source),
      column((s) => s.scheduledPlan),
      column((s) => iso(s.scheduledPlanAt)),
      column((s) => iso(s.createdAt)),
      column((s) => iso(s.updatedAt)),
    ],
  );
  const svdUsers = customers.filter((c) => c.svdFirstUseAt);
  await client.query(
    `INSERT INTO securevault."UserProfile" ("userId", email, name, "createdAt", "updatedAt", "lastLoginAt")
     SELECT id, email, name, at, at, at FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp[])
       AS t(id, email, name, at)`,
    [
      svdUsers.map((c) => c.userId),
      svdUsers.map((c) => c.email),
      svdUsers.map((c) => c.name),
      svdUsers.map((c) => iso(c.svdFirstUseAt)),
    ],
  );
  // Usage only (one vault, one document of the stored size): no blob exists, and nobody can sign in as a demo
  // customer (they have no credentials) to open it.
  const storing = svdUsers.filter((c) => c.svdStorageBytes > 0);
  await client.query(
    `INSERT INTO securevault."Vault" (id, "userId", name, "createdAt", "updatedAt")
     SELECT 'demo_vault_' || id, id, 'Documents', at, at FROM unnest($1::text[], $2::timestamp[]) AS t(id, at)`,
    [storing.map((c) => c.userId), storing.map((c) => iso(c.svdFirstUseAt))],
  );
  await client.query(
    `INSERT INTO securevault."Document" (id, "userId", "vaultId", name, "mimeType", "sizeBytes", state,
       "indexStatus", "createdAt", "updatedAt")
     SELECT 'demo_doc_' || t.id, t.id, 'demo_vault_' || t.id, 'Archive.zip', 'application/zip', t.size, 'ready',
       'not_indexed', t.at, t.at
     FROM unnest($1::text[], $2::bigint[], $3::timestamp[]) AS t(id, size, at)`,
    [
      storing.map((c) => c.userId),
      storing.map((c) => c.svdStorageBytes),
      storing.map((c) => iso(c.svdFirstUseAt)),
    ],
  );
  result.subscriptions += paying.length;
  result.svdProfiles += svdUsers.length;
  result.withStorage += storing.length;
}
