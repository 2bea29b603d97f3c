import type { Page } from '@playwright/test';
import { newAccount, signUp } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/** "Update card" in Stripe's customer portal (the local emulator's), then back to the Hub's billing page. */
async function updateCardInPortal(page: Page, cardholder: string, card: string): Promise<void> {
  await page.getByTestId('card-number').fill(card);
  await page.getByTestId('card-expiry').fill('12 / 34');
  await page.getByTestId('card-cvc').fill('123');
  await page.getByTestId('card-name').fill(cardholder);
  await page.getByTestId('update-card').click();
  await expect(page.getByTestId('notice')).toHaveText('Your card was updated.');
  await page.getByTestId('return-link').click();
  await page.waitForURL(/\/billing$/);
}

/** From the billing page's plan picker to the checkout page and its upgrade button; the status the Hub answered. */
async function upgradeToPro(page: Page): Promise<number> {
  const card = page.getByTestId('billing-card-securevault');
  await card.getByLabel('New plan for SecureVault Docs').selectOption('pro');
  await card.getByRole('button', { name: 'Change plan' }).click();
  const [answer] = await Promise.all([
    page.waitForResponse(
      (r) => r.url().endsWith('/api/billing/change-plan') && r.request().method() === 'POST',
    ),
    page.getByRole('button', { name: 'Upgrade to Pro' }).click(),
  ]);
  return answer.status();
}

async function svdBadge(page: Page): Promise<string> {
  await page.goto('/portal');
  const vault = await launchVault(page);
  const badge = vault.getByTestId('header-plan-badge');
  await expect(badge).toBeVisible();
  const text = (await badge.textContent()) ?? '';
  await vault.close();
  return text;
}

test('a declined upgrade keeps Growth and says why; after updating the card the upgrade goes through', async ({
  page,
}) => {
  const account = newAccount('declined');
  await signUp(page, account);

  // Pay for Growth without a trial, with a card that works.
  await page.goto('/checkout/start?product=securevault&plan=growth');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(page, account.name);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();

  // The card on file starts declining: the customer saves one that will fail every charge (Stripe's 0341).
  await page.goto('/billing');
  const card = page.getByTestId('billing-card-securevault');
  await card.getByRole('button', { name: 'Payment methods & invoices' }).click();
  await updateCardInPortal(page, account.name, '4000 0000 0000 0341');

  // The upgrade is declined: the reason, the plan still in force, and a way to fix the card.
  expect(await upgradeToPro(page)).toBe(402);
  await expect(page.getByTestId('change-plan-error')).toHaveText(
    'Your card was declined; you are still on Growth. Update your card, then try again.',
  );
  await expect(page.getByRole('button', { name: 'Update card' })).toBeVisible();
  await expect(page).toHaveURL(/\/checkout\/start\?product=securevault&plan=pro$/);

  // Nothing changed: Growth and active on the billing page, and in SVD.
  await page.goto('/billing');
  await expect(card.getByTestId('billing-plan')).toHaveText('Growth');
  await expect(card.getByTestId('app-status')).toHaveText('Active');
  await expect(card.getByTestId('billing-payment-problem')).toHaveCount(0);
  const declinedBadge = await svdBadge(page);
  expect(declinedBadge).toMatch(/^Growth\b/);
  expect(declinedBadge).not.toMatch(/past due/i);

  // Try again, decline again, and fix the card from right there.
  await page.goto('/billing');
  expect(await upgradeToPro(page)).toBe(402);
  await expect(page.getByTestId('change-plan-error')).toContainText('you are still on Growth');
  await page.getByRole('button', { name: 'Update card' }).click();
  await updateCardInPortal(page, account.name, '4242 4242 4242 4242');

  // With a working card the same upgrade goes through, and both apps say Pro.
  expect(await upgradeToPro(page)).toBe(200);
  await expect(page.getByTestId('change-plan-error')).toHaveCount(0);
  await page.goto('/billing');
  await expect(card.getByTestId('billing-plan')).toHaveText('Pro');
  await expect(card.getByTestId('app-status')).toHaveText('Active');
  expect(await svdBadge(page)).toMatch(/^Pro\b/);
});
