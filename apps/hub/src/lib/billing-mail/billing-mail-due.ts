import type Stripe from 'stripe';
import type { TWebhookResult } from '../stripe/webhook/webhook.types';
import { noticesFor } from './billing-notices';
import { isTrialReminderDue } from './queue-trial-ending-email';

/**
 * Whether sendBillingEmails may queue anything for this event and result: a notice, or a trial's reminder. When it
 * may not, the webhook marks the event processed inside provisioning's own transaction instead of after it (one
 * commit less); when it may, the mails are queued first and the event finished after, as their keys require.
 */
export function billingMailDue(event: Stripe.Event, result: TWebhookResult, now = new Date()): boolean {
  return (
    noticesFor(event, result, result.subscription).length > 0 || isTrialReminderDue(result.subscription, now)
  );
}
