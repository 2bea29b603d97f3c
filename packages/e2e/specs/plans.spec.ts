import type { Page } from '@playwright/test';
import { newAccount, signUp } from '../fixtures/accounts';
import { adminDatabase, provisionByEmail } from '../fixtures/database';
import { launchVault, svdUrl } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/** SPEC §3's table, as the comparison must print it. */
const PUBLISHED = [
  ['starter', '$7.99', '25 GB', '250', '100 MB', '1 (you)'],
  ['growth', '$14.99', '75 GB', '600', '250 MB', '1 (you)'],
  ['pro', '$24.99', '200 GB', '1,350', '1 GB', '1 (you)'],
  ['business_starter', '$29.99', '250 GB', '1,500', '1 GB', '5 included, more per seat'],
  ['business_growth', '$59.99', '1 TB', '4,000', '2 GB', '15 included, more per seat'],
  ['business_pro', '$99.99', '2 TB', '8,000', '5 GB', '50 included, more per seat'],
  ['enterprise', 'Contact sales', '10 TB', '40,000', '10 GB', 'Tailored to your team'],
];

async function planValues(page: Page, id: string) {
  const card = page.getByTestId(`plan-${id}`);
  const text = async (testId: string) => (await card.getByTestId(testId).textContent()) ?? '';
  const price = (await text('plan-price')).replace('/month', '').trim();
  return [
    id,
    price,
    await text('plan-storage'),
    await text('plan-units'),
    await text('plan-max-file'),
    await text('plan-seats'),
  ];
}

async function query<T>(sql: string, params: unknown[]): Promise<T[]> {
  const { pool } = adminDatabase();
  try {
    return (await pool.query(sql, params)).rows as T[];
  } finally {
    await pool.end();
  }
}

test('the product page compares plans side by side with the limits SVD enforces, one recommended', async ({
  page,
}) => {
  await page.goto('/products/securevault');
  await expect(page.getByRole('heading', { name: 'Compare plans' })).toBeVisible();
  for (const row of PUBLISHED) expect(await planValues(page, row[0] as string)).toEqual(row);
  await expect(page.getByTestId('plan-recommended')).toHaveCount(1);
  await expect(page.getByTestId('plan-growth').getByTestId('plan-recommended')).toHaveText('Recommended');
  // A visitor has no plan; a new customer's checkout starts with the 7-day trial, so the first charge is then.
  await expect(page.getByTestId('plan-current')).toHaveCount(0);
  await expect(page.getByTestId('plan-growth').getByTestId('plan-next-charge')).toHaveText(
    /^First charge \$14\.99 on [A-Z][a-z]{2} \d{1,2}, \d{4}$/,
  );
  await expect(page.getByTestId('business-adds')).toContainText('Seats included, more billed per seat');

  // What SVD enforces for a Growth customer is what the comparison says Growth is.
  const account = newAccount('compare');
  await signUp(page, account);
  await provisionByEmail(account.email, 'growth');
  const vault = await launchVault(page);
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('0 B of 75 GB');
  await expect(vault.getByTestId('units-meter-text')).toHaveText('0 of 600');
  await expect(vault.getByText('Files up to 250 MB', { exact: true })).toBeVisible();
  await page.goto('/products/securevault');
  expect(await planValues(page, 'growth')).toEqual(PUBLISHED[1]);
});

test('Contact sales opens a form that records the request for staff', async ({ page }) => {
  await page.goto('/products/securevault');
  await page.getByTestId('plan-enterprise').getByRole('button', { name: 'Contact sales' }).click();
  const dialog = page.getByRole('dialog', { name: 'Contact sales' });
  await expect(dialog).toBeVisible();
  const company = `Acme ${crypto.randomUUID().slice(0, 8)}`;
  await dialog.getByLabel('Name').fill('Dana Buyer');
  await dialog.getByLabel('Work email').fill('dana@example.test');
  await dialog.getByLabel('Company').fill(company);
  await dialog.getByLabel('Seats').fill('250');
  await dialog.getByLabel('Message').fill('We need <b>250</b> seats and SSO.');
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(dialog.getByTestId('contact-sales-done')).toHaveText(
    'Thank you — we’ll be in touch within one business day.',
  );
  const rows = await query<{ appId: string; email: string; seats: number; message: string }>(
    `SELECT "appId", email, seats, message FROM hub."SalesInquiry" WHERE company = $1`,
    [company],
  );
  expect(rows).toEqual([
    {
      appId: 'app_securevault',
      email: 'dana@example.test',
      seats: 250,
      message: 'We need <b>250</b> seats and SSO.',
    },
  ]);
});

test('Notify me on OMG-CRM records a customer’s interest once, and a visitor’s address', async ({
  page,
  browser,
}) => {
  const account = newAccount('notify');
  await signUp(page, account);
  await page.goto('/products/crm');
  const soon = page.getByTestId('coming-soon');
  await expect(soon).toContainText('Coming soon');
  await soon.getByRole('button', { name: 'Notify me' }).click();
  await expect(page.getByTestId('notify-me-done')).toHaveText(
    `Thanks — we’ll email ${account.email} when OMG-CRM launches.`,
  );
  // A second click: the same promise, nothing recorded twice.
  await soon.getByRole('button', { name: 'Notify me' }).click();
  await expect(page.getByTestId('notify-me-done')).toHaveText(
    `You’re already on the list — we’ll email ${account.email} when OMG-CRM launches.`,
  );
  const rows = await query<{ appId: string }>(`SELECT "appId" FROM hub."ProductInterest" WHERE email = $1`, [
    account.email,
  ]);
  expect(rows).toEqual([{ appId: 'app_crm' }]);

  // A visitor gives an address.
  const visitor = await browser.newPage();
  const email = `visitor-${crypto.randomUUID().slice(0, 8)}@example.test`;
  await visitor.goto(`${new URL(page.url()).origin}/products/crm`);
  await visitor.getByTestId('coming-soon').getByLabel('Email').fill(email);
  await visitor.getByTestId('coming-soon').getByRole('button', { name: 'Notify me' }).click();
  await expect(visitor.getByTestId('notify-me-done')).toHaveText(
    `Thanks — we’ll email ${email} when OMG-CRM launches.`,
  );
  await visitor.close();
  expect(await query(`SELECT 1 FROM hub."ProductInterest" WHERE email = $1`, [email])).toHaveLength(1);
});

test('SVD’s Upgrade opens the Hub’s comparison with the current plan marked, and says so before a business plan', async ({
  page,
}) => {
  const account = newAccount('upgrade');
  await signUp(page, account);
  await provisionByEmail(account.email, 'growth');
  const vault = await launchVault(page);
  await vault.getByRole('link', { name: 'Upgrade' }).click();
  await expect(vault).toHaveURL(/\/products\/securevault\?returnUrl=.*#plans$/);
  const growth = vault.getByTestId('plan-growth');
  await expect(growth.getByTestId('plan-current')).toHaveText('Your current plan');
  await expect(vault.getByTestId('plan-current')).toHaveCount(1);
  await expect(vault.getByTestId('current-plan-note')).toHaveText('You are on Growth.');
  await expect(growth.getByRole('link')).toHaveCount(0);
  // Personal → business is said plainly on every business plan; not on another personal one.
  await expect(vault.getByTestId('plan-business_starter').getByTestId('plan-business-move')).toContainText(
    'Business plans belong to an organization',
  );
  await expect(vault.getByTestId('plan-pro').getByTestId('plan-business-move')).toHaveCount(0);
  // Choosing Pro is a plan change that brings the customer back to the vault.
  await vault.getByTestId('plan-pro').getByRole('link', { name: 'Change to Pro' }).click();
  await expect(vault).toHaveURL(
    new RegExp(
      `/checkout/start\\?product=securevault&plan=pro&returnUrl=${encodeURIComponent(`${svdUrl}/vault`)}`,
    ),
  );
  // (This row was provisioned by SQL, so the Hub's checkout names the plan and leaves the change to our team; the
  // paid plan change from SVD's Upgrade is walked in checkout.spec.)
  await expect(vault.getByRole('heading', { name: 'SecureVault Docs — Pro' })).toBeVisible();
});

test('the portal suggests a product the customer lacks, and forgets it once dismissed', async ({ page }) => {
  const account = newAccount('cross-sell');
  await signUp(page, account);
  // Nothing owned yet: every card already offers a product.
  await expect(page.getByTestId('cross-sell')).toHaveCount(0);
  await provisionByEmail(account.email, 'growth');
  await page.reload();
  const card = page.getByRole('complementary', { name: 'Also try OMG-CRM' });
  await expect(card).toContainText('Also try OMG-CRM');
  await expect(card.getByRole('link', { name: 'Learn more' })).toHaveAttribute('href', '/products/crm');
  await card.getByRole('button', { name: 'No thanks' }).click();
  await expect(card).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('app-card-securevault')).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Also try OMG-CRM' })).toHaveCount(0);
});

test('the comparison is usable at 390 px: plans stacked, nothing clipped, every action reachable', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/products/securevault');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  for (const row of PUBLISHED) {
    const box = await page.getByTestId(`plan-${row[0]}`).boundingBox();
    expect(box, `plan-${row[0]}`).not.toBeNull();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
  }
  await page.getByTestId('plan-enterprise').getByRole('button', { name: 'Contact sales' }).click();
  const dialog = page.getByRole('dialog', { name: 'Contact sales' });
  await expect(dialog.getByRole('button', { name: 'Send request' })).toBeInViewport({ ratio: 0 });
  const dialogBox = await dialog.boundingBox();
  expect((dialogBox?.x ?? 0) + (dialogBox?.width ?? 0)).toBeLessThanOrEqual(390);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('plan-growth').getByRole('link', { name: 'Choose Growth' }).click();
  await expect(page).toHaveURL(/\/login\?next=/);
});
