import { createHmac, randomUUID } from 'node:crypto';
import { createLaunchState, issueLaunchToken } from '@omg/contract';
import { schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { connectAs, seedHubSession, uniqueEmail } from '@omg/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { POST } from './route';

const SVD = process.env.SVD_URL ?? 'http://localhost:3101';
const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const SECRET = process.env.SSO_SECRET ?? '';
const hub = connectAs('hub');
const svd = connectAs('svd');
const STATE = createLaunchState();

afterAll(async () => {
  await Promise.all([hub.pool.end(), svd.pool.end()]);
});

function post(token: string) {
  const headers = new Headers({
    'content-type': 'application/x-www-form-urlencoded',
    origin: HUB,
    cookie: `svd_launch=${STATE}`,
  });
  return POST(
    new Request(`${SVD}/login`, { method: 'POST', headers, body: new URLSearchParams({ token }) }),
    {
      params: Promise.resolve({}),
    },
  );
}

async function newHubUser() {
  const email = uniqueEmail('business-launch');
  const id = await seedUser(hub.db, { email, password: 'a-password-123', name: 'Team Member' });
  return { id, email, sid: await seedHubSession(hub.db, id) };
}

// Issue 15: SVD only accepts and validates the business claims for now; its team space (a later session) acts on them.
describe('SVD /login with a business launch token', () => {
  it('signs in with organizationId + organizationRole, and the profile stays the person’s own', async () => {
    const user = await newHubUser();
    const { token } = await issueLaunchToken({
      secret: SECRET,
      issuer: HUB,
      audience: 'app_securevault',
      user: { id: user.id, email: user.email, name: 'Team Member', accountType: 'personal' },
      sessionId: user.sid,
      nonce: STATE,
      organization: { id: randomUUID(), role: 'viewer' },
    });
    const response = await post(token);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${SVD}/vault`);
    const [profile] = await svd.db
      .select()
      .from(schema.userProfile)
      .where(eq(schema.userProfile.userId, user.id));
    expect(profile?.accountType).toBe('personal');
  });

  it.each([
    ['an organization without a role', { organizationId: 'org_1' }],
    ['a role nobody has', { organizationId: 'org_1', organizationRole: 'superuser' }],
  ])('refuses a Hub-signed token with %s: no session', async (_label, extra) => {
    const user = await newHubUser();
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: HUB,
      aud: 'app_securevault',
      sub: user.id,
      email: user.email,
      name: 'Team Member',
      accountType: 'personal',
      sid: user.sid,
      jti: randomUUID(),
      iat: now,
      exp: now + 120,
      nonce: STATE,
      ...extra,
    };
    // Signed by hand with the real secret (HS256): the Hub's issueLaunchToken would refuse to make it.
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
    const token = `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
    const response = await post(token);
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie') ?? '').not.toContain('svd_session=');
    expect(await response.text()).toContain('missing required information');
  });
});
