import { AppError } from '@omg/platform';
import Stripe from 'stripe';

/** Stripe's own default: a signature is good for five minutes either side of our clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Checks `Stripe-Signature` on the raw body against every configured secret (several during rotation), without
 * parsing the body: a redelivery is then recognised from its id alone (is-processed-event.ts). There is no
 * bypass in any environment: without a secret nothing is accepted. Signature checks need no API key, so this
 * uses the SDK's static helper and works before Stripe itself is configured.
 */
export function verifyStripeSignature(
  rawBody: string,
  signature: string | null,
  configuredSecrets: string | undefined,
): void {
  const secrets = (configuredSecrets ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) {
    throw new AppError('BAD_REQUEST', 'Stripe webhooks are not configured on this server.');
  }
  if (!signature) throw new AppError('BAD_REQUEST', 'Missing Stripe-Signature header.');
  // The SDK refuses a timestamp older than its tolerance but not one in the future: a signature captured with a
  // forged-ahead clock (or a sender whose clock is wrong) would stay replayable for as long as it claims.
  const timestamp = Number(/(?:^|,)\s*t=(\d{1,12})(?:,|$)/.exec(signature)?.[1]);
  const now = Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp > now + SIGNATURE_TOLERANCE_SECONDS) {
    throw new AppError('BAD_REQUEST', 'Invalid Stripe signature.');
  }
  // The SDK's signature helper (the one constructEvent uses), here without the parse that follows it there.
  const helper = Stripe.webhooks.signature;
  if (!helper) throw new Error('The Stripe SDK has no webhook signature helper.');
  for (const secret of secrets) {
    try {
      helper.verifyHeader(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS);
      return;
    } catch {
      // Try the next secret; a rotation keeps the old one valid until Stripe stops using it.
    }
  }
  throw new AppError('BAD_REQUEST', 'Invalid Stripe signature.');
}
