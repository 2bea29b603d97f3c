import { ZDiscountTermsSchema } from '@omg/contract';
import type Stripe from 'stripe';
import { z } from 'zod';
import { getSubscriptionCharges } from './get-subscription-charges';

/** What a plan change did, as the confirmation shows it; dates travel as ISO strings. */
export const ZPlanChangeConfirmationSchema = z.object({
  productName: z.string(),
  fromPlanName: z.string(),
  toPlanName: z.string(),
  /** When a booked downgrade takes effect; null: the change is in force now. */
  effectiveAt: z.iso.datetime().nullable(),
  /** Billed now for the change: positive was charged, negative was credited to the next invoices, 0 nothing. */
  chargedCents: z.number().int(),
  /** The change was made during the free trial (nothing is charged until it ends). */
  onTrial: z.boolean(),
  discount: ZDiscountTermsSchema.nullable(),
  nextCharge: z.object({ amountCents: z.number().int(), at: z.iso.datetime() }).nullable(),
});
export type TPlanChangeConfirmation = z.infer<typeof ZPlanChangeConfirmationSchema>;

/**
 * The confirmation of a plan change, from what Stripe did rather than what was asked: the amount from the
 * proration invoice the update created (none for a booked downgrade or during a trial), the next charge from the
 * subscription's upcoming invoice afterwards.
 */
export async function describePlanChange(
  stripe: Stripe,
  input: {
    productName: string;
    fromPlanName: string;
    toPlanName: string;
    stripeSubscriptionId: string;
    /** The invoice the update created (`latest_invoice` of the updated subscription), if any. */
    invoiceId: string | null;
    effectiveAt: Date | null;
    onTrial: boolean;
  },
): Promise<TPlanChangeConfirmation> {
  const invoice = input.invoiceId ? await stripe.invoices.retrieve(input.invoiceId) : null;
  // latest_invoice stays the previous renewal when the update invoiced nothing: only the update's own counts.
  const chargedCents = invoice?.billing_reason === 'subscription_update' ? invoice.total : 0;
  const charges = await getSubscriptionCharges(stripe, { stripeSubscriptionId: input.stripeSubscriptionId });
  return {
    productName: input.productName,
    fromPlanName: input.fromPlanName,
    toPlanName: input.toPlanName,
    effectiveAt: input.effectiveAt?.toISOString() ?? null,
    chargedCents,
    onTrial: input.onTrial,
    discount: charges.discount,
    nextCharge: charges.nextCharge
      ? { amountCents: charges.nextCharge.amountCents, at: charges.nextCharge.at.toISOString() }
      : null,
  };
}
