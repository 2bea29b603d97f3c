import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { afterAll, describe, expect, it } from 'vitest';
import { signUpHubUser } from '@/testing/billing-test-env';
import { GET } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';

afterAll(async () => {
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

const download = (cookie?: string) =>
  GET(
    new Request(`${HUB}/api/account/export`, { headers: cookie ? { cookie, origin: HUB } : { origin: HUB } }),
    { params: Promise.resolve({}) },
  );

async function stripeEvent(customer: string, type: string) {
  const { db } = await import('@/lib/db');
  const id = `evt_${randomUUID().replaceAll('-', '')}`;
  await db()
    .insert(schema.billingEvent)
    .values({
      id,
      type,
      stripeCreatedAt: new Date(),
      payload: { id, type, data: { object: { id: `in_${randomUUID()}`, customer } } },
    });
  return id;
}

describe('GET /api/account/export', { timeout: 30_000 }, () => {
  it('streams the account’s data as a named JSON attachment, its own rows only and no secrets', async () => {
    const account = await signUpHubUser('export');
    const other = await signUpHubUser('exportother');
    const { db } = await import('@/lib/db');
    const customer = `cus_${randomUUID().slice(0, 12)}`;
    await db().insert(schema.customer).values({ userId: account.userId, stripeCustomerId: customer });
    await db().insert(schema.subscription).values({
      id: randomUUID(),
      userId: account.userId,
      appId: 'securevault',
      plan: 'growth',
      status: 'active',
      stripeCustomerId: customer,
    });
    const mine = await stripeEvent(customer, 'invoice.paid');
    const theirs = await stripeEvent('cus_someone_else', 'invoice.paid');

    const response = await download(account.cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="omg-account-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(response.body).toBeInstanceOf(ReadableStream);
    const text = await response.text();
    const data = JSON.parse(text);
    expect(data.profile).toMatchObject({ id: account.userId, email: account.email, name: 'Test Customer' });
    expect(data.subscriptions).toHaveLength(1);
    expect(data.subscriptions[0]).toMatchObject({ appId: 'securevault', plan: 'growth' });
    expect(data.stripeCustomers).toEqual([expect.objectContaining({ stripeCustomerId: customer })]);
    expect(data.billingEvents.map((e: { id: string }) => e.id)).toEqual([mine]);
    expect(data.emails.map((m: { kind: string }) => m.kind)).toContain('verify-email');
    expect(data.sessions).toHaveLength(1);
    expect(data.secureVaultDocs.note).toMatch(/SecureVault Docs/);
    // Nothing of another account, and no secrets of this one.
    expect(text).not.toContain(other.userId);
    expect(text).not.toContain(other.email);
    expect(text).not.toContain(theirs);
    const token = account.cookie.split('=')[1]?.split('.')[0] ?? '';
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/"password"/);
  });

  it('answers 401 when signed out and limits exports per account', async () => {
    expect((await download()).status).toBe(401);
    const account = await signUpHubUser('exportlimit');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await download(account.cookie);
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
