import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { postJson, signUpHubUser } from '@/testing/billing-test-env';
import { POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const svd = connectAs('svd');

afterAll(async () => {
  await svd.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

async function session(cookie: string) {
  const { auth } = await import('@/lib/auth/auth');
  return auth().api.getSession({ headers: new Headers({ cookie }) });
}

/** A second browser signed in to the same account. */
async function signIn(email: string, password: string): Promise<string> {
  const { auth } = await import('@/lib/auth/auth');
  const response = await auth().api.signInEmail({ body: { email, password }, asResponse: true });
  expect(response.status).toBe(200);
  return (
    response.headers
      .getSetCookie()
      .find((c) => c.includes('session_token='))
      ?.split(';')[0] ?? ''
  );
}

/**
 * An SVD session launched from the given Hub session, as SVD's hand-off writes it; it is alive while its Hub
 * session exists (securevault."Session".hubSessionId, checked by SVD's findSvdSession on every request).
 */
async function svdSessionOf(hubSessionId: string, userId: string): Promise<string> {
  const id = randomUUID();
  await svd.db.insert(schema.svdSession).values({
    id,
    tokenHash: randomUUID(),
    userId,
    hubSessionId,
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  return id;
}

/** SVD's rule, asked of the database as SVD's role: an SVD session lives only while its Hub session does. */
async function svdSessionAlive(id: string): Promise<boolean> {
  const result = await svd.pool.query(
    `SELECT 1 FROM securevault."Session" s JOIN core."Session" h ON h.id = s."hubSessionId"
     WHERE s.id = $1 AND h."expiresAt" > now()`,
    [id],
  );
  return result.rowCount === 1;
}

async function twoBrowsers(prefix: string) {
  const here = await signUpHubUser(prefix);
  const password = `${prefix}-pass-12`;
  const there = await signIn(here.email, password);
  const [hereSession, thereSession] = await Promise.all([session(here.cookie), session(there)]);
  if (!hereSession || !thereSession) throw new Error('both browsers should be signed in');
  expect(hereSession.session.id).not.toBe(thereSession.session.id);
  return {
    ...here,
    password,
    there,
    hereSessionId: hereSession.session.id,
    svdHere: await svdSessionOf(hereSession.session.id, here.userId),
    svdThere: await svdSessionOf(thereSession.session.id, here.userId),
  };
}

const change = (cookie: string | undefined, body: unknown) =>
  postJson(POST, '/api/account/password', body, cookie);

describe('POST /api/account/password', { timeout: 30_000 }, () => {
  it('changes the password and ends every other session of the account, in the Hub and in SVD; this one stays', async () => {
    const account = await twoBrowsers('chpw');
    const response = await change(account.cookie, {
      currentPassword: account.password,
      newPassword: 'a-new-password-7',
    });
    expect(response.status).toBe(204);

    // This browser: the very same Hub session, and its SVD session with it.
    expect((await session(account.cookie))?.session.id).toBe(account.hereSessionId);
    expect(await svdSessionAlive(account.svdHere)).toBe(true);
    // The other browser: signed out of the Hub, and so of SVD.
    expect(await session(account.there)).toBeNull();
    expect(await svdSessionAlive(account.svdThere)).toBe(false);

    const { auth } = await import('@/lib/auth/auth');
    await expect(
      auth().api.signInEmail({ body: { email: account.email, password: account.password } }),
    ).rejects.toMatchObject({ status: 'UNAUTHORIZED' });
    expect(await signIn(account.email, 'a-new-password-7')).toContain('session_token=');
  });

  it('refuses a wrong current password and a weak new one, and changes nothing', async () => {
    const account = await twoBrowsers('chpwbad');
    const wrong = await change(account.cookie, {
      currentPassword: 'not-my-password-1',
      newPassword: 'a-new-password-7',
    });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Your current password is incorrect.',
    });
    const weak = await change(account.cookie, { currentPassword: account.password, newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(JSON.stringify(await weak.json())).toMatch(/at least 10 characters/);

    expect(await session(account.there)).not.toBeNull();
    expect(await svdSessionAlive(account.svdThere)).toBe(true);
    expect(await signIn(account.email, account.password)).toContain('session_token=');
  });

  it('answers 401 when signed out', async () => {
    const response = await change(undefined, { currentPassword: 'x', newPassword: 'a-new-password-7' });
    expect(response.status).toBe(401);
  });

  it('better-auth’s own change-password endpoint is closed to clients (it could leave other sessions alive)', async () => {
    const account = await twoBrowsers('chpwdirect');
    const { POST: authPost } = await import('../../auth/[...all]/route');
    const response = await authPost(
      new Request(`${HUB}/api/auth/change-password`, {
        method: 'POST',
        headers: { origin: HUB, cookie: account.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({
          currentPassword: account.password,
          newPassword: 'a-new-password-7',
          revokeOtherSessions: false,
        }),
      }),
      { params: Promise.resolve({ all: ['change-password'] }) },
    );
    expect(response.status).toBe(404);
    expect(await signIn(account.email, account.password)).toContain('session_token=');
    expect(await session(account.there)).not.toBeNull();
  });

  it('limits attempts per account', async () => {
    const account = await twoBrowsers('chpwlimit');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await change(account.cookie, {
        currentPassword: `wrong-guess-${i}`,
        newPassword: 'a-new-password-7',
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
