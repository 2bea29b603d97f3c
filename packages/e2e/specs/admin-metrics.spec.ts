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
const dollars = (cents: number) =>
  (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });

interface TMrrRow {
  month: string;
  mrrStart: number;
  new: number;
  mrrEnd: number;
}

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

  // The range runs to this month. The figures below are this test's subscription's alone, added to whatever the
  // database already held: `npm test` runs the unit suite first in the same database, and one of its files
  // (packages/db/src/queries/subscriptions.test.ts) leaves an active OMG-IQ Pro of its own this month, which is
  // what made CI read $39.98 here. So the test reads the figures before its subscription and checks the change.
  const from = monthKey(new Date(Date.UTC(lastMonth.getUTCFullYear(), lastMonth.getUTCMonth() - 2, 1)));
  const to = monthKey(new Date());
  const figures = async () => {
    const response = await page.request.get(`/api/admin/metrics?from=${from}&to=${to}&product=app_iq`);
    expect(response.status()).toBe(200);
    // The answer's tables by id (buildMetricsTables): the MRR table's rows and total.
    const mrr = ((await response.json()) as { tables: { mrr?: { rows: TMrrRow[]; total: TMrrRow } } }).tables
      .mrr;
    const row = mrr?.rows.find((r) => r.month === monthKey(lastMonth));
    if (!mrr || !row) throw new Error('the metrics answer has no MRR table or no row for last month');
    return { row, total: mrr.total };
  };
  const before = await figures();
  await provisionPastSubscription(customer.email, 'app_iq', 'pro', lastMonth);
  // What the dashboard is about to show: the earlier figures plus this test's $19.99, new last month.
  const after = await figures();
  expect(after.row.new - before.row.new).toBe(1999);
  expect(after.total.mrrEnd - before.total.mrrEnd).toBe(1999);

  await page.goto('/admin/metrics');
  await expect(page.getByRole('heading', { name: 'Metrics', exact: true })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Metrics' }),
  ).toHaveAttribute('aria-current', 'page');

  // The filter is a plain form: its values land in the URL, and the page reads them back.
  await page.getByLabel('From', { exact: true }).fill(from);
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByRole('combobox', { name: 'Product', exact: true }).selectOption('app_iq');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/metrics\\?from=${from}&to=${to}&product=app_iq$`));
  await expect(page.getByRole('combobox', { name: 'Product', exact: true })).toHaveValue('app_iq');

  // This test's OMG-IQ subscriber: $19.99 more MRR at the range's end, new last month ($19.99 alone in a database
  // of its own, as when the browser suite runs by itself).
  await expect(page.getByTestId('kpi-mrr')).toContainText(dollars(before.total.mrrEnd + 1999));
  const table = page.getByTestId('table-mrr');
  await expect(table.getByRole('row').filter({ hasText: monthKey(lastMonth) })).toContainText(
    dollars(before.row.new + 1999),
  );
  await expect(table.getByRole('row').filter({ hasText: 'Total' })).toContainText(
    dollars(before.total.new + 1999),
  );
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
  expect(csv).toContain(
    `${monthKey(lastMonth)},${(before.row.mrrStart / 100).toFixed(2)},${((before.row.new + 1999) / 100).toFixed(2)},`,
  );

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
