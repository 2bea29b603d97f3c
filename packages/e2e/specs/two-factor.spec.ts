import { createHmac } from 'node:crypto';
import type { Page } from '@playwright/test';
import { newAccount, signUp, type TTestAccount } from '../fixtures/accounts';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/** RFC 6238 (SHA-1, 6 digits, 30 s) from the base32 secret the Account page shows, as an authenticator app does. */
function totp(secret: string, stepOffset = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  }
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + stepOffset));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = (hmac.at(-1) ?? 0) & 0xf;
  return String((hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** A code the server accepts now (this step or a neighbour) that was not used before: each code works once. */
function freshCode(secret: string, used: Set<string>): string {
  for (const step of [0, 1, -1]) {
    const code = totp(secret, step);
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
  throw new Error('no unused code in the window');
}

async function logOut(page: Page) {
  await page.goto('/account');
  await page.getByRole('button', { name: 'Log out', exact: true }).first().click();
  await expect(page).toHaveURL(/\/login/);
}

async function password(page: Page, account: TTestAccount) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('form', { name: 'Two-factor authentication' })).toBeVisible();
}

test('two-factor authentication: turn it on, log in with a code (then SVD), with a backup code once, never half-signed-in', async ({
  page,
}) => {
  const account = newAccount('twofa');
  await signUp(page, account);

  // Turn it on: password, QR code and secret, a code from the app, then the backup codes shown once.
  await page.goto('/account');
  await expect(page.getByTestId('two-factor-status')).toHaveText('Off');
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await page.getByLabel('Confirm your password').fill(account.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  const confirm = page.getByRole('form', { name: 'Confirm your authenticator app' });
  await expect(confirm.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await confirm.getByTestId('totp-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  const used = new Set<string>();
  await confirm.getByLabel('Code from the app').fill(freshCode(secret, used));
  await confirm.getByRole('button', { name: 'Turn on' }).click();
  const codes = page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const backupCodes = await codes.allTextContents();
  await expect(page.getByRole('link', { name: 'Download', exact: true })).toHaveAttribute(
    'download',
    'omg-backup-codes.txt',
  );
  await page.getByRole('button', { name: 'I saved my backup codes' }).click();
  await expect(page.getByTestId('two-factor-status')).toHaveText('On');
  await expect(page.getByRole('list', { name: 'Backup codes' })).toHaveCount(0);

  // The password alone reaches no page: with the code still pending, the portal sends to log in.
  await logOut(page);
  await password(page, account);
  await page.goto('/portal');
  await expect(page).toHaveURL(/\/login\?next=/);

  // Password and a code from the app: the portal, and SecureVault Docs opens signed in.
  await password(page, account);
  await page.getByLabel('Authentication code').fill(freshCode(secret, used));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  const vault = await launchVault(page);
  await expect(vault.getByTestId('svd-signed-in-email')).toHaveText(account.email);
  await vault.close();

  // A backup code instead of the app's code.
  await logOut(page);
  await password(page, account);
  await page.getByRole('button', { name: 'Use a backup code' }).click();
  await page.getByLabel('Backup code').fill(backupCodes[0] ?? '');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/portal$/);

  // The same backup code a second time is refused.
  await logOut(page);
  await password(page, account);
  await page.getByRole('button', { name: 'Use a backup code' }).click();
  await page.getByLabel('Backup code').fill(backupCodes[0] ?? '');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(
    page.getByRole('form', { name: 'Two-factor authentication' }).getByRole('alert'),
  ).toContainText('already used');
  await page.goto('/portal');
  await expect(page).toHaveURL(/\/login\?next=/);
});
