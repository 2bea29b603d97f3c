import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startBillingTestEnv } from '@/testing/billing-test-env';
import { SoftwareAuthenticator } from '@/testing/software-authenticator';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const admin = connectAs('admin');
let emulator: StripeEmulator;
let authPost: typeof import('@/app/api/auth/[...all]/route').POST;
let deletePost: typeof import('@/app/api/account/delete/route').POST;

beforeAll(async () => {
  ({ emulator } = await startBillingTestEnv('sk_test_passkey_account_deletion'));
  ({ POST: authPost } = await import('@/app/api/auth/[...all]/route'));
  ({ POST: deletePost } = await import('@/app/api/account/delete/route'));
});

afterAll(async () => {
  await emulator.close();
  await admin.pool.end();
});

/** A POST to better-auth's routes as the browser sends it; returns the status, body and session cookie. */
async function auth(path: string, body: unknown, cookie = '') {
  const headers = new Headers({
    origin: HUB,
    'content-type': 'application/json',
    'x-forwarded-for': '10.9.8.7',
  });
  if (cookie) headers.set('cookie', cookie);
  const response = await authPost(
    new Request(`${HUB}/api/auth${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
    { params: Promise.resolve({ all: path.split('/').slice(1) }) },
  );
  const session = response.headers
    .getSetCookie()
    .find((c) => c.includes('session_token='))
    ?.split(';')[0];
  return { status: response.status, json: await response.json(), cookie: session ?? cookie };
}

describe('deleting the account', { timeout: 60_000 }, () => {
  it('removes its passkeys (the user row stays, so no cascade would), and the passkey signs in nowhere', async () => {
    const email = uniqueEmail('pk-delete');
    const password = 'correct-horse-42';
    const { cookie } = await auth('/sign-up/email', { email, password, name: 'Leaving' });
    const authenticator = new SoftwareAuthenticator(new URL(HUB).origin);
    const options = await auth('/passkey/register-options', { password }, cookie);
    expect(
      (await auth('/passkey/register', { response: authenticator.create(options.json) }, cookie)).status,
    ).toBe(200);
    const [user] = await admin.db.select().from(schema.user).where(eq(schema.user.email, email));
    const userId = user?.id ?? '';
    expect(
      await admin.db.select().from(schema.passkey).where(eq(schema.passkey.userId, userId)),
    ).toHaveLength(1);

    expect((await postJson(deletePost, '/api/account/delete', { email, password }, cookie)).status).toBe(204);
    expect(await admin.db.select().from(schema.passkey).where(eq(schema.passkey.userId, userId))).toEqual([]);
    const signIn = await auth('/passkey/sign-in-options', {});
    const refused = await auth('/passkey/sign-in', { response: authenticator.get(signIn.json) });
    expect(refused.status).toBe(401);
    expect(refused.json.code).toBe('PASSKEY_NOT_FOUND');
  });
});
