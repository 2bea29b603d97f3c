import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser } from '@/testing/billing-test-env';
import { POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const admin = connectAs('admin');
let hub: TServedOverHttp | undefined;

beforeAll(async () => {
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

function notify(body: unknown, options: { address?: string; cookie?: string } = {}) {
  return fetch(`${hub?.url}/api/product-interest`, {
    method: 'POST',
    headers: {
      origin: HUB,
      'content-type': 'application/json',
      'x-forwarded-for': options.address ?? randomIp(),
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const interestOf = (email: string) =>
  admin.db.select().from(schema.productInterest).where(eq(schema.productInterest.email, email));

describe('POST /api/product-interest (Notify me)', () => {
  it('records a signed-in customer once under their account, however often they click', async () => {
    const { cookie, userId, email } = await signUpHubUser('notify-me');
    const first = await notify({ productId: 'app_crm' }, { cookie });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({
      created: true,
      email: email.toLowerCase(),
      message: `Thanks — we’ll email ${email.toLowerCase()} when OMG-CRM launches.`,
    });
    // A second click, and several at once: the same answer in other words, still one row.
    const again = await Promise.all([1, 2, 3].map(() => notify({ productId: 'app_crm' }, { cookie })));
    for (const response of again) {
      expect(response.status).toBe(200);
      expect((await response.json()).message).toBe(
        `You’re already on the list — we’ll email ${email.toLowerCase()} when OMG-CRM launches.`,
      );
    }
    // An address sent along is ignored: the account's email is the one recorded.
    expect((await notify({ productId: 'app_crm', email: 'other@example.test' }, { cookie })).status).toBe(
      200,
    );
    const rows = await admin.db
      .select()
      .from(schema.productInterest)
      .where(and(eq(schema.productInterest.userId, userId), eq(schema.productInterest.appId, 'app_crm')));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.email).toBe(email.toLowerCase());
    expect(await interestOf('other@example.test')).toHaveLength(0);
  });

  it('records a visitor’s address once per product (case aside), telling them the same each time', async () => {
    const email = `Visitor-${crypto.randomUUID()}@Example.test`;
    const first = await notify({ productId: 'app_crm', email });
    expect(first.status).toBe(201);
    const thanks = `Thanks — we’ll email ${email.toLowerCase()} when OMG-CRM launches.`;
    expect((await first.json()).message).toBe(thanks);
    const again = await notify({ productId: 'app_crm', email: email.toUpperCase() });
    expect(again.status).toBe(200);
    // The form never tells a visitor whether an address was already on the list.
    expect(await again.json()).toMatchObject({ created: false, message: thanks });
    expect((await notify({ productId: 'app_iq', email })).status).toBe(201);
    const rows = await interestOf(email.toLowerCase());
    expect(rows.map((r) => [r.appId, r.userId]).sort()).toEqual([
      ['app_crm', null],
      ['app_iq', null],
    ]);
  });

  it('asks a visitor for an address, and refuses a launched product (it can be bought) with 409', async () => {
    const missing = await notify({ productId: 'app_crm' });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.message).toBe(
      'Enter your email address and we’ll tell you when it launches.',
    );
    const launched = await notify({ productId: 'app_securevault', email: 'someone@example.test' });
    expect(launched.status).toBe(409);
    expect((await launched.json()).error.message).toBe(
      'SecureVault Docs is available now: choose a plan on its page.',
    );
  });

  it('refuses hostile bodies with 400 and records nothing', async () => {
    const email = `hostile-${crypto.randomUUID()}@example.test`;
    const bodies: unknown[] = [
      { productId: 'app_crm', email: `<script>alert(1)</script>${email}` },
      { productId: 'app_crm', email: `${'x'.repeat(250)}${email}` },
      { productId: 'app_crm', email: [email] },
      { productId: 'app_crm', email: 42 },
      { productId: 'app_crm', email, extra: 1 },
      { productId: 'app_nothing', email },
      { productId: 'x'.repeat(41), email },
      { productId: null, email },
      'null',
      '{not json',
    ];
    for (const body of bodies) {
      const response = await notify(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((await response.json()).error.message).toBeTruthy();
    }
    expect(await interestOf(email)).toHaveLength(0);
  });

  it('allows 10 requests per address in 10 minutes, then answers 429', async () => {
    const address = randomIp();
    for (let i = 0; i < 10; i += 1) {
      const email = `burst-${i}-${crypto.randomUUID()}@example.test`;
      expect((await notify({ productId: 'app_crm', email }, { address })).status).toBe(201);
    }
    const email = `burst-x-${crypto.randomUUID()}@example.test`;
    const limited = await notify({ productId: 'app_crm', email }, { address });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await interestOf(email)).toHaveLength(0);
  });
});
