import type { CDPSession, Page } from '@playwright/test';
import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/**
 * Chromium's virtual authenticator (DevTools protocol): a platform authenticator with user verification, which
 * keeps discoverable credentials and answers at once, as a phone's or laptop's screen lock would after a touch.
 */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function logOut(page: Page) {
  await page.goto('/account');
  await page.getByRole('button', { name: 'Log out', exact: true }).first().click();
  await expect(page).toHaveURL(/\/login/);
}

test('passkeys: add one on the Account page, sign in with it alone (then SVD), rename, remove, then it is refused', async ({
  page,
}) => {
  const account = newAccount('passkey');
  await signUp(page, account);
  const { cdp, authenticatorId } = await virtualAuthenticator(page);

  // Add a passkey: the password first, then the browser's own prompt (answered by the virtual authenticator).
  await page.goto('/account');
  await expect(page.getByTestId('no-passkeys')).toBeVisible();
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  const form = page.getByRole('form', { name: 'Add a passkey' });
  await form.getByLabel('Confirm your password').fill('not-the-password');
  await form.getByRole('button', { name: 'Continue' }).click();
  await expect(form.getByRole('alert')).toHaveText('The password is incorrect.');
  await form.getByLabel('Confirm your password').fill(account.password);
  await form.getByLabel('Name (optional)').fill('Test laptop');
  await form.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Passkey “Test laptop” added. You can now sign in with it.')).toBeVisible();
  const passkeys = page.getByRole('list', { name: 'Your passkeys' });
  const laptop = passkeys.getByRole('listitem', { name: 'Test laptop' });
  await expect(laptop).toContainText(/Added .* UTC · last used never/);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]?.isResidentCredential).toBe(true);

  // The same authenticator a second time: the account's passkeys are excluded, and the page says why.
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await form.getByLabel('Confirm your password').fill(account.password);
  await form.getByRole('button', { name: 'Continue' }).click();
  await expect(form.getByRole('alert')).toContainText('already has a passkey for your account');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(passkeys.getByRole('listitem')).toHaveCount(1);

  // The virtual authenticator answers at once, so the login page's pending autofill request (conditional UI)
  // would sign in before any click. To walk the button, the page runs as in a browser without passkey autofill
  // unless the test switches it on (a flag in the Hub's localStorage, read before the page's own scripts).
  await page.addInitScript(() => {
    if (localStorage.getItem('e2e-passkey-autofill') === 'on') return;
    Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', {
      value: async () => false,
      configurable: true,
    });
  });

  // Signed out, the passkey alone signs in: no email, no password, no code.
  await logOut(page);
  await expect(page.getByText('A passkey counts as both factors')).toBeVisible();
  // The email field also offers the Hub's passkeys in the browser's autofill (conditional UI).
  await expect(page.getByLabel('Email')).toHaveAttribute('autocomplete', 'username webauthn');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  const vault = await launchVault(page);
  await expect(vault.getByTestId('svd-signed-in-email')).toHaveText(account.email);
  await vault.close();

  // With autofill available, the login page's pending request is answered by the passkey (the virtual
  // authenticator picks it at once, as a person picking it from the email field's list would): signed in, no click.
  await page.evaluate(() => localStorage.setItem('e2e-passkey-autofill', 'on'));
  await page.goto('/account');
  await page.getByRole('button', { name: 'Log out', exact: true }).first().click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toHaveCount(0);
  await page.evaluate(() => localStorage.removeItem('e2e-passkey-autofill'));

  // The Account page shows the use; rename it, then remove it (asked once more; Cancel keeps it).
  await page.goto('/account');
  await expect(laptop).not.toContainText('last used never');
  await laptop.getByRole('button', { name: 'Rename' }).click();
  await laptop.getByLabel('Passkey name').fill('Work laptop');
  await laptop.getByRole('button', { name: 'Save' }).click();
  const work = passkeys.getByRole('listitem', { name: 'Work laptop' });
  await expect(work).toBeVisible();
  await work.getByRole('button', { name: 'Remove' }).click();
  await expect(work).toContainText('You can no longer sign in with it');
  await work.getByRole('button', { name: 'Cancel' }).click();
  await work.getByRole('button', { name: 'Remove' }).click();
  await work.getByRole('button', { name: 'Yes, remove it' }).click();
  await expect(page.getByTestId('no-passkeys')).toBeVisible();

  // The authenticator still offers it, but the Hub no longer knows it: a clear refusal, and nobody signed in.
  await logOut(page);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'passkey' })).toContainText(
    'This passkey is not registered with an OMG account (it may have been removed)',
  );
  await page.goto('/portal');
  await expect(page).toHaveURL(/\/login\?next=/);
});
