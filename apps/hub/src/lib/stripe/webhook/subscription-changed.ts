import { provisionAndResolve } from '@omg/billing';
import type { TWebhookContext, TWebhookResult } from './webhook.types';

/**
 * Every event type that means "this subscription may have changed" (its own created / updated / deleted, and its
 * invoices paid or failed) comes here with only the subscription's id: provisioning re-reads Stripe, so the
 * status written is the subscription's, never inferred from the event. A late `invoice.payment_failed` after a
 * successful retry therefore cannot mark a paying user as past due, and a paid invoice lifts `past_due` only
 * when Stripe says so.
 */
export async function subscriptionChanged(
  context: TWebhookContext,
  stripeSubscriptionId: string | null,
): Promise<TWebhookResult> {
  if (!stripeSubscriptionId) return { outcome: 'ignored', reason: 'Not a subscription invoice.' };
  return provisionAndResolve(context.db, context.stripe, { stripeSubscriptionId }, context.provisioning);
}
