import { z } from 'zod';
import type { TAppId } from './constants';

/**
 * The product catalog: what can be bought, for how much, and under which Stripe lookup key.
 * Prices are resolved in Stripe by `lookupKey`, never by price id, so the same code runs on any account.
 * `priceCents: null` means "contact sales": listed, but no self-serve checkout.
 */
export interface TCatalogPlan {
  id: string;
  name: string;
  priceCents: number | null;
  lookupKey: string | null;
  audience: 'personal' | 'business';
  /** Seats included in a business plan (SPEC §3; more are bought per seat); null for a personal plan or Enterprise. */
  includedSeats: number | null;
  /**
   * What one seat beyond the included ones costs a month, and the Stripe price it is billed by (found by lookup
   * key, like the plan's): the subscription's second item, its quantity the extra seats. Null without seats.
   */
  seatPriceCents: number | null;
  seatLookupKey: string | null;
}

export interface TCatalogProduct {
  appId: TAppId;
  slug: string;
  name: string;
  tagline: string;
  description: string;
  /** Environment variable naming where the app is launched; unset means "not available yet". */
  launchUrlEnv: string | null;
  plans: readonly TCatalogPlan[];
  /** The plan the comparison marks "Recommended" (most customers' fit); none for a one-plan product. */
  recommendedPlanId: string | null;
}

const monthly = (slug: string, id: string) => `${slug}_${id}_monthly`;

const plan = (
  slug: string,
  id: string,
  name: string,
  priceCents: number | null,
  audience: TCatalogPlan['audience'] = 'personal',
  seats: { included: number; extraSeatCents: number } | null = null,
): TCatalogPlan => ({
  id,
  name,
  priceCents,
  lookupKey: priceCents === null ? null : monthly(slug, id),
  audience,
  includedSeats: seats?.included ?? null,
  seatPriceCents: seats?.extraSeatCents ?? null,
  seatLookupKey: seats ? monthly(slug, `${id}_seat`) : null,
});

export const CATALOG: readonly TCatalogProduct[] = [
  {
    appId: 'app_securevault',
    slug: 'securevault',
    name: 'SecureVault Docs',
    tagline: 'Encrypted document vault',
    description:
      'Keep contracts, IDs and records encrypted at rest, searchable, and one click from your portal.',
    launchUrlEnv: 'SVD_URL',
    plans: [
      plan('securevault', 'starter', 'Starter', 799),
      plan('securevault', 'growth', 'Growth', 1499),
      plan('securevault', 'pro', 'Pro', 2499),
      // Seats: how many the price includes, and what each further seat costs a month (prorated).
      plan('securevault', 'business_starter', 'Business Starter', 2999, 'business', {
        included: 5,
        extraSeatCents: 600,
      }),
      plan('securevault', 'business_growth', 'Business Growth', 5999, 'business', {
        included: 15,
        extraSeatCents: 500,
      }),
      plan('securevault', 'business_pro', 'Business Pro', 9999, 'business', {
        included: 50,
        extraSeatCents: 400,
      }),
      plan('securevault', 'enterprise', 'Enterprise', null, 'business'),
    ],
    recommendedPlanId: 'growth',
  },
  {
    appId: 'app_crm',
    slug: 'crm',
    name: 'OMG-CRM',
    tagline: 'Customer relationships',
    description: 'Contacts, deals and follow-ups in one pipeline your whole team can see.',
    launchUrlEnv: 'CRM_URL',
    plans: [plan('crm', 'starter', 'Starter', 999), plan('crm', 'pro', 'Pro', 1499)],
    recommendedPlanId: 'pro',
  },
  {
    appId: 'app_iq',
    slug: 'iq',
    name: 'OMG-IQ',
    tagline: 'Business intelligence',
    description: 'Dashboards and answers from the data your other OMG products already hold.',
    launchUrlEnv: 'IQ_URL',
    plans: [plan('iq', 'pro', 'Pro', 1999)],
    recommendedPlanId: null,
  },
  {
    appId: 'app_leads',
    slug: 'leads',
    name: 'OMG-Leads',
    tagline: 'Lead generation',
    description: 'Capture, score and route new leads straight into your CRM.',
    launchUrlEnv: 'LEADS_URL',
    plans: [plan('leads', 'pro', 'Pro', 2999)],
    recommendedPlanId: null,
  },
];

export function findProductBySlug(slug: string): TCatalogProduct | undefined {
  return CATALOG.find((p) => p.slug === slug);
}

export function findProductByAppId(appId: string): TCatalogProduct | undefined {
  return CATALOG.find((p) => p.appId === appId);
}

/**
 * The wire field `productId` (SPEC §5) carries a catalog product's id, which is its app id (`app_securevault`,
 * the primary key of hub."App"); the slug (`securevault`) names a product only in URLs. Operations look it up
 * with findProductByAppId.
 */
export const ZProductIdSchema = z.string().trim().min(1, 'Choose a product.').max(40);

export function findPlanByLookupKey(
  lookupKey: string,
): { product: TCatalogProduct; plan: TCatalogPlan } | undefined {
  for (const product of CATALOG) {
    const found = product.plans.find((p) => p.lookupKey === lookupKey);
    if (found) return { product, plan: found };
  }
  return undefined;
}

/**
 * The business plan a per-seat price (`securevault_business_starter_seat_monthly`) adds seats to. A seat price
 * is never a plan: findPlanByLookupKey does not know it, so it never provisions an entitlement of its own.
 */
export function findSeatPriceByLookupKey(
  lookupKey: string,
): { product: TCatalogProduct; plan: TCatalogPlan } | undefined {
  for (const product of CATALOG) {
    const found = product.plans.find((p) => p.seatLookupKey === lookupKey);
    if (found) return { product, plan: found };
  }
  return undefined;
}

/**
 * A plan's name as customers read it ("Growth", "Business Starter"), never its id: a plan the catalog no longer
 * lists (an old row) is still shown in words.
 */
export function planDisplayName(appId: string, planId: string): string {
  const known = findProductByAppId(appId)?.plans.find((p) => p.id === planId);
  if (known) return known.name;
  return planId
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
