import { newAccount, signUp } from '../fixtures/accounts';
import { mailedLink } from '../fixtures/mail';
import { expect, test } from '../fixtures/test';

test('forgot password: the mailed link sets a new password; the old one is refused, the new one logs in', async ({
  page,
}) => {
  const account = newAccount('forgot');
  await signUp(page, account);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel('Email').fill(account.email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText(
    'If an account exists for this address',
  );

  // The mail went through the outbox, the queue and the worker to the real SMTP catcher.
  const link = await mailedLink(account.email, /reset your .*password/i, '/api/auth/reset-password/');
  await page.goto(link);
  await expect(page).toHaveURL(/\/reset-password\?token=/);
  await page.getByLabel('New password').fill('my-new-password-77');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByRole('main').getByRole('status')).toContainText('Your password was changed');

  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('incorrect');

  await page.getByLabel('Password', { exact: true }).fill('my-new-password-77');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByTestId('signed-in-email')).toHaveText(account.email);

  // The link worked once.
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
});

test('sign-up mails a verification link; until it is followed every page reminds, with "resend"', async ({
  page,
}) => {
  const account = newAccount('verify');
  await signUp(page, account);
  const reminder = page.getByTestId('verify-email-reminder');
  await expect(reminder).toContainText(account.email);
  await mailedLink(account.email, /confirm your email/i, '/api/auth/verify-email');

  await reminder.getByRole('button', { name: 'Resend the link' }).click();
  await expect(reminder.getByRole('status')).toContainText('Sent');
  const link = await mailedLink(account.email, /confirm your email/i, '/api/auth/verify-email', 2);

  await page.goto(link);
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole('heading', { name: /Welcome, Test/ })).toBeVisible();
  await expect(page.getByTestId('verify-email-reminder')).toHaveCount(0);
});
