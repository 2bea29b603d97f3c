import type Stripe from 'stripe';
import { parseStripeEvent } from './parse-stripe-event';
import { verifyStripeSignature } from './verify-stripe-signature';

/**
 * Checks `Stripe-Signature` on the raw body (verify-stripe-signature.ts: every configured secret, no bypass, the
 * timestamp within the tolerance either side) and returns the event (parse-stripe-event.ts: a signed body that
 * is not an event is refused like a bad signature).
 */
export function verifyStripeEvent(
  rawBody: string,
  signature: string | null,
  configuredSecrets: string | undefined,
): Stripe.Event {
  verifyStripeSignature(rawBody, signature, configuredSecrets);
  return parseStripeEvent(rawBody);
}
