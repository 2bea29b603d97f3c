import { connectAs } from '@omg/db/testing';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '@/lib/admin/grant-role';
import type { TMetricsTable } from '@/lib/admin/metrics/build-metrics-tables';
import { metricsTableToCsv } from '@/lib/admin/metrics/metrics-table-to-csv';
import { signUpHubUser } from '@/testing/billing-test-env';
import { GET as metricsRoute } from '../route';
import { GET as exportRoute } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const hub = connectAs('hub');

afterAll(async () => {
  await hub.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

type TPersona = 'signed out' | 'customer' | 'support' | 'admin';
const cookies = {} as Record<TPersona, string | undefined>;

beforeAll(async () => {
  cookies['signed out'] = undefined;
  for (const kind of ['customer', 'support', 'admin'] as const) {
    const user = await signUpHubUser(`metrics-${kind}`);
    if (kind !== 'customer') {
      await grantRole(hub.db, {
        email: user.email,
        role: kind,
        reason: 'metrics test',
        actor: 'system:test',
      });
    }
    cookies[kind] = user.cookie;
  }
});

const get = (route: typeof exportRoute, path: string, cookie?: string) =>
  route(new Request(`${HUB}${path}`, { headers: cookie ? { cookie } : {} }), { params: Promise.resolve({}) });

describe('GET /api/admin/metrics/export and /api/admin/metrics (issue 14)', () => {
  const path = '/api/admin/metrics/export?table=mrr&from=2026-01&to=2026-06&product=all';
  const table: [TPersona, number][] = [
    ['signed out', 404],
    ['customer', 404],
    ['support', 200],
    ['admin', 200],
  ];

  it.each(table)('%s: the export answers %s', async (kind, status) => {
    const response = await get(exportRoute, path, cookies[kind]);
    expect(response.status).toBe(status);
    if (status === 404) {
      expect((await response.json()).error).toMatchObject({
        code: 'NOT_FOUND',
        message: 'This page could not be found.',
      });
      return;
    }
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="omg-metrics-mrr-2026-01-to-2026-06-all.csv"',
    );
    const records: string[][] = parse(await response.text());
    expect(records[0]?.slice(0, 3)).toEqual(['Month', 'MRR at start', 'New']);
    expect(records.map((r) => r[0])).toEqual([
      'Month',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      'Total',
    ]);
  });

  it.each(table)('%s: the JSON figures answer %s', async (kind, status) => {
    const response = await get(metricsRoute, '/api/admin/metrics?from=2026-05&to=2026-06', cookies[kind]);
    expect(response.status).toBe(status);
    if (status === 200) {
      const body = await response.json();
      expect(body.months.map((m: { month: string }) => m.month)).toEqual(['2026-05', '2026-06']);
      expect(Object.keys(body.tables)).toEqual(['mrr', 'growth', 'billing']);
    }
  });

  it('refuses everyone but staff before reading the parameters, and staff get 400 for bad ones', async () => {
    const bad = '/api/admin/metrics/export?table=secrets&from=2026-13';
    expect((await get(exportRoute, bad, cookies.customer)).status).toBe(404);
    expect((await get(exportRoute, bad)).status).toBe(404);
    expect((await get(exportRoute, bad, cookies.support)).status).toBe(400);
    const reversed = '/api/admin/metrics/export?table=growth&from=2026-06&to=2026-01';
    expect((await get(exportRoute, reversed, cookies.support)).status).toBe(400);
  });

  it('exports every table', async () => {
    for (const id of ['mrr', 'growth', 'billing']) {
      const response = await get(
        exportRoute,
        `/api/admin/metrics/export?table=${id}&from=2026-06&to=2026-06`,
        cookies.support,
      );
      expect(response.status).toBe(200);
      expect(parse(await response.text())).toHaveLength(3);
    }
  });
});

describe('metricsTableToCsv', () => {
  it('writes text that a spreadsheet would run as a formula as text, quotes what CSV needs quoted', () => {
    const hostile: TMetricsTable = {
      id: 'mrr',
      title: 'x',
      columns: [
        { key: 'month', label: '=HYPERLINK("http://evil.test")', kind: 'text' },
        { key: 'amount', label: 'Amount', kind: 'cents' },
        { key: 'rate', label: 'Rate', kind: 'percent' },
      ],
      rows: [
        { month: "=cmd|' /C calc'!A0", amount: 123_456, rate: 12.5 },
        { month: '+1+1', amount: -500, rate: null },
        { month: '-2', amount: 0, rate: 0 },
        { month: '@SUM(A1)', amount: 1, rate: 100 },
        { month: '\t=1', amount: 1, rate: 1 },
        { month: 'a, "quoted"\nline', amount: 1, rate: 1 },
      ],
      total: { month: 'Total', amount: 124_958, rate: null },
    };
    const csv = metricsTableToCsv(hostile);
    const records: string[][] = parse(csv);
    expect(records).toEqual([
      ['\'=HYPERLINK("http://evil.test")', 'Amount', 'Rate'],
      ["'=cmd|' /C calc'!A0", '1234.56', '12.5'],
      ["'+1+1", '-5.00', ''],
      ["'-2", '0.00', '0'],
      ["'@SUM(A1)", '0.01', '100'],
      ["'\t=1", '0.01', '1'],
      ['a, "quoted"\nline', '0.01', '1'],
      ['Total', '1249.58', ''],
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
    // No line of the file starts a cell with a formula character outside quotes.
    for (const line of csv.split('\r\n')) expect(line).not.toMatch(/^[=+\-@]/);
  });
});
