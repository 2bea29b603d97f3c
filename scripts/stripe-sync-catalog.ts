/**
 * `npm run stripe:sync-catalog`: creates the catalog's products and monthly prices in the Stripe account of
 * STRIPE_SECRET_KEY (STRIPE_API_BASE for another endpoint, such as a running emulator). Idempotent.
 */
import { createStripeClient, syncStripeCatalog } from '@omg/billing';

const key = process.env.STRIPE_SECRET_KEY;
if (!key) {
  console.error('Set STRIPE_SECRET_KEY (npm run dev syncs the local emulator by itself).');
  process.exit(2);
}
syncStripeCatalog(createStripeClient(key, process.env.STRIPE_API_BASE)).then(
  (report) => console.log(`[stripe] catalog synced: ${JSON.stringify(report)}`),
  (error) => {
    console.error(`[stripe] catalog sync failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
