import { createHmac } from 'node:crypto';
import { createLaunchState } from '@omg/contract';
import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { createEmailVerificationToken } from 'better-auth/api';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as launchRoute } from '../../../launch/[slug]/route';
import { GET, POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const admin = connectAs('admin');
let server: TServedOverHttp | undefined;

beforeAll(async () => {
  // The Hub's real auth route (better-auth behind apiRoute), reached over HTTP behind one proxy hop.
  server = await serveOverHttp(
    (request) =>
      (request.method === 'GET' ? GET : POST)(request, {
        params: Promise.resolve({ all: new URL(request.url).pathname.split('/').slice(3) }),
      }),
    { hops: 1, origin: HUB },
  );
});

afterAll(async () => {
  await server?.close();
  await admin.pool.end();
});

/** One browser: its cookies follow the responses (a Max-Age=0 cookie is dropped), its address is its own. */
function browser() {
  const jar = new Map<string, string>();
  const bytes = Array.from(crypto.getRandomValues(new Uint8Array(3)));
  const ip = `10.${bytes.join('.')}`;
  async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
    const headers = new Headers({ origin: HUB, 'x-forwarded-for': ip });
    if (body !== undefined) headers.set('content-type', 'application/json');
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(`${server?.url}/api/auth${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      if (/Max-Age=0/i.test(cookie) || pair.slice(at + 1) === '') jar.delete(name);
      else jar.set(name, pair.slice(at + 1));
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null };
  }
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return { call, jar, cookieHeader };
}

/** RFC 6238 (SHA-1, 6 digits, 30 s), computed here from the otpauth URI's base32 secret, independent of better-auth. */
function totp(uri: string, stepOffset = 0): string {
  const secret = new URL(uri).searchParams.get('secret') ?? '';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  }
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + stepOffset));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = (hmac.at(-1) ?? 0) & 0xf;
  const value = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

/** A new account with 2FA turned on through the Account page's calls; this browser stays signed in. */
async function accountWithTwoFactor(prefix: string) {
  const email = uniqueEmail(prefix);
  const password = 'correct-horse-42';
  const owner = browser();
  expect((await owner.call('POST', '/sign-up/email', { email, password, name: 'Two Factor' })).status).toBe(
    200,
  );
  const enabled = await owner.call('POST', '/two-factor/enable', { password });
  expect(enabled.status).toBe(200);
  const uri: string = enabled.json.totpURI;
  const backupCodes: string[] = enabled.json.backupCodes;
  // The secret was shown; a code from it must be confirmed before sign-in asks for codes.
  expect((await owner.call('POST', '/two-factor/verify-totp', { code: totp(uri) })).status).toBe(200);
  return { email, password, uri, backupCodes, owner };
}

/** Password accepted, code pending: no session, only the challenge. */
async function passwordStep(email: string, password: string) {
  const b = browser();
  const signIn = await b.call('POST', '/sign-in/email', { email, password });
  expect(signIn.status).toBe(200);
  expect(signIn.json).toMatchObject({ twoFactorRedirect: true, twoFactorMethods: ['totp'] });
  expect([...b.jar.keys()].some((name) => name.endsWith('session_token'))).toBe(false);
  return b;
}

async function userRow(email: string) {
  const [row] = await admin.db.select().from(schema.user).where(eq(schema.user.email, email));
  return row;
}

describe('two-factor authentication through the real auth routes', () => {
  it('turns on only with the password and a confirmed code, and shows ten backup codes once', async () => {
    const email = uniqueEmail('2fa-enable');
    const password = 'correct-horse-42';
    const b = browser();
    await b.call('POST', '/sign-up/email', { email, password, name: 'N' });
    const wrongPassword = await b.call('POST', '/two-factor/enable', { password: 'not-the-password' });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.json.code).toBe('INVALID_PASSWORD');

    const enabled = await b.call('POST', '/two-factor/enable', { password });
    expect(enabled.json.totpURI).toMatch(/^otpauth:\/\/totp\/OMG%20System:.+\?.*secret=[A-Z2-7]+/);
    expect(enabled.json.backupCodes).toHaveLength(10);
    // Not on until a code from the app is confirmed (a secret that never reached the app would lock the owner out).
    expect((await userRow(email))?.twoFactorEnabled).toBe(false);
    const [stored] = await admin.db
      .select()
      .from(schema.twoFactor)
      .where(eq(schema.twoFactor.userId, (await userRow(email))?.id ?? ''));
    // Stored encrypted, never as shown.
    expect(stored?.secret).not.toContain(new URL(enabled.json.totpURI).searchParams.get('secret'));
    expect(stored?.backupCodes).not.toContain(enabled.json.backupCodes[0]);

    const wrong = await b.call('POST', '/two-factor/verify-totp', {
      code: '000000' === totp(enabled.json.totpURI) ? '111111' : '000000',
    });
    expect(wrong.status).toBe(401);
    expect((await userRow(email))?.twoFactorEnabled).toBe(false);
    expect(
      (await b.call('POST', '/two-factor/verify-totp', { code: totp(enabled.json.totpURI) })).status,
    ).toBe(200);
    expect((await userRow(email))?.twoFactorEnabled).toBe(true);
    // Still signed in after turning it on.
    expect((await b.call('GET', '/get-session')).json.user.email).toBe(email);
  });

  it('after the password, asks for a code: a wrong one is refused, the right one signs in', async () => {
    const { email, password, uri } = await accountWithTwoFactor('2fa-signin');
    const b = await passwordStep(email, password);
    expect((await b.call('GET', '/get-session')).json).toBeNull();

    const wrong = await b.call('POST', '/two-factor/verify-totp', { code: totp(uri, 5) });
    expect(wrong.status).toBe(401);
    expect(wrong.json.code).toBe('INVALID_CODE');
    expect((await b.call('GET', '/get-session')).json).toBeNull();

    const right = await b.call('POST', '/two-factor/verify-totp', { code: totp(uri, -1) });
    expect(right.status).toBe(200);
    expect((await b.call('GET', '/get-session')).json.user.email).toBe(email);
  });

  it('a half-signed-in browser (code pending) cannot launch SVD: it is sent to log in', async () => {
    const { email, password } = await accountWithTwoFactor('2fa-launch');
    const b = await passwordStep(email, password);
    const response = await launchRoute(
      new Request(`${HUB}/launch/securevault?returnTo=%2Fvault&state=${createLaunchState()}`, {
        headers: { cookie: b.cookieHeader() },
      }),
      { params: Promise.resolve({ slug: 'securevault' }) },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${HUB}/login\\?next=`));
  });

  it('refuses a code replayed within its window, even in a new sign-in', async () => {
    const { email, password, uri } = await accountWithTwoFactor('2fa-replay');
    // The code confirmed while enabling was totp(uri); the sign-ins use the previous step's code, also valid now.
    const code = totp(uri, -1);
    const first = await passwordStep(email, password);
    expect((await first.call('POST', '/two-factor/verify-totp', { code })).status).toBe(200);

    const replay = await passwordStep(email, password);
    const again = await replay.call('POST', '/two-factor/verify-totp', { code });
    expect(again.status).toBe(401);
    expect(again.json.code).toBe('TOTP_CODE_ALREADY_USED');
    expect((await replay.call('GET', '/get-session')).json).toBeNull();
    // A wrong code is not remembered as used; the next code from the app works.
    expect((await replay.call('POST', '/two-factor/verify-totp', { code: totp(uri, 1) })).status).toBe(200);
  });

  it('a backup code signs in once; the second time it is refused', async () => {
    const { email, password, backupCodes } = await accountWithTwoFactor('2fa-backup');
    const [code, other] = backupCodes;
    const first = await passwordStep(email, password);
    expect((await first.call('POST', '/two-factor/verify-backup-code', { code })).status).toBe(200);
    expect((await first.call('GET', '/get-session')).json.user.email).toBe(email);

    const second = await passwordStep(email, password);
    const reused = await second.call('POST', '/two-factor/verify-backup-code', { code });
    expect(reused.status).toBe(401);
    expect(reused.json.code).toBe('INVALID_BACKUP_CODE');
    expect((await second.call('GET', '/get-session')).json).toBeNull();
    expect((await second.call('POST', '/two-factor/verify-backup-code', { code: other })).status).toBe(200);
  });

  it('limits guessing: 5 wrong codes end a challenge, 10 for an account answer 429 even with the right code', async () => {
    const { email, password, uri } = await accountWithTwoFactor('2fa-brute');
    const wrongCode = () => {
      const valid = new Set([-1, 0, 1].map((step) => totp(uri, step)));
      let code = '123456';
      while (valid.has(code)) code = String(Number(code) + 1).padStart(6, '0');
      return code;
    };
    const first = await passwordStep(email, password);
    for (let i = 0; i < 5; i += 1) {
      expect((await first.call('POST', '/two-factor/verify-totp', { code: wrongCode() })).status).toBe(401);
    }
    // The challenge is spent: even the right code needs the password again.
    const spent = await first.call('POST', '/two-factor/verify-totp', { code: totp(uri) });
    expect(spent.status).toBeGreaterThanOrEqual(400);
    expect((await first.call('GET', '/get-session')).json).toBeNull();

    const second = await passwordStep(email, password);
    let refused: Awaited<ReturnType<typeof second.call>> | undefined;
    for (let i = 0; i < 5 && !refused; i += 1) {
      const result = await second.call('POST', '/two-factor/verify-totp', { code: wrongCode() });
      if (result.status === 429) refused = result;
    }
    // Over the account's budget (the Hub's 10 per quarter hour, better-auth's lock after 10 in a row): 429.
    expect(refused?.status).toBe(429);
    const third = await passwordStep(email, password);
    const locked = await third.call('POST', '/two-factor/verify-totp', { code: totp(uri) });
    expect(locked.status).toBe(429);
    expect((await third.call('GET', '/get-session')).json).toBeNull();
    // About fifteen sign-ins and code checks in a row: more than Vitest's default 5 s on a busy 2-core machine.
  }, 20_000);

  it('an email verification link does not sign in to an account with 2FA on (it would skip password and code)', async () => {
    const { email, owner } = await accountWithTwoFactor('2fa-verify-link');
    expect((await userRow(email))?.emailVerified).toBe(false);
    const token = await createEmailVerificationToken(process.env.BETTER_AUTH_SECRET ?? '', email);
    const stranger = browser();
    const opened = await stranger.call('GET', `/verify-email?token=${token}&callbackURL=%2Fportal`);
    expect(opened.status).toBe(302);
    expect((await userRow(email))?.emailVerified).toBe(true);
    expect((await stranger.call('GET', '/get-session')).json).toBeNull();
    const sessions = await admin.db
      .select()
      .from(schema.session)
      .where(eq(schema.session.userId, (await userRow(email))?.id ?? ''));
    expect(sessions).toHaveLength(1);
    // The owner's own browser stays signed in.
    expect((await owner.call('GET', '/get-session')).json.user.email).toBe(email);
  });

  it('regenerating backup codes (password) retires the old ones; turning 2FA off needs the password', async () => {
    const { email, password, backupCodes, owner } = await accountWithTwoFactor('2fa-manage');
    const noPassword = await owner.call('POST', '/two-factor/generate-backup-codes', {
      password: 'wrong-one-123',
    });
    expect(noPassword.status).toBe(400);
    const fresh = await owner.call('POST', '/two-factor/generate-backup-codes', { password });
    expect(fresh.status).toBe(200);
    expect(fresh.json.backupCodes).toHaveLength(10);

    const old = await passwordStep(email, password);
    expect((await old.call('POST', '/two-factor/verify-backup-code', { code: backupCodes[0] })).status).toBe(
      401,
    );
    expect(
      (await old.call('POST', '/two-factor/verify-backup-code', { code: fresh.json.backupCodes[0] })).status,
    ).toBe(200);

    expect((await owner.call('POST', '/two-factor/disable', { password: 'wrong-one-123' })).status).toBe(400);
    expect((await owner.call('POST', '/two-factor/disable', { password })).status).toBe(200);
    expect((await userRow(email))?.twoFactorEnabled).toBe(false);
    const plain = browser();
    const signIn = await plain.call('POST', '/sign-in/email', { email, password });
    expect(signIn.json.twoFactorRedirect).toBeUndefined();
    expect((await plain.call('GET', '/get-session')).json.user.email).toBe(email);
  });
});
