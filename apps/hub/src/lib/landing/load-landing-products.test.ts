import { CATALOG, findProductByAppId, type TCatalogProduct } from '@omg/contract';
import type { TDatabaseHandle } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanComparison } from '../plans/load-plan-comparison';
import { loadLandingProducts } from './load-landing-products';

let hub: TDatabaseHandle;

beforeAll(() => {
  hub = connectAs('hub');
});

afterAll(async () => {
  await hub.pool.end();
});

describe('loadLandingProducts: the landing page’s products and prices', () => {
  const now = new Date('2026-12-01T12:00:00Z');

  it('lists the apps of hub."App" in the portal’s order, launched only where a launch URL is set', async () => {
    const [products, apps] = await Promise.all([
      loadLandingProducts(hub.db, { now }),
      hub.pool.query<{ id: string; launchUrl: string | null }>(
        `SELECT id, "launchUrl" FROM hub."App" ORDER BY "sortOrder"`,
      ),
    ]);
    expect(products.map((p) => p.appId)).toEqual(apps.rows.map((a) => a.id));
    for (const app of apps.rows) {
      expect(products.find((p) => p.appId === app.id)?.launched).toBe(Boolean(app.launchUrl));
    }
    // The seeds: SecureVault Docs is live, OMG-CRM is not yet.
    expect(products.find((p) => p.appId === 'app_securevault')?.launched).toBe(true);
    expect(products.find((p) => p.appId === 'app_crm')?.launched).toBe(false);
  });

  it('shows each product’s plans exactly as its product page compares them for a visitor', async () => {
    const products = await loadLandingProducts(hub.db, { now });
    expect(products.length).toBeGreaterThan(0);
    for (const landing of products) {
      const product = findProductByAppId(landing.appId) as TCatalogProduct;
      const page = await loadPlanComparison(hub.db, { product, userId: null, now });
      expect(landing.plans).toEqual(page.plans);
      expect(landing.launched).toBe(page.launched);
    }
  });

  it('offers no checkout for a product that has not launched, and the cheapest self-serve price as "from"', async () => {
    const products = await loadLandingProducts(hub.db, { now });
    const crm = products.find((p) => p.appId === 'app_crm');
    expect(crm?.plans.map((p) => p.action.kind)).toEqual(crm?.plans.map(() => 'coming_soon'));
    const svd = products.find((p) => p.appId === 'app_securevault');
    expect(svd?.plans.some((p) => p.action.kind === 'checkout')).toBe(true);
    const catalogSvd = CATALOG.find((p) => p.appId === 'app_securevault') as TCatalogProduct;
    const prices = catalogSvd.plans.flatMap((p) => (p.priceCents === null ? [] : [p.priceCents]));
    expect(svd?.fromPriceCents).toBe(Math.min(...prices));
  });
});
