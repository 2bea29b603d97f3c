import type { Locator, Page } from '@playwright/test';
import { newAccount } from '../fixtures/accounts';
import { expect, test } from '../fixtures/test';

/** Every CSP violation the browser reports on a page (a blocked script, style or image would be one). */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      violations.push(`${page.url()}: ${message.text()}`);
  });
  return violations;
}

type TPlanRead = {
  id: string;
  name: string;
  price: string;
  storage: string | null;
  units: string | null;
  maxFile: string | null;
  seats: string | null;
};

/** The plans as a person reads them in a list of plan cards: name, price and each stated limit. */
async function readPlans(cards: Locator): Promise<TPlanRead[]> {
  return cards.evaluateAll((elements) =>
    elements.map((card) => {
      const text = (testId: string) =>
        card.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? null;
      return {
        id: (card.getAttribute('data-testid') ?? '').replace(/^plan-/, ''),
        name: card.querySelector('h3, h4')?.textContent?.trim() ?? '',
        price: text('plan-price') ?? '',
        storage: text('plan-storage'),
        units: text('plan-units'),
        maxFile: text('plan-max-file'),
        seats: text('plan-seats'),
      };
    }),
  );
}

const planCards = (scope: Locator) => scope.locator('li[data-testid^="plan-"]');

test('a visitor sees the one-account promise, the products and the product pages’ own prices, then signs up', async ({
  page,
}) => {
  const violations = watchViolations(page);
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle('OMG System · One account for every OMG product');
  await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /Sign in once/);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute(
    'content',
    'One account for every OMG product',
  );
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute(
    'content',
    /\/screenshots\/portal-1280\.jpg$/,
  );

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('One account for every OMG product');
  const promise = page.getByTestId('landing-promise');
  for (const line of ['One sign-in', 'One bill', 'Launch, already signed in'])
    await expect(promise.getByRole('heading', { name: line })).toBeVisible();

  // The products, as the catalog in the database has them: SVD is live, OMG-CRM is not yet.
  const products = page.getByRole('list', { name: 'Products' }).getByRole('listitem');
  await expect(products).toHaveCount(4);
  const svd = page.getByTestId('landing-product-securevault');
  await expect(svd.getByTestId('product-availability')).toHaveText('Available now');
  await expect(page.getByTestId('landing-product-crm').getByTestId('product-availability')).toHaveText(
    'Coming soon',
  );

  // Real screenshots, each one loaded (a missing file would be a broken image).
  for (const name of ['portal', 'vault', 'plans', 'billing']) {
    const image = page.getByTestId(`screenshot-${name}`).getByRole('img');
    await image.scrollIntoViewIfNeeded();
    await expect(image).toHaveJSProperty('complete', true);
    expect(await image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1280);
  }

  // Each product's prices and limits on the landing page are those its product page compares.
  const slugs = await page
    .locator('[data-testid^="pricing-"]')
    .evaluateAll((sections) => sections.map((s) => s.getAttribute('data-testid')?.replace('pricing-', '')));
  expect(slugs).toEqual(['securevault', 'crm', 'iq', 'leads']);
  const landingPlans = new Map<string, TPlanRead[]>();
  for (const slug of slugs as string[])
    landingPlans.set(slug, await readPlans(planCards(page.getByTestId(`pricing-${slug}`))));
  expect(landingPlans.get('securevault')?.find((p) => p.id === 'growth')?.storage).toBeTruthy();

  // A product that has not launched offers nothing to buy; a live one does.
  const crmPricing = page.getByTestId('pricing-crm');
  await expect(crmPricing.locator('a[href*="/checkout"]')).toHaveCount(0);
  await expect(crmPricing.getByRole('link', { name: /Choose|Subscribe|Buy|trial/i })).toHaveCount(0);
  await expect(crmPricing.getByRole('button')).toHaveCount(0);
  await expect(
    page.getByTestId('pricing-securevault').getByRole('link', { name: 'Choose Growth' }),
  ).toHaveAttribute('href', /\/checkout\/start\?product=securevault&plan=growth/);
  expect(violations).toEqual([]);

  for (const slug of slugs as string[]) {
    await page.goto(`/products/${slug}`);
    const compared = await readPlans(planCards(page.locator('#plans')));
    expect(compared.length, slug).toBeGreaterThan(0);
    expect(landingPlans.get(slug), `${slug}: landing page and product page`).toEqual(compared);
  }
  await page.goto('/');
  await page.getByTestId('landing-product-crm').getByRole('link', { name: 'About OMG-CRM' }).click();
  await expect(page).toHaveURL(/\/products\/crm$/);
  await expect(page.getByTestId('coming-soon')).toBeVisible();

  // From the landing page to a new account, and a signed-in visitor of / lands on the portal.
  await page.goto('/');
  await page.getByRole('main').getByRole('link', { name: 'Create your account' }).first().click();
  await expect(page).toHaveURL(/\/signup$/);
  const account = newAccount('landing');
  await page.getByLabel('Full name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/portal$/);
  expect(violations).toEqual([]);
});

test('the landing page’s buy link takes a visitor through sign-in to the plan’s checkout', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByTestId('pricing-securevault').getByRole('link', { name: 'Choose Growth' }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Fcheckout%2Fstart%3Fproduct%3Dsecurevault%26plan%3Dgrowth/);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
});
