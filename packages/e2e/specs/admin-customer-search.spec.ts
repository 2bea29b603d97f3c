import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { newAccount, signUp } from '../fixtures/accounts';
import { expect, test } from '../fixtures/test';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');

test('staff find a customer by part of the email, from the console home, and open the row (also at 390 px)', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  // The customer signs up on their own device.
  const customer = newAccount('charged-twice');
  const customerContext = await browser.newContext({
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.252.9' },
  });
  await signUp(await customerContext.newPage(), customer);
  await customerContext.close();

  const staff = newAccount('support-desk');
  await signUp(page, staff);
  await run(
    'npm',
    ['run', 'admin:grant', '--', staff.email, '--role', 'support', '--reason', 'support desk'],
    {
      cwd: repoRoot,
      env: process.env,
    },
  );

  // From the console's home: part of the address (its middle, in capitals) is enough.
  const part = customer.email.split('@')[0]?.slice(4).toUpperCase() ?? '';
  await page.goto('/admin');
  await page.getByPlaceholder(/Find a customer/).fill(part);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/customers\\?q=${part}$`));
  const row = page.getByTestId('customer-row').filter({ hasText: customer.email });
  await expect(row).toBeVisible();
  await expect(row).toContainText(customer.name);
  await expect(page.getByTestId('customer-count')).toHaveText('1 customer');

  // A filter narrows it in the URL; no match says so; back brings the match again.
  await page.getByRole('button', { name: 'Past due' }).click();
  await expect(page).toHaveURL(/filter=past_due/);
  await expect(page.getByText(`No customers match “${part}” with these filters.`)).toBeVisible();
  await page.goBack();
  await expect(row).toBeVisible();

  // At a phone's width the page does not scroll sideways (the table scrolls in its own box).
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(row).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await row.getByRole('link').click();
  await expect(page).toHaveURL(/\/admin\/customers\/[^/?]+$/);
  await expect(page.getByText(customer.email).first()).toBeVisible();
});
