import { newAccount, signUp } from '../fixtures/accounts';
import { expect, test } from '../fixtures/test';

test('a product that has not launched (OMG-CRM) is "Coming soon" and cannot be bought on any path', async ({
  page,
}) => {
  const account = newAccount('soon');
  await signUp(page, account);

  // The product page: the plans are there to read, with nothing to buy.
  await page.goto('/products/crm');
  await expect(page.getByRole('heading', { name: 'OMG-CRM' })).toBeVisible();
  await expect(page.getByTestId('coming-soon')).toContainText('Coming soon');
  await expect(page.getByTestId('coming-soon')).toContainText('OMG-CRM launches later');
  await expect(page.getByTestId('plan-starter')).toContainText('Coming soon');
  await expect(page.getByRole('link', { name: /^Choose / })).toHaveCount(0);

  // A launched product still sells (the rule is the launch URL, not the page).
  await page.goto('/products/securevault');
  await expect(page.getByTestId('coming-soon')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Choose Growth' })).toBeVisible();

  // The checkout page, reached by a typed or old link: the coming-soon state, no checkout.
  await page.goto('/checkout/start?product=crm&plan=starter&trial=true');
  await expect(page.getByRole('heading', { name: 'Coming soon' })).toBeVisible();
  await expect(page.getByTestId('coming-soon')).toHaveText(
    'OMG-CRM is coming soon: it launches later, and it cannot be bought until then.',
  );
  await expect(page.getByRole('button', { name: /Subscribe|Start Free Trial/ })).toHaveCount(0);

  // The API itself, as the page's own script would call it: 409 with the same message, no checkout URL.
  const answer = await page.evaluate(async () => {
    const response = await fetch('/api/checkout/create-session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: 'app_crm', plan: 'pro' }),
    });
    return { status: response.status, body: await response.json() };
  });
  expect(answer.status).toBe(409);
  expect(answer.body.error.message).toBe(
    'OMG-CRM is coming soon: it launches later, and it cannot be bought until then.',
  );
  expect(answer.body.url).toBeUndefined();

  // And the portal never shows it as owned.
  await page.goto('/portal');
  await expect(page.getByTestId('app-card-crm').getByText('Not available yet')).toBeVisible();
});
