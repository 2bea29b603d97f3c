import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createAuth } from './auth';
import { readHubSession } from './read-hub-session';

const hub = connectAs('hub');
const auth = createAuth(hub.db);
const DAY_MS = 86_400_000;

afterAll(async () => {
  await hub.pool.end();
});

/** A new account signed in, as a browser holds it: the session cookie and the row behind it. */
async function signedIn(): Promise<{ headers: Headers; userId: string; token: string }> {
  const response = await auth.api.signUpEmail({
    body: { email: uniqueEmail('read-session'), password: 'read-session-pass-123', name: 'Reader' },
    asResponse: true,
  });
  const cookie = response.headers
    .getSetCookie()
    .find((c) => c.includes('session_token='))
    ?.split(';')[0];
  if (!cookie) throw new Error('sign-up set no session cookie');
  const { user } = (await response.json()) as { user: { id: string } };
  const [row] = await hub.db
    .select({ token: schema.session.token })
    .from(schema.session)
    .where(eq(schema.session.userId, user.id));
  return { headers: new Headers({ cookie }), userId: user.id, token: row?.token ?? '' };
}

const setExpiry = (token: string, expiresAt: Date) =>
  hub.db.update(schema.session).set({ expiresAt }).where(eq(schema.session.token, token));

describe('readHubSession', () => {
  it('answers exactly what better-auth’s getSession answers, with one statement', async () => {
    const { headers } = await signedIn();
    const query = vi.spyOn(hub.pool, 'query');
    const read = await readHubSession(auth, hub.db, headers);
    expect(query).toHaveBeenCalledTimes(1);
    query.mockRestore();
    expect(read).not.toBeNull();
    expect(read).toEqual(await auth.api.getSession({ headers }));
  });

  it('refuses a missing, forged or unknown cookie as getSession does', async () => {
    const { headers } = await signedIn();
    const cookie = headers.get('cookie') ?? '';
    const [name, value = ''] = cookie.split('=');
    const signed = decodeURIComponent(value);
    const dot = signed.lastIndexOf('.');
    const variants = [
      '',
      'other=1',
      `${name}=`,
      // The right token without its signature, with another token's signature, or a signature of the wrong length.
      `${name}=${signed.slice(0, dot)}`,
      `${name}=${encodeURIComponent(`${signed.slice(0, dot)}x${signed.slice(dot)}`)}`,
      `${name}=${encodeURIComponent(`${signed.slice(0, dot)}.${'A'.repeat(43)}=`)}`,
      `${name}=${encodeURIComponent(`${signed}x`)}`,
    ];
    for (const variant of variants) {
      const forged = new Headers(variant ? { cookie: variant } : {});
      expect(await readHubSession(auth, hub.db, forged), variant).toBeNull();
      expect(await auth.api.getSession({ headers: forged }), variant).toBeNull();
    }
  });

  it('refuses a revoked session, and a banned or deleted account even with a session row left', async () => {
    const revoked = await signedIn();
    await hub.db.delete(schema.session).where(eq(schema.session.token, revoked.token));
    expect(await readHubSession(auth, hub.db, revoked.headers)).toBeNull();

    for (const column of ['bannedAt', 'deletedAt'] as const) {
      const { headers, userId } = await signedIn();
      expect(await readHubSession(auth, hub.db, headers)).not.toBeNull();
      await hub.db
        .update(schema.user)
        .set({ [column]: new Date() })
        .where(eq(schema.user.id, userId));
      expect(await readHubSession(auth, hub.db, headers), column).toBeNull();
    }
  });

  it('refuses an expired session and lets better-auth delete it', async () => {
    const { headers, token } = await signedIn();
    await setExpiry(token, new Date(Date.now() - 1000));
    expect(await readHubSession(auth, hub.db, headers)).toBeNull();
    const left = await hub.db.select().from(schema.session).where(eq(schema.session.token, token));
    expect(left).toEqual([]);
  });

  it('leaves the daily sliding refresh to better-auth, which extends the session', async () => {
    const { headers, token } = await signedIn();
    // Seven-day sessions are refreshed once they are a day old: this one has five days left.
    await setExpiry(token, new Date(Date.now() + 5 * DAY_MS));
    const read = await readHubSession(auth, hub.db, headers);
    expect(read?.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6.9 * DAY_MS);
    const [row] = await hub.db
      .select({ expiresAt: schema.session.expiresAt })
      .from(schema.session)
      .where(eq(schema.session.token, token));
    expect(row?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6.9 * DAY_MS);
  });
});
