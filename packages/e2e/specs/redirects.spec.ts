import type { Page } from '@playwright/test';
import { newAccount, signUp, type TTestAccount } from '../fixtures/accounts';
import { payOnHostedCheckout } from '../fixtures/hosted-checkout';
import { expect, test } from '../fixtures/test';

const HUB = process.env.E2E_HUB_URL ?? 'http://localhost:3100';
const SVD = process.env.E2E_SVD_URL ?? 'http://localhost:3101';
const hubHost = new URL(HUB).host;

/** Targets that lead off-site in some browser or layer; each must land on the Hub's own default page. */
const HOSTILE = [
  '//evil.test/',
  '/\\evil.test',
  '\\/evil.test',
  'https:evil.test',
  '/.//evil.test',
  '/%2F%2Fevil.test',
  `http://${hubHost}@evil.test/`,
  `http://${hubHost}.evil.test/`,
  '/\t/evil.test',
  'java\nscript:alert(document.domain)',
  'javascript:alert(document.domain)',
  `${SVD}/vault`, // another own origin, but login's `next` stays on the Hub
];

const login = (next: string) => `/login?next=${encodeURIComponent(next)}`;

async function logIn(page: Page, account: TTestAccount) {
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('a hostile next on /login lands on the portal; a good one is honoured', async ({ page, context }) => {
  const account = newAccount('redirects');
  await signUp(page, account);
  let offSite = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).hostname.endsWith('evil.test')) offSite += 1;
  });

  // Signed in: the login page redirects on the server.
  for (const next of HOSTILE) {
    await page.goto(login(next));
    await expect(page, `next=${JSON.stringify(next)}`).toHaveURL(`${HUB}/portal`);
  }
  await page.goto(`/login?next=${encodeURIComponent('//evil.test')}&next=%2Fbilling`);
  await expect(page).toHaveURL(`${HUB}/portal`);
  await page.goto(login('/billing?from=login'));
  await expect(page).toHaveURL(`${HUB}/billing?from=login`);

  // Signed out: the form sends the browser on after logging in, and the sign-up link carries only a clean next.
  await context.clearCookies();
  await page.goto(login('/.//evil.test'));
  await expect(page.getByRole('link', { name: 'Create an account' })).toHaveAttribute(
    'href',
    `/signup?next=${encodeURIComponent('/portal')}`,
  );
  await logIn(page, account);
  await expect(page).toHaveURL(`${HUB}/portal`);

  await context.clearCookies();
  await page.goto(login('/billing'));
  await logIn(page, account);
  await expect(page).toHaveURL(`${HUB}/billing`);
  expect(offSite).toBe(0);
});

async function buyStarter(page: Page, account: TTestAccount, returnUrl: string) {
  await signUp(page, account);
  const query = new URLSearchParams({ product: 'securevault', plan: 'starter', returnUrl });
  await page.goto(`/checkout/start?${query}`);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await payOnHostedCheckout(page, account.name);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible();
}

test('a hostile returnUrl at checkout ends on the portal; one of our apps is honoured', async ({ page }) => {
  await buyStarter(page, newAccount('return-hostile'), `http://${hubHost}@evil.test/`);
  const portal = page.getByRole('link', { name: 'Go to your portal' });
  await expect(portal).toHaveAttribute('href', '/portal');
  await portal.click();
  await expect(page).toHaveURL(`${HUB}/portal`);

  await page.context().clearCookies();
  await buyStarter(page, newAccount('return-good'), `${SVD}/vault/../vault`);
  const next = page.getByRole('link', { name: 'Continue' });
  await expect(next).toHaveAttribute('href', `${SVD}/vault`);
});
