import type { Page } from '@playwright/test';
import { newAccount, signUp } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

const DAY = 86_400_000;
const utcDay = (ms: number) =>
  new Date(ms).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
/** A billing day as every page prints it ("Jan 1, 2027"), captured. */
const DAY_PATTERN = '([A-Z][a-z]{2} \\d{1,2}, \\d{4})';

/** Pays for SecureVault Growth without a trial or coupon; returns the day of the next charge the success page names. */
async function payForGrowth(page: Page, cardholder: string): Promise<string> {
  await page.goto('/checkout/start?product=securevault&plan=growth');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(page, cardholder);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  const charges = page.getByTestId('checkout-charges');
  await expect(charges).toHaveText(new RegExp(`^Next charge \\$14\\.99 on ${DAY_PATTERN}$`));
  return /on (.+)$/.exec((await charges.textContent()) ?? '')?.[1] ?? '';
}

test('a coupon shows the same discount, duration and next charge on the Hub’s checkout, Stripe’s page, the success and billing pages', async ({
  page,
}) => {
  const account = newAccount('coupon');
  await signUp(page, account);

  await page.goto('/checkout/start?product=securevault&plan=growth');
  await expect(page.getByTestId('checkout-price')).toHaveText('$14.99/month');

  await page.getByTestId('coupon-code').fill('nope-not-a-code');
  await page.getByTestId('apply-coupon').click();
  await expect(page.getByTestId('coupon-error')).toHaveText('Invalid coupon code');

  // The Hub's checkout: 20% off, for how long, and what the renewal a month from now costs.
  await page.getByTestId('coupon-code').fill('welcome20');
  await page.getByTestId('apply-coupon').click();
  const result = page.getByTestId('coupon-result');
  await expect(result).toHaveText(new RegExp(`^20% off forever — next charge \\$11\\.99 on ${DAY_PATTERN}$`));
  const line = (await result.textContent()) ?? '';
  const nextDay = /on (.+)$/.exec(line)?.[1] ?? '';
  await expect(page.getByTestId('coupon-due-today')).toHaveText('$11.99 due today');
  await page.getByRole('button', { name: 'Subscribe' }).click();

  // Stripe's hosted page: the same discount and duration, $14.99 less $3.00 due today, the same next charge.
  await expect(page.getByTestId('discount')).toContainText('WELCOME20 (20% off)');
  await expect(page.getByTestId('discount-terms')).toHaveText('20% off forever');
  await expect(page.getByTestId('total-due')).toHaveText('$11.99');
  await expect(page.getByTestId('next-charge')).toHaveText(`$11.99 on ${nextDay}`);
  await payOnHostedCheckout(page, account.name);

  // The success page and the billing page read Stripe's subscription and say exactly what the checkout said.
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await expect(page.getByText('You paid $11.99 today.')).toBeVisible();
  await expect(page.getByTestId('checkout-charges')).toHaveText(line);
  await page.getByRole('link', { name: 'Go to your portal' }).click();
  await expect(page.getByTestId('app-card-securevault').getByTestId('app-status')).toHaveText('Active');

  await page.goto('/billing');
  const card = page.getByTestId('billing-card-securevault');
  await expect(card.getByTestId('billing-charges')).toHaveText(line);
});

test('every plan change ends with a confirmation: what changed, what was charged or credited, the next charge', async ({
  page,
}) => {
  const account = newAccount('confirm');
  await signUp(page, account);
  const renewal = await payForGrowth(page, account.name);

  // Upgrade from the billing page: charged now for the rest of the period, Pro at the same renewal.
  await page.goto('/billing');
  const card = page.getByTestId('billing-card-securevault');
  await expect(card.getByTestId('billing-charges')).toHaveText(`Next charge $14.99 on ${renewal}`);
  await card.getByLabel('New plan for SecureVault Docs').selectOption('pro');
  await card.getByRole('button', { name: 'Change plan' }).click();
  await page.getByRole('button', { name: 'Upgrade to Pro' }).click();
  let dialog = page.getByRole('dialog', { name: 'Plan changed' });
  await expect(dialog.getByTestId('plan-change-what')).toHaveText(
    'SecureVault Docs: Growth → Pro, in force now.',
  );
  await expect(dialog.getByTestId('plan-change-charged')).toHaveText(
    /^Charged \$([1-9]|10)\.\d{2} today for the rest of this billing period\.$/,
  );
  await expect(dialog.getByTestId('plan-change-next')).toHaveText(`Next charge $24.99 on ${renewal}`);
  await dialog.getByRole('link', { name: 'Continue' }).click();
  await page.waitForURL(/\/billing$/);
  await expect(card.getByTestId('billing-plan')).toHaveText('Pro');
  await expect(card.getByTestId('billing-charges')).toHaveText(`Next charge $24.99 on ${renewal}`);

  // Book a downgrade: nothing charged, Pro kept until the renewal, which then bills Starter.
  await card.getByLabel('New plan for SecureVault Docs').selectOption('starter');
  await card.getByRole('button', { name: 'Change plan' }).click();
  await page.getByRole('button', { name: /^Switch to Starter on / }).click();
  dialog = page.getByRole('dialog', { name: 'Plan change booked' });
  await expect(dialog.getByTestId('plan-change-what')).toHaveText(
    `SecureVault Docs: Pro → Starter on ${renewal}. You keep Pro until then.`,
  );
  await expect(dialog.getByTestId('plan-change-charged')).toHaveText('Nothing was charged today.');
  await expect(dialog.getByTestId('plan-change-next')).toHaveText(`Next charge $7.99 on ${renewal}`);
  await dialog.getByRole('link', { name: 'Continue' }).click();
  await page.waitForURL(/\/billing$/);
  await expect(card.getByTestId('billing-date')).toHaveText(`Changes to Starter on ${renewal}`);
  await expect(card.getByTestId('billing-charges')).toHaveText(`Next charge $7.99 on ${renewal}`);
});

test('a trial checkout says "Trial started" and when the first charge comes, never "Payment complete"', async ({
  page,
}) => {
  const account = newAccount('trial-started');
  await signUp(page, account);
  await page.goto('/checkout/start?product=securevault&plan=growth&trial=true');
  await page.getByRole('button', { name: 'Start Free Trial' }).click();
  await expect(page.getByTestId('total-due')).toHaveText('$0.00');
  await payOnHostedCheckout(page, account.name);

  await expect(page.getByRole('heading', { name: 'Trial started' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toHaveCount(0);
  await expect(
    page.getByText('SecureVault Docs Growth is ready on your account. Nothing was charged today.'),
  ).toBeVisible();
  // The trial started moments ago (the day may roll over in UTC while the test runs).
  const now = Date.now();
  const charges = page.getByTestId('checkout-charges');
  await expect(charges).toHaveText(
    new RegExp(`^First charge \\$14\\.99 on (${utcDay(now + 7 * DAY)}|${utcDay(now + 8 * DAY)})$`),
  );
  const firstDay = /on (.+)$/.exec((await charges.textContent()) ?? '')?.[1] ?? '';
  await page.goto('/billing');
  await expect(page.getByTestId('billing-card-securevault').getByTestId('billing-charges')).toHaveText(
    `Next charge $14.99 on ${firstDay}`,
  );
});

/**
 * Plan ids (growth, pro, business_starter…) as standalone lowercase words in parentheses or after "keep": how
 * they used to leak ("… is ready on your account (growth)", "You keep growth until …"). Catalog names are
 * capitalised, so "(Growth)" or "keep Growth" pass.
 */
const PLAN_ID_IN_TEXT =
  /\((?:starter|growth|pro|business[ _](?:starter|growth|pro)|enterprise)\)|\bkeep (?:starter|growth|pro|business[ _](?:starter|growth|pro))\b/;

async function expectNoPlanIds(page: Page, where: string): Promise<void> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the customer reads, not scripts.
  const text = await page.locator('body').innerText();
  // Soft: one run lists every page that leaks, not only the first.
  expect.soft(text, `${where} shows a plan id`).not.toMatch(PLAN_ID_IN_TEXT);
}

test('no page shows an internal plan id: success, portal, product page, a downgrade’s checkout, billing, SVD', async ({
  page,
}) => {
  const account = newAccount('plan-ids');
  await signUp(page, account);
  await page.goto('/checkout/start?product=securevault&plan=growth');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(page, account.name);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await expectNoPlanIds(page, 'the success page');

  await page.goto('/portal');
  await expect(page.getByTestId('app-card-securevault').getByTestId('app-price')).toContainText('Your plan:');
  await expectNoPlanIds(page, 'the portal');

  await page.goto('/products/securevault');
  await expectNoPlanIds(page, 'the product page');

  // The downgrade offer names the plan kept until the period ends.
  await page.goto('/checkout/start?product=securevault&plan=starter');
  await expect(page.getByTestId('proration')).toContainText('until');
  await expectNoPlanIds(page, 'the downgrade checkout');

  await page.goto('/billing');
  await expect(page.getByTestId('billing-card-securevault').getByTestId('billing-plan')).toHaveText('Growth');
  await expectNoPlanIds(page, 'the billing page');

  await page.goto('/portal');
  const vault = await launchVault(page);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText(/^Growth\b/);
  await expectNoPlanIds(vault, 'SVD’s vault');
});
