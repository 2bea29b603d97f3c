import type { TDatabase } from '@omg/db';
import type Stripe from 'stripe';
import { resolvePlanChange } from './plan-change-target';

export interface TPlanChangePreview {
  productName: string;
  fromPlan: string;
  toPlan: { id: string; name: string; priceCents: number };
  direction: 'upgrade' | 'downgrade';
  /** What changing now charges (positive) or credits (negative), prorated for the rest of the period. */
  prorationCents: number;
  currency: string;
  onTrial: boolean;
  /** When a downgrade at period end would take effect. */
  periodEnd: Date;
  /** Set for a migrated customer: the monthly price they keep today and give up by changing plan. */
  grandfatheredPriceCents: number | null;
}

/** The prorated price of a plan change, as Stripe would invoice it now (nothing is changed). */
export async function previewPlanChange(
  db: TDatabase,
  stripe: Stripe,
  input: { userId: string; organizationId?: string; productSlug: string; planId: string },
): Promise<TPlanChangePreview> {
  const target = await resolvePlanChange(db, stripe, input);
  const invoice = await stripe.invoices.createPreview({
    subscription: target.subscription.id,
    subscription_details: {
      items: target.items,
      proration_behavior: 'always_invoice',
    },
  });
  return {
    productName: target.productName,
    fromPlan: target.fromPlan,
    toPlan: target.toPlan,
    direction: target.direction,
    prorationCents: target.subscription.status === 'trialing' ? 0 : invoice.total,
    currency: invoice.currency,
    onTrial: target.subscription.status === 'trialing',
    periodEnd: new Date(target.item.current_period_end * 1000),
    grandfatheredPriceCents: target.grandfatheredPriceCents,
  };
}
