import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import type { TMailWorker } from '@omg/mail';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClaimToken } from '@/lib/account-claim/claim-token';
import { findAccountClaim } from '@/lib/account-claim/find-account-claim';
import { sendMigrationInvite } from '@/lib/account-claim/send-migration-invite';
import { caughtMail, insertMigratedCustomer, linkIn } from '@/testing/migrated-customer';
import { startTestMailWorker } from '@/testing/start-test-mail-worker';
import { GET as authGet, POST as authPost } from '../../auth/[...all]/route';
import { POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const hub = connectAs('hub');
let server: TServedOverHttp | undefined;
let worker: TMailWorker | undefined;

beforeAll(async () => {
  // The claim route and better-auth's, over real HTTP behind one trusted proxy (as the Hub runs).
  server = await serveOverHttp(
    (request) => {
      const path = new URL(request.url).pathname;
      if (path === '/api/account/claim') return POST(request, { params: Promise.resolve({}) });
      const context = { params: Promise.resolve({ all: path.split('/').slice(3) }) };
      return request.method === 'GET' ? authGet(request, context) : authPost(request, context);
    },
    { hops: 1, origin: HUB },
  );
  // The real worker, once the mail earlier files left on the shared queue is sent (see startTestMailWorker).
  worker = await startTestMailWorker();
});

afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await hub.pool.end();
});

const randomIp = () => `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;

async function call(path: string, options: { body?: unknown; cookie?: string; ip?: string } = {}) {
  const headers = new Headers({ origin: HUB, 'x-forwarded-for': options.ip ?? randomIp() });
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  if (options.cookie) headers.set('cookie', options.cookie);
  const response = await fetch(`${server?.url}${path}`, {
    method: options.body === undefined ? 'GET' : 'POST',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: 'manual',
  });
  const text = await response.text();
  return { response, json: text ? JSON.parse(text) : null };
}

const claim = (token: string, password = 'my-first-password-1', ip?: string) =>
  call('/api/account/claim', { body: { token, password }, ip });

const cookieOf = (response: Response) =>
  (response.headers.getSetCookie().find((c) => c.includes('session_token=')) ?? '').split(';')[0] ?? '';

/** A migrated customer and the token of the claim link their welcome mail carries (read from the catcher). */
async function invitedCustomer(prefix: string) {
  const customer = await insertMigratedCustomer(hub.db, { prefix });
  await sendMigrationInvite(hub.db, { userId: customer.userId });
  const mail = await caughtMail(customer.email, /now lives in your OMG account/);
  const link = linkIn(mail, '/claim');
  expect(link.origin).toBe(new URL(HUB).origin);
  return { ...customer, token: link.searchParams.get('token') ?? '' };
}

const credentialOf = (userId: string) =>
  hub.db
    .select()
    .from(schema.account)
    .where(and(eq(schema.account.userId, userId), eq(schema.account.providerId, 'credential')));

describe('POST /api/account/claim (SPEC §7)', { timeout: 30_000 }, () => {
  it('sets the first password, verifies the email, signs in and sends the customer on to SecureVault', async () => {
    const customer = await invitedCustomer('claim');
    expect(await credentialOf(customer.userId)).toEqual([]);

    const claimed = await claim(customer.token);
    expect(claimed.response.status).toBe(200);
    expect(claimed.json).toEqual({ next: '/launch/securevault?returnTo=%2Fvault' });
    const cookie = cookieOf(claimed.response);
    expect(cookie).toContain('session_token=');

    const session = await call('/api/auth/get-session', { cookie });
    expect(session.json?.user).toMatchObject({
      id: customer.userId,
      email: customer.email,
      emailVerified: true,
    });
    const [credential] = await credentialOf(customer.userId);
    expect(credential?.password).toBeTruthy();
    expect(credential?.password).not.toContain('my-first-password-1');
    // The password works at the login form from now on.
    const signIn = await call('/api/auth/sign-in/email', {
      body: { email: customer.email, password: 'my-first-password-1' },
    });
    expect(signIn.response.status).toBe(200);
    expect(await findAccountClaim(hub.db, { token: customer.token })).toEqual({ state: 'used' });
  });

  it('is single use: of two tabs submitting at once, one wins and the other is told the link was used', async () => {
    const customer = await invitedCustomer('claim-race');
    const [a, b] = await Promise.all([
      claim(customer.token, 'first-tab-password-1'),
      claim(customer.token, 'second-tab-password-2'),
    ]);
    expect([a.response.status, b.response.status].sort()).toEqual([200, 409]);
    const loser = a.response.status === 409 ? a : b;
    expect(loser.json.error.details).toEqual({ reason: 'used' });
    expect(loser.json.error.message).toMatch(/already used.*Forgot your password/);
    expect(cookieOf(loser.response)).toBe('');
    expect(await credentialOf(customer.userId)).toHaveLength(1);
    const winner = a.response.status === 200 ? 'first-tab-password-1' : 'second-tab-password-2';
    const signIn = await call('/api/auth/sign-in/email', {
      body: { email: customer.email, password: winner },
    });
    expect(signIn.response.status).toBe(200);

    const again = await claim(customer.token);
    expect(again.response.status).toBe(409);
    expect(again.json.error.details).toEqual({ reason: 'used' });
  });

  it('refuses an expired or unknown link with a clear reason and changes nothing', async () => {
    const customer = await insertMigratedCustomer(hub.db, { prefix: 'claim-expired' });
    const old = newClaimToken();
    await hub.db.insert(schema.accountClaim).values({
      userId: customer.userId,
      tokenHash: old.tokenHash,
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(await findAccountClaim(hub.db, { token: old.token })).toEqual({ state: 'expired' });
    const expired = await claim(old.token);
    expect(expired.response.status).toBe(400);
    expect(expired.json.error).toMatchObject({ details: { reason: 'expired' } });
    expect(expired.json.error.message).toMatch(/expired.*Forgot your password/);

    for (const token of [newClaimToken().token, 'not-a-token', '']) {
      const unknown = await claim(token);
      expect(unknown.response.status).toBe(400);
      expect(unknown.json.error).toMatchObject({ details: { reason: 'unknown' } });
      expect(await findAccountClaim(hub.db, { token })).toEqual({ state: 'unknown' });
    }
    expect(await credentialOf(customer.userId)).toEqual([]);
  });

  it('holds the password to the sign-up rules and keeps the link usable after a weak one', async () => {
    const customer = await invitedCustomer('claim-weak');
    for (const password of ['short1', 'no-digits-at-all', '1234567890123']) {
      const weak = await claim(customer.token, password);
      expect(weak.response.status).toBe(400);
    }
    expect(await findAccountClaim(hub.db, { token: customer.token })).toMatchObject({ state: 'valid' });
    expect((await claim(customer.token)).response.status).toBe(200);
  });

  it('never replaces a password the account got meanwhile; Forgot your password works without one', async () => {
    const customer = await invitedCustomer('claim-reset');
    // "Forgot your password?" for a migrated account that has no password yet: the mail comes and the reset works.
    const asked = await call('/api/auth/request-password-reset', {
      body: { email: customer.email, redirectTo: '/reset-password' },
    });
    expect(asked.response.status).toBe(200);
    const resetLink = linkIn(await caughtMail(customer.email, /reset your .*password/i), '/reset-password/');
    const followed = await call(`${resetLink.pathname}${resetLink.search}`);
    const resetToken = new URL(followed.response.headers.get('location') ?? '', HUB).searchParams.get(
      'token',
    );
    const reset = await call('/api/auth/reset-password', {
      body: { token: resetToken, newPassword: 'reset-instead-42' },
    });
    expect(reset.response.status).toBe(200);
    const signIn = await call('/api/auth/sign-in/email', {
      body: { email: customer.email, password: 'reset-instead-42' },
    });
    expect(signIn.response.status).toBe(200);

    const late = await claim(customer.token);
    expect(late.response.status).toBe(409);
    expect(late.json.error.details).toEqual({ reason: 'has-password' });
    const stillWorks = await call('/api/auth/sign-in/email', {
      body: { email: customer.email, password: 'reset-instead-42' },
    });
    expect(stillWorks.response.status).toBe(200);
  });

  it('allows 10 claim attempts per address in 10 minutes, then answers 429 with when to retry', async () => {
    const ip = randomIp();
    for (let i = 0; i < 10; i += 1) {
      expect((await claim(newClaimToken().token, 'some-password-1', ip)).response.status).toBe(400);
    }
    const limited = await claim(newClaimToken().token, 'some-password-1', ip);
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.json.error.message).toMatch(/Too many attempts/);
    expect((await claim(newClaimToken().token, 'some-password-1')).response.status).toBe(400);
  });
});
