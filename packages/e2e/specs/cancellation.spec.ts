import type { Locator, Page } from '@playwright/test';
import { newAccount, signUp } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/** Pays for SecureVault Growth without a trial (a paid period that can run out) and opens the billing page. */
async function buyGrowth(page: Page, prefix: string): Promise<Locator> {
  const account = newAccount(prefix);
  await signUp(page, account);
  await page.goto('/checkout/start?product=securevault&plan=growth');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(page, account.name);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await page.goto('/billing');
  const card = page.getByTestId('billing-card-securevault');
  await expect(card.getByTestId('app-status')).toHaveText('Active');
  return card;
}

/** Stripe's portal spells the same day out ("January 1, 2027" for "Jan 1, 2027"). */
const portalDay = (day: string) =>
  new Date(`${day} 12:00 UTC`).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });

/** The day the paid period ends, as the billing page's "Renews <date>" line names it. */
async function renewalDay(card: Locator): Promise<string> {
  await expect(card.getByTestId('billing-date')).toHaveText(/^Renews /);
  return ((await card.getByTestId('billing-date').textContent()) ?? '').replace(/^Renews /, '');
}

test('a cancellation made in Stripe’s portal shows as "Cancels on <date>" on the billing page, the portal page and in SVD, and Resume takes it back', async ({
  page,
}) => {
  const card = await buyGrowth(page, 'portal-cancel');
  const day = await renewalDay(card);

  // Stripe's customer portal (the emulator's), the portal's way: cancel at the end of the period.
  await card.getByRole('button', { name: 'Payment methods & invoices' }).click();
  await page.getByTestId('cancel-subscription').click();
  await expect(page.getByTestId('notice')).toHaveText(
    'Your plan will be canceled at the end of the billing period.',
  );
  await expect(page.getByTestId('subscription')).toContainText(`Cancels on ${portalDay(day)}`);
  await page.getByTestId('return-link').click();
  await expect(page).toHaveURL(/\/billing$/);

  // The webhook carries it to the Hub: the billing page says when it ends and that access continues till then.
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId('app-status')).toHaveText(`Cancels on ${day}`, { timeout: 1_000 });
  }).toPass();
  await expect(card.getByTestId('billing-date')).toHaveText(`Access continues until ${day}`);
  await expect(card.getByRole('button', { name: 'Resume' })).toBeVisible();

  // The portal page and SVD show the same state: the plan is still in force until that day.
  await page.goto('/portal');
  await expect(page.getByTestId('app-card-securevault').getByTestId('app-status')).toHaveText(
    `Cancels on ${day}`,
  );
  const vault = await launchVault(page);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText(`Growth — Cancels on ${day}`);
  await expect(
    vault.getByText(`Your subscription cancels on ${day}. Your plan and uploads continue until then.`),
  ).toBeVisible();
  await expect(vault.getByTestId('storage-meter-text')).toHaveText('0 B of 75 GB');
  await expect(vault.getByTestId('uploads-disabled')).toHaveCount(0);

  // Resume: renewing again, everywhere.
  await page.goto('/billing');
  await card.getByRole('button', { name: 'Resume' }).click();
  await expect(card.getByTestId('app-status')).toHaveText('Active');
  await expect(card.getByTestId('billing-date')).toHaveText(`Renews ${day}`);
  await expect(card.getByRole('button', { name: 'Resume' })).toHaveCount(0);
  await vault.reload();
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Growth — Active');
  await expect(vault.getByText('Your subscription cancels on')).toHaveCount(0);
  await card.getByRole('button', { name: 'Payment methods & invoices' }).click();
  await expect(page.getByTestId('subscription')).toContainText(`Renews on ${portalDay(day)}`);
  await expect(page.getByTestId('cancel-subscription')).toBeVisible();
});

test('the Hub’s Cancel offers both, in plain words: at the end of the period (access until <date>), or end now after a second confirmation', async ({
  page,
}) => {
  const card = await buyGrowth(page, 'hub-cancel');
  const day = await renewalDay(card);

  await card.getByRole('button', { name: 'Cancel', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Cancel SecureVault Docs?');
  const atPeriodEnd = dialog.getByRole('button', { name: /^Cancel at the end of the period/ });
  await expect(atPeriodEnd).toContainText(`Keep access until ${day}.`);
  await expect(dialog.getByRole('button', { name: /^End now/ })).toContainText(
    'Access ends immediately. The rest of this period is not refunded.',
  );
  await atPeriodEnd.click();
  await expect(dialog).toHaveCount(0);
  await expect(card.getByTestId('app-status')).toHaveText(`Cancels on ${day}`);
  await expect(card.getByTestId('billing-date')).toHaveText(`Access continues until ${day}`);

  // Stripe's portal sees the Hub's cancellation as its own.
  await card.getByRole('button', { name: 'Payment methods & invoices' }).click();
  await expect(page.getByTestId('subscription')).toContainText(`Cancels on ${portalDay(day)}`);
  await expect(page.getByTestId('renew-subscription')).toBeVisible();
  await page.getByTestId('return-link').click();

  // Already ending: Cancel now only offers to end it at once, and asks before doing so.
  await card.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog.getByRole('heading')).toHaveText('End SecureVault Docs now? Access ends now.');
  await dialog.getByRole('button', { name: 'Keep subscription' }).click();
  await expect(card.getByTestId('app-status')).toHaveText(`Cancels on ${day}`);
  await card.getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog.getByRole('button', { name: 'Yes, end now' }).click();
  await expect(card.getByTestId('app-status')).toHaveText('Canceled');
  await expect(card.getByRole('button', { name: 'Resume' })).toHaveCount(0);

  await page.goto('/portal');
  const vault = await launchVault(page);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Canceled');
});
