import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { newAccount, signUp } from '../fixtures/accounts';
import { adminDatabase } from '../fixtures/database';
import { expect, test } from '../fixtures/test';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** What the operator runs by hand: a subscription provisioned by SQL (SPEC §2), dated by the history's setting. */
async function provisionPastSubscription(
  email: string,
  appId: string,
  plan: string,
  at: Date,
): Promise<void> {
  const { pool } = adminDatabase();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('omg.subscription_change_at', $1, true)`, [at.toISOString()]);
    await client.query(
      `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status)
       SELECT gen_random_uuid(), id, $2, $3, 'active' FROM core."User" WHERE email = $1`,
      [email, appId, plan],
    );
    await client.query('COMMIT');
  } finally {
    client.release();
    await pool.end();
  }
}

const monthKey = (date: Date) => date.toISOString().slice(0, 7);

test('support sees the metrics: range and product in the URL, tiles, charts, tables, CSV export, the Stripe check, at 390 px too', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const staff = newAccount('metrics-desk');
  await signUp(page, staff);
  await run('npm', ['run', 'admin:grant', '--', staff.email, '--role', 'support', '--reason', 'metrics'], {
    cwd: repoRoot,
    env: process.env,
  });
  const customer = newAccount('metrics-customer');
  const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 10));
  const customerContext = await browser.newContext({
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.252.14' },
  });
  await signUp(await customerContext.newPage(), customer);
  await customerContext.close();
  await provisionPastSubscription(customer.email, 'app_iq', 'pro', lastMonth);

  await page.goto('/admin/metrics');
  await expect(page.getByRole('heading', { name: 'Metrics', exact: true })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Metrics' }),
  ).toHaveAttribute('aria-current', 'page');

  // The filter is a plain form: its values land in the URL, and the page reads them back.
  const from = monthKey(new Date(Date.UTC(lastMonth.getUTCFullYear(), lastMonth.getUTCMonth() - 2, 1)));
  // The range ends with last month: this run's other specs may add subscriptions of their own this month, and
  // the figures below are this test's subscription's alone.
  const to = monthKey(lastMonth);
  await page.getByLabel('From', { exact: true }).fill(from);
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByRole('combobox', { name: 'Product', exact: true }).selectOption('app_iq');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/metrics\\?from=${from}&to=${to}&product=app_iq$`));
  await expect(page.getByRole('combobox', { name: 'Product', exact: true })).toHaveValue('app_iq');

  // OMG-IQ's one subscriber in the range (this test's): $19.99 of MRR at the range's end, new last month.
  await expect(page.getByTestId('kpi-mrr')).toContainText('$19.99');
  const table = page.getByTestId('table-mrr');
  await expect(table.getByRole('row').filter({ hasText: monthKey(lastMonth) })).toContainText('$19.99');
  await expect(table.getByRole('row').filter({ hasText: 'Total' })).toContainText('$19.99');
  // recharts draws the charts once its chunk has loaded (after the page).
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await expect(page.getByTestId('mrr-stripe-check')).toHaveAttribute(
    'data-status',
    /agrees|differs|unavailable/,
  );

  // Every table downloads as CSV, named for what it holds.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-mrr').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`omg-metrics-mrr-${from}-to-${to}-app_iq.csv`);
  const csv = await readFile((await file.path()) ?? '', 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^Month,MRR at start,New,/);
  expect(csv).toContain(`${monthKey(lastMonth)},0.00,19.99,`);

  // An empty range says so instead of drawing empty charts.
  await page.goto('/admin/metrics?from=2019-01&to=2019-03&product=app_leads');
  await expect(page.getByText('No recurring revenue in this range.')).toBeVisible();
  await expect(page.getByText('No MRR movements in this range.')).toBeVisible();

  // A phone: the page does not scroll sideways (the tables scroll in their own boxes).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/admin/metrics?from=${from}&to=${to}`);
  await expect(page.getByTestId('kpi-mrr')).toBeVisible();
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('a customer and a signed-out visitor get the 404 page at /admin/metrics and its export', async ({
  page,
  request,
}) => {
  expect((await request.get('/admin/metrics'))?.status()).toBe(404);
  expect((await request.get('/api/admin/metrics/export?table=mrr'))?.status()).toBe(404);
  await signUp(page, newAccount('metrics-nosy'));
  expect((await page.goto('/admin/metrics'))?.status()).toBe(404);
  expect((await page.request.get('/api/admin/metrics/export?table=mrr')).status()).toBe(404);
});
