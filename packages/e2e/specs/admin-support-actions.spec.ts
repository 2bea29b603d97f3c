import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Stripe from 'stripe';
import { newAccount, signUp } from '../fixtures/accounts';
import { adminDatabase } from '../fixtures/database';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');

const grant = (email: string, role: 'support' | 'admin') =>
  run('npm', ['run', 'admin:grant', '--', email, '--role', role, '--reason', 'support desk'], {
    cwd: repoRoot,
    env: process.env,
  });

/** The run's Stripe (the emulator `npm test` started), through the official SDK as the Hub talks to it. */
function stripeOfTheRun(): Stripe {
  const key = process.env.STRIPE_SECRET_KEY;
  const base = process.env.STRIPE_API_BASE;
  if (!key || !base) throw new Error('Run the browser tests with `npm run test:e2e` (it starts Stripe).');
  const url = new URL(base);
  return new Stripe(key, {
    host: url.hostname,
    port: Number(url.port),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
  });
}

async function subscriptionOf(email: string): Promise<{ userId: string; stripeSubscriptionId: string }> {
  const { pool } = adminDatabase();
  try {
    const { rows } = await pool.query<{ userId: string; stripeSubscriptionId: string }>(
      `SELECT s."userId", s."stripeSubscriptionId" FROM hub."Subscription" s JOIN core."User" u ON u.id = s."userId"
       WHERE u.email = $1 AND s."appId" = 'app_securevault'`,
      [email],
    );
    if (!rows[0]?.stripeSubscriptionId) throw new Error(`no SecureVault subscription for ${email}`);
    return rows[0];
  } finally {
    await pool.end();
  }
}

test('"I was charged twice": staff find the refunded duplicate, comp a month of Pro, and SVD shows Pro at once', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  // The customer pays for Growth and opens the vault, on their own device.
  const customer = newAccount('charged-twice');
  const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.253.14' } });
  const own = await context.newPage();
  await signUp(own, customer);
  await own.goto('/checkout/start?product=securevault&plan=growth');
  await own.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(own, customer.name);
  await expect(own.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  await own.goto('/portal');
  const vault = await launchVault(own);
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Growth — Active');

  // Then a second subscription to the same product gets paid in Stripe (the double charge the customer saw),
  // as if a second checkout had slipped through: the Hub's webhook stops it and refunds it.
  const stripe = stripeOfTheRun();
  const { stripeSubscriptionId } = await subscriptionOf(customer.email);
  const first = await stripe.subscriptions.retrieve(stripeSubscriptionId);
  await stripe.subscriptions.create({
    customer: String(first.customer),
    items: [{ price: first.items.data[0]?.price.id ?? '' }],
    default_payment_method: 'pm_card_visa',
    metadata: first.metadata,
  });

  // Support staff search for the customer from the console, as they would with the address from the ticket.
  const staff = newAccount('support-desk');
  await signUp(page, staff);
  await grant(staff.email, 'support');
  await page.goto('/admin');
  await page.getByPlaceholder(/Find a customer/).fill(customer.email);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const row = page.getByTestId('customer-row').filter({ hasText: customer.email });
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(customer.name);

  // The timeline shows the duplicate stopped and its refund (the webhook may still be on its way: reload).
  const entries = page.getByTestId('timeline-entry');
  await expect(async () => {
    await page.reload();
    await expect(entries.filter({ hasText: /^.*Duplicate subscription stopped: kept sub_/ })).toHaveCount(1, {
      timeout: 1000,
    });
  }).toPass({ timeout: 45_000 });
  await expect(entries.filter({ hasText: /refunded \$14\.99/ }).first()).toBeVisible();

  // Support does not get the admin-only actions.
  const actions = page.getByTestId('support-actions');
  await expect(actions.getByRole('button', { name: 'End all sessions' })).toBeVisible();
  await expect(actions.getByRole('button', { name: 'Comp a plan…' })).toHaveCount(0);
  await expect(actions.getByRole('button', { name: 'Refund last payment…' })).toHaveCount(0);

  // An admin: the refund dialog names the last payment's amount and currency, and that it was refunded already.
  await grant(staff.email, 'admin');
  await page.reload();
  await actions.getByRole('button', { name: 'Refund last payment…' }).click();
  const refund = page.getByRole('dialog', { name: 'Refund the last payment' });
  await expect(refund.getByTestId('refund-amount')).toContainText('$14.99 USD');
  await expect(refund).toContainText('It was already refunded in full.');
  await expect(refund.getByRole('button', { name: 'Refund' })).toBeDisabled();
  await refund.getByRole('button', { name: 'Cancel' }).click();

  // A month of Pro, with the reason; the confirmation says until when.
  await actions.getByRole('button', { name: 'Comp a plan…' }).click();
  const comp = page.getByRole('dialog', { name: 'Comp a plan' });
  await expect(comp.getByLabel('Product')).toHaveValue('app_securevault');
  await comp.getByLabel('Plan').selectOption('pro');
  await comp.getByLabel('For').selectOption('1m');
  await comp.getByRole('button', { name: 'Comp Pro' }).click();
  await expect(comp.getByRole('alert')).toHaveText('Give a reason of at least 3 characters.');
  await comp.getByLabel(/Reason/).fill('Charged twice in December: a month of Pro as an apology');
  await comp.getByRole('button', { name: 'Comp Pro' }).click();
  await expect(comp.getByRole('status')).toHaveText(
    /^SecureVault Docs Pro is comped until \w{3} \d{1,2}, \d{4}\.$/,
  );
  await comp.getByRole('button', { name: 'Done' }).click();
  await expect(actions.getByTestId('customer-comp')).toContainText('comped');
  await expect(actions.getByTestId('customer-comp')).toContainText('SecureVault Docs Pro until');
  await expect(page.getByTestId('entitlement-reason')).toHaveText(/^Pro, comped by staff until /);
  await expect(entries.filter({ hasText: 'Charged twice in December' }).first()).toBeVisible();

  // The customer's vault shows Pro on its next request.
  await vault.reload();
  await expect(vault.getByTestId('header-plan-badge')).toHaveText('Pro — Active');
  // And the Hub's billing page names Pro, free for now, with Growth after it.
  await own.goto('/billing');
  const card = own.getByTestId('billing-card-securevault');
  await expect(card.getByTestId('billing-plan')).toHaveText('Pro');
  await expect(card.getByTestId('billing-comped')).toHaveText(
    /^Pro free until .+, from our team; then Growth again$/,
  );
  await context.close();
});
