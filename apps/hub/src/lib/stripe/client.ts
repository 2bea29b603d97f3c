import { createStripeClient } from '@omg/billing';
import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { env } from '../env';

const globalForStripe = globalThis as unknown as { hubStripe?: Stripe };

/** The Hub's one Stripe client. Billing answers 503 with a clear message when Stripe is not configured. */
export function stripe(): Stripe {
  const { STRIPE_SECRET_KEY, STRIPE_API_BASE, STRIPE_TIMEOUT_MS, STRIPE_MAX_NETWORK_RETRIES } = env();
  if (!STRIPE_SECRET_KEY)
    throw new AppError('UNAVAILABLE', 'Payments are not configured on this server yet.');
  globalForStripe.hubStripe ??= createStripeClient(STRIPE_SECRET_KEY, STRIPE_API_BASE, {
    timeoutMs: STRIPE_TIMEOUT_MS,
    maxNetworkRetries: STRIPE_MAX_NETWORK_RETRIES,
  });
  return globalForStripe.hubStripe;
}
