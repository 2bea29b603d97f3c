import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { newAccount, signUp } from '../fixtures/accounts';
import { adminDatabase } from '../fixtures/database';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');

async function userIdOf(email: string): Promise<string> {
  const { pool } = adminDatabase();
  try {
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM core."User" WHERE email = $1', [email]);
    if (!rows[0]) throw new Error(`no user ${email}`);
    return rows[0].id;
  } finally {
    await pool.end();
  }
}

test('staff open a paying customer: why they have access, their subscription and timeline, at 390 px too', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // The customer, on their own device: signs up, starts Growth's free trial on the hosted checkout, opens SVD.
  const customer = newAccount('customer-page');
  const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.252.31' } });
  const own = await context.newPage();
  await signUp(own, customer);
  await own.goto('/products/securevault');
  await own.getByTestId('plan-growth').getByRole('link', { name: 'Choose Growth' }).click();
  await own.getByRole('button', { name: 'Start Free Trial' }).click();
  await payOnHostedCheckout(own, customer.name);
  await expect(own.getByRole('heading', { name: 'Trial started' })).toBeVisible();
  await own.getByRole('link', { name: 'Go to your portal' }).click();
  const vault = await launchVault(own);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Growth — Free trial, 7 days left');
  await context.close();
  const customerId = await userIdOf(customer.email);

  // A customer cannot open the page (not even their own): the ordinary 404.
  const stranger = newAccount('not-staff');
  await signUp(page, stranger);
  expect((await page.goto(`/admin/customers/${customerId}`))?.status()).toBe(404);

  await run(
    'npm',
    ['run', 'admin:grant', '--', stranger.email, '--role', 'support', '--reason', 'support desk'],
    {
      cwd: repoRoot,
      env: process.env,
    },
  );
  await page.goto(`/admin/customers/${customerId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(customer.name);

  // Why: SVD's own entitlement, in words.
  await expect(page.getByTestId('entitlement-reason')).toHaveText(
    /^Growth, free trial from checkout until \w{3} \d{1,2}, \d{4}, then paid$/,
  );
  const subscription = page.getByTestId('customer-subscription');
  await expect(subscription).toContainText('SecureVault Docs · Growth');
  await expect(subscription).toContainText('$14.99 a month');
  await expect(subscription.getByRole('link', { name: /^sub_/ })).toHaveAttribute(
    'href',
    /^https:\/\/dashboard\.stripe\.com\/test\/subscriptions\/sub_/,
  );

  // What happened, newest first: the launch, the Stripe events and the checkout, back to the sign-up.
  const entries = page.getByTestId('timeline-entry');
  await expect(entries.filter({ hasText: 'Opened SecureVault Docs from the Hub' })).toHaveCount(1);
  await expect(
    entries.filter({ hasText: 'Started checkout for Growth (SecureVault Docs): completed' }),
  ).toHaveCount(1);
  await expect(entries.filter({ hasText: /Stripe subscription sub_\w+ created/ })).not.toHaveCount(0);
  await expect(entries.last()).toContainText(`Signed up as ${customer.email}`);
  await expect(page.getByTestId('customer-hub-sessions')).toContainText('Hub (1)');
  await expect(page.getByTestId('customer-svd-sessions')).toContainText('SecureVault Docs (1)');

  // At a phone's width nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId('entitlement-reason')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // An id no customer has: the 404 page.
  expect((await page.goto('/admin/customers/00000000-0000-4000-8000-000000000000'))?.status()).toBe(404);
});
