import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Stripe from 'stripe';
import { newAccount } from '../fixtures/accounts';
import { svdUrl } from '../fixtures/launch';
import { mailedLink } from '../fixtures/mail';
import { expect, test } from '../fixtures/test';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** The run's local Stripe (the emulator `npm run test:e2e` started), through the official SDK. */
function localStripe(): Stripe {
  const key = process.env.STRIPE_SECRET_KEY;
  const base = process.env.STRIPE_API_BASE;
  if (!key || !base)
    throw new Error('Run the browser tests with `npm run test:e2e` (it starts the emulator).');
  const url = new URL(base);
  return new Stripe(key, { host: url.hostname, port: Number(url.port), protocol: 'http', telemetry: false });
}

test('a migrated SecureVault customer claims the account from the welcome mail and lands in SVD on the grandfathered plan with their documents', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const account = newAccount('migrated');

  // Before the Hub: SecureVault billed them itself, Growth at a legacy $9.99 (a price outside the catalog).
  const stripe = localStripe();
  const [growth] = (await stripe.prices.list({ lookup_keys: ['securevault_growth_monthly'] })).data;
  const legacy = await stripe.prices.create({
    product: String(growth?.product),
    unit_amount: 999,
    currency: 'usd',
    recurring: { interval: 'month' },
  });
  const customer = await stripe.customers.create({
    email: account.email,
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: legacy.id }],
  });

  // The operator migrates SVD's export with their files, and sends the welcome mails.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'svd-export-'));
  try {
    const file = path.join(dir, 'export.csv');
    await writeFile(
      file,
      'email,name,plan,start_date,monthly_price,stripe_customer_id,stripe_subscription_id\n' +
        `${account.email},"${account.name}, Esq.",growth,2024-03-01,9.99,${customer.id},${subscription.id}\n`,
    );
    const documents = path.join(dir, 'documents');
    await mkdir(path.join(documents, account.email), { recursive: true });
    await writeFile(path.join(documents, account.email, 'Lease agreement.txt'), 'Tenancy agreement, 2024.\n');
    const { stdout } = await run(
      'npm',
      ['run', 'svd:migrate', '--', '--file', file, '--send-invites', '--documents', documents],
      { cwd: repoRoot, env: process.env },
    );
    expect(stdout).toMatch(/created\s+1\b/);
    expect(stdout).toMatch(/welcome mails queued: 1\b/);
    expect(stdout).toMatch(/documents: 1 imported/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // The welcome mail reaches the customer, with the claim link.
  const link = await mailedLink(account.email, /now lives in your OMG account/, '/claim?token=');
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Set your password' })).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Set password and open SecureVault' }).click();

  // Signed in, handed over to SVD: their plan, with the same limits as a new Growth customer, and their files.
  await page.waitForURL(`${svdUrl}/vault`);
  await expect(page.getByTestId('header-plan-badge')).toHaveText('Growth — Active');
  await expect(page.getByTestId('storage-meter-text')).toHaveText(/ of 75 GB$/);
  await expect(page.getByTestId('document-row').getByTestId('document-name')).toHaveText(
    'Lease agreement.txt',
  );

  // The link worked once.
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This link was already used' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Forgot your password?' })).toBeVisible();

  // Billing shows the price they kept; choosing another plan warns, before confirming, that it is given up.
  await page.goto('/billing');
  const card = page.getByTestId('billing-card-securevault');
  await expect(card.getByTestId('billing-plan')).toHaveText('Growth');
  await expect(card.getByTestId('billing-price')).toContainText('$9.99/month');
  await expect(card.getByTestId('billing-grandfathered')).toHaveText('Grandfathered');
  await card.getByLabel('New plan for SecureVault Docs').selectOption('pro');
  await card.getByRole('button', { name: 'Change plan' }).click();
  await expect(page.getByTestId('grandfathered-warning')).toContainText(
    'You pay a grandfathered $9.99 a month',
  );
  await expect(page.getByTestId('grandfathered-warning')).toContainText('gives up that price for good');
  await expect(page.getByRole('button', { name: 'Upgrade to Pro' })).toBeVisible();
});
