import { createLaunchState, issueLaunchToken } from '@omg/contract';
import { seedUser } from '@omg/db/setup';
import { connectAs, seedHubSession, uniqueEmail } from '@omg/db/testing';
import { hostileRedirectTargets } from '@omg/platform/testing/redirect-targets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as login, POST } from './route';
import { GET as start } from './start/route';

const SVD = process.env.SVD_URL ?? 'http://localhost:3101';
const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const hub = connectAs('hub');
const noParams = { params: Promise.resolve({}) };
const STATE = createLaunchState();
let user: { id: string; email: string; sid: string };

beforeAll(async () => {
  const email = uniqueEmail('return-to');
  const id = await seedUser(hub.db, { email, password: 'a-password-123', name: 'Return To' });
  user = { id, email, sid: await seedHubSession(hub.db, id) };
});

afterAll(async () => {
  await hub.pool.end();
});

async function token(): Promise<string> {
  const issued = await issueLaunchToken({
    secret: process.env.SSO_SECRET ?? '',
    issuer: HUB,
    audience: 'app_securevault',
    user: { id: user.id, email: user.email, name: 'Return To', accountType: 'personal' },
    sessionId: user.sid,
    nonce: STATE,
  });
  return issued.token;
}

// SVD's own origin is the only one a returnTo may name: the table is in its terms, plus the Hub itself.
const hostile = [...hostileRedirectTargets({ self: SVD }), ['the Hub itself', `${HUB}/portal`]] as [
  string,
  unknown,
][];
// Forms and queries hold text only, and a repeated field reaches the route as its first value.
const asText = hostile.filter(
  ([, target]) => typeof target === 'string' || (Array.isArray(target) && target[0] !== '/portal'),
);
const fields = (target: unknown) => (Array.isArray(target) ? target : [target]).map(String);

describe('SVD /login and /login/start: returnTo lands on SVD itself or on the vault', () => {
  it.each(asText)('%s', async (_label, target) => {
    const startQuery = new URLSearchParams(fields(target).map((value) => ['returnTo', value]));
    const started = await start(new Request(`${SVD}/login/start?${startQuery}`), noParams);
    expect(started.status).toBe(303);
    const launch = new URL(started.headers.get('location') ?? '');
    expect(`${launch.origin}${launch.pathname}`).toBe(`${HUB}/launch/securevault`);
    expect(launch.searchParams.get('returnTo')).toBe('/vault');

    const form = new URLSearchParams([
      ['token', await token()],
      ...fields(target).map((v) => ['returnTo', v]),
    ]);
    const posted = await POST(
      new Request(`${SVD}/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: HUB,
          cookie: `svd_launch=${STATE}`,
        },
        body: form,
      }),
      noParams,
    );
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`${SVD}/vault`);

    const query = new URLSearchParams([
      ['token', await token()],
      ...fields(target).map((v) => ['returnTo', v]),
    ]);
    const got = await login(
      new Request(`${SVD}/login?${query}`, { headers: { cookie: `svd_launch=${STATE}` } }),
      noParams,
    );
    expect(got.status).toBe(303);
    expect(got.headers.get('location')).toBe(`${SVD}/vault`);
  });

  it.each([
    ['/vault?folder=1', '/vault?folder=1'],
    [`${SVD}/vault/../vault?x=1`, '/vault?x=1'],
    ['/login?returnTo=%2Fvault', '/vault'],
  ])('%s lands on %s', async (target, landing) => {
    const started = await start(
      new Request(`${SVD}/login/start?${new URLSearchParams({ returnTo: target })}`),
      noParams,
    );
    expect(new URL(started.headers.get('location') ?? '').searchParams.get('returnTo')).toBe(landing);
    const posted = await POST(
      new Request(`${SVD}/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: HUB,
          cookie: `svd_launch=${STATE}`,
        },
        body: new URLSearchParams({ token: await token(), returnTo: target }),
      }),
      noParams,
    );
    expect(posted.headers.get('location')).toBe(`${SVD}${landing}`);
  });
});
