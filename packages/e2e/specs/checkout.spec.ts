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

  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to your portal' }).click();
  const card = page.getByTestId('app-card-securevault');
  await expect(card.getByTestId('app-status')).toHaveText('Active');
  await expect(card.getByTestId('app-price')).toHaveText('Your plan: growth');

  const vault = await launchVault(page);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText(/^Growth — (Active|Trial, 7 days left)$/);
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('0 B of 75 GB');

  // SVD's Upgrade button goes to the Hub, which shows the plan change and brings the user back with Pro in force.
  await vault.getByRole('link', { name: 'Upgrade' }).click();
  await expect(vault).toHaveURL(/\/checkout\/start\?product=securevault&plan=pro&returnUrl=/);
  await expect(vault.getByTestId('plan-change')).toContainText('Change SecureVault Docs from growth to Pro');
  await expect(vault.getByTestId('proration')).toContainText('free trial');
  await vault.getByRole('button', { name: 'Upgrade to Pro' }).click();
  await vault.waitForURL(/localhost:3101\/vault$/);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText(/^Pro — (Active|Trial, \d+ days left)$/);
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('0 B of 200 GB');

  // Asking to buy the plan you have offers to manage it instead of a second purchase.
  await page.goto('/checkout/start?product=securevault&plan=pro');
  await expect(page.getByTestId('already-subscribed')).toContainText(
    'You are already on SecureVault Docs Pro',
  );
  await expect(page.getByRole('button', { name: /Subscribe|Start Free Trial/ })).toHaveCount(0);
});

test('a coupon shows the discounted price before paying and is applied at Stripe', async ({ page }) => {
  const account = newAccount('coupon');
  await signUp(page, account);

  await page.goto('/checkout/start?product=securevault&plan=growth');
  await expect(page.getByTestId('checkout-price')).toHaveText('$14.99/month');

  await page.getByTestId('coupon-code').fill('nope-not-a-code');
  await page.getByTestId('apply-coupon').click();
  await expect(page.getByTestId('coupon-error')).toHaveText('Invalid coupon code');

  await page.getByTestId('coupon-code').fill('welcome20');
  await page.getByTestId('apply-coupon').click();
  await expect(page.getByTestId('coupon-result')).toHaveText('20 % off — $11.99/month');
  await page.getByRole('button', { name: 'Subscribe' }).click();

  // The hosted checkout carries the discount: $14.99 less $3.00 is due today.
  await expect(page.getByTestId('discount')).toContainText('WELCOME20 (20% off)');
  await expect(page.getByTestId('total-due')).toHaveText('$11.99');
  await payOnHostedCheckout(page, account.name);

  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to your portal' }).click();
  await expect(page.getByTestId('app-card-securevault').getByTestId('app-status')).toHaveText('Active');
});
