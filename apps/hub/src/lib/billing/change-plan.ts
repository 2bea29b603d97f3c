import type { TDatabase } from '@omg/db';
import type Stripe from 'stripe';
import { resolvePlanChange } from './plan-change-target';
import { provisionSubscription, type TProvisionResult } from './provision-subscription';

/**
 * Changes the plan now, with proration invoiced at once (SPEC §5: upgrades take effect at once; the immediate
 * downgrade credits what is left of the period). The new plan is provisioned before returning, so the user lands
 * back in SVD with the new limits already in force. The idempotency key makes a double click one change.
 */
export async function changePlan(
  db: TDatabase,
  stripe: Stripe,
  input: { userId: string; productSlug: string; planId: string },
): Promise<TProvisionResult> {
  const target = await resolvePlanChange(db, stripe, input);
  await stripe.subscriptions.update(
    target.subscription.id,
    {
      items: [{ id: target.item.id, price: target.price.id }],
      proration_behavior: 'always_invoice',
      metadata: { ...target.subscription.metadata, plan: target.toPlan.id },
    },
    {
      idempotencyKey: `omg-plan-change-${target.subscription.id}-${target.item.price.id}-${target.price.id}`,
    },
  );
  return provisionSubscription(db, stripe, { stripeSubscriptionId: target.subscription.id });
}
