import path from 'node:path';
import {
  createStripeClient,
  syncStripeCatalog,
  syncStripeCoupons,
  type TCatalogSyncReport,
} from '@omg/billing';
import { createDatabase } from '@omg/db';
import { isPortFree } from '@omg/db/setup';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import type Stripe from 'stripe';

/** The key the Hub uses with the local emulator; it only ever works there. */
export const EMULATOR_SECRET_KEY = 'sk_test_omg_local_emulator';

export interface TStripeTarget {
  env: {
    STRIPE_SECRET_KEY: string;
    STRIPE_API_BASE?: string;
    STRIPE_WEBHOOK_SECRET?: string;
    NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY?: string;
  };
  emulator: StripeEmulator | null;
  catalog: TCatalogSyncReport;
}

/** Coupons after the catalog: a coupon for one app points at that app's Stripe product. */
async function syncCoupons(stripe: Stripe, databaseUrl: string | undefined): Promise<void> {
  if (!databaseUrl) return;
  const { db, pool } = createDatabase(databaseUrl, { max: 1 });
  try {
    await syncStripeCoupons(db, stripe);
  } finally {
    await pool.end();
  }
}

/**
 * Real Stripe when STRIPE_SECRET_KEY is set in the shell; otherwise the local emulator (state kept in the data
 * folder). Either way the catalog's products and prices are synced, idempotently.
 */
export async function resolveStripe(options: {
  /** Where the emulator keeps state between runs; none for a throw-away test run. */
  dataDir: string | null;
  port: number;
  /** Where the emulator delivers signed events (the Hub's webhook). */
  webhook?: { url: string; secret: string };
  /** Tests never touch a real Stripe account, whatever the shell says. */
  emulatorOnly?: boolean;
  /** The Hub's database, whose active coupons get a Stripe coupon + promotion code (default HUB_DATABASE_URL). */
  hubDatabaseUrl?: string;
}): Promise<TStripeTarget> {
  const hubDatabaseUrl = options.hubDatabaseUrl ?? process.env.HUB_DATABASE_URL;
  const key = options.emulatorOnly ? undefined : process.env.STRIPE_SECRET_KEY;
  if (key) {
    const stripe = createStripeClient(key, process.env.STRIPE_API_BASE);
    const catalog = await syncStripeCatalog(stripe);
    await syncCoupons(stripe, hubDatabaseUrl);
    return { env: { STRIPE_SECRET_KEY: key }, emulator: null, catalog };
  }
  if (options.port !== 0 && !(await isPortFree(options.port))) {
    throw new Error(
      `Port ${options.port} is in use, so the local Stripe emulator cannot start. Stop what uses it, or set STRIPE_EMULATOR_PORT.`,
    );
  }
  const emulator = await startStripeEmulator({
    port: options.port,
    persistPath: options.dataDir ? path.join(options.dataDir, 'stripe-emulator.json') : undefined,
    webhooks: options.webhook ? [options.webhook] : undefined,
  });
  const stripe = createStripeClient(EMULATOR_SECRET_KEY, emulator.url);
  const catalog = await syncStripeCatalog(stripe);
  await syncCoupons(stripe, hubDatabaseUrl);
  return {
    env: {
      STRIPE_SECRET_KEY: EMULATOR_SECRET_KEY,
      STRIPE_API_BASE: emulator.url,
      ...(options.webhook ? { STRIPE_WEBHOOK_SECRET: options.webhook.secret } : {}),
      NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: 'pk_test_omg_local_emulator',
    },
    emulator,
    catalog,
  };
}
