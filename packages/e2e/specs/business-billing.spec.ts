import { newAccount, signUp } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { expect, test } from '../fixtures/test';

test('business plans (issue 15): the owner of Acme buys Business Starter on the hosted checkout and adds a seat at the previewed prorated price', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const owner = newAccount('acme-buyer');
  await signUp(page, owner);

  await page.goto('/organizations');
  await page.getByLabel('Company name').fill('Acme');
  await page.getByRole('button', { name: 'Create business account' }).click();
  await expect(page.getByRole('heading', { name: 'Acme', level: 1 })).toBeVisible();
  // The header's switcher (shown once the user belongs to a business account) makes Acme the account billing
  // acts for.
  await page.goto('/portal');
  const saved = page.waitForResponse(
    (response) => response.url().endsWith('/api/active-organization') && response.ok(),
  );
  await page.getByTestId('account-switcher').selectOption({ label: 'Acme' });
  await saved;

  await page.goto('/checkout/start?product=securevault&plan=business_starter');
  await expect(page.getByTestId('checkout-price')).toHaveText('$29.99/month');
  await expect(page.getByTestId('checkout-for-organization')).toHaveText(
    'For Acme · 5 seats included, more at $6.00 a seat a month',
  );
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(page, owner.name);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();

  await page.goto('/billing');
  await expect(page.getByRole('heading', { name: 'Billing for Acme', level: 1 })).toBeVisible();
  await expect(page.getByTestId('billing-card-securevault').getByTestId('billing-plan')).toHaveText(
    'Business Starter',
  );
  const seats = page.getByTestId('seats-panel');
  await expect(seats.getByTestId('seats-summary')).toHaveText(
    '1 of 5 seats in use (5 seats included with Business Starter).',
  );

  // Add one seat: Stripe's prorated amount first, then the charge of exactly that amount on confirmation.
  await expect(seats.getByTestId('extra-seats-input')).toHaveValue('1');
  await seats.getByRole('button', { name: 'Add seats' }).click();
  const preview = seats.getByTestId('seats-preview');
  await expect(preview).toContainText('5 seats → 6 seats.');
  const amount = (await preview.textContent())?.match(/You pay (\$\d+\.\d\d) now/)?.[1];
  expect(amount, 'the preview names the prorated amount').toBeTruthy();
  await seats.getByRole('button', { name: `Confirm — pay ${amount}` }).click();
  await expect(seats.getByTestId('seats-summary')).toHaveText(
    '1 of 6 seats in use (5 seats included with Business Starter, 1 extra).',
  );
});
