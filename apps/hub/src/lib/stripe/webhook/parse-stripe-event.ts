import { AppError } from '@omg/platform';
import type Stripe from 'stripe';
import { z } from 'zod';

/**
 * What every event has and recording it needs first; the rest (`data.object` of many shapes) is Stripe's, read by
 * each handler. Loose, so nothing nested is walked or copied. Stripe's thin v2 notifications are not events.
 */
const ZStripeEventEnvelopeSchema = z.looseObject({
  id: z.string().min(1),
  object: z.unknown().refine((object) => object !== 'v2.core.event'),
  type: z.string().min(1),
});

/**
 * The event in a body whose signature has been checked (verify-stripe-signature.ts). A signed body that is not an
 * event (not JSON, one of Stripe's thin v2 notifications, or without the id and type every event has) is refused
 * like a bad signature, as the SDK's constructEvent does.
 */
export function parseStripeEvent(rawBody: string): Stripe.Event {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw new AppError('BAD_REQUEST', 'Invalid Stripe signature.');
  }
  if (!ZStripeEventEnvelopeSchema.safeParse(parsed).success) {
    throw new AppError('BAD_REQUEST', 'Invalid Stripe signature.');
  }
  return parsed as Stripe.Event;
}
