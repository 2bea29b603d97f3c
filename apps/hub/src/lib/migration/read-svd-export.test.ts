import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSvdExport, type TSvdExportRecord } from './read-svd-export';

async function read(text: string, chunkSize = 7): Promise<TSvdExportRecord[]> {
  // Small chunks: a line, a quoted cell or the BOM split across reads must not matter.
  const buffer = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkSize) chunks.push(buffer.subarray(i, i + chunkSize));
  const records: TSvdExportRecord[] = [];
  for await (const record of readSvdExport(Readable.from(chunks))) records.push(record);
  return records;
}

const HEADER = 'email,name,plan,start_date,monthly_price,stripe_customer_id,stripe_subscription_id';

describe('readSvdExport', () => {
  it('reads a BOM, CRLF, quoted names with commas and quotes, a header in any order, and blank lines', async () => {
    const text = `\ufeffplan,name,email,monthly_price,start_date\r\ngrowth,"Hopper, Grace ""Amazing""",Grace@Example.com,14.99,2022-09-01\r\n\r\npro,Ada,ada@example.com,24,2021-01-31\r\n`;
    expect(await read(text)).toEqual([
      {
        line: 2,
        row: {
          email: 'grace@example.com',
          name: 'Hopper, Grace "Amazing"',
          plan: 'growth',
          startDate: '2022-09-01',
          monthlyPriceCents: 1499,
          stripeCustomerId: undefined,
          stripeSubscriptionId: undefined,
        },
      },
      expect.objectContaining({ line: 4, row: expect.objectContaining({ monthlyPriceCents: 2400 }) }),
    ]);
  });

  it('rejects each bad line with its number and reason, and goes on', async () => {
    const lines = [
      HEADER,
      'a@example.com,A,growth,2024-01-01,14.9,cus_A1,sub_A1', // 2: fine (14.90)
      'b@example.com,B,growth,2024-01-01,14.999,,', // 3
      'c@example.com,C,trial,2024-01-01,0,,', // 4
      'd@example.com,D,growth,2024-02-30,1,,', // 5
      'e@example.com,E,growth,2024-01-01,1,cus_A1,', // 6: customer of line 2
      'f@example.com,F,growth,2024-01-01,1,,sub_A1', // 7: subscription of line 2
      'g@example.com,G,growth,2024-01-01,1,customer-9,', // 8
      'h@example.com,"H "oops",growth,2024-01-01,1,,', // 9: a quote inside a quoted cell
      'i@example.com,I,pro,2024-01-01,5,,', // 10: fine after the broken line
    ];
    const records = await read(lines.join('\n'));
    const byLine = new Map(records.map((r) => [r.line, r]));
    expect(byLine.get(2)).toMatchObject({ row: { monthlyPriceCents: 1490, stripeCustomerId: 'cus_A1' } });
    expect(byLine.get(3)).toMatchObject({ reason: 'monthly_price has more than two decimals' });
    expect(byLine.get(4)).toMatchObject({ reason: 'plan trial is not a paid plan: leave trial users out' });
    expect(byLine.get(5)).toMatchObject({ reason: 'start_date is not a date (YYYY-MM-DD)' });
    expect(byLine.get(6)).toMatchObject({ reason: 'stripe_customer_id cus_A1 is already on line 2' });
    expect(byLine.get(7)).toMatchObject({ reason: 'stripe_subscription_id sub_A1 is already on line 2' });
    expect(byLine.get(8)).toMatchObject({ reason: 'stripe_customer_id must look like cus_…' });
    expect(byLine.get(9)).toMatchObject({
      email: null,
      reason: expect.stringMatching(/^not readable as CSV/),
    });
    expect(byLine.get(10)).toMatchObject({ row: { email: 'i@example.com', plan: 'pro' } });
    expect(records).toHaveLength(9);
  });

  it('refuses a header with a missing, unknown or repeated column, and an empty file', async () => {
    await expect(read('email,name,plan,start_date\nx@example.com,X,pro,2024-01-01\n')).rejects.toThrow(
      /missing monthly_price/,
    );
    await expect(read(`${HEADER},stripe_subscription\n`)).rejects.toThrow(/unknown stripe_subscription/);
    await expect(read('email,email,name,plan,start_date,monthly_price\n')).rejects.toThrow(/repeated email/);
    await expect(read('')).rejects.toThrow(/empty/);
  });
});
