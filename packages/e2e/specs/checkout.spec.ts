import { newAccount, signUp } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

test('subscribe to Growth through the Hub’s checkout, then SVD shows "Growth — Active"', async ({ page }) => {
  const account = newAccount('buyer');
  await signUp(page, account);

  await page.getByTestId('app-card-securevault').getByRole('link', { name: 'Unlock' }).click();
  await page.getByTestId('plan-growth').getByRole('link', { name: 'Choose Growth' }).click();
  await expect(page).toHaveURL(/\/checkout\/start\?product=securevault&plan=growth&trial=true/);
  await expect(page.getByTestId('checkout-price')).toHaveText('$14.99/month');
  await page.getByRole('button', { name: 'Start Free Trial' }).click();

  // Stripe's hosted checkout (the local emulator's, in tests): pay with the test card.
  await payOnHostedCheckout(page, account.name);

  // A trial charges nothing today: the success page says so rather than "Payment complete".
  await expect(page.getByRole('heading', { name: 'Trial started' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to your portal' }).click();
  const card = page.getByTestId('app-card-securevault');
  await expect(card.getByTestId('app-status')).toHaveText('Free trial, 7 days left');
  await expect(card.getByTestId('app-price')).toHaveText('Your plan: Growth');

  const vault = await launchVault(page);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Growth — Free trial, 7 days left');
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('0 B of 75 GB');

  // SVD's Upgrade button goes to the Hub's plan comparison (Growth marked as theirs); choosing Pro there shows the
  // plan change and brings the user back with Pro in force.
  await vault.getByRole('link', { name: 'Upgrade' }).click();
  await expect(vault.getByTestId('plan-growth').getByTestId('plan-current')).toBeVisible();
  await vault.getByTestId('plan-pro').getByRole('link', { name: 'Change to Pro' }).click();
  await expect(vault).toHaveURL(/\/checkout\/start\?product=securevault&plan=pro&returnUrl=/);
  await expect(vault.getByTestId('plan-change')).toContainText('Change SecureVault Docs from Growth to Pro');
  await expect(vault.getByTestId('proration')).toContainText('free trial');
  await vault.getByRole('button', { name: 'Upgrade to Pro' }).click();
  await vault.getByRole('dialog', { name: 'Plan changed' }).getByRole('link', { name: 'Continue' }).click();
  await vault.waitForURL(/localhost:3101\/vault$/);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText(
    /^Pro — (Active|Free trial, \d+ days left)$/,
  );
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('0 B of 200 GB');

  // Asking to buy the plan you have offers to manage it instead of a second purchase.
  await page.goto('/checkout/start?product=securevault&plan=pro');
  await expect(page.getByTestId('already-subscribed')).toContainText(
    'You are already on SecureVault Docs Pro',
  );
  await expect(page.getByRole('button', { name: /Subscribe|Start Free Trial/ })).toHaveCount(0);
});
