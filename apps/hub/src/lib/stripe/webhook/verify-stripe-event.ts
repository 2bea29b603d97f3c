import { AppError } from '@omg/platform';
import Stripe from 'stripe';

/**
 * Checks `Stripe-Signature` on the raw body against every configured secret (several during rotation) and
 * returns the event. There is no bypass in any environment: without a secret nothing is accepted. Signature
 * checks need no API key, so this uses the SDK's static helper and works before Stripe itself is configured.
 */
export function verifyStripeEvent(
  rawBody: string,
  signature: string | null,
  configuredSecrets: string | undefined,
): Stripe.Event {
  const secrets = (configuredSecrets ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) {
    throw new AppError('BAD_REQUEST', 'Stripe webhooks are not configured on this server.');
  }
  if (!signature) throw new AppError('BAD_REQUEST', 'Missing Stripe-Signature header.');
  for (const secret of secrets) {
    try {
      return Stripe.webhooks.constructEvent(rawBody, signature, secret);
    } catch {
      // Try the next secret; a rotation keeps the old one valid until Stripe stops using it.
    }
  }
  throw new AppError('BAD_REQUEST', 'Invalid Stripe signature.');
}
