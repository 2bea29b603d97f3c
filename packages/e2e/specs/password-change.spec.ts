import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault, svdUrl } from '../fixtures/launch';
import { mailedLink } from '../fixtures/mail';
import { expect, test } from '../fixtures/test';

test('changing the password on the Account page signs out the other browser in the Hub and in SVD; this one stays', async ({
  page,
  browser,
}) => {
  const account = newAccount('chpw');
  await signUp(page, account);
  const vaultHere = await launchVault(page);
  await expect(vaultHere.getByTestId('svd-signed-in-email')).toHaveText(account.email);

  // A second browser (its own cookies), signed in to the same account and into SVD.
  const elsewhere = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.77' } });
  const there = await elsewhere.newPage();
  await there.goto('/login');
  await there.getByLabel('Email').fill(account.email);
  await there.getByLabel('Password').fill(account.password);
  await there.getByRole('button', { name: 'Log in' }).click();
  await expect(there).toHaveURL(/\/portal$/);
  const vaultThere = await launchVault(there);
  await expect(vaultThere.getByTestId('svd-signed-in-email')).toHaveText(account.email);

  // Here: a weak new password is refused with the rules' words; then the change goes through.
  await page.bringToFront();
  await page.goto('/account');
  const form = page.getByRole('form', { name: 'Change password' });
  await form.getByLabel('Current password').fill(account.password);
  await form.getByLabel('New password').fill('short');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('alert')).toContainText('at least 10 characters');
  const newPassword = `${account.password}-new1`;
  await form.getByLabel('New password').fill(newPassword);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toHaveText(
    'Your password was changed. Every other session of your account has been signed out.',
  );

  // This browser stays signed in, in the Hub and in SVD.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
  await vaultHere.bringToFront();
  await vaultHere.reload();
  await expect(vaultHere).toHaveURL(`${svdUrl}/vault`);
  await expect(vaultHere.getByTestId('svd-signed-in-email')).toHaveText(account.email);

  // The other browser is signed out of both.
  await there.bringToFront();
  await there.goto('/account');
  await expect(there).toHaveURL(/\/login\?next=/);
  await vaultThere.bringToFront();
  await vaultThere.reload();
  await expect(vaultThere).toHaveURL(/localhost:3100\/login\?next=/);

  // And only the new password opens the account there.
  await vaultThere.getByLabel('Email').fill(account.email);
  await vaultThere.getByLabel('Password').fill(account.password);
  await vaultThere.getByRole('button', { name: 'Log in' }).click();
  await expect(vaultThere.getByRole('main').getByRole('alert')).toContainText('incorrect');
  await vaultThere.getByLabel('Password').fill(newPassword);
  await vaultThere.getByRole('button', { name: 'Log in' }).click();
  await vaultThere.waitForURL(`${svdUrl}/vault`);
  await expect(vaultThere.getByTestId('svd-signed-in-email')).toHaveText(account.email);
  await elsewhere.close();
});

test('resetting the password by mail signs out every session of the account, in the Hub and in SVD', async ({
  page,
  browser,
}) => {
  const account = newAccount('resetall');
  await signUp(page, account);
  const vault = await launchVault(page);
  await expect(vault.getByTestId('svd-signed-in-email')).toHaveText(account.email);

  // Someone who only has the mailbox resets the password from another browser.
  const mailbox = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.78' } });
  const other = await mailbox.newPage();
  await other.goto('/forgot-password');
  await other.getByLabel('Email').fill(account.email);
  await other.getByRole('button', { name: 'Send me a link' }).click();
  await expect(other.getByRole('main').getByRole('status')).toContainText(
    'If an account exists for this address',
  );
  await other.goto(await mailedLink(account.email, /reset your .*password/i, '/api/auth/reset-password/'));
  await other.getByLabel('New password').fill(`${account.password}-reset1`);
  await other.getByRole('button', { name: 'Set new password' }).click();
  await expect(other).toHaveURL(/\/login\?reset=1$/);
  await mailbox.close();

  // The first browser is signed out of the Hub and of SVD.
  await page.bringToFront();
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=/);
  await vault.bringToFront();
  await vault.reload();
  await expect(vault).toHaveURL(/localhost:3100\/login\?next=/);
});
