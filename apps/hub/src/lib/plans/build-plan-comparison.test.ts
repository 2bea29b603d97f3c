import {
  CATALOG,
  findProductBySlug,
  formatBytes,
  PLAN_LIMITS,
  // What SVD enforces: the contract's limits and entitlement resolver, which the vault imports as they are.
  resolveEntitlement,
  PLAN_LIMITS as SVD_PLAN_LIMITS,
  type TCatalogProduct,
} from '@omg/contract';
import { describe, expect, it } from 'vitest';
import { BUSINESS_MOVE_NOTE, buildPlanComparison } from './build-plan-comparison';

const now = new Date('2026-12-01T12:00:00Z');
const vault = findProductBySlug('securevault') as TCatalogProduct;
const compare = (overrides: Partial<Parameters<typeof buildPlanComparison>[0]> = {}) =>
  buildPlanComparison({
    product: vault,
    launched: true,
    currentPlanId: null,
    trialEligible: true,
    now,
    ...overrides,
  });

/** The limits SVD applies to a user whose hub."Subscription" row holds `plan`, active. */
function enforced(plan: string) {
  return resolveEntitlement({
    subscription: {
      plan,
      status: 'active',
      trialEndsAt: null,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
    },
    profileCreatedAt: now,
    now,
  }).limits;
}

describe('buildPlanComparison: the product page’s plans against what SVD enforces', () => {
  it('shows, for every SecureVault plan on sale, the storage, units and largest file SVD enforces for it', () => {
    // One table: SVD re-exports the contract's, it is not a copy.
    expect(SVD_PLAN_LIMITS).toBe(PLAN_LIMITS);
    const { plans } = compare();
    expect(plans.map((p) => p.id)).toEqual(vault.plans.map((p) => p.id));
    for (const plan of plans) {
      const limits = enforced(plan.id);
      expect(limits.name).toBe(plan.name);
      expect(plan.storage).toBe(formatBytes(limits.storageBytes));
      expect(plan.processingUnits).toBe(limits.processingUnitsPerMonth.toLocaleString('en-US'));
      expect(plan.largestFile).toBe(formatBytes(limits.maxFileBytes));
    }
  });

  it('reads as SPEC §3 publishes it: prices, limits and business seats', () => {
    const rows = compare().plans.map((p) => [
      p.id,
      p.price,
      p.storage,
      p.processingUnits,
      p.largestFile,
      p.seats,
    ]);
    expect(rows).toEqual([
      ['starter', '$7.99', '25 GB', '250', '100 MB', '1 (you)'],
      ['growth', '$14.99', '75 GB', '600', '250 MB', '1 (you)'],
      ['pro', '$24.99', '200 GB', '1,350', '1 GB', '1 (you)'],
      ['business_starter', '$29.99', '250 GB', '1,500', '1 GB', '5 included, more per seat'],
      ['business_growth', '$59.99', '1 TB', '4,000', '2 GB', '15 included, more per seat'],
      ['business_pro', '$99.99', '2 TB', '8,000', '5 GB', '50 included, more per seat'],
      ['enterprise', 'Contact sales', '10 TB', '40,000', '10 GB', 'Tailored to your team'],
    ]);
  });

  it('marks one recommended plan and, for a new customer, the trial’s first charge; Enterprise is sold by our team', () => {
    const { plans, currentPlanName } = compare();
    expect(plans.filter((p) => p.recommended).map((p) => p.id)).toEqual(['growth']);
    expect(plans.some((p) => p.current)).toBe(false);
    expect(currentPlanName).toBeNull();
    const growth = plans.find((p) => p.id === 'growth');
    expect(growth?.nextCharge).toBe('First charge $14.99 on Dec 8, 2026');
    expect(growth?.action).toEqual({
      kind: 'checkout',
      href: '/checkout/start?product=securevault&plan=growth&trial=true',
      label: 'Choose Growth',
    });
    const enterprise = plans.find((p) => p.id === 'enterprise');
    expect(enterprise?.action).toEqual({ kind: 'contact_sales' });
    expect(enterprise?.nextCharge).toBeNull();
  });

  it('without a trial left, the next charge is a month after paying', () => {
    const growth = compare({ trialEligible: false }).plans.find((p) => p.id === 'growth');
    expect(growth?.nextCharge).toBe('Next charge $14.99 on Jan 1, 2027');
    expect(growth?.action).toMatchObject({ href: '/checkout/start?product=securevault&plan=growth' });
  });

  it('marks the customer’s current plan, offers changes with the way back, and says so before a business plan', () => {
    const { plans, currentPlanName } = compare({
      currentPlanId: 'growth',
      trialEligible: false,
      returnUrl: 'http://localhost:3101/vault',
    });
    expect(currentPlanName).toBe('Growth');
    expect(plans.filter((p) => p.current).map((p) => p.id)).toEqual(['growth']);
    expect(plans.find((p) => p.id === 'growth')?.action).toEqual({ kind: 'current' });
    expect(plans.find((p) => p.id === 'pro')?.action).toEqual({
      kind: 'checkout',
      href: '/checkout/start?product=securevault&plan=pro&returnUrl=http%3A%2F%2Flocalhost%3A3101%2Fvault',
      label: 'Change to Pro',
    });
    expect(plans.find((p) => p.id === 'pro')?.nextCharge).toMatch(/^Prorated on change/);
    expect(plans.filter((p) => p.businessMove === BUSINESS_MOVE_NOTE).map((p) => p.id)).toEqual([
      'business_starter',
      'business_growth',
      'business_pro',
      'enterprise',
    ]);
    expect(plans.find((p) => p.id === 'pro')?.businessMove).toBeNull();
  });

  it('names SVD’s free trial; a business customer is not warned about moving to business', () => {
    const trial = compare({ currentPlanId: 'trial' });
    expect(trial.currentPlanName).toBe('Free trial');
    expect(trial.plans.find((p) => p.id === 'business_pro')?.businessMove).toBe(BUSINESS_MOVE_NOTE);
    const business = compare({ currentPlanId: 'business_starter', trialEligible: false });
    expect(business.plans.every((p) => p.businessMove === null)).toBe(true);
  });

  it('offers nothing to buy for a product that has not launched, and states no limits that are not ours', () => {
    const crm = CATALOG.find((p) => p.slug === 'crm') as TCatalogProduct;
    const comparison = buildPlanComparison({
      product: crm,
      launched: false,
      currentPlanId: null,
      trialEligible: true,
      now,
    });
    expect(comparison.hasLimits).toBe(false);
    expect(comparison.plans.map((p) => [p.id, p.action.kind, p.storage])).toEqual([
      ['starter', 'coming_soon', null],
      ['pro', 'coming_soon', null],
    ]);
  });
});
