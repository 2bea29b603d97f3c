import type { Locator, Page } from '@playwright/test';
import { signUp, type TTestAccount } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { launchVault } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/**
 * Issue 11, phone widths: every main page at a phone's 390 px and a laptop's 1280 px, checked mechanically.
 * Nothing may overflow the page sideways, and every action a person can see must lie inside the viewport and
 * inside every scrolling box around it — an action that needs a sideways scroll of a table to be found counts as
 * clipped, because on a phone nobody finds it.
 *
 * Each page (the landing page, the product page, /login, /portal, /billing empty and with an active plan,
 * /account and SVD's vault) is also compared with its screenshot in packages/e2e/screenshots/ (a layout
 * regression fails the run). After an intended change of a page, write new ones with `npm run test:e2e --
 * phone-widths --update-snapshots` and commit the pictures with the change.
 */

/** Fixed names, so the screenshots do not change from run to run (each run has a fresh database). */
const account = (who: string): TTestAccount => ({
  name: 'Layout Tester',
  email: `${who}@example.test`,
  password: 'layout-pass-2026',
});

/** What changes by itself between runs is masked: dates and times, addresses, the signed-in devices. */
async function expectLooksLike(page: Page, name: string) {
  const dynamic = [
    /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}\b/,
    /\b\d{1,2}:\d{2}\b/,
    /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/,
    /\bago\b|just now/i,
  ];
  // Soft: a changed picture is reported, and the checks after it still run (and write missing pictures).
  await expect.soft(page).toHaveScreenshot(`${name}.png`, {
    fullPage: true,
    mask: [
      ...dynamic.map((text) => page.getByText(text)),
      page.getByRole('list', { name: 'Signed-in devices' }),
      // The landing page's app screenshots: rewritten by `npm run screenshots`, they are not this page's layout.
      page.locator('picture'),
    ],
  });
}

type TOffender = { action: string; why: string };

/** Every visible link, button and field: its box must be inside the viewport and inside each clipping ancestor. */
async function clippedActions(page: Page): Promise<TOffender[]> {
  return page.evaluate(() => {
    const offenders: { action: string; why: string }[] = [];
    const width = document.documentElement.clientWidth;
    const actions = document.querySelectorAll<HTMLElement>('a[href], button, select, input, textarea');
    for (const element of actions) {
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      // Not shown: display none, hidden, or visually hidden (sr-only file inputs are reached by their label).
      if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden') continue;
      const label = (element.getAttribute('aria-label') ?? element.textContent ?? element.tagName).trim();
      const action = `${element.tagName.toLowerCase()} “${label.slice(0, 40)}”`;
      if (box.left < -0.5 || box.right > width + 0.5) {
        offenders.push({ action, why: `spans ${Math.round(box.left)}–${Math.round(box.right)} of ${width}` });
        continue;
      }
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const overflow = getComputedStyle(parent).overflowX;
        if (overflow === 'visible') continue;
        const clip = parent.getBoundingClientRect();
        if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5) {
          offenders.push({
            action,
            why: `clipped by ${parent.tagName.toLowerCase()} (overflow-x: ${overflow})`,
          });
          break;
        }
      }
    }
    return offenders;
  });
}

/** The page itself never scrolls sideways, and no action is off-screen or clipped. */
async function expectFits(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(innerWidth);
  expect(await clippedActions(page)).toEqual([]);
}

/** Brought into view by scrolling the page only (never a table sideways), then wholly visible and clickable. */
async function expectReachable(action: Locator) {
  await action.evaluate((element) => {
    const box = element.getBoundingClientRect();
    window.scrollBy(0, box.top - window.innerHeight / 2);
  });
  await expect(action).toBeInViewport({ ratio: 1 });
  await action.click({ trial: true });
}

/** At a phone width the Main navigation sits behind a Menu button; at a laptop width it is always shown. */
async function goByMenu(page: Page, name: string, phone: boolean) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const link = nav.getByRole('link', { name, exact: true });
  if (phone) {
    const menu = page.getByRole('button', { name: 'Menu' });
    await expect(link).toBeHidden();
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Escape');
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(link).toBeHidden();
    await menu.click();
  } else {
    await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
  }
  await expectReachable(link);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/${name.toLowerCase()}$`));
}

for (const [label, viewport] of [
  ['phone', { width: 390, height: 844 }],
  ['laptop', { width: 1280, height: 800 }],
] as const) {
  const phone = label === 'phone';

  test.describe(`at ${viewport.width} px (${label})`, () => {
    test.use({ viewport });

    test('the Hub’s public pages fit', async ({ page }) => {
      await page.goto('/');
      await expectFits(page);
      await expectReachable(
        page
          .getByRole('main')
          .getByRole('link', { name: /create/i })
          .first(),
      );
      await expectLooksLike(page, `hub-home-${viewport.width}`);

      await page.goto('/products/securevault');
      await expectFits(page);
      await expectReachable(page.getByRole('heading', { level: 1 }));
      await expectLooksLike(page, `hub-product-${viewport.width}`);

      await page.goto('/login');
      await expectFits(page);
      await expectReachable(page.getByRole('button', { name: 'Log in' }));
      await expectLooksLike(page, `hub-login-${viewport.width}`);
    });

    test('the Hub’s signed-in pages fit and the navigation is a menu on a phone', async ({ page }) => {
      await signUp(page, account(`layout-${label}`));
      await expectFits(page);
      await expectReachable(page.getByRole('link', { name: 'Launch SecureVault Docs' }));
      await expectLooksLike(page, `hub-portal-${viewport.width}`);

      await goByMenu(page, 'Billing', phone);
      await expectFits(page);
      await expectLooksLike(page, `hub-billing-${viewport.width}`);

      await goByMenu(page, 'Account', phone);
      await expectFits(page);
      await expectLooksLike(page, `hub-account-${viewport.width}`);

      await goByMenu(page, 'Portal', phone);
      if (phone) await page.getByRole('button', { name: 'Menu' }).click();
      await expectReachable(page.getByRole('button', { name: 'Log out' }));
      await expectLooksLike(page, `hub-portal-menu-${viewport.width}`);
    });

    test('the Hub’s billing page with an active paid subscription fits', async ({ page }) => {
      const customer = account(`paying-${label}`);
      await signUp(page, customer);
      // Growth without a trial: paid today, so the card shows an active plan, its price and the next charge.
      await page.goto('/checkout/start?product=securevault&plan=growth');
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await payOnHostedCheckout(page, customer.name);
      await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
      await page.goto('/billing');
      const card = page.getByTestId('billing-card-securevault');
      await expect(card.getByTestId('app-status')).toHaveText('Active');
      await expect(card.getByTestId('billing-price')).toHaveText('$14.99/month');
      await expectFits(page);
      await expectReachable(card.getByRole('button', { name: 'Change plan' }));
      await expectReachable(card.getByRole('button', { name: 'Payment methods & invoices' }));
      await expectLooksLike(page, `hub-billing-active-${viewport.width}`);
    });

    test('SVD’s vault with two vaults and a document: every action reachable', async ({ page }) => {
      await signUp(page, account(`vault-${label}`));
      const vault = await launchVault(page);
      await expectFits(vault);

      const vaults = vault.getByRole('navigation', { name: 'Vaults' });
      await expectReachable(vaults.getByRole('button', { name: '+ New vault' }));
      await vaults.getByRole('button', { name: '+ New vault' }).click();
      await vaults.getByLabel('Vault name').fill('Receipts from a very long trip abroad');
      await vaults.getByRole('button', { name: 'Create' }).click();
      await expect(vaults.getByRole('link', { name: /Receipts/ })).toBeVisible();
      await expect(vault).toHaveURL(/vault=/);

      await vault.getByLabel('Files to upload').setInputFiles({
        name: 'Quarterly report with a rather long name for a narrow screen.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('quarterly numbers\n'),
      });
      const row = vault.getByTestId('document-row');
      await expect(row.getByTestId('index-status')).toHaveText('Indexed', { timeout: 30_000 });
      // The finished upload leaves its list a few seconds after "Uploaded": the screenshot waits for that, so it
      // never depends on how fast indexing was.
      await expect(vault.getByTestId('upload-item')).toHaveCount(0, { timeout: 15_000 });
      await expectFits(vault);

      await expectReachable(vault.getByRole('button', { name: 'Choose files' }));
      await expectReachable(vaults.getByRole('button', { name: 'Rename' }));
      await expectReachable(vaults.getByRole('button', { name: 'Delete' }));
      await expectReachable(vault.getByRole('button', { name: 'Sign out of SecureVault' }));
      await expectReachable(vault.getByRole('link', { name: 'OMG portal' }));
      await expectReachable(row.getByRole('link', { name: 'Download' }));
      await expectReachable(row.getByRole('button', { name: 'Rename' }));
      await expectReachable(row.getByRole('combobox', { name: /^Move / }));
      await expectReachable(row.getByRole('button', { name: 'Delete' }));
      await expectLooksLike(vault, `svd-vault-${viewport.width}`);

      // The actions work where they are: rename the document in place, then ask to delete it and decline.
      await row.getByRole('button', { name: 'Rename' }).click();
      await expectFits(vault);
      await expectReachable(row.getByRole('button', { name: 'Save' }));
      await row.getByRole('button', { name: 'Cancel' }).click();
      await row.getByRole('button', { name: 'Delete' }).click();
      const dialog = vault.getByRole('dialog', { name: 'Delete this document?' });
      await expectReachable(dialog.getByRole('button', { name: 'Delete document' }));
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await vaults.getByRole('button', { name: 'Delete' }).click();
      await expectReachable(vault.getByRole('dialog').getByRole('button', { name: 'Delete vault' }));
    });
  });
}
