import type { TProvisionResult } from '@omg/billing';
import { type TDatabase, type TTransaction, withSubscriptionChangeCause } from '@omg/db';
import { AppError, type TLogger } from '@omg/platform';
import type Stripe from 'stripe';
import { billingMailDue } from '../../billing-mail/billing-mail-due';
import { sendBillingEmails } from '../../billing-mail/send-billing-emails';
import { claimBillingEvent } from './claim-billing-event';
import { dispatchStripeEvent } from './dispatch-stripe-event';
import { failBillingEvent } from './fail-billing-event';
import { finishBillingEvent } from './finish-billing-event';
import type { TFinishedStripeEvents } from './finished-stripe-events';
import { isProcessedEvent } from './is-processed-event';
import { parseStripeEvent } from './parse-stripe-event';
import { verifyStripeSignature } from './verify-stripe-signature';
import type { TWebhookOutcome, TWebhookResult } from './webhook.types';

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
 * event once by its id and claim it in the same statement (a redelivery of a processed event changes nothing; a
 * second delivery arriving while the first is still at work answers 409 and is retried by Stripe), hand it to its
 * handler, and record what it did. A failure is kept on the event row and thrown as a 500 whose message says
 * nothing about the cause, so Stripe retries. The Stripe client is asked for only once the event is verified and
 * new: a bad signature is a 400 whether or not payments are configured.
 */
export async function processStripeEvent(
  context: {
    db: TDatabase;
    stripe: () => Stripe;
    log: TLogger;
    /** The process's memory of finished events (the route's); without one, every redelivery asks the database. */
    finishedEvents?: TFinishedStripeEvents;
  },
  input: TProcessStripeEventInput,
): Promise<TProcessedStripeEvent> {
  const { db, log, finishedEvents } = context;
  // A redelivery of a finished event is answered from the signature and its id alone (from memory when this
  // process saw it finished, else one read; nothing parsed or written). The signature is checked first, always,
  // and once; the body is parsed once, only when there is work to do.
  verifyStripeSignature(input.rawBody, input.signature, input.secrets);
  if (await isProcessedEvent(db, input.rawBody, finishedEvents)) return { received: true, duplicate: true };
  const event = parseStripeEvent(input.rawBody);
  const claim = await claimBillingEvent(db, { event, rawBody: input.rawBody });
  if (claim.state === 'processed') {
    finishedEvents?.set(event.id, true);
    return { received: true, duplicate: true };
  }
  if (claim.state === 'in_progress') {
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
    // When provisioning's decision calls for no mail, the event is marked processed in the write's own transaction
    // (the row and the mark commit together, one commit less); a duplicate is resolved after that transaction, and
    // mails are queued before the mark (should queuing fail, Stripe's retry comes back, and the keys keep it to
    // one mail), so both finish below instead.
    let finished = false;
    const onWrite = async (tx: TTransaction, provisioned: TProvisionResult) => {
      if (provisioned.outcome === 'duplicate') return;
      const { outcome, reason, subscription } = provisioned;
      const decided: TWebhookResult = { outcome, reason, subscription };
      if (billingMailDue(event, decided)) return;
      await finishBillingEvent(tx, { eventId: event.id, result: decided });
      finished = true;
    };
    const result = await withSubscriptionChangeCause(cause, () =>
      dispatchStripeEvent(
        { db, stripe: context.stripe(), provisioning: { readTicket: claim.readTicket, onWrite } },
        event,
      ),
    );
    if (!finished) {
      await sendBillingEmails(db, event, result);
      await finishBillingEvent(db, { eventId: event.id, result });
    }
    if (result.duplicate) {
      const { summary, ...resolution } = result.duplicate;
      // Money moved on the Hub's initiative: operators need to find every such case by one message.
      log.warn(
        { eventId: event.id, type: event.type, ...resolution, reason: summary },
        'duplicate subscription canceled and refunded',
      );
    }
    // Only now, with the mark committed (in the write's transaction or after the mails): a failure above leaves
    // the event unremembered, so its retry goes to the database and runs again.
    finishedEvents?.set(event.id, true);
    return { received: true, outcome: result.outcome };
  } catch (error) {
    log.error({ err: error, eventId: event.id, type: event.type }, 'stripe event processing failed');
    await failBillingEvent(db, { eventId: event.id, error });
    throw new AppError('INTERNAL', 'The event could not be processed; it will be retried.', { cause: error });
  }
}
