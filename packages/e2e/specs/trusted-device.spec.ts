import { createHmac } from 'node:crypto';
import type { Page } from '@playwright/test';
import { newAccount, signUp, type TTestAccount } from '../fixtures/accounts';
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

/** A code the server accepts now that was not used before (each code works once). */
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
}

test('two-factor: "Trust this device for 30 days" skips the code on this browser only', async ({
  page,
  browser,
}) => {
  const account = newAccount('trusted');
  await signUp(page, account);
  await page.goto('/account');
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await page.getByLabel('Confirm your password').fill(account.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  const confirm = page.getByRole('form', { name: 'Confirm your authenticator app' });
  const secret = (await confirm.getByTestId('totp-secret').textContent()) ?? '';
  const used = new Set<string>();
  await confirm.getByLabel('Code from the app').fill(freshCode(secret, used));
  await confirm.getByRole('button', { name: 'Turn on' }).click();
  await page.getByRole('button', { name: 'I saved my backup codes' }).click();
  await expect(page.getByTestId('two-factor-status')).toHaveText('On');

  // The code once more, with the box ticked: this browser is trusted.
  await logOut(page);
  await password(page, account);
  const challenge = page.getByRole('form', { name: 'Two-factor authentication' });
  await challenge.getByLabel('Authentication code').fill(freshCode(secret, used));
  await challenge.getByLabel('Trust this device for 30 days').check();
  await challenge.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  const trust = (await page.context().cookies()).find((c) => c.name.endsWith('trust_device'));
  expect(trust?.httpOnly).toBe(true);
  // About 30 days from now (the cookie's own expiry, in seconds).
  expect((trust?.expires ?? 0) - Date.now() / 1000).toBeGreaterThan(29 * 24 * 3600);

  // The password alone now signs in here, twice in a row (the trust is renewed, not used up).
  for (let i = 0; i < 2; i += 1) {
    await logOut(page);
    await password(page, account);
    await expect(page).toHaveURL(/\/portal$/);
  }

  // Another browser (another device) is still asked for the code.
  const other = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.251.7' } });
  const otherPage = await other.newPage();
  await password(otherPage, account);
  await expect(otherPage.getByRole('form', { name: 'Two-factor authentication' })).toBeVisible();
  await otherPage.goto('/portal');
  await expect(otherPage).toHaveURL(/\/login\?next=/);
  await other.close();
});
