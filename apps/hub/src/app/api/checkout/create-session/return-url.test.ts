import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { hostileRedirectTargets } from '@omg/platform/testing/redirect-targets';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser, startBillingTestEnv } from '@/testing/billing-test-env';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const SVD = process.env.SVD_URL ?? 'http://localhost:3101';
const admin = connectAs('admin');
let emulator: StripeEmulator;
let POST: typeof import('./route').POST;

beforeAll(async () => {
  ({ emulator } = await startBillingTestEnv('sk_test_checkout_return_url'));
  ({ POST } = await import('./route'));
});

afterAll(async () => {
  await emulator.close();
  await admin.pool.end();
});

/** Opens a checkout with `returnUrl` for a new user; answers the status and the returnUrl the Hub stored. */
async function storedReturnUrl(returnUrl: unknown): Promise<{ status: number; stored: string | null }> {
  const { cookie, userId } = await signUpHubUser('return-url');
  const response = await POST(
    new Request(`${HUB}/api/checkout/create-session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: HUB, cookie },
      body: JSON.stringify({ productId: 'app_securevault', plan: 'starter', returnUrl }),
    }),
    { params: Promise.resolve({}) },
  );
  const [row] = await admin.db
    .select({ returnUrl: schema.checkoutSession.returnUrl })
    .from(schema.checkoutSession)
    .where(eq(schema.checkoutSession.userId, userId))
    .orderBy(desc(schema.checkoutSession.createdAt))
    .limit(1);
  return { status: response.status, stored: row?.returnUrl ?? null };
}

describe('POST /api/checkout/create-session: returnUrl', () => {
  // JSON cannot carry `undefined`; every other hostile value (strings, arrays, numbers, objects) goes in as is.
  const hostile = hostileRedirectTargets({ self: HUB }).filter(([, target]) => target !== undefined);

  it.each(hostile)('%s: nothing is stored, and never a 500', async (_label, target) => {
    const { status, stored } = await storedReturnUrl(target);
    // The body's schema takes a string of up to 2000 characters (else 400); any string opens the checkout.
    const wellTyped = typeof target === 'string' && target.length <= 2000;
    expect(status).toBe(wellTyped ? 200 : 400);
    expect(stored).toBeNull();
  });

  it.each([
    ['/billing', '/billing'],
    [`${HUB}/portal?x=1`, '/portal?x=1'],
    [`${SVD}/vault`, `${SVD}/vault`],
    [`${SVD}/vault/../vault?tab=plans#top`, `${SVD}/vault?tab=plans#top`],
  ])('%s is stored normalized as %s', async (target, normalized) => {
    const { status, stored } = await storedReturnUrl(target);
    expect(status).toBe(200);
    expect(stored).toBe(normalized);
  });
});
