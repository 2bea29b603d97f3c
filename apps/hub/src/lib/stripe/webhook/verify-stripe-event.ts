import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { verifyStripeSignature } from './verify-stripe-signature';

/**
 * Checks `Stripe-Signature` on the raw body (verify-stripe-signature.ts: every configured secret, no bypass, the
 * timestamp within the tolerance either side) and returns the event. A signed body that is not an event (not
 * JSON, or one of Stripe's thin v2 notifications) is refused like a bad signature, as the SDK's constructEvent does.
 */
export function verifyStripeEvent(
  rawBody: string,
  signature: string | null,
  configuredSecrets: string | undefined,
): Stripe.Event {
  verifyStripeSignature(rawBody, signature, configuredSecrets);
  let event: Stripe.Event;
  try {
    event = JSON.parse(rawBody) as Stripe.Event;
  } catch {
    throw new AppError('BAD_REQUEST', 'Invalid Stripe signature.');
  }
  if ((event as { object?: unknown } | null)?.object === 'v2.core.event') {
    throw new AppError('BAD_REQUEST', 'Invalid Stripe signature.');
  }
  return event;
}
