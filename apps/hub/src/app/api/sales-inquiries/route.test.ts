import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser } from '@/testing/billing-test-env';
import { POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const admin = connectAs('admin');
let hub: TServedOverHttp | undefined;

beforeAll(async () => {
  // Over real HTTP, behind one trusted proxy: the last x-forwarded-for entry is the client.
  hub = await serveOverHttp((request) => POST(request, { params: Promise.resolve({}) }), {
    hops: 1,
    origin: HUB,
  });
});

afterAll(async () => {
  await hub?.close();
  await admin.pool.end();
});

const randomIp = () => `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;

function send(body: unknown, options: { address?: string; cookie?: string; origin?: string } = {}) {
  return fetch(`${hub?.url}/api/sales-inquiries`, {
    method: 'POST',
    headers: {
      origin: options.origin ?? HUB,
      'content-type': 'application/json',
      'x-forwarded-for': options.address ?? randomIp(),
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const valid = (company: string) => ({
  productId: 'app_securevault',
  name: 'Dana Buyer',
  email: 'Dana@Example.test',
  company,
  seats: 120,
  message: 'We need 120 seats and SSO.\nCan we talk next week?',
});

const rowsFor = (company: string) =>
  admin.db.select().from(schema.salesInquiry).where(eq(schema.salesInquiry.company, company));

describe('POST /api/sales-inquiries (Contact sales)', () => {
  it('records a visitor’s request for staff and answers when we will be in touch', async () => {
    const company = `Visitor Co ${crypto.randomUUID()}`;
    const response = await send(valid(company));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      received: true,
      message: 'Thank you — we’ll be in touch within one business day.',
    });
    const rows = await rowsFor(company);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      appId: 'app_securevault',
      userId: null,
      name: 'Dana Buyer',
      email: 'dana@example.test',
      seats: 120,
      message: 'We need 120 seats and SSO.\nCan we talk next week?',
    });
  });

  it('ties a signed-in customer’s request to their account', async () => {
    const { cookie, userId } = await signUpHubUser('sales-signed-in');
    const company = `Customer Co ${crypto.randomUUID()}`;
    expect((await send(valid(company), { cookie })).status).toBe(201);
    expect((await rowsFor(company))[0]?.userId).toBe(userId);
  });

  it('keeps HTML as the text it is (never markup), and refuses control characters', async () => {
    const company = `<img src=x onerror=alert(1)> ${crypto.randomUUID()}`;
    const html = { ...valid(company), message: '<script>alert("hi")</script>' };
    expect((await send(html)).status).toBe(201);
    expect((await rowsFor(company))[0]?.message).toBe('<script>alert("hi")</script>');
    for (const bad of [
      { ...valid('NUL Co'), message: 'a\u0000b' },
      { ...valid('NUL Co'), name: 'Dana\u0000' },
      { ...valid('Bidi Co'), name: 'Dana\u202Eevil' },
    ]) {
      const response = await send(bad);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toBeTruthy();
    }
  });

  it('refuses wrong types, missing and oversize fields, unknown products and extra keys with 400, recording nothing', async () => {
    const company = `Hostile Co ${crypto.randomUUID()}`;
    const base = valid(company);
    const bodies: unknown[] = [
      { ...base, seats: '120' },
      { ...base, seats: 1.5 },
      { ...base, seats: 0 },
      { ...base, seats: 100_001 },
      { ...base, email: 'not-an-email' },
      { ...base, name: ['Dana'] },
      { ...base, name: '   ' },
      { ...base, name: 'x'.repeat(121) },
      { ...base, company: 'x'.repeat(161) },
      { ...base, message: 'x'.repeat(4001) },
      { ...base, productId: 'app_nothing' },
      { ...base, admin: true },
      { productId: 'app_securevault' },
      [base],
      'null',
      '{not json',
    ];
    for (const body of bodies) {
      const response = await send(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((await response.json()).error.message).toBeTruthy();
    }
    expect(await rowsFor(company)).toHaveLength(0);
  });

  it('refuses a cross-site post and a body that is not JSON', async () => {
    expect((await send(valid('Cross Co'), { origin: 'https://evil.example' })).status).toBe(403);
    const text = await fetch(`${hub?.url}/api/sales-inquiries`, {
      method: 'POST',
      headers: { origin: HUB, 'content-type': 'text/plain', 'x-forwarded-for': randomIp() },
      body: JSON.stringify(valid('Text Co')),
    });
    expect(text.status).toBe(415);
  });

  it('allows 5 requests per address in 10 minutes, then answers 429 with when to retry', async () => {
    const address = randomIp();
    const company = `Repeat Co ${crypto.randomUUID()}`;
    for (let i = 0; i < 5; i += 1) expect((await send(valid(company), { address })).status).toBe(201);
    const limited = await send(valid(company), { address });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.message).toMatch(
      /^Too many requests from your network\. Please try again in/,
    );
    expect(await rowsFor(company)).toHaveLength(5);
    // Another client is not affected.
    expect((await send(valid(company))).status).toBe(201);
  });
});
