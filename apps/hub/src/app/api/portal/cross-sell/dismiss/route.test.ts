import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseCrossSell } from '@/lib/portal/choose-cross-sell';
import { postJson, signUpHubUser } from '@/testing/billing-test-env';
import { POST } from './route';

const admin = connectAs('admin');
const hub = connectAs('hub');

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end()]);
});

async function subscribe(userId: string, appId: string, status = 'active') {
  await admin.db
    .insert(schema.subscription)
    .values({ id: crypto.randomUUID(), userId, appId, plan: 'pro', status });
}

describe('the portal cross-sell and POST /api/portal/cross-sell/dismiss', () => {
  it('suggests the first product the customer lacks, and the next one once it is closed, on any device', async () => {
    const { cookie, userId } = await signUpHubUser('cross-sell');
    // Nothing bought yet: every portal card already offers a product.
    expect(await chooseCrossSell(hub.db, { userId })).toBeNull();
    await subscribe(userId, 'app_securevault');
    expect(await chooseCrossSell(hub.db, { userId })).toMatchObject({
      appId: 'app_crm',
      name: 'OMG-CRM',
      slug: 'crm',
      launched: false,
    });
    const closed = await postJson(POST, '/api/portal/cross-sell/dismiss', { productId: 'app_crm' }, cookie);
    expect(closed.status).toBe(204);
    // Closing it again changes nothing.
    expect(
      (await postJson(POST, '/api/portal/cross-sell/dismiss', { productId: 'app_crm' }, cookie)).status,
    ).toBe(204);
    const rows = await admin.db
      .select()
      .from(schema.crossSellDismissal)
      .where(eq(schema.crossSellDismissal.userId, userId));
    expect(rows.map((r) => r.appId)).toEqual(['app_crm']);
    expect((await chooseCrossSell(hub.db, { userId }))?.appId).toBe('app_iq');
  });

  it('does not suggest what the customer already has; a canceled product is suggested again', async () => {
    const { userId } = await signUpHubUser('cross-sell-owned');
    await subscribe(userId, 'app_securevault');
    await subscribe(userId, 'app_crm', 'past_due');
    await subscribe(userId, 'app_iq', 'canceled');
    expect((await chooseCrossSell(hub.db, { userId }))?.appId).toBe('app_iq');
  });

  it('answers 401 signed out, and 400 for an unknown product or a hostile body', async () => {
    expect((await postJson(POST, '/api/portal/cross-sell/dismiss', { productId: 'app_crm' })).status).toBe(
      401,
    );
    const { cookie, userId } = await signUpHubUser('cross-sell-hostile');
    for (const body of [
      { productId: 'app_nothing' },
      { productId: 7 },
      { productId: 'app_crm', x: 1 },
      {},
      [],
    ]) {
      const response = await postJson(POST, '/api/portal/cross-sell/dismiss', body, cookie);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const rows = await admin.db
      .select()
      .from(schema.crossSellDismissal)
      .where(eq(schema.crossSellDismissal.userId, userId));
    expect(rows).toHaveLength(0);
  });
});
