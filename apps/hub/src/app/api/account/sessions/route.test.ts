import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { signUpHubUser } from '@/testing/billing-test-env';
import { DELETE as endOne } from './[id]/route';
import { DELETE as endOthers } from './others/route';
import { GET } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const svd = connectAs('svd');
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

afterAll(async () => {
  await svd.pool.end();
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

async function sessionOf(cookie: string) {
  const { auth } = await import('@/lib/auth/auth');
  return auth().api.getSession({ headers: new Headers({ cookie }) });
}

/** A second browser (Firefox on Linux) signed in to the same account. */
async function signIn(email: string, password: string): Promise<string> {
  const { auth } = await import('@/lib/auth/auth');
  const response = await auth().api.signInEmail({
    body: { email, password },
    headers: new Headers({ 'user-agent': FIREFOX_LINUX }),
    asResponse: true,
  });
  expect(response.status).toBe(200);
  return (
    response.headers
      .getSetCookie()
      .find((c) => c.includes('session_token='))
      ?.split(';')[0] ?? ''
  );
}

/** An SVD session launched from the given Hub session, as SVD's hand-off writes it. */
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

/** SVD's rule, asked as SVD's role: an SVD session lives only while its Hub session does (findSvdSession). */
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
  const there = await signIn(here.email, `${prefix}-pass-12`);
  const [hereSession, thereSession] = await Promise.all([sessionOf(here.cookie), sessionOf(there)]);
  if (!hereSession || !thereSession) throw new Error('both browsers should be signed in');
  return {
    ...here,
    there,
    hereId: hereSession.session.id,
    thereId: thereSession.session.id,
    svdHere: await svdSessionOf(hereSession.session.id, here.userId),
    svdThere: await svdSessionOf(thereSession.session.id, here.userId),
  };
}

function call(
  handler: typeof GET,
  method: string,
  path: string,
  cookie?: string,
  params: Record<string, unknown> = {},
  origin: string = HUB,
) {
  const headers = new Headers({ origin });
  if (cookie) headers.set('cookie', cookie);
  return handler(new Request(`${HUB}${path}`, { method, headers }), { params: Promise.resolve(params) });
}

const list = async (cookie: string) => {
  const response = await call(GET, 'GET', '/api/account/sessions', cookie);
  expect(response.status).toBe(200);
  return (await response.json()).sessions as {
    id: string;
    device: string;
    current: boolean;
    createdAt: string;
    lastSeenAt: string;
    ipAddress: string | null;
  }[];
};

describe('/api/account/sessions', { timeout: 30_000 }, () => {
  it('lists the account’s devices, this one first and marked, with the device read from its user agent and never a token', async () => {
    const account = await twoBrowsers('sesslist');
    const sessions = await list(account.cookie);
    expect(sessions.map((s) => [s.id, s.current])).toEqual([
      [account.hereId, true],
      [account.thereId, false],
    ]);
    expect(sessions[1]?.device).toBe('Firefox 133 on Linux');
    expect(Number.isNaN(Date.parse(sessions[1]?.lastSeenAt ?? ''))).toBe(false);
    const token = account.there.split('=')[1]?.split('.')[0] ?? '';
    expect(token.length).toBeGreaterThan(10);
    expect(JSON.stringify(sessions)).not.toContain(token);
    // Another account sees only its own.
    const stranger = await signUpHubUser('sessstranger');
    expect((await list(stranger.cookie)).map((s) => s.id)).not.toContain(account.thereId);
  });

  it('ends one other device in the Hub and so in SVD; this device and its SVD session stay; a second click finds nothing', async () => {
    const account = await twoBrowsers('sessend');
    const path = `/api/account/sessions/${account.thereId}`;
    const response = await call(endOne, 'DELETE', path, account.cookie, { id: account.thereId });
    expect(response.status).toBe(204);
    expect(await sessionOf(account.there)).toBeNull();
    expect(await svdSessionAlive(account.svdThere)).toBe(false);
    expect((await sessionOf(account.cookie))?.session.id).toBe(account.hereId);
    expect(await svdSessionAlive(account.svdHere)).toBe(true);
    expect((await list(account.cookie)).map((s) => s.id)).toEqual([account.hereId]);

    const again = await call(endOne, 'DELETE', path, account.cookie, { id: account.thereId });
    expect(again.status).toBe(404);
  });

  it('cannot end another account’s session (the same 404 as an ended one), signed out is 401, cross-site is refused', async () => {
    const victim = await twoBrowsers('sessvictim');
    const attacker = await signUpHubUser('sessattacker');
    const path = `/api/account/sessions/${victim.thereId}`;
    const theirs = await call(endOne, 'DELETE', path, attacker.cookie, { id: victim.thereId });
    expect(theirs.status).toBe(404);
    expect((await theirs.json()).error.message).toBe('That session has already ended.');
    const signedOut = await call(endOne, 'DELETE', path, undefined, { id: victim.thereId });
    expect(signedOut.status).toBe(401);
    const crossSite = await call(
      endOne,
      'DELETE',
      path,
      victim.cookie,
      { id: victim.thereId },
      'https://evil.test',
    );
    expect(crossSite.status).toBe(403);
    const hostileId = await call(endOne, 'DELETE', '/api/account/sessions/x', victim.cookie, {
      id: 'x'.repeat(500),
    });
    expect(hostileId.status).toBe(400);
    expect(await sessionOf(victim.there)).not.toBeNull();
    expect(await svdSessionAlive(victim.svdThere)).toBe(true);
    expect((await call(GET, 'GET', '/api/account/sessions')).status).toBe(401);
  });

  it('“Sign out everywhere else” ends every other device in both apps and keeps this one; twice is harmless', async () => {
    const account = await twoBrowsers('sessothers');
    const third = await signIn(account.email, 'sessothers-pass-12');
    for (let i = 0; i < 2; i++) {
      const response = await call(endOthers, 'DELETE', '/api/account/sessions/others', account.cookie);
      expect(response.status).toBe(204);
    }
    expect(await sessionOf(account.there)).toBeNull();
    expect(await sessionOf(third)).toBeNull();
    expect(await svdSessionAlive(account.svdThere)).toBe(false);
    expect((await sessionOf(account.cookie))?.session.id).toBe(account.hereId);
    expect(await svdSessionAlive(account.svdHere)).toBe(true);
    expect((await call(endOthers, 'DELETE', '/api/account/sessions/others')).status).toBe(401);
  });
});
