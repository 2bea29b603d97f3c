import { findProductBySlug, isLiveHubStatus, type TCatalogPlan, type TCatalogProduct } from '@omg/contract';
import { findOwnedSubscription, type TBillingOwner, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { seatsOf } from '../seats/seats-of';
import { isProductLaunched } from './is-product-launched';

/** A checkout trial (SPEC §5: 7 days, once per user per app), defined with SVD's own trial in the contract. */
export { CHECKOUT_TRIAL_DAYS } from '@omg/contract';

export interface TCheckoutOffer {
  product: TCatalogProduct;
  plan: TCatalogPlan & { priceCents: number; lookupKey: string };
  /** A live subscription to this app already exists: offer to manage it, never a second purchase. */
  existing: { plan: string; status: string } | null;
  /** Trials are once per user (or organization) per app, ever: any past subscription row rules one out. */
  trialEligible: boolean;
  /**
   * A business account buying a plan whose included seats its members and pending invitations exceed: the extra
   * seats the checkout adds (issue 15: nobody is removed silently); 0 otherwise.
   */
  extraSeatsNeeded: number;
}

/** The message of a product that has not launched; the API answers it with 409 and `details.comingSoon`. */
export const comingSoonMessage = (productName: string) =>
  `${productName} is coming soon: it launches later, and it cannot be bought until then.`;

/**
 * What the user may buy: a self-serve plan of a launched catalog product, unless they already have that app. A
 * product without a launch URL is "Coming soon" and has no offer at all (409), whatever the plan.
 */
export async function getCheckoutOffer(
  db: TDatabase,
  input: {
    userId: string;
    productSlug: string;
    planId: string;
    /** Buying for a business account (issue 15) instead of for the user. */
    owner?: TBillingOwner;
  },
): Promise<TCheckoutOffer> {
  const product = findProductBySlug(input.productSlug);
  if (!product) throw new AppError('BAD_REQUEST', 'There is no such product.');
  if (!(await isProductLaunched(db, product.appId))) {
    throw new AppError('CONFLICT', comingSoonMessage(product.name), { details: { comingSoon: true } });
  }
  const plan = product.plans.find((p) => p.id === input.planId);
  if (!plan) throw new AppError('BAD_REQUEST', `${product.name} has no plan “${input.planId}”.`);
  if (plan.priceCents === null || plan.lookupKey === null) {
    throw new AppError('BAD_REQUEST', `${product.name} ${plan.name} is sold by our team: contact sales.`);
  }
  const owner = input.owner ?? { userId: input.userId };
  if (owner.organizationId !== undefined && plan.audience !== 'business') {
    throw new AppError(
      'BAD_REQUEST',
      `A business account buys a business plan; ${plan.name} is a personal plan. Switch to Personal in the header to buy it for yourself.`,
    );
  }
  const row = await findOwnedSubscription(db, { owner, appId: product.appId });
  const live = row && isLiveHubStatus(row.status);
  return {
    product,
    plan: { ...plan, priceCents: plan.priceCents, lookupKey: plan.lookupKey },
    existing: live ? { plan: row.plan, status: row.status } : null,
    trialEligible: !row,
    extraSeatsNeeded:
      owner.organizationId !== undefined && plan.includedSeats !== null
        ? Math.max(0, (await seatsOf(db, owner.organizationId)).used - plan.includedSeats)
        : 0,
  };
}
