import { uniqueEmail } from '@omg/db/testing';
import { describe, expect, it } from 'vitest';
import { GET, POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
let ipCounter = 0;

/** Each test comes from its own address so the login rate limit only counts what the test means it to. */
function clientIp() {
  ipCounter += 1;
  return `203.0.113.${ipCounter}`;
}

async function call(
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; cookie?: string; ip: string },
) {
  const headers = new Headers({ origin: HUB, 'x-forwarded-for': options.ip });
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  if (options.cookie) headers.set('cookie', options.cookie);
  const request = new Request(`${HUB}/api/auth${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const handler = method === 'GET' ? GET : POST;
  const response = await handler(request, {
    params: Promise.resolve({ all: path.split('/').filter(Boolean) }),
  });
  const text = await response.text();
  return { response, json: text ? JSON.parse(text) : null };
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

  it('refuses an email already taken, in any letter case', async () => {
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
    expect(again.response.status).toBe(422);
    expect(again.json.code).toMatch(/^USER_ALREADY_EXISTS/);
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
