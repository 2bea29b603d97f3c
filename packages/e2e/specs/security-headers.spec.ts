import type { Page } from '@playwright/test';
import { newAccount, signUp } from '../fixtures/accounts';
import { launchVault, svdUrl } from '../fixtures/launch';
import { expect, test } from '../fixtures/test';

/** Every CSP violation the browser reports on a page: a blocked script would be one. */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      violations.push(`${page.url()}: ${message.text()}`);
  });
  return violations;
}

async function expectNoncePolicy(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  const headers = response?.headers() ?? {};
  const csp = headers['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, `${path} has a script nonce`).toBeTruthy();
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  // Every script the server sends carries this request's nonce (read from the HTML itself: browsers hide the
  // attribute in the DOM). Scripts that Next.js's runtime adds later (a lazily loaded chunk, e.g. an error
  // boundary's) are trusted through 'strict-dynamic' instead; a blocked one is a violation, checked by the callers.
  const html = (await response?.text()) ?? '';
  const served = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(served.length, `${path} has scripts`).toBeGreaterThan(0);
  for (const tag of served) expect(tag, `${path}: ${tag}`).toContain(`nonce="${nonce}"`);
  // In the page as it runs, every script that came from the server still has the nonce (the property keeps it).
  const scripts = await page
    .locator('script')
    .evaluateAll((elements) =>
      elements.map((s) => ({ src: s.getAttribute('src') ?? '', nonce: (s as HTMLScriptElement).nonce })),
    );
  for (const script of scripts) {
    const fromServer = script.src === '' || html.includes(`src="${script.src}"`);
    if (fromServer) expect(script.nonce, `${path}: ${script.src || 'inline script'}`).toBe(nonce);
  }
  return nonce;
}

test('every page of both apps runs its scripts under a per-request nonce policy, with no violation', async ({
  page,
}) => {
  const violations = watchViolations(page);
  const first = await expectNoncePolicy(page, '/');
  expect(await expectNoncePolicy(page, '/')).not.toBe(first);
  await expectNoncePolicy(page, '/login');
  await expectNoncePolicy(page, '/signup');

  const account = newAccount('csp');
  await signUp(page, account);
  for (const path of ['/portal', '/products/securevault', '/billing', '/account']) {
    await expectNoncePolicy(page, path);
  }
  // Client components still work (their scripts ran): the plan picker reacts to a click.
  await page.goto('/checkout/start?product=securevault&plan=growth');
  await expect(page.getByRole('button', { name: /Start Free Trial|Subscribe/ })).toBeEnabled();

  // The launch page's auto-submitting form runs under the policy too: the hand-off completes.
  await page.goto('/portal');
  const vault = await launchVault(page);
  const vaultViolations = watchViolations(vault);
  await expectNoncePolicy(vault, `${svdUrl}/vault`);
  await expect(vault.getByTestId('svd-signed-in-email')).toHaveText(account.email);
  expect([...violations, ...vaultViolations]).toEqual([]);
});

test('per-user API answers are never cached', async ({ page }) => {
  const account = newAccount('nostore');
  await signUp(page, account);
  const vault = await launchVault(page);
  for (const [context, url] of [
    [page, '/api/health'],
    [vault, `${svdUrl}/api/usage`],
    [vault, `${svdUrl}/api/vaults`],
  ] as const) {
    const response = await context.request.get(url);
    expect(response.headers()['cache-control'], url).toContain('no-store');
  }
});
