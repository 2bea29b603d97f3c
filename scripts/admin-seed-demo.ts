/**
 * `npm run admin:seed-demo -- --customers 100000 [--months 12] [--seed 14] [--allow-remote]` (issue 14): fills a
 * development or benchmark database with simulated customers over the past months, for the operator's console
 * (search, customer pages, metrics) and its benchmarks: names and unique emails from faker, sign-ups spread over the
 * months, SecureVault subscriptions across plans and states (trials, active, past due, canceled, migrated with
 * grandfathered prices, scheduled downgrades) with Stripe-like ids, SVD profiles and a little usage. Deterministic
 * for a seed. The work is scripts/lib/demo-customers; this file reads the arguments and prints.
 *
 * Settings, from the shell or else the .env.local `npm run dev` wrote: DATABASE_URL (the admin URL: it writes the
 * Hub's and SVD's tables). Refuses NODE_ENV=production, a database not on this machine (unless --allow-remote),
 * and a database that already holds demo customers. Exit code: 0 done, 1 refused, 2 bad usage or setup.
 */
import { parseArgs } from 'node:util';
import { createDatabase } from '@omg/db';
import {
  assertDemoDatabase,
  DemoSeedRefused,
  seedDemoCustomers,
} from './lib/demo-customers/seed-demo-customers';
import { writeDemoHistory } from './lib/demo-customers/write-demo-history';
import { readLocalEnv } from './lib/env-file';

const USAGE =
  'Usage: npm run admin:seed-demo -- --customers 100000 [--months 12] [--seed 14] [--allow-remote]';

class UsageError extends Error {}

function readOptions() {
  const { values, positionals } = parseArgs({
    options: {
      customers: { type: 'string' },
      months: { type: 'string', default: '12' },
      seed: { type: 'string', default: '14' },
      'allow-remote': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0 || values.customers === undefined) throw new UsageError(USAGE);
  const count = Number(values.customers);
  const months = Number(values.months);
  const seed = Number(values.seed);
  if (!Number.isInteger(count) || count < 1 || count > 2_000_000) {
    throw new UsageError(`--customers must be a whole number from 1 to 2,000,000.\n${USAGE}`);
  }
  if (!Number.isInteger(months) || months < 1 || months > 60) {
    throw new UsageError(`--months must be a whole number from 1 to 60.\n${USAGE}`);
  }
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number.\n${USAGE}`);
  return { count, months, seed, allowRemote: values['allow-remote'] };
}

async function main(): Promise<number> {
  const options = readOptions();
  for (const [name, value] of Object.entries(readLocalEnv())) process.env[name] ||= value;
  const url = process.env.DATABASE_URL;
  if (!url) throw new UsageError('Set DATABASE_URL (or run `npm run dev` once to write .env.local).');
  assertDemoDatabase(url, { allowRemote: options.allowRemote });
  const handle = createDatabase(url, { max: 1, applicationName: 'omg-admin-seed-demo' });
  try {
    const now = new Date();
    const result = await seedDemoCustomers(handle.pool, {
      ...options,
      now,
      // The metrics' subscription history and launches, in the same transaction (scripts/lib/demo-customers).
      onBatch: (client, customers) => writeDemoHistory(client, customers, { now }).then(() => undefined),
      log: (line) => console.log(`[seed-demo] ${line}`),
    });
    console.log(
      `[seed-demo] ${result.customers} customers (${result.subscriptions} SecureVault subscriptions, ` +
        `${result.svdProfiles} SVD profiles, ${result.withStorage} with stored documents) in ${(result.milliseconds / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await handle.pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exit(2);
    }
    if (error instanceof DemoSeedRefused) {
      console.error(`[seed-demo] ${error.message}`);
      process.exit(1);
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
