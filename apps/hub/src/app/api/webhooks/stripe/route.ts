import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { apiHandler } from '@/lib/logger';
import { stripe } from '@/lib/stripe/client';
import { dispatchStripeEvent } from '@/lib/stripe/webhook/dispatch-stripe-event';
import { failBillingEvent } from '@/lib/stripe/webhook/fail-billing-event';
import { finishBillingEvent } from '@/lib/stripe/webhook/finish-billing-event';
import { recordBillingEvent } from '@/lib/stripe/webhook/record-billing-event';
import { verifyStripeEvent } from '@/lib/stripe/webhook/verify-stripe-event';

/**
 * POST /api/webhooks/stripe (SPEC §5): verify the signature on the raw body (400 otherwise, nothing written),
 * record the event once, hand it to its handler. A failure answers 500 so Stripe retries; a redelivery of a
 * processed event changes nothing. A second live subscription for the same user and app has been canceled and
 * refunded by the handler by the time the result comes back.
 */
export const POST = apiHandler(async (request, { log }) => {
  const rawBody = await request.text();
  const event = verifyStripeEvent(
    rawBody,
    request.headers.get('stripe-signature'),
    env().STRIPE_WEBHOOK_SECRET,
  );
  const recorded = await recordBillingEvent(db(), event);
  if (recorded.processedAt) return Response.json({ received: true, duplicate: true });

  try {
    const result = await dispatchStripeEvent({ db: db(), stripe: stripe() }, event);
    await finishBillingEvent(db(), { eventId: event.id, result });
    if (result.duplicate) {
      const { summary, ...resolution } = result.duplicate;
      // Money moved on the Hub's initiative: operators need to find every such case by one message.
      log.warn(
        { eventId: event.id, type: event.type, ...resolution, reason: summary },
        'duplicate subscription canceled and refunded',
      );
    }
    return Response.json({ received: true, outcome: result.outcome });
  } catch (error) {
    log.error({ err: error, eventId: event.id, type: event.type }, 'stripe event processing failed');
    await failBillingEvent(db(), { eventId: event.id, error });
    return Response.json(
      { error: { code: 'INTERNAL', message: 'The event could not be processed; it will be retried.' } },
      { status: 500 },
    );
  }
});
