import { ownerOf, type TDatabase } from '@omg/db';
import type Stripe from 'stripe';
import {
  provisionSubscription,
  type TProvisionOptions,
  type TProvisionOutcome,
  type TProvisionResult,
} from './provision-subscription';
import { resolveDuplicateSubscription, type TDuplicateResolution } from './resolve-duplicate-subscription';

export interface TProvisionAndResolveResult extends Omit<TProvisionResult, 'outcome'> {
  /** `duplicate` never comes back from here: it has become `duplicate_resolved`. */
  outcome: Exclude<TProvisionOutcome, 'duplicate'> | 'duplicate_resolved';
  /** With `duplicate_resolved`: what was canceled and refunded. */
  duplicate?: TDuplicateResolution;
}

/**
 * `provisionSubscription`, and when it finds a second live subscription for the same user and app, the billing
 * rule for it (SPEC §5 "Duplicate payments never happen"): the newcomer is canceled and refunded at once. Every
 * path that can learn of a new subscription (each webhook event type, the checkout success page, a plan change,
 * a cancellation) provisions through here, so whichever hears of it first resolves it, and none discards it.
 * A failure throws: the webhook answers 5xx and Stripe's retry starts again from Stripe's state.
 */
export async function provisionAndResolve(
  db: TDatabase,
  stripe: Stripe,
  { stripeSubscriptionId }: { stripeSubscriptionId: string },
  /** provisionSubscription's: the caller's read ticket, and what commits with the write (a `duplicate` included). */
  options: Pick<TProvisionOptions, 'readTicket' | 'onWrite'> = {},
): Promise<TProvisionAndResolveResult> {
  const result = await provisionSubscription(db, stripe, { stripeSubscriptionId }, options);
  if (result.outcome !== 'duplicate') return { ...result, outcome: result.outcome };
  const owner = result.subscription ? ownerOf(result.subscription) : null;
  const appId = result.subscription?.appId;
  if (!result.keptStripeSubscriptionId || !owner || !appId) {
    throw new Error(`Duplicate ${stripeSubscriptionId} reported without the subscription it duplicates.`);
  }
  // A person's duplicate, or an organization's (issue 15: the same rule per organization and app).
  const duplicate = await resolveDuplicateSubscription(db, stripe, {
    duplicateStripeSubscriptionId: stripeSubscriptionId,
    keptStripeSubscriptionId: result.keptStripeSubscriptionId,
    ...owner,
    appId,
  });
  return { ...result, outcome: 'duplicate_resolved', reason: duplicate.summary, duplicate };
}
