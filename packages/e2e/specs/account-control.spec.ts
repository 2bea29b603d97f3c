import { readFile } from 'node:fs/promises';
import Stripe from 'stripe';
import { newAccount, signUp } from '../fixtures/accounts';
import { adminDatabase } from '../fixtures/database';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault, svdUrl } from '../fixtures/launch';
import { inbox, mailedLink } from '../fixtures/mail';
import { expect, test } from '../fixtures/test';

test('changing the name on the Account page shows it at once and after a reload', async ({ page }) => {
  const account = newAccount('rename');
  await signUp(page, account);
  await page.goto('/account');
  const form = page.getByRole('form', { name: 'Change name' });
  await form.getByLabel('Name').fill('   ');
  await form.getByRole('button', { name: 'Save name' }).click();
  // The browser's own `required` check may stop a blank name first; either way nothing is saved.
  await form.getByLabel('Name').fill('Ada Lovelace');
  await form.getByRole('button', { name: 'Save name' }).click();
  await expect(form.getByRole('status')).toHaveText('Your name was changed.');
  await page.reload();
  await expect(page.getByRole('definition').filter({ hasText: 'Ada Lovelace' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Change name' }).getByLabel('Name')).toHaveValue(
    'Ada Lovelace',
  );
});

test('the Account page lists the other browser’s session; signing it out there ends its Hub and SVD sessions, this one stays', async ({
  page,
  browser,
}) => {
  const account = newAccount('devices');
  await signUp(page, account);
  const vaultHere = await launchVault(page);
  await expect(vaultHere.getByTestId('svd-signed-in-email')).toHaveText(account.email);

  // A second browser, Firefox on Linux by its user agent, signed in and launched into SVD.
  const elsewhere = await browser.newContext({
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.91' },
  });
  const there = await elsewhere.newPage();
  await there.goto('/login');
  await there.getByLabel('Email').fill(account.email);
  await there.getByLabel('Password').fill(account.password);
  await there.getByRole('button', { name: 'Log in' }).click();
  await expect(there).toHaveURL(/\/portal$/);
  const vaultThere = await launchVault(there);
  await expect(vaultThere.getByTestId('svd-signed-in-email')).toHaveText(account.email);

  await page.bringToFront();
  await page.goto('/account');
  const devices = page.getByRole('list', { name: 'Signed-in devices' });
  await expect(devices.getByRole('listitem')).toHaveCount(2);
  await expect(devices.getByRole('listitem').first()).toContainText('This device');
  const firefox = devices.getByRole('listitem', { name: 'Firefox 133 on Linux' });
  await expect(firefox).toContainText('Signed in');
  await expect(firefox).toContainText('SecureVault Docs sessions opened from this device end with it.');

  // Asked first; Cancel changes nothing.
  await firefox.getByRole('button', { name: 'Sign out' }).click();
  await expect(firefox).toContainText('Sign Firefox 133 on Linux out of OMG and SecureVault Docs?');
  await firefox.getByRole('button', { name: 'Cancel' }).click();
  await firefox.getByRole('button', { name: 'Sign out' }).click();
  await firefox.getByRole('button', { name: 'Yes, sign it out' }).click();
  await expect(devices.getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Sign out everywhere else' })).toHaveCount(0);

  // The other browser is asked to sign in, in the Hub and in SVD.
  await there.bringToFront();
  await there.goto('/account');
  await expect(there).toHaveURL(/\/login\?next=/);
  await vaultThere.bringToFront();
  await vaultThere.reload();
  await expect(vaultThere).toHaveURL(/localhost:3100\/login\?next=/);

  // This browser stays in both.
  await vaultHere.bringToFront();
  await vaultHere.reload();
  await expect(vaultHere).toHaveURL(`${svdUrl}/vault`);
  await expect(vaultHere.getByTestId('svd-signed-in-email')).toHaveText(account.email);
  await elsewhere.close();
});

test('“Sign out everywhere else” signs out the other browser in both apps and keeps this one', async ({
  page,
  browser,
}) => {
  const account = newAccount('elsewhere');
  await signUp(page, account);
  const elsewhere = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.92' } });
  const there = await elsewhere.newPage();
  await there.goto('/login');
  await there.getByLabel('Email').fill(account.email);
  await there.getByLabel('Password').fill(account.password);
  await there.getByRole('button', { name: 'Log in' }).click();
  await expect(there).toHaveURL(/\/portal$/);
  const vaultThere = await launchVault(there);
  await expect(vaultThere.getByTestId('svd-signed-in-email')).toHaveText(account.email);

  await page.bringToFront();
  await page.goto('/account');
  const devices = page.getByRole('list', { name: 'Signed-in devices' });
  await expect(devices.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await page.getByRole('button', { name: 'Yes, sign out the others' }).click();
  await expect(devices.getByRole('listitem')).toHaveCount(1);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Account', exact: true })).toBeVisible();

  await vaultThere.bringToFront();
  await vaultThere.reload();
  await expect(vaultThere).toHaveURL(/localhost:3100\/login\?next=/);
  await elsewhere.close();
});

test('changing the email: a link to the new address (read from the mail catcher), a notice to the old one; then only the new address signs in', async ({
  page,
}) => {
  const account = newAccount('chmail');
  await signUp(page, account);
  const newEmail = newAccount('chmailnew').email;
  await page.goto('/account');
  const form = page.getByRole('form', { name: 'Change email' });
  await form.getByLabel('New email address').fill(newEmail);
  await form.getByLabel('Current password').fill('not-my-password');
  await form.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(form.getByRole('alert')).toHaveText('Your current password is incorrect.');
  await form.getByLabel('Current password').fill(account.password);
  await form.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(form.getByRole('status')).toContainText(`We sent a link to ${newEmail}.`);

  await expect
    .poll(async () => (await inbox(account.email)).map((m) => m.subject), {
      timeout: 30_000,
      intervals: [250],
    })
    .toContain('A change of your OMG sign-in email was requested');
  const link = await mailedLink(newEmail, /Confirm your new email address/, '/api/auth/verify-email');
  await page.goto(link);
  await expect(page).toHaveURL(/\/account\?email=changed$/);
  await expect(page.getByRole('main').getByRole('status').first()).toHaveText(
    `Your email address is now ${newEmail}.`,
  );

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('incorrect');
  await page.getByLabel('Email').fill(newEmail);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/portal$/);
});

test('downloading the account data gives a named JSON file with the profile', async ({ page }) => {
  const account = newAccount('export');
  await signUp(page, account);
  await page.goto('/account');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download your OMG data' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^omg-account-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(await readFile((await download.path()) ?? '', 'utf8'));
  expect(data.profile).toMatchObject({ email: account.email, name: account.name });
  expect(data.emails.map((m: { kind: string }) => m.kind)).toContain('verify-email');

  // SecureVault Docs' part comes from SVD itself, through the launch.
  const [svdDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download your SecureVault Docs data' }).click(),
  ]);
  expect(svdDownload.suggestedFilename()).toMatch(/^securevault-docs-data-\d{4}-\d{2}-\d{2}\.json$/);
  const svdData = JSON.parse(await readFile((await svdDownload.path()) ?? '', 'utf8'));
  expect(svdData.profile).toMatchObject({ email: account.email });
  expect(Array.isArray(svdData.documents)).toBe(true);
});

/** The run's local Stripe (the emulator `npm run test:e2e` started), through the official SDK. */
function localStripe(): Stripe {
  const key = process.env.STRIPE_SECRET_KEY;
  const base = process.env.STRIPE_API_BASE;
  if (!key || !base)
    throw new Error('Run the browser tests with `npm run test:e2e` (it starts the emulator).');
  const url = new URL(base);
  return new Stripe(key, { host: url.hostname, port: Number(url.port), protocol: 'http', telemetry: false });
}

test('deleting the account shows what happens first, cancels the Stripe subscription, and the account can no longer sign in', async ({
  page,
}) => {
  const account = newAccount('delete');
  await signUp(page, account);
  await page.goto('/checkout/start?product=securevault&plan=growth');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(page, account.name);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
  const { pool } = adminDatabase();
  const found = await pool.query<{ id: string }>(
    `SELECT s."stripeSubscriptionId" AS id FROM hub."Subscription" s JOIN core."User" u ON u.id = s."userId"
     WHERE u.email = $1`,
    [account.email],
  );
  await pool.end();
  const subscriptionId = found.rows[0]?.id ?? '';
  const stripe = localStripe();
  expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe('active');

  await page.goto('/account');
  const terms = page.getByRole('list', { name: 'What deleting does' });
  await expect(terms).toContainText('canceled in Stripe at once');
  await expect(terms).toContainText('deleted after 30 days');
  await page.getByRole('button', { name: 'Delete account…' }).click();
  const form = page.getByRole('form', { name: 'Delete account' });
  await form.getByLabel(/to confirm/).fill('someone-else@example.test');
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Delete my account' }).click();
  await expect(form.getByRole('alert')).toHaveText('Type your account’s email address exactly.');
  expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe('active');
  await form.getByLabel(/to confirm/).fill(account.email);
  await form.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/login\?deleted=1$/);
  expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe('canceled');

  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('incorrect');
});
