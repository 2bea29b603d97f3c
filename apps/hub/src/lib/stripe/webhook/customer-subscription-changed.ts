import { provisionAndResolve } from '@omg/billing';
import type Stripe from 'stripe';
import type { TWebhookContext, TWebhookResult } from './webhook.types';

/**
 * `customer.subscription.created`, `.updated` and `.deleted` all mean "this subscription changed": only its id
 * is taken from the event, and Stripe's current state is written, so they need no handler of their own.
 */
export async function customerSubscriptionChanged(
  context: TWebhookContext,
  subscription: Stripe.Subscription,
): Promise<TWebhookResult> {
  return provisionAndResolve(context.db, context.stripe, { stripeSubscriptionId: subscription.id });
}
