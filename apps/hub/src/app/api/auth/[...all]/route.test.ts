import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { toNextJsHandler } from 'better-auth/next-js';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '@/lib/auth/auth';
import { rateLimitKey } from '@/lib/rate-limit/consume-rate-limit';
import { RATE_LIMITS } from '@/lib/rate-limit/rules';
import { GET, POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
let ipCounter = 0;

/** Each test comes from its own address so the login rate limit only counts what the test means it to. */
function clientIp() {
  ipCounter += 1;
  return `203.0.113.${ipCounter}`;
}

/** A fresh address outside the ones clientIp hands out, for tests that need many. */
function randomIp() {
  const bytes = Array.from(crypto.getRandomValues(new Uint8Array(3)));
  return `10.${bytes.join('.')}`;
}

type THandler = (request: Request) => Promise<Response>;

/** The Hub's real auth route (better-auth behind apiRoute), by method. */
const hubRoute: THandler = (request) =>
  (request.method === 'GET' ? GET : POST)(request, {
    params: Promise.resolve({ all: new URL(request.url).pathname.split('/').slice(3) }),
  });

const secondPool = connectAs('hub');
const admin = connectAs('admin');
const servers: Record<'proxied' | 'direct' | 'directV6' | 'otherInstance', TServedOverHttp | undefined> = {
  proxied: undefined,
  direct: undefined,
  directV6: undefined,
  otherInstance: undefined,
};

beforeAll(async () => {
  // As deployed behind one proxy (TRUSTED_PROXY_HOPS=1): the test's x-forwarded-for is what the proxy appended.
  servers.proxied = await serveOverHttp(hubRoute, { hops: 1, origin: HUB });
  // Reached directly (TRUSTED_PROXY_HOPS=0): the client is the socket, whatever it writes.
  servers.direct = await serveOverHttp(hubRoute, { hops: 0, origin: HUB });
  servers.directV6 = await serveOverHttp(hubRoute, { hops: 0, origin: HUB, host: '::1' });
  // A second Hub instance: its own better-auth and its own pool, on the same database.
  const other = toNextJsHandler(createAuth(secondPool.db));
  servers.otherInstance = await serveOverHttp((request) => other.POST(request), { hops: 1, origin: HUB });
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server?.close()));
  await Promise.all([secondPool.pool.end(), admin.pool.end()]);
});

async function call(
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; cookie?: string; ip: string; via?: keyof typeof servers },
) {
  const headers = new Headers({ origin: HUB, 'x-forwarded-for': options.ip });
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  if (options.cookie) headers.set('cookie', options.cookie);
  const response = await fetch(`${servers[options.via ?? 'proxied']?.url}/api/auth${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: 'manual',
  });
  const text = await response.text();
  return { response, json: text ? JSON.parse(text) : null };
}

const signIn = (email: string, password: string, ip: string, via?: keyof typeof servers) =>
  call('POST', '/sign-in/email', { ip, via, body: { email, password } });

async function newAccount(prefix: string): Promise<{ email: string; password: string }> {
  const email = uniqueEmail(prefix);
  const password = 'correct-horse-42';
  const signUp = await call('POST', '/sign-up/email', {
    ip: randomIp(),
    body: { email, password, name: 'N' },
  });
  expect(signUp.response.status).toBe(200);
  return { email, password };
}

function expectRateLimited(result: Awaited<ReturnType<typeof call>>, message: RegExp) {
  expect(result.response.status).toBe(429);
  expect(result.json.message).toMatch(message);
  const retryAfter = Number(result.response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(result.json.message).toMatch(/try again in \d+ (second|minute)s?\./);
}

function hasSessionCookie(response: Response): boolean {
  return response.headers
    .getSetCookie()
    .some((c) => c.includes('session_token=') && !c.includes('Max-Age=0'));
}

function sessionCookie(response: Response): string {
  const cookies = response.headers.getSetCookie();
  const session = cookies.find((c) => c.includes('session_token='));
  expect(session, 'a session cookie is set').toBeDefined();
  expect(session).toMatch(/HttpOnly/i);
  expect(session).toMatch(/SameSite=Lax/i);
  return (session ?? '').split(';')[0] ?? '';
}

describe('Hub accounts through the real auth routes', () => {
  it('signs up, reads the session, logs out, and logs back in', async () => {
    const ip = clientIp();
    const email = uniqueEmail('signup');
    const signUp = await call('POST', '/sign-up/email', {
      ip,
      body: { email, password: 'correct-horse-42', name: 'Ada Lovelace' },
    });
    expect(signUp.response.status).toBe(200);
    expect(signUp.json.user).toMatchObject({ email, name: 'Ada Lovelace', accountType: 'personal' });
    expect(signUp.json.user.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const cookie = sessionCookie(signUp.response);

    const session = await call('GET', '/get-session', { ip, cookie });
    expect(session.json.user.email).toBe(email);

    const signOut = await call('POST', '/sign-out', { ip, cookie, body: {} });
    expect(signOut.response.status).toBe(200);
    const after = await call('GET', '/get-session', { ip, cookie });
    expect(after.json).toBeNull();

    const signIn = await call('POST', '/sign-in/email', {
      ip,
      body: { email: email.toUpperCase(), password: 'correct-horse-42' },
    });
    expect(signIn.response.status).toBe(200);
    expect(signIn.json.user.email).toBe(email);
    sessionCookie(signIn.response);
  });

  it('answers a taken email, in any letter case, like a new sign-up, without signing anyone in', async () => {
    const ip = clientIp();
    const email = uniqueEmail('taken');
    await call('POST', '/sign-up/email', {
      ip,
      body: { email, password: 'correct-horse-42', name: 'First' },
    });
    const again = await call('POST', '/sign-up/email', {
      ip,
      body: { email: email.toUpperCase(), password: 'another-pass-77', name: 'Second' },
    });
    expect(again.response.status).toBe(200);
    expect(again.json).toMatchObject({ token: null, user: { email, name: 'Second' } });
    expect(hasSessionCookie(again.response)).toBe(false);
    // The account is untouched: still one, its own password works, the second one does not.
    const users = await admin.db
      .select()
      .from(schema.user)
      .where(sql`lower(${schema.user.email}) = ${email}`);
    expect(users).toHaveLength(1);
    expect(again.json.user.id).not.toBe(users[0]?.id);
    expect((await signIn(email, 'another-pass-77', randomIp())).response.status).toBe(401);
    expect((await signIn(email, 'correct-horse-42', randomIp())).response.status).toBe(200);
  });

  it.each([
    ['short1', 'at least 10 characters'],
    ['onlyletterspassword', 'at least one number'],
    ['1234567890123', 'at least one letter'],
  ])('refuses the weak password %s, saying why', async (password, why) => {
    const result = await call('POST', '/sign-up/email', {
      ip: clientIp(),
      body: { email: uniqueEmail('weak'), password, name: 'Weak' },
    });
    expect(result.response.status).toBe(400);
    expect(result.json.message.toLowerCase()).toContain(why);
  });

  it('answers a wrong password with a generic error and sets no session', async () => {
    const ip = clientIp();
    const email = uniqueEmail('wrong');
    await call('POST', '/sign-up/email', { ip, body: { email, password: 'correct-horse-42', name: 'W' } });
    const result = await call('POST', '/sign-in/email', {
      ip,
      body: { email, password: 'incorrect-horse-42' },
    });
    expect(result.response.status).toBe(401);
    expect(result.json.code).toBe('INVALID_EMAIL_OR_PASSWORD');
    expect(
      result.response.headers
        .getSetCookie()
        .some((c) => c.includes('session_token=') && !c.includes('Max-Age=0')),
    ).toBe(false);
  });

  it('rate-limits repeated login attempts from one address', async () => {
    const ip = clientIp();
    const email = uniqueEmail('limited');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const result = await call('POST', '/sign-in/email', {
        ip,
        body: { email, password: 'not-the-password-1' },
      });
      statuses.push(result.response.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another address is not affected.
    const other = await call('POST', '/sign-in/email', {
      ip: clientIp(),
      body: { email, password: 'not-the-password-1' },
    });
    expect(other.response.status).toBe(401);
  });
});

describe('client addresses: the session records, and the limits count, the address the rule resolves', () => {
  it.each([
    ['proxied', '203.0.113.201', '203.0.113.201'],
    ['proxied', '6.6.6.6, 7.7.7.7, 203.0.113.202', '203.0.113.202'],
    ['proxied', '2001:DB8:0::202', '2001:db8::202'],
    ['direct', '203.0.113.203', '127.0.0.1'],
    ['directV6', '203.0.113.204', '::1'],
  ] as const)('via %s, x-forwarded-for %j → the session records %s', async (via, forwardedFor, recorded) => {
    const email = uniqueEmail('addr');
    const signUp = await call('POST', '/sign-up/email', {
      ip: forwardedFor,
      via,
      body: { email, password: 'correct-horse-42', name: 'Addr' },
    });
    expect(signUp.response.status).toBe(200);
    const sessions = await admin.db
      .select({ ipAddress: schema.session.ipAddress })
      .from(schema.session)
      .innerJoin(schema.user, eq(schema.user.id, schema.session.userId))
      .where(eq(schema.user.email, email));
    expect(sessions).toEqual([{ ipAddress: recorded }]);
  });

  it.each([
    ['rotating spoofed first entries', (i: number, ip: string) => `198.18.0.${i}, ${ip}`],
    ['the same address, IPv4-mapped', (i: number, ip: string) => (i % 2 ? ip : `::ffff:${ip}`)],
    ['a port on the entry', (i: number, ip: string) => `${ip}:${4000 + i}`],
  ])('a client cannot escape the per-address limit with %s', async (_label, forge) => {
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push((await signIn(uniqueEmail('forge'), 'whatever-pass-1', forge(i, ip))).response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('a directly connected client cannot choose its address at all (hops 0)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const forged = `${randomIp()}, ${randomIp()}`;
      statuses.push(
        (await signIn(uniqueEmail('direct'), 'whatever-pass-1', forged, 'direct')).response.status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('counts an IPv6 client per /64, so rotating inside it does not help', async () => {
    const prefix = `2001:db8:${randomUUID().slice(0, 4)}:1`;
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i += 1) {
      statuses.push((await signIn(uniqueEmail('v6'), 'whatever-pass-1', `${prefix}::${i}`)).response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const otherNetwork = await signIn(
      uniqueEmail('v6'),
      'whatever-pass-1',
      `2001:db8:${randomUUID().slice(0, 4)}:2::1`,
    );
    expect(otherNetwork.response.status).toBe(401);
  });
});

describe('sign-in and sign-up limits (PostgreSQL, per address and per account)', () => {
  it('slows a guess at one account spread over many addresses, then lets the owner back in', async () => {
    const { email, password } = await newAccount('guessed');
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const wrong = await signIn(email, `wrong-guess-${attempt}`, randomIp());
      expect(wrong.response.status).toBe(401);
    }
    const eleventh = await signIn(email, 'wrong-guess-11', randomIp());
    expectRateLimited(eleventh, /Too many failed sign-ins for this email/);
    // During the window even the right password waits: the guesser cannot learn it by trying.
    expect((await signIn(email, password, randomIp())).response.status).toBe(429);
    // Another account is not affected.
    const other = await newAccount('bystander');
    expect((await signIn(other.email, other.password, randomIp())).response.status).toBe(200);
    // The window ends (moved back 15 minutes here): the owner signs in; the lock was never for good.
    await admin.db.execute(
      sql`UPDATE core."RateLimit" SET "lastRequest" = "lastRequest" - 900000 WHERE "key" = ${rateLimitKey(RATE_LIMITS.signInFailuresPerAccount, email)}`,
    );
    expect((await signIn(email.toUpperCase(), password, randomIp())).response.status).toBe(200);
  }, 30_000);

  it('does not count right passwords against the account', async () => {
    const { email, password } = await newAccount('regular');
    for (let attempt = 0; attempt < 12; attempt += 1) {
      expect((await signIn(email, password, randomIp())).response.status).toBe(200);
    }
  }, 30_000);

  it('limits one address trying many accounts', async () => {
    const ip = randomIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      statuses.push((await signIn(uniqueEmail('sprayed'), 'spray-pass-1', ip)).response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expectRateLimited(
      await signIn(uniqueEmail('sprayed'), 'spray-pass-1', ip),
      /Too many sign-in attempts from your network/,
    );
  });

  it('limits sign-ups per address', async () => {
    const ip = randomIp();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const signUp = await call('POST', '/sign-up/email', {
        ip,
        body: { email: uniqueEmail('many'), password: 'correct-horse-42', name: 'Many' },
      });
      expect(signUp.response.status).toBe(200);
    }
    const sixth = await call('POST', '/sign-up/email', {
      ip,
      body: { email: uniqueEmail('many'), password: 'correct-horse-42', name: 'Many' },
    });
    expectRateLimited(sixth, /Too many sign-up attempts from your network/);
  });

  it('holds the limits across two Hub instances on one database', async () => {
    const { email } = await newAccount('two-instances');
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const via = attempt % 2 ? 'otherInstance' : 'proxied';
      expect((await signIn(email, `wrong-guess-${attempt}`, randomIp(), via)).response.status).toBe(401);
    }
    expect((await signIn(email, 'wrong-guess-10', randomIp(), 'otherInstance')).response.status).toBe(429);
    expect((await signIn(email, 'wrong-guess-11', randomIp(), 'proxied')).response.status).toBe(429);

    const ip = randomIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const via = attempt % 2 ? 'otherInstance' : 'proxied';
      statuses.push((await signIn(uniqueEmail('shared'), 'spray-pass-1', ip, via)).response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  }, 30_000);
});

/** The JSON shape of a body: its keys (recursively) and the types of their values. */
function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shapeOf(inner)]),
    );
  }
  return typeof value;
}

async function median(samples: (() => Promise<unknown>)[]): Promise<number> {
  const times: number[] = [];
  for (const sample of samples) {
    const started = performance.now();
    await sample();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

describe('login and sign-up answers do not tell whether an email has an account', () => {
  it('answers a taken email with the same status and body shape as a new one', async () => {
    const { email } = await newAccount('enumerated');
    const taken = await call('POST', '/sign-up/email', {
      ip: randomIp(),
      body: { email, password: 'some-pass-123', name: 'Probe' },
    });
    const fresh = await call('POST', '/sign-up/email', {
      ip: randomIp(),
      body: { email: uniqueEmail('fresh'), password: 'some-pass-123', name: 'Probe' },
    });
    expect(taken.response.status).toBe(fresh.response.status);
    expect(taken.response.headers.get('content-type')).toBe(fresh.response.headers.get('content-type'));
    expect(shapeOf(taken.json)).toEqual(shapeOf(fresh.json));
    expect(taken.json.token).toBeNull();
    expect(fresh.json.token).toBeNull();
    // Only the real new account gets a session; the taken email's owner is not signed in by a stranger.
    expect(hasSessionCookie(fresh.response)).toBe(true);
    expect(hasSessionCookie(taken.response)).toBe(false);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const { email } = await newAccount('known');
    const wrong = await signIn(email, 'wrong-pass-123', randomIp());
    const unknown = await signIn(uniqueEmail('nobody'), 'wrong-pass-123', randomIp());
    expect(wrong.response.status).toBe(401);
    expect(unknown.response.status).toBe(401);
    expect(unknown.json).toEqual(wrong.json);
  });

  it('takes about as long for an unknown email as for a wrong password, and for a taken email as a new one', async () => {
    const { email } = await newAccount('timed');
    const runs = Array.from({ length: 5 });
    const wrongPassword = await median(runs.map(() => () => signIn(email, 'wrong-pass-123', randomIp())));
    const unknownEmail = await median(
      runs.map(() => () => signIn(uniqueEmail('nobody'), 'wrong-pass-123', randomIp())),
    );
    const signUp = (address: string) => () =>
      call('POST', '/sign-up/email', {
        ip: randomIp(),
        body: { email: address, password: 'some-pass-123', name: 'T' },
      });
    const takenEmail = await median(runs.map(() => signUp(email)));
    const newEmail = await median(runs.map(() => signUp(uniqueEmail('timed-new'))));
    // Skipping the password hash on one path makes it many times faster; scheduling noise stays well inside 3x.
    expect(unknownEmail / wrongPassword).toBeGreaterThan(1 / 3);
    expect(unknownEmail / wrongPassword).toBeLessThan(3);
    expect(takenEmail / newEmail).toBeGreaterThan(1 / 3);
    expect(takenEmail / newEmail).toBeLessThan(3);
  }, 60_000);
});
