import { resolveDuplicateSubscription, type TProvisionResult } from '@omg/billing';
import type { TWebhookContext, TWebhookResult } from './webhook.types';

/**
 * The part of a provisioning result worth recording on the event row. A second live subscription for the same
 * user and app is not only recorded: it is canceled and refunded here (SPEC §5 "Duplicate payments never
 * happen"), so every event type that can reveal one resolves it, whichever arrives first. A failure throws, the
 * route answers 5xx, and Stripe's retry tries again from Stripe's state then.
 */
export async function provisionResult(
  context: TWebhookContext,
  result: TProvisionResult,
): Promise<TWebhookResult> {
  if (result.outcome === 'duplicate') {
    const userId = result.subscription?.userId;
    const appId = result.subscription?.appId;
    if (!result.keptStripeSubscriptionId || !userId || !appId) {
      throw new Error(
        `Duplicate ${result.stripeSubscriptionId} reported without the subscription it duplicates.`,
      );
    }
    const duplicate = await resolveDuplicateSubscription(context.db, context.stripe, {
      duplicateStripeSubscriptionId: result.stripeSubscriptionId,
      keptStripeSubscriptionId: result.keptStripeSubscriptionId,
      userId,
      appId,
    });
    return { outcome: 'duplicate_resolved', reason: duplicate.summary, duplicate };
  }
  return { outcome: result.outcome, ...(result.reason ? { reason: result.reason } : {}) };
}
