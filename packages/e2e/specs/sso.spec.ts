import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault, svdUrl } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

test('launching SecureVault Docs from the portal signs the user in, every time; Hub logout reaches SVD', async ({
  page,
}) => {
  const account = newAccount('sso');
  await signUp(page, account);

  const vault = await launchVault(page);
  await expect(vault.getByRole('heading', { name: 'Your vault' })).toBeVisible();
  await expect(vault.getByTestId('svd-signed-in-email')).toHaveText(account.email);
  await expect(vault.locator('input[type="password"]')).toHaveCount(0);
  expect(vault.url()).not.toContain('token');

  // Back to the portal and launch again: still signed in, still no login form.
  await page.bringToFront();
  const again = await launchVault(page);
  await expect(again.getByTestId('svd-signed-in-email')).toHaveText(account.email);
  await again.close();

  // Log out of the Hub; the SVD tab's next navigation is signed out (sent to the Hub's login).
  await page.bringToFront();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await vault.bringToFront();
  await vault.reload();
  await expect(vault).toHaveURL(/localhost:3100\/login\?next=/);
  await expect(vault.getByRole('heading', { name: 'Log in' })).toBeVisible();

  // Logging in there continues the launch and lands back in the vault.
  await vault.getByLabel('Email').fill(account.email);
  await vault.getByLabel('Password').fill(account.password);
  await vault.getByRole('button', { name: 'Log in' }).click();
  await vault.waitForURL(`${svdUrl}/vault`);
  await expect(vault.getByTestId('svd-signed-in-email')).toHaveText(account.email);
});

test('an SVD page reached without a session goes through the Hub and comes back to it', async ({ page }) => {
  const account = newAccount('deep');
  await signUp(page, account);
  await page.goto(`${svdUrl}/vault?from=bookmark`);
  await expect(page).toHaveURL(`${svdUrl}/vault?from=bookmark`);
  await expect(page.getByTestId('svd-signed-in-email')).toHaveText(account.email);
});

test('a bad sign-in link shows a clear page with a way back to the portal', async ({ page }) => {
  const response = await page.goto(`${svdUrl}/login?token=not-a-real-token`);
  expect(response?.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'Sign-in link damaged' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to your portal' })).toHaveAttribute('href', /\/portal$/);
});

test('"Sign out everywhere" on the Hub account page ends the SVD session too', async ({ page }) => {
  const account = newAccount('everywhere');
  await signUp(page, account);
  const vault = await launchVault(page);
  await expect(vault.getByTestId('svd-signed-in-email')).toHaveText(account.email);

  await page.bringToFront();
  await page.goto('/account');
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await vault.bringToFront();
  await vault.reload();
  await expect(vault).toHaveURL(/localhost:3100\/login\?next=/);
});

test('a hand-off token minted in another browser never signs this one in silently (login CSRF)', async ({
  page,
  browser,
}) => {
  // The attacker launches SVD in their own browser and keeps the token instead of letting it be posted.
  const attacker = newAccount('attacker');
  const attackerContext = await browser.newContext();
  const attackerPage = await attackerContext.newPage();
  await signUp(attackerPage, attacker);
  let stolen = '';
  await attackerContext.route(`${svdUrl}/login`, async (route) => {
    stolen = new URLSearchParams(route.request().postData() ?? '').get('token') ?? '';
    await route.abort();
  });
  await attackerPage.goto('/launch/securevault');
  await expect.poll(() => stolen).not.toBe('');
  await attackerContext.close();

  // The victim is signed in to SVD as themselves when the attacker's link reaches their browser.
  const victim = newAccount('victim');
  await signUp(page, victim);
  const vault = await launchVault(page);
  await expect(vault.getByTestId('svd-signed-in-email')).toHaveText(victim.email);
  await vault.goto(`${svdUrl}/login?token=${encodeURIComponent(stolen)}`);
  await expect(vault.getByRole('heading', { name: `Continue as ${attacker.email}?` })).toBeVisible();

  // Not switched: the vault is still the victim's own.
  await vault.goto(`${svdUrl}/vault`);
  await expect(vault.getByTestId('svd-signed-in-email')).toHaveText(victim.email);

  // Only an explicit click on SVD's own page switches accounts.
  await vault.goto(`${svdUrl}/login?token=${encodeURIComponent(stolen)}`);
  await vault.getByRole('button', { name: `Continue as ${attacker.email}` }).click();
  await vault.waitForURL(`${svdUrl}/vault`);
  await expect(vault.getByTestId('svd-signed-in-email')).toHaveText(attacker.email);
});
