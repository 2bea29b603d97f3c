import Stripe from 'stripe';
import { z } from 'zod';

export const STRIPE_API_VERSION = '2026-10-28.endive';

/**
 * How long one Stripe call may take, and how often the SDK tries it again after a network failure or a 5xx. A
 * user waits at most about (retries + 1) × timeout for a payment page to answer "payments are temporarily
 * unavailable", so the defaults are short: 5 s and one retry (~11 s with the SDK's back-off). No database
 * connection or lock is held while a call runs (ARCHITECTURE.md "Read Stripe, then lock"), so this budget only
 * bounds what a user waits, never what the pool can spare.
 */
export const ZStripeTimeoutMsSchema = z.coerce.number().int().min(500).max(120_000).default(5_000);
export const ZStripeMaxNetworkRetriesSchema = z.coerce.number().int().min(0).max(5).default(1);

export const ZStripeBudgetSchema = z.object({
  timeoutMs: ZStripeTimeoutMsSchema,
  maxNetworkRetries: ZStripeMaxNetworkRetriesSchema,
});
export type TStripeBudget = z.infer<typeof ZStripeBudgetSchema>;

/**
 * The official SDK, pointed at api.stripe.com, or at the local emulator when `apiBase` is given. Nothing else in
 * the Hub or the scripts knows which one it talks to. `budget` defaults to ZStripeBudgetSchema's defaults.
 */
export function createStripeClient(
  secretKey: string,
  apiBase?: string,
  budget: Partial<TStripeBudget> = {},
): Stripe {
  const { timeoutMs, maxNetworkRetries } = ZStripeBudgetSchema.parse(budget);
  const target = apiBase ? new URL(apiBase) : null;
  return new Stripe(secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries,
    timeout: timeoutMs,
    telemetry: false,
    appInfo: { name: 'omg-hub' },
    ...(target
      ? {
          host: target.hostname,
          port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
          protocol: target.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}
