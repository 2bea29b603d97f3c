import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { newAccount, signUp } from '../fixtures/accounts';
import { adminDatabase } from '../fixtures/database';
import { expect, test } from '../fixtures/test';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** What the operator does at a terminal: `npm run admin:grant -- <email> --reason ...`. */
async function grantAdmin(email: string): Promise<string> {
  const { stdout } = await run(
    'npm',
    ['run', 'admin:grant', '--', email, '--reason', 'first admin (browser test)'],
    {
      cwd: repoRoot,
      env: process.env,
    },
  );
  return stdout;
}

/** Makes every session of this account look signed in 20 minutes ago, with no console activity since. */
async function idleFor20Minutes(email: string): Promise<void> {
  const { pool } = adminDatabase();
  try {
    await pool.query(
      `UPDATE core."Session" SET "createdAt" = now() - interval '20 minutes'
       WHERE "userId" = (SELECT id FROM core."User" WHERE email = $1)`,
      [email],
    );
    await pool.query(
      `DELETE FROM core."Verification" WHERE identifier IN (SELECT 'staff-recent-check:' || s.id FROM core."Session" s
       JOIN core."User" u ON u.id = s."userId" WHERE u.email = $1)`,
      [email],
    );
  } finally {
    await pool.end();
  }
}

test('a customer at /admin sees the 404 page; after admin:grant the console opens, at 390 px too, and asks for the password after 15 idle minutes', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const account = newAccount('staff');
  await signUp(page, account);

  // A customer: the console is not advertised, the ordinary 404 page.
  const refused = await page.goto('/admin');
  expect(refused?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  expect((await page.goto('/admin/confirm'))?.status()).toBe(404);

  expect(await grantAdmin(account.email)).toMatch(`${account.email} is now admin (was user)`);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Console' })).toBeVisible();
  await expect(page.getByTestId('staff-role')).toHaveText('admin');
  const entry = page.getByRole('row').filter({ hasText: 'first admin (browser test)' });
  await expect(entry).toContainText('role.grant');
  await expect(entry).toContainText('system:cli');
  await expect(entry).toContainText(account.email);
  // The page itself does not scroll sideways at a phone's width (the table scrolls in its own box).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // 20 idle minutes later: the password again, then back to the console.
  await idleFor20Minutes(account.email);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/confirm\?next=%2Fadmin$/);
  await page.getByLabel('Password', { exact: true }).fill('not-the-password-1');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page.getByRole('form', { name: 'Confirm your password' }).getByRole('alert')).toHaveText(
    'That password is incorrect.',
  );
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: 'Console' })).toBeVisible();
});
