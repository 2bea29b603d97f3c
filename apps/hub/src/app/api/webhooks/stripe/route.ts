import { readLimitedText } from '@omg/platform';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { apiHandler } from '@/lib/logger';
import { stripe } from '@/lib/stripe/client';
import { createFinishedStripeEvents } from '@/lib/stripe/webhook/finished-stripe-events';
import { processStripeEvent } from '@/lib/stripe/webhook/process-stripe-event';

/** Real events are a few kilobytes; anything near this is not from Stripe and is refused (413) unread. */
const MAX_EVENT_BYTES = 1024 * 1024;

/** Ids of events this process saw finished: their redeliveries are answered without a round trip. */
const finishedEvents = createFinishedStripeEvents();

/**
 * POST /api/webhooks/stripe (SPEC §5). Signed by Stripe rather than by a session, so it is the one route outside
 * the authenticated route wrapper; `processStripeEvent` verifies, records and handles the event, and apiHandler
 * maps its failures (400 bad signature, 500 so Stripe retries).
 */
export const POST = apiHandler(async (request, { log }) =>
  Response.json(
    await processStripeEvent(
      { db: db(), stripe, log, finishedEvents },
      {
        rawBody: await readLimitedText(request, MAX_EVENT_BYTES),
        signature: request.headers.get('stripe-signature'),
        secrets: env().STRIPE_WEBHOOK_SECRET,
      },
    ),
  ),
);
