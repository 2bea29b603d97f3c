import { newAccount, signUp } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

const DAY = 86_400_000;
const utcDay = (ms: number) =>
  new Date(ms).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

test('the billing page shows the subscription, opens Stripe’s portal, and Cancel ends SVD access at once', async ({
  page,
}) => {
  const account = newAccount('billing');
  await signUp(page, account);

  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }),
  ).toBeVisible();
  await page.goto('/billing');
  await expect(page.getByTestId('billing-empty')).toHaveText('No subscriptions yet — browse products');

  // Buy Growth on the hosted checkout, as a person does.
  await page.goto('/products/securevault');
  await page.getByTestId('plan-growth').getByRole('link', { name: 'Choose Growth' }).click();
  await page.getByRole('button', { name: 'Start Free Trial' }).click();
  await payOnHostedCheckout(page, account.name);
  await expect(page.getByRole('heading', { name: 'Trial started' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to your portal' }).click();

  const vault = await launchVault(page);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Growth — Free trial, 7 days left');
  await vault
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'lease.txt', mimeType: 'text/plain', buffer: Buffer.from('tenancy agreement\n') });
  await expect(vault.getByTestId('upload-state')).toHaveText('Uploaded', { timeout: 30_000 });
  await expect(vault.getByTestId('document-name')).toHaveText('lease.txt');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
  await expect(page).toHaveURL(/\/billing$/);
  const card = page.getByTestId('billing-card-securevault');
  await expect(card.getByRole('heading', { name: 'SecureVault Docs' })).toBeVisible();
  await expect(card.getByTestId('billing-plan')).toHaveText('Growth');
  await expect(card.getByTestId('app-status')).toHaveText('Free trial, 7 days left');
  await expect(card.getByTestId('billing-price')).toHaveText('$14.99/month');
  // A 7-day trial started moments ago (the day may roll over in UTC while the test runs).
  const now = Date.now();
  await expect(card.getByTestId('billing-date')).toHaveText(
    new RegExp(`^Free trial ends (${utcDay(now + 7 * DAY)}|${utcDay(now + 8 * DAY)})$`),
  );

  // Change plan hands over to the checkout page with the chosen plan.
  await expect(card.getByLabel('New plan for SecureVault Docs')).toHaveValue('starter');
  await card.getByLabel('New plan for SecureVault Docs').selectOption('pro');
  await card.getByRole('button', { name: 'Change plan' }).click();
  await expect(page).toHaveURL(/\/checkout\/start\?product=securevault&plan=pro$/);
  await page.goto('/billing');

  // Payment methods & invoices: Stripe's customer portal for this customer, and back.
  await card.getByRole('button', { name: 'Payment methods & invoices' }).click();
  await expect(page.getByTestId('subscription-status')).toHaveText('trialing');
  await page.getByTestId('return-link').click();
  await expect(page).toHaveURL(/\/billing$/);

  // Cancel asks first (end now, or at the trial's end); ending now asks again; keeping it changes nothing.
  await card.getByRole('button', { name: 'Cancel', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /^End now/ }).click();
  await expect(dialog).toContainText('End SecureVault Docs now? Access ends now.');
  await dialog.getByRole('button', { name: 'Keep subscription' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(card.getByTestId('app-status')).toHaveText('Free trial, 7 days left');

  await card.getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog.getByRole('button', { name: /^End now/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, end now' }).click();
  await expect(card.getByTestId('app-status')).toHaveText('Canceled');
  await expect(card.getByRole('link', { name: 'Subscribe again' })).toHaveAttribute(
    'href',
    '/products/securevault',
  );
  await expect(card.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0);
  await expect(card.getByTestId('billing-date')).toHaveCount(0);

  // SVD revokes paid access on the next request; the documents stay listed and readable.
  await vault.reload();
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Canceled');
  await expect(vault.getByTestId('uploads-disabled')).toBeVisible();
  await expect(vault.getByTestId('document-name')).toHaveText('lease.txt');
});
