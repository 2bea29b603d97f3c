import { newAccount, signUp } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

test('a booked downgrade can be undone from the billing page: Keep Growth, and SVD stays on Growth', async ({
  page,
}) => {
  const account = newAccount('keep');
  await signUp(page, account);

  // Pay for Growth without a trial: only a paid period has a downgrade booked for its end.
  await page.goto('/checkout/start?product=securevault&plan=growth');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(page, account.name);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();

  // Book the downgrade to Starter at the end of the period.
  await page.goto('/checkout/start?product=securevault&plan=starter');
  await page.getByRole('button', { name: /^Switch to Starter on / }).click();
  await page
    .getByRole('dialog', { name: 'Plan change booked' })
    .getByRole('link', { name: 'Continue' })
    .click();
  await page.waitForURL(/\/billing$/);
  const card = page.getByTestId('billing-card-securevault');
  await expect(card.getByTestId('billing-plan')).toHaveText('Growth');
  await expect(card.getByTestId('billing-date')).toHaveText(/^Changes to Starter on /);

  // Keep Growth: the notice goes, the renewal line is back, and the button with it.
  await card.getByRole('button', { name: 'Keep Growth' }).click();
  await expect(card.getByTestId('billing-date')).toHaveText(/^Renews /);
  await expect(card.getByTestId('billing-plan')).toHaveText('Growth');
  await expect(card.getByRole('button', { name: 'Keep Growth' })).toHaveCount(0);
  await page.reload();
  await expect(card.getByTestId('billing-date')).toHaveText(/^Renews /);

  // SVD sees the same: Growth, with nothing scheduled.
  await page.goto('/portal');
  const vault = await launchVault(page);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Growth — Active');
  await expect(vault.getByText(/Your plan changes to/)).toHaveCount(0);
});
