import {
  CHECKOUT_TRIAL_DAYS,
  formatBytes,
  formatNextCharge,
  formatPrice,
  PLAN_LIMITS,
  projectCheckoutCharges,
  SVD_APP_ID,
  type TCatalogPlan,
  type TCatalogProduct,
  type TPlanLimits,
} from '@omg/contract';

/** One column of the comparison: every value already in the words the customer reads. */
export interface TComparedPlan {
  id: string;
  name: string;
  audience: TCatalogPlan['audience'];
  /** "$14.99" or "Contact sales". */
  price: string;
  monthly: boolean;
  /** From SVD's enforced limits (PLAN_LIMITS); null for products whose limits are not ours to state. */
  storage: string | null;
  processingUnits: string | null;
  largestFile: string | null;
  /** "1 (you)", "5 included, more per seat", "Tailored". */
  seats: string;
  recommended: boolean;
  current: boolean;
  /** "First charge $14.99 on Dec 8, 2026" (a new customer's trial) or "Next charge …"; null when not self-serve. */
  nextCharge: string | null;
  /** Said plainly when this plan would move the customer from a personal plan to an organization's. */
  businessMove: string | null;
  action:
    | { kind: 'checkout'; href: string; label: string }
    | { kind: 'contact_sales' }
    | { kind: 'current' }
    | { kind: 'coming_soon' };
}

export interface TPlanComparison {
  plans: TComparedPlan[];
  /** Whether any column states storage / units / file limits (SVD's plans do). */
  hasLimits: boolean;
  /** The customer's plan in words when they have one here, the free trial included. */
  currentPlanName: string | null;
  /** What a business plan adds over a personal one (shown beside the business columns). */
  businessAdds: string[];
}

export const BUSINESS_MOVE_NOTE =
  'Business plans belong to an organization, not to you personally: choosing one moves you from your personal plan to an organization you manage, whose members share its storage and processing units.';

export const BUSINESS_ADDS = [
  'An organization that owns the plan, with members you invite',
  'Seats included, more billed per seat and prorated',
  'Storage and processing units shared by every member',
];

function limitsOf(product: TCatalogProduct, planId: string): TPlanLimits | null {
  if (product.appId !== SVD_APP_ID) return null;
  return Object.hasOwn(PLAN_LIMITS, planId) ? PLAN_LIMITS[planId as keyof typeof PLAN_LIMITS] : null;
}

function seatsOf(plan: TCatalogPlan): string {
  if (plan.audience === 'personal') return '1 (you)';
  if (plan.includedSeats === null) return 'Tailored to your team';
  return `${plan.includedSeats} included, more per seat`;
}

/**
 * The product page's side-by-side plans: prices from the catalog, limits from the table SVD enforces, the
 * recommended plan, the customer's current plan (from their subscription row, never from the URL) and what the
 * next charge would be. Pure, so the page and its test read the same values.
 */
export function buildPlanComparison(input: {
  product: TCatalogProduct;
  launched: boolean;
  /** The customer's live plan for this product; 'trial' for SVD's free trial without a subscription. */
  currentPlanId: string | null;
  /** A checkout trial is once per user and app: only a customer with no row for it gets one. */
  trialEligible: boolean;
  /** Where checkout sends the customer back (SVD's vault after its Upgrade button), already validated. */
  returnUrl?: string | null;
  now: Date;
}): TPlanComparison {
  const { product, launched, currentPlanId, trialEligible, now, returnUrl = null } = input;
  const currentPlan = product.plans.find((p) => p.id === currentPlanId) ?? null;
  const onPersonal = currentPlanId !== null && (currentPlan?.audience ?? 'personal') === 'personal';
  const plans = product.plans.map((plan): TComparedPlan => {
    const limits = limitsOf(product, plan.id);
    const current = plan.id === currentPlanId;
    let nextCharge: string | null = null;
    if (plan.priceCents !== null && !current) {
      if (currentPlan) {
        nextCharge = 'Prorated on change: the exact charge is shown before you confirm';
      } else {
        const trialDays = trialEligible ? CHECKOUT_TRIAL_DAYS : 0;
        const projected = projectCheckoutCharges({
          priceCents: plan.priceCents,
          discount: null,
          trialDays,
          now,
        });
        nextCharge = formatNextCharge(projected.nextCharge, { first: trialDays > 0 });
      }
    }
    const params = new URLSearchParams({ product: product.slug, plan: plan.id });
    if (trialEligible && !currentPlan) params.set('trial', 'true');
    if (returnUrl) params.set('returnUrl', returnUrl);
    return {
      id: plan.id,
      name: plan.name,
      audience: plan.audience,
      price: formatPrice(plan.priceCents),
      monthly: plan.priceCents !== null,
      storage: limits ? formatBytes(limits.storageBytes) : null,
      processingUnits: limits ? limits.processingUnitsPerMonth.toLocaleString('en-US') : null,
      largestFile: limits ? formatBytes(limits.maxFileBytes) : null,
      seats: seatsOf(plan),
      recommended: plan.id === product.recommendedPlanId,
      current,
      nextCharge,
      businessMove: onPersonal && plan.audience === 'business' ? BUSINESS_MOVE_NOTE : null,
      action: current
        ? { kind: 'current' }
        : !launched
          ? { kind: 'coming_soon' }
          : plan.priceCents === null
            ? { kind: 'contact_sales' }
            : {
                kind: 'checkout',
                href: `/checkout/start?${params}`,
                label: currentPlan ? `Change to ${plan.name}` : `Choose ${plan.name}`,
              },
    };
  });
  const currentPlanName =
    currentPlan?.name ?? (currentPlanId === 'trial' && product.appId === SVD_APP_ID ? 'Free trial' : null);
  return {
    plans,
    hasLimits: plans.some((p) => p.storage !== null),
    currentPlanName,
    businessAdds: product.plans.some((p) => p.audience === 'business') ? BUSINESS_ADDS : [],
  };
}
