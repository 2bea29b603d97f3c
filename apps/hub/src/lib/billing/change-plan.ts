import { idOf, provisionAndResolve, type TProvisionAndResolveResult } from '@omg/billing';
import { findProductByAppId, planDisplayName, ZProductIdSchema } from '@omg/contract';
import { annotateSubscriptionChange, schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import { describePlanChange, type TPlanChangeConfirmation } from './describe-plan-change';
import { resolvePlanChange } from './plan-change-target';

export const ZChangePlanSchema = z.object({
  productId: ZProductIdSchema,
  plan: z.string().trim().min(1, 'Choose a plan.').max(40),
  when: z.enum(['now', 'period_end']).optional(),
});

export type TPlanChangeTiming = NonNullable<z.infer<typeof ZChangePlanSchema>['when']>;

/**
 * Stripe's declined card (402, `card_error`), recognised by its shape as isResourceMissing does: the built app may
 * hold more than one copy of the SDK's error classes, so `instanceof` is not to be trusted there.
 */
function isCardError(error: unknown): error is { message: string; code?: string; decline_code?: string } {
  const e = error as { statusCode?: unknown; type?: unknown; message?: unknown } | null;
  return e?.statusCode === 402 && e.type === 'StripeCardError' && typeof e.message === 'string';
}

/**
 * Changes the plan (SPEC §5). Upgrades take effect at once, the difference invoiced now, prorated. Downgrades take
 * effect at the end of the paid period by default: the cheaper price goes on the subscription now without
 * proration (so the renewal bills it) and `keepPlan` in its metadata keeps the paid plan until then; an immediate
 * downgrade credits what is left of the period instead. The result is provisioned before returning, so the user
 * lands back in SVD with the new state already in force. The idempotency key makes a double click one change.
 * A change only happens when what it bills now is paid: a declined card is a 402 (PAYMENT_REQUIRED) saying why,
 * with the old plan still in force everywhere.
 */
export async function changePlan(
  db: TDatabase,
  stripe: Stripe,
  input: {
    userId: string;
    organizationId?: string;
    productId: string;
    planId: string;
    when?: TPlanChangeTiming;
  },
): Promise<TProvisionAndResolveResult & { effectiveAt: Date | null; confirmation: TPlanChangeConfirmation }> {
  const product = findProductByAppId(input.productId);
  if (!product) throw new AppError('BAD_REQUEST', 'There is no such product.');
  const target = await resolvePlanChange(db, stripe, { ...input, productSlug: product.slug });
  const trialing = target.subscription.status === 'trialing';
  const when: TPlanChangeTiming =
    target.direction === 'upgrade' || trialing ? 'now' : (input.when ?? 'period_end');
  if (target.direction === 'upgrade' && input.when === 'period_end') {
    throw new AppError('BAD_REQUEST', 'Upgrades take effect at once.');
  }
  const periodEnd = target.item.current_period_end;
  // Stripe keeps a declined request's 402 under its idempotency key: the key names the customer's latest charge,
  // so a retry after a decline (a new card, or the same one with funds) is a new attempt, a double click is not.
  const customer = idOf(target.subscription.customer) ?? '';
  const [latestCharge] = (await stripe.charges.list({ customer, limit: 1 })).data;
  let updated: Stripe.Subscription;
  try {
    updated = await stripe.subscriptions.update(
      target.subscription.id,
      {
        items: target.items,
        proration_behavior: when === 'now' ? 'always_invoice' : 'none',
        // The change only happens if what it bills now is paid: a decline is a 402 and Stripe commits nothing
        // (no new plan, no open invoice left for dunning to collect later, no subscription event).
        payment_behavior: 'error_if_incomplete',
        metadata:
          when === 'now'
            ? { plan: target.toPlan.id, keepPlan: '', keepPlanUntil: '' }
            : { plan: target.toPlan.id, keepPlan: target.fromPlan, keepPlanUntil: String(periodEnd) },
      },
      {
        idempotencyKey: `omg-plan-change-${target.subscription.id}-${target.item.price.id}-${target.price.id}-${when}-${latestCharge?.id ?? 'none'}`,
      },
    );
  } catch (error) {
    if (!isCardError(error)) throw error;
    const fromName = product.plans.find((p) => p.id === target.fromPlan)?.name ?? 'your current plan';
    // Stripe's card-error messages are written to be shown to the customer ("Your card was declined.").
    const reason = error.message.replace(/\.$/, '');
    throw new AppError('PAYMENT_REQUIRED', `${reason}; you are still on ${fromName}.`, {
      details: { declineCode: error.decline_code ?? error.code ?? null },
      cause: error,
    });
  }
  if (target.grandfatheredPriceCents !== null) {
    // The legacy price just left the Stripe subscription: a migrated customer gives up the grandfathered price
    // with any change (the checkout page said so before it was confirmed); from now on the catalog price shows.
    await db.transaction(async (tx) => {
      await annotateSubscriptionChange(tx, { source: 'hub', sourceRef: 'plan-change' });
      await tx
        .update(schema.subscription)
        .set({ grandfatheredPriceCents: null, updatedAt: new Date() })
        .where(
          and(eq(schema.subscription.userId, input.userId), eq(schema.subscription.appId, product.appId)),
        );
    });
  }
  const result = await provisionAndResolve(db, stripe, { stripeSubscriptionId: target.subscription.id });
  const effectiveAt = when === 'now' ? null : new Date(periodEnd * 1000);
  const confirmation = await describePlanChange(stripe, {
    productName: product.name,
    fromPlanName: planDisplayName(product.appId, target.fromPlan),
    toPlanName: target.toPlan.name,
    stripeSubscriptionId: target.subscription.id,
    // The proration invoice `always_invoice` just created (and error_if_incomplete saw paid); none for a booking.
    invoiceId: when === 'now' ? idOf(updated.latest_invoice) : null,
    effectiveAt,
    onTrial: trialing,
  });
  return { ...result, effectiveAt, confirmation };
}
