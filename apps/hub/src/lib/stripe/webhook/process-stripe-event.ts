import { type TDatabase, withSubscriptionChangeCause } from '@omg/db';
import { AppError, type TLogger } from '@omg/platform';
import type Stripe from 'stripe';
import { sendBillingEmails } from '../../billing-mail/send-billing-emails';
import { claimBillingEvent } from './claim-billing-event';
import { dispatchStripeEvent } from './dispatch-stripe-event';
import { failBillingEvent } from './fail-billing-event';
import { finishBillingEvent } from './finish-billing-event';
import { isProcessedEvent } from './is-processed-event';
import { recordBillingEvent } from './record-billing-event';
import { verifyStripeEvent } from './verify-stripe-event';
import { verifyStripeSignature } from './verify-stripe-signature';
import type { TWebhookOutcome } from './webhook.types';

export interface TProcessStripeEventInput {
  rawBody: string;
  signature: string | null;
  /** STRIPE_WEBHOOK_SECRET: one secret, or several comma-separated during a rotation. */
  secrets: string | undefined;
}

export type TProcessedStripeEvent =
  | { received: true; duplicate: true }
  | { received: true; outcome: TWebhookOutcome };

/**
 * One Stripe webhook delivery (SPEC §5): verify the signature on the raw body (400, nothing written), record the
 * event once by its id (a redelivery of a processed event changes nothing), claim it (a second delivery arriving
 * while the first is still at work answers 409 and is retried by Stripe), hand it to its handler, and record
 * what it did. A failure is kept on the event row and thrown as a 500 whose message says nothing about the cause,
 * so Stripe retries. The Stripe client is asked for only once the event is verified and new: a bad signature is
 * a 400 whether or not payments are configured.
 */
export async function processStripeEvent(
  context: { db: TDatabase; stripe: () => Stripe; log: TLogger },
  input: TProcessStripeEventInput,
): Promise<TProcessedStripeEvent> {
  const { db, log } = context;
  // A redelivery of a finished event is answered from the signature and its id alone (one read, nothing parsed
  // or written); everything else is verified again with the parse, which costs an HMAC of a few kilobytes.
  verifyStripeSignature(input.rawBody, input.signature, input.secrets);
  if (await isProcessedEvent(db, input.rawBody)) return { received: true, duplicate: true };
  const event = verifyStripeEvent(input.rawBody, input.signature, input.secrets);
  await recordBillingEvent(db, event);
  const claim = await claimBillingEvent(db, event.id);
  if (claim === 'processed') return { received: true, duplicate: true };
  if (claim === 'in_progress') {
    // Not a 2xx: should the delivery holding the event fail, Stripe must still come back with this one.
    throw new AppError('CONFLICT', 'This event is being processed by another delivery; retry later.');
  }

  try {
    // Whatever the event changes in hub."Subscription" is recorded in its history as this event, at Stripe's time.
    const cause = {
      source: 'stripe_event',
      sourceRef: event.id,
      occurredAt: new Date(event.created * 1000),
    } as const;
    const result = await withSubscriptionChangeCause(cause, () =>
      dispatchStripeEvent({ db, stripe: context.stripe() }, event),
    );
    // Before the event is finished: should queuing fail, Stripe's retry comes back, and the keys keep it to one mail.
    await sendBillingEmails(db, event, result);
    await finishBillingEvent(db, { eventId: event.id, result });
    if (result.duplicate) {
      const { summary, ...resolution } = result.duplicate;
      // Money moved on the Hub's initiative: operators need to find every such case by one message.
      log.warn(
        { eventId: event.id, type: event.type, ...resolution, reason: summary },
        'duplicate subscription canceled and refunded',
      );
    }
    return { received: true, outcome: result.outcome };
  } catch (error) {
    log.error({ err: error, eventId: event.id, type: event.type }, 'stripe event processing failed');
    await failBillingEvent(db, { eventId: event.id, error });
    throw new AppError('INTERNAL', 'The event could not be processed; it will be retried.', { cause: error });
  }
}
