import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { signUp } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { mailedLink } from '../fixtures/mail';
import { expect, test } from '../fixtures/test';

/**
 * `npm run screenshots` (never part of `npm run test:e2e`): a customer signs up, buys SecureVault Docs Growth,
 * fills a vault and looks at the plans and the bill; each page is photographed at a laptop's 1280 px and a
 * phone's 390 px into apps/hub/public/screenshots, which the landing page and the README show. JPEG at a modest
 * quality keeps each picture well under 150 KB.
 */
const OUT = path.resolve(import.meta.dirname, '../../../apps/hub/public/screenshots');
const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

const customer = { name: 'Dana Rivera', email: 'dana.rivera@example.test', password: 'dana-rivera-2026' };

/** A few documents, so the vault looks like one in use. */
const DOCUMENTS: Record<string, string> = {
  'Lease agreement 2026.txt': 'Tenancy agreement between Dana Rivera and Harbor Homes.\n',
  'Passport renewal.txt': 'Passport renewal appointment and reference number.\n',
  'Home insurance policy.txt': 'Home insurance policy, coverage and renewal terms.\n',
  'Tax return summary.csv': 'year,income,refund\n2025,68400,1210\n',
};

async function shoot(page: Page, name: string, ready: (page: Page) => Promise<void>) {
  for (const viewport of WIDTHS) {
    await page.setViewportSize(viewport);
    await page.reload();
    await ready(page);
    await page.screenshot({
      path: path.join(OUT, `${name}-${viewport.width}.jpg`),
      type: 'jpeg',
      quality: 72,
      animations: 'disabled',
      caret: 'hide',
    });
  }
}

test('a customer’s walk through both apps, photographed', async ({ page }) => {
  test.setTimeout(180_000);
  await mkdir(OUT, { recursive: true });
  await signUp(page, customer);
  // A confirmed address, as a real customer's would be: no "Please confirm your email" banner in the pictures.
  await page.goto(await mailedLink(customer.email, /confirm your email/i, '/api/auth/verify-email'));
  await expect(page).toHaveURL(/\/portal$/);

  // A paid plan (no trial), so billing shows an active subscription and its next charge.
  await page.goto('/checkout/start?product=securevault&plan=growth');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(page, customer.name);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to your portal' }).click();

  const vault = await launchVault(page);
  await vault.getByLabel('Files to upload').setInputFiles(
    Object.entries(DOCUMENTS).map(([name, text]) => ({
      name,
      mimeType: name.endsWith('.csv') ? 'text/csv' : 'text/plain',
      buffer: Buffer.from(text),
    })),
  );
  await expect(vault.getByTestId('document-row')).toHaveCount(4, { timeout: 30_000 });
  for (const status of await vault.getByTestId('index-status').all())
    await expect(status).toHaveText('Indexed', { timeout: 30_000 });
  const vaults = vault.getByRole('navigation', { name: 'Vaults' });
  await vaults.getByRole('button', { name: '+ New vault' }).click();
  await vaults.getByLabel('Vault name').fill('Receipts');
  await vaults.getByRole('button', { name: 'Create' }).click();
  await expect(vaults.getByRole('link', { name: /Receipts/ })).toBeVisible();
  await vaults.getByRole('link').first().click();
  await expect(vault.getByTestId('document-row')).toHaveCount(4);
  await shoot(vault, 'vault', async (p) => {
    await expect(p.getByTestId('document-row')).toHaveCount(4);
  });

  await page.goto('/portal');
  await shoot(page, 'portal', async (p) => {
    await expect(p.getByTestId('app-card-securevault').getByTestId('app-price')).toHaveText(
      'Your plan: Growth',
    );
  });

  await page.goto('/products/securevault#plans');
  await shoot(page, 'plans', async (p) => {
    await expect(p.getByTestId('plan-growth').getByTestId('plan-current')).toBeVisible();
    await p.locator('#plans').evaluate((element) => element.scrollIntoView());
  });

  await page.goto('/billing');
  await shoot(page, 'billing', async (p) => {
    await expect(p.getByTestId('billing-card-securevault').getByTestId('billing-plan')).toHaveText('Growth');
  });
});
