import { newAccount, signUp } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

const DAY = 86_400_000;
const utcDay = (ms: number) =>
  new Date(ms).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

test('a new user’s free trial has one name in the Hub and in SVD', async ({ page }) => {
  await signUp(page, newAccount('free-trial'));
  const card = page.getByTestId('app-card-securevault');
  // Before the first launch the Hub says what SVD will say on it: the trial starts with SVD's first use.
  await expect(card.getByTestId('app-status')).toHaveText('Free trial, 14 days left');
  // The other products have no free trial without a subscription.
  await expect(page.getByTestId('app-card-crm').getByTestId('app-status')).toHaveText('Not subscribed');

  const vault = await launchVault(page);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Free trial, 14 days left');
  // After the first launch the Hub counts from SVD's profile (the one column of SVD's it may read): the same words.
  await page.goto('/portal');
  await expect(card.getByTestId('app-status')).toHaveText('Free trial, 14 days left');
});

test('a checkout’s free trial has one label on the portal, the billing page and in SVD', async ({ page }) => {
  const account = newAccount('checkout-trial');
  await signUp(page, account);
  await page.goto('/checkout/start?product=securevault&plan=growth&trial=true');
  await page.getByRole('button', { name: 'Start Free Trial' }).click();
  await payOnHostedCheckout(page, account.name);
  await expect(page.getByRole('heading', { name: 'Trial started' })).toBeVisible();

  await page.goto('/portal');
  await expect(page.getByTestId('app-card-securevault').getByTestId('app-status')).toHaveText(
    'Free trial, 7 days left',
  );
  const vault = await launchVault(page);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Growth — Free trial, 7 days left');

  await page.goto('/billing');
  const card = page.getByTestId('billing-card-securevault');
  await expect(card.getByTestId('billing-plan')).toHaveText('Growth');
  await expect(card.getByTestId('app-status')).toHaveText('Free trial, 7 days left');
  const now = Date.now();
  await expect(card.getByTestId('billing-date')).toHaveText(
    new RegExp(`^Free trial ends (${utcDay(now + 7 * DAY)}|${utcDay(now + 8 * DAY)})$`),
  );
  // Nowhere the word twice, nor a trial called "Active".
  await expect(page.getByText(/Trial — Trial|Trial, Trial/)).toHaveCount(0);
  await expect(vault.getByText(/Trial — Trial|Trial, Trial/)).toHaveCount(0);
});
