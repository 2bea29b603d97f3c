import { createLaunchState, issueLaunchToken, type TAppId } from '@omg/contract';
import { schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, seedHubSession, uniqueEmail } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSvdSession } from '@/lib/auth/session';
import { GET, POST } from './route';
import { GET as START } from './start/route';

const SVD = process.env.SVD_URL ?? 'http://localhost:3101';
const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const SECRET = process.env.SSO_SECRET ?? '';
const hub = connectAs('hub');
const svd = connectAs('svd');
const noParams = { params: Promise.resolve({}) };
/** This test browser's binding, as /login/start would have set it; tokens carry it unless a test says not. */
const STATE = createLaunchState();
const BOUND = `svd_launch=${STATE}`;

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
  options: { audience?: TAppId; secret?: string; now?: Date; issuer?: string; nonce?: string | null } = {},
) {
  const { token } = await issueLaunchToken({
    secret: options.secret ?? SECRET,
    issuer: options.issuer ?? HUB,
    audience: options.audience ?? 'app_securevault',
    user: { id: user.id, email: user.email, name: 'Grace Hopper', accountType: 'personal' },
    sessionId: user.sid,
    now: options.now,
    ...(options.nonce === null ? {} : { nonce: options.nonce ?? STATE }),
  });
  return token;
}

function post(fields: Record<string, string>, cookie?: string, binding: string | null = BOUND) {
  const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded', origin: HUB });
  const cookies = [binding, cookie].filter(Boolean).join('; ');
  if (cookies) headers.set('cookie', cookies);
  return POST(
    new Request(`${SVD}/login`, { method: 'POST', headers, body: new URLSearchParams(fields) }),
    noParams,
  );
}

function cookieOf(response: Response): string {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('svd_session=')) ?? '';
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
    // /login is outside proxy.ts: the route itself sends the policy, with a fresh nonce each time.
    const csp = replay.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    const accepted = await post({ token: await tokenFor(alice) });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('content-security-policy')).toMatch(/'nonce-[^']+'/);
    expect(accepted.headers.get('content-security-policy')).not.toBe(csp);
  });

  it('keeps the seeds’ GET /login?token= shape working and lands on the page asked for', async () => {
    const url = `${SVD}/login?token=${encodeURIComponent(await tokenFor(alice))}&returnTo=${encodeURIComponent('/vault?folder=1')}`;
    const response = await GET(new Request(url, { headers: { cookie: BOUND } }), noParams);
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

function confirmValue(html: string): string | null {
  return /name="confirm" value="([^"]+)"/.exec(html)?.[1] ?? null;
}

function setCookie(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

describe('SVD /login — the hand-off is bound to the browser that asked for it (login CSRF)', () => {
  it('/login/start binds this browser and goes to the Hub with the same state, keeping a safe returnTo', async () => {
    for (const [returnTo, landing] of [
      ['/vault?folder=2', '/vault?folder=2'],
      ['https://evil.example/x', '/vault'],
      ['//evil.example', '/vault'],
      ['/login?token=x', '/vault'],
    ] as const) {
      const url = `${SVD}/login/start?returnTo=${encodeURIComponent(returnTo)}`;
      const response = await START(new Request(url), noParams);
      expect(response.status).toBe(303);
      const binding = setCookie(response, 'svd_launch') ?? '';
      expect(binding).toMatch(
        /^svd_launch=[A-Za-z0-9_-]{43}; Path=\/login; HttpOnly; Max-Age=300; SameSite=Lax$/,
      );
      const state = binding.split(';')[0]?.split('=')[1];
      expect(response.headers.get('location')).toBe(
        `${HUB}/launch/securevault?returnTo=${encodeURIComponent(landing)}&state=${state}`,
      );
    }
  });

  it('keeps up to four pending launches (two tabs) and spends only the one a sign-in used', async () => {
    const first = await START(new Request(`${SVD}/login/start`), noParams);
    const firstState = setCookie(first, 'svd_launch')?.split(';')[0] ?? '';
    const second = await START(
      new Request(`${SVD}/login/start`, { headers: { cookie: firstState } }),
      noParams,
    );
    const both = setCookie(second, 'svd_launch')?.split(';')[0] ?? '';
    const [newer, older] = both.split('=')[1]?.split('.') ?? [];
    expect(older).toBe(firstState.split('=')[1]);
    const response = await post({ token: await tokenFor(alice, { nonce: older }) }, undefined, both);
    expect(response.status).toBe(303);
    cookieOf(response);
    expect(setCookie(response, 'svd_launch')).toMatch(new RegExp(`^svd_launch=${newer}; Path=/login;`));
  });

  it.each([
    ['a token minted in another browser', { nonce: createLaunchState() }, BOUND],
    ['a token without a binding (an issuer that cannot bind)', { nonce: null }, BOUND],
    ['a bound token arriving in a browser with no binding cookie', {}, null],
    ['a bound token next to a garbage binding cookie', {}, `svd_launch=${'x'.repeat(10)}.${'<'.repeat(43)}`],
  ] as const)('asks "Continue as <email>?" for %s, and spends nothing', async (_, options, binding) => {
    const token = await tokenFor(alice, options);
    const response = await post({ token, returnTo: '/vault?from=mail' }, undefined, binding);
    expect(response.status).toBe(200);
    expect(setCookie(response, 'svd_session')).toBeUndefined();
    const html = await response.text();
    expect(html).toContain(`Continue as ${alice.email}?`);
    expect(html).toContain('value="/vault?from=mail"');
    expect(confirmValue(html)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Not spent: the same token still works once the binding is right.
    expect((await post({ token: await tokenFor(alice) })).status).toBe(303);
    const [used] = await svd.db
      .select()
      .from(schema.usedLaunchToken)
      .where(eq(schema.usedLaunchToken.userId, alice.id));
    expect(used).toBeDefined();
  });

  it('signs in after "Continue" only with the value of the page it showed to this browser', async () => {
    const token = await tokenFor(alice, { nonce: null });
    const page = await post({ token }, undefined, null);
    const value = confirmValue(await page.text()) ?? '';
    const confirmCookie = setCookie(page, 'svd_launch_confirm')?.split(';')[0] ?? '';
    expect(setCookie(page, 'svd_launch_confirm')).toMatch(
      /; Path=\/login; HttpOnly; Max-Age=300; SameSite=Lax$/,
    );

    // A forged "continue" from another site knows neither the cookie nor the value.
    for (const [fields, cookie] of [
      [{ token, confirm: value }, undefined],
      [{ token, confirm: createLaunchState() }, confirmCookie],
      [{ token, confirm: '' }, confirmCookie],
      [{ token, confirm: `${value} ` }, confirmCookie],
    ] as const) {
      const forged = await post(fields, cookie, null);
      expect(forged.status).toBe(200);
      expect(setCookie(forged, 'svd_session')).toBeUndefined();
    }
    // A GET cannot confirm at all.
    const viaGet = await GET(
      new Request(`${SVD}/login?token=${encodeURIComponent(token)}&confirm=${value}`, {
        headers: { cookie: confirmCookie },
      }),
      noParams,
    );
    expect(viaGet.status).toBe(200);
    expect(setCookie(viaGet, 'svd_session')).toBeUndefined();

    const confirmed = await post({ token, confirm: value }, confirmCookie, null);
    expect(confirmed.status).toBe(303);
    const session = await findSvdSession(svd.db, cookieOf(confirmed).split('=')[1]);
    expect(session?.userId).toBe(alice.id);
    expect(setCookie(confirmed, 'svd_launch_confirm')).toMatch(/Max-Age=0/);
    expect((await post({ token, confirm: value }, confirmCookie, null)).status).toBe(401);
  });

  it('refuses a bad token before any question of binding', async () => {
    const response = await post({ token: 'not.a.jwt' }, undefined, null);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('Continue as');
  });
});
