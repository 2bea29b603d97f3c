import { issueLaunchToken, type TAppId } from '@omg/contract';
import { schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, seedHubSession, uniqueEmail } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSvdSession } from '@/lib/auth/session';
import { GET, POST } from './route';

const SVD = process.env.SVD_URL ?? 'http://localhost:3101';
const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const SECRET = process.env.SSO_SECRET ?? '';
const hub = connectAs('hub');
const svd = connectAs('svd');
const noParams = { params: Promise.resolve({}) };

interface TUser {
  id: string;
  email: string;
  sid: string;
}

async function newHubUser(): Promise<TUser> {
  const email = uniqueEmail('sso');
  const id = await seedUser(hub.db, { email, password: 'a-password-123', name: 'Grace Hopper' });
  return { id, email, sid: await seedHubSession(hub.db, id) };
}

async function tokenFor(
  user: TUser,
  options: { audience?: TAppId; secret?: string; now?: Date; issuer?: string } = {},
) {
  const { token } = await issueLaunchToken({
    secret: options.secret ?? SECRET,
    issuer: options.issuer ?? HUB,
    audience: options.audience ?? 'app_securevault',
    user: { id: user.id, email: user.email, name: 'Grace Hopper', accountType: 'personal' },
    sessionId: user.sid,
    now: options.now,
  });
  return token;
}

function post(fields: Record<string, string>, cookie?: string) {
  const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded', origin: HUB });
  if (cookie) headers.set('cookie', cookie);
  return POST(
    new Request(`${SVD}/login`, { method: 'POST', headers, body: new URLSearchParams(fields) }),
    noParams,
  );
}

function cookieOf(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  expect(header).toMatch(/^svd_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  return header.split(';')[0] ?? '';
}

let alice: TUser;

beforeAll(async () => {
  alice = await newHubUser();
});

afterAll(async () => {
  await Promise.all([hub.pool.end(), svd.pool.end()]);
});

describe('SVD /login — consuming the hand-off', () => {
  it('accepts a posted token once: a session, a synced profile, a redirect without the token', async () => {
    const response = await post({ token: await tokenFor(alice) });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${SVD}/vault`);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = cookieOf(response);
    const session = await findSvdSession(svd.db, cookie.split('=')[1]);
    expect(session?.user).toMatchObject({ id: alice.id, email: alice.email, name: 'Grace Hopper' });
    const [profile] = await svd.db
      .select()
      .from(schema.userProfile)
      .where(eq(schema.userProfile.userId, alice.id));
    expect(profile?.lastLoginAt).toBeInstanceOf(Date);
  });

  it('refuses a replayed token with a clear page and no session', async () => {
    const token = await tokenFor(alice);
    expect((await post({ token })).status).toBe(303);
    const replay = await post({ token });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('set-cookie')).toBeNull();
    const html = await replay.text();
    expect(html).toContain('already used');
    expect(html).toContain(`${HUB}/portal`);
  });

  it('keeps the seeds’ GET /login?token= shape working and lands on the page asked for', async () => {
    const url = `${SVD}/login?token=${encodeURIComponent(await tokenFor(alice))}&returnTo=${encodeURIComponent('/vault?folder=1')}`;
    const response = await GET(new Request(url), noParams);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${SVD}/vault?folder=1`);
    expect(response.headers.get('location')).not.toContain('token');
    cookieOf(response);
  });

  it('never redirects to another site', async () => {
    for (const returnTo of ['https://evil.example/steal', '//evil.example', `${HUB}/portal`]) {
      const response = await post({ token: await tokenFor(alice), returnTo });
      expect(response.headers.get('location')).toBe(`${SVD}/vault`);
    }
  });

  it.each([
    ['expired', { now: new Date(Date.now() - 10 * 60_000) }, 401, 'has expired'],
    [
      'signed with another secret',
      { secret: 'another-secret-that-is-long-enough-1234' },
      401,
      'could not be verified',
    ],
    ['issued for another app', { audience: 'app_crm' as TAppId }, 401, 'different app'],
    ['from another issuer', { issuer: 'https://evil.example' }, 401, 'did not come from your portal'],
  ])('refuses a token %s with its own message', async (_, options, status, text) => {
    const response = await post({ token: await tokenFor(alice, options) });
    expect(response.status).toBe(status);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain(text);
  });

  it.each([
    ['malformed', { token: 'not.a.jwt' }, 'damaged'],
    ['missing', {}, 'incomplete'],
  ])('answers a %s token with 400 and a link back to the portal', async (_, fields, text) => {
    const response = await post(fields as Record<string, string>);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(text);
    expect(html).toContain('Back to your portal');
  });

  it('refuses a token whose Hub session has already ended', async () => {
    const bob = await newHubUser();
    const token = await tokenFor(bob);
    await hub.db.delete(schema.session).where(eq(schema.session.id, bob.sid));
    const response = await post({ token });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('logged out of OMG');
  });

  it('replaces the current SVD session when a token for another user arrives', async () => {
    const first = cookieOf(await post({ token: await tokenFor(alice) }));
    const carol = await newHubUser();
    const second = await post({ token: await tokenFor(carol) }, first);
    const secondCookie = cookieOf(second);
    expect(await findSvdSession(svd.db, first.split('=')[1])).toBeNull();
    expect((await findSvdSession(svd.db, secondCookie.split('=')[1]))?.userId).toBe(carol.id);
  });

  it('ends the SVD session as soon as its Hub session ends (single logout)', async () => {
    const dave = await newHubUser();
    const cookie = cookieOf(await post({ token: await tokenFor(dave) }));
    const value = cookie.split('=')[1];
    expect((await findSvdSession(svd.db, value))?.userId).toBe(dave.id);
    await hub.db.delete(schema.session).where(eq(schema.session.id, dave.sid));
    expect(await findSvdSession(svd.db, value)).toBeNull();
    const rows = await svd.db.select().from(schema.svdSession).where(eq(schema.svdSession.userId, dave.id));
    expect(rows).toEqual([]);
  });
});
