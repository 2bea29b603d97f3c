import { randomUUID } from 'node:crypto';
import { SVD_APP_ID, type TLaunchClaims } from '@omg/contract';
import { schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, seedHubSession, uniqueEmail } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findSvdSession, SVD_SESSION_MAX_AGE_SECONDS } from './session';
import { spendLaunchToken } from './spend-launch-token';

const hub = connectAs('hub');
const svd = connectAs('svd');

afterAll(async () => {
  await Promise.all([hub.pool.end(), svd.pool.end()]);
});

async function claimsForNewUser(hubSessionSeconds = 3600): Promise<TLaunchClaims> {
  const email = uniqueEmail('spend');
  const sub = await seedUser(hub.db, { email, password: 'a-password-123', name: 'Ada' });
  const sid = await seedHubSession(hub.db, sub, hubSessionSeconds);
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'test',
    aud: SVD_APP_ID,
    sub,
    email,
    name: 'Ada',
    accountType: 'business',
    sid,
    jti: randomUUID(),
    iat: now,
    exp: now + 60,
  };
}

const sessionsOf = (userId: string) =>
  svd.db.select().from(schema.svdSession).where(eq(schema.svdSession.userId, userId));

describe('spendLaunchToken (one statement)', () => {
  it('spends a token once even when ten deliveries race: one session, one profile, nine already used', async () => {
    const claims = await claimsForNewUser();
    const results = await Promise.all(Array.from({ length: 10 }, () => spendLaunchToken(svd.db, claims)));
    const accepted = results.filter((result) => result.ok);
    expect(accepted).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === 'already_used')).toHaveLength(9);
    expect(await sessionsOf(claims.sub)).toHaveLength(1);
    const session = accepted[0]?.ok ? await findSvdSession(svd.db, accepted[0].sessionToken) : null;
    expect(session?.user).toEqual({
      id: claims.sub,
      email: claims.email,
      name: 'Ada',
      accountType: 'business',
    });
  });

  it('lasts no longer than the Hub session, and at most the SVD maximum', async () => {
    const short = await claimsForNewUser(600);
    const spentShort = await spendLaunchToken(svd.db, short);
    expect(spentShort.ok && spentShort.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(600_000);
    expect(spentShort.ok && spentShort.expiresAt.getTime() - Date.now()).toBeGreaterThan(590_000);
    const long = await claimsForNewUser(7 * 86_400);
    const spentLong = await spendLaunchToken(svd.db, long);
    const cap = SVD_SESSION_MAX_AGE_SECONDS * 1000;
    expect(spentLong.ok && spentLong.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(cap);
    expect(spentLong.ok && spentLong.expiresAt.getTime() - Date.now()).toBeGreaterThan(cap - 10_000);
  });

  it('writes nothing when the Hub session has ended: no spent token, no profile, no session', async () => {
    const claims = await claimsForNewUser();
    await hub.db.delete(schema.session).where(eq(schema.session.id, claims.sid));
    expect(await spendLaunchToken(svd.db, claims)).toEqual({ ok: false, reason: 'hub_session_ended' });
    const spent = await svd.db
      .select()
      .from(schema.usedLaunchToken)
      .where(eq(schema.usedLaunchToken.jti, claims.jti));
    const profiles = await svd.db
      .select()
      .from(schema.userProfile)
      .where(eq(schema.userProfile.userId, claims.sub));
    expect([spent.length, profiles.length, (await sessionsOf(claims.sub)).length]).toEqual([0, 0, 0]);
  });

  it('refreshes an existing profile from the claims', async () => {
    const claims = await claimsForNewUser();
    expect((await spendLaunchToken(svd.db, claims)).ok).toBe(true);
    const renamed = { ...claims, jti: randomUUID(), name: 'Ada Lovelace', email: uniqueEmail('renamed') };
    expect((await spendLaunchToken(svd.db, renamed)).ok).toBe(true);
    const [profile] = await svd.db
      .select()
      .from(schema.userProfile)
      .where(eq(schema.userProfile.userId, claims.sub));
    expect(profile).toMatchObject({ name: 'Ada Lovelace', email: renamed.email });
  });
});
