import type { Page } from '@playwright/test';
import { newAccount, signUp } from '../fixtures/accounts';
import { mailedLink } from '../fixtures/mail';
import { expect, test } from '../fixtures/test';

/** The page never scrolls sideways at the current width. */
async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
}

test('business accounts (issue 15): an owner creates Acme and invites a colleague, who signs up, accepts and switches to Acme; the owner changes their role and removes them', async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const owner = newAccount('acme-owner');
  const colleague = newAccount('acme-colleague');

  await signUp(page, owner);
  await page.goto('/organizations');
  await expect(page.getByText('You are not in any business account yet.')).toBeVisible();
  await page.getByLabel('Company name').fill('Acme');
  await page.getByRole('button', { name: 'Create business account' }).click();
  await expect(page).toHaveURL(/\/organizations\/acme(-[0-9a-f]{6})?$/);
  const acmeUrl = page.url();
  await expect(page.getByRole('heading', { name: 'Acme', level: 1 })).toBeVisible();
  await expect(page.getByTestId('member-row')).toHaveCount(1);
  await expect(page.getByTestId('member-role')).toHaveText('Owner');
  await expect(page.getByText('You are an owner.')).toBeVisible();

  // The invitation: mailed through the outbox to the catcher, and its link shown to copy.
  await page.getByLabel('Email address').fill(colleague.email);
  await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('member');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  const shown = page.getByLabel(`Invitation link for ${colleague.email}`).first();
  await expect(shown).toHaveValue(/\/invitations\/[0-9a-f-]{36}$/);
  const link = await shown.inputValue();
  expect(await mailedLink(colleague.email, /invited to join Acme/, '/invitations/')).toBe(link);
  await expect(page.getByTestId('invitation-row')).toHaveCount(1);

  // The colleague opens the link signed out, creates their account with that address, and comes back to accept.
  const colleagueContext = await browser.newContext({
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.251.7' },
  });
  const other = await colleagueContext.newPage();
  await other.goto(link);
  await expect(other.getByRole('heading', { name: 'Join Acme' })).toBeVisible();
  await expect(other.getByText(colleague.email).first()).toBeVisible();
  await other.getByRole('main').getByRole('link', { name: 'Create account' }).click();
  await other.getByLabel('Full name').fill(colleague.name);
  await other.getByLabel('Email').fill(colleague.email);
  await other.getByLabel('Password', { exact: true }).fill(colleague.password);
  await other.getByRole('button', { name: 'Create account' }).click();
  await expect(other).toHaveURL(new RegExp(`${new URL(link).pathname}$`));
  await other.getByRole('button', { name: 'Join Acme' }).click();
  await expect(other).toHaveURL(acmeUrl);
  await expect(other.getByText('You are a member.')).toBeVisible();
  // Members see the list but cannot manage it.
  await expect(other.getByTestId('member-row')).toHaveCount(2);
  await expect(other.getByRole('button', { name: 'Send invitation' })).toHaveCount(0);

  // The switcher in the header: Personal, then Acme, kept in the session across pages.
  // Accepting made Acme the active account; back to Personal, then to Acme again.
  const switcher = other.getByTestId('account-switcher');
  await expect(switcher.locator('option:checked')).toHaveText('Acme');
  const switchTo = async (label: string) => {
    const saved = other.waitForResponse(
      (response) => response.url().endsWith('/api/active-organization') && response.ok(),
    );
    await other.getByTestId('account-switcher').selectOption({ label });
    await saved;
  };
  await switchTo('Personal');
  await other.goto('/portal');
  await expect(other.getByTestId('account-switcher').locator('option:checked')).toHaveText('Personal');
  await switchTo('Acme');
  await other.reload();
  await expect(other.getByTestId('account-switcher').locator('option:checked')).toHaveText('Acme');

  // The owner: the invitation is gone from the pending list; the colleague's role changes, then they are removed.
  await page.reload();
  await expect(page.getByText('No invitations are waiting for an answer.')).toBeVisible();
  const row = page.getByTestId('member-row').filter({ hasText: colleague.email });
  await row.getByLabel(`Role of ${colleague.name}`).selectOption('viewer');
  await expect(row.getByTestId('member-role')).toHaveText('Viewer');
  await other.goto(acmeUrl);
  await expect(other.getByText('You are a viewer.')).toBeVisible();

  await row.getByRole('button', { name: 'Remove' }).click();
  await expect(row.getByText(`Remove ${colleague.name} from Acme?`)).toBeVisible();
  await row.getByRole('button', { name: 'Remove member' }).click();
  await expect(page.getByTestId('member-row')).toHaveCount(1);

  // Removed: the page is gone for them and the switcher has nothing left but Personal (so it is not shown).
  await other.reload();
  await expect(other.getByText('You are a viewer.')).toHaveCount(0);
  await other.goto('/organizations');
  await expect(other.getByText('You are not in any business account yet.')).toBeVisible();
  await expect(other.getByTestId('account-switcher')).toHaveCount(0);
  await colleagueContext.close();

  // A tablet's 768 px: the header's row (switcher, links, log out) still fits.
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto('/portal');
  await expect(page.getByTestId('account-switcher')).toBeVisible();
  await expectNoSidewaysScroll(page);
  const logOut = await page.getByRole('button', { name: 'Log out' }).boundingBox();
  const logo = await page.getByRole('link', { name: 'OMG System' }).boundingBox();
  const switcherBox = await page.getByTestId('account-switcher').boundingBox();
  expect((logOut?.x ?? 0) + (logOut?.width ?? 0)).toBeLessThanOrEqual(768);
  expect((logo?.x ?? 0) + (logo?.width ?? 0)).toBeLessThanOrEqual(switcherBox?.x ?? 0);

  // Phone widths: the pages fit 390 px without sideways scroll.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ['/organizations', new URL(acmeUrl).pathname, new URL(link).pathname]) {
    await page.goto(path);
    await expectNoSidewaysScroll(page);
    await page.screenshot({
      path: testInfo.outputPath(`phone${path.replaceAll('/', '-')}.png`),
      fullPage: true,
    });
  }
});
