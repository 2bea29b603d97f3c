import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import type { TMailWorker } from '@omg/mail';
import type { TCaughtMail } from '@omg/mail/catcher';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMailWorker } from '@/testing/start-test-mail-worker';
import { GET, POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const INBOX = process.env.MAIL_CATCHER_URL;
const SMTP = process.env.SMTP_URL;
if (!INBOX || !SMTP) throw new Error('run with `npm run test:unit`: it starts the local SMTP catcher');

const admin = connectAs('admin');
let server: TServedOverHttp | undefined;
let worker: TMailWorker | undefined;

/** The Hub's real auth route (better-auth behind apiRoute), by method. */
const hubRoute = (request: Request) =>
  (request.method === 'GET' ? GET : POST)(request, {
    params: Promise.resolve({ all: new URL(request.url).pathname.split('/').slice(3) }),
  });

beforeAll(async () => {
  server = await serveOverHttp(hubRoute, { hops: 1, origin: HUB });
  // The real worker, once the mail earlier files left on the shared queue is sent (see startTestMailWorker).
  worker = await startTestMailWorker();
});

afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await admin.pool.end();
});

/** A fresh address per request, so better-auth's per-address limits (3 resets a minute) never get in the way. */
function ip() {
  return `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;
}

async function call(method: 'GET' | 'POST', path: string, options: { body?: unknown; cookie?: string } = {}) {
  const headers = new Headers({ origin: HUB, 'x-forwarded-for': ip() });
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  if (options.cookie) headers.set('cookie', options.cookie);
  const response = await fetch(`${server?.url}/api/auth${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: 'manual',
  });
  const text = await response.text();
  return { response, json: text ? JSON.parse(text) : null };
}

const cookieOf = (response: Response) =>
  (response.headers.getSetCookie().find((c) => c.includes('session_token=')) ?? '').split(';')[0] ?? '';

/** Waits for the mail to reach the catcher's inbox (through the queue and the worker). */
async function mailTo(to: string, subject: RegExp, timeoutMs = 20_000): Promise<TCaughtMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inbox: TCaughtMail[] = await (
      await fetch(`${INBOX}/api/messages?to=${encodeURIComponent(to)}`)
    ).json();
    const mail = inbox.find((m) => subject.test(m.subject));
    if (mail) return mail;
    if (Date.now() > deadline)
      throw new Error(`no mail "${subject}" to ${to}; inbox: ${JSON.stringify(inbox)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The link of the mail's button (HTML), as the person would click it. */
function linkIn(mail: TCaughtMail, path: string): URL {
  const hrefs = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
  const href = hrefs.find((h) => h.includes(path));
  if (!href) throw new Error(`no ${path} link in ${mail.html}`);
  expect(mail.text).toContain(href.split('?')[0]);
  return new URL(href);
}

async function account(prefix: string) {
  const email = uniqueEmail(prefix);
  const password = 'correct-horse-42';
  const signUp = await call('POST', '/sign-up/email', { body: { email, password, name: 'Reset Tester' } });
  expect(signUp.response.status).toBe(200);
  return { email, password, cookie: cookieOf(signUp.response) };
}

/** Asks for a reset and follows the mailed link the way the browser does: the token ends up on /reset-password. */
async function resetToken(email: string): Promise<string> {
  const asked = await call('POST', '/request-password-reset', {
    body: { email, redirectTo: '/reset-password' },
  });
  expect(asked.response.status).toBe(200);
  const link = linkIn(await mailTo(email, /reset your .*password/i), '/api/auth/reset-password/');
  expect(link.origin).toBe(new URL(HUB).origin);
  const followed = await call('GET', `${link.pathname.replace('/api/auth', '')}${link.search}`);
  expect(followed.response.status).toBe(302);
  const landing = new URL(followed.response.headers.get('location') ?? '', HUB);
  expect(landing.pathname).toBe('/reset-password');
  return landing.searchParams.get('token') ?? '';
}

describe('password reset by mail (single-use link, 1 hour)', { timeout: 30_000 }, () => {
  it('mails a link; the new password works, the old one does not, and every session of the account ends', async () => {
    const { email, password, cookie } = await account('reset');
    expect((await call('GET', '/get-session', { cookie })).json?.user.email).toBe(email);

    const token = await resetToken(email);
    const reset = await call('POST', '/reset-password', { body: { token, newPassword: 'brand-new-pass-9' } });
    expect(reset.response.status).toBe(200);

    expect((await call('GET', '/get-session', { cookie })).json).toBeNull();
    expect((await call('POST', '/sign-in/email', { body: { email, password } })).response.status).toBe(401);
    const signIn = await call('POST', '/sign-in/email', { body: { email, password: 'brand-new-pass-9' } });
    expect(signIn.response.status).toBe(200);

    // Single use: the same link cannot set a password again.
    const again = await call('POST', '/reset-password', { body: { token, newPassword: 'third-password-1' } });
    expect(again.response.status).toBe(400);
    expect(again.json.code).toBe('INVALID_TOKEN');
    const sent = await admin.db.select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.to, email));
    expect(sent.find((m) => m.kind === 'reset-password')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('refuses a link older than an hour', async () => {
    const { email } = await account('expired');
    const token = await resetToken(email);
    const [stored] = await admin.db
      .select()
      .from(schema.verification)
      .where(eq(schema.verification.identifier, `reset-password:${token}`));
    // Issued for exactly one hour.
    expect(Math.abs((stored?.expiresAt.getTime() ?? 0) - Date.now() - 3600_000)).toBeLessThan(60_000);
    await admin.db
      .update(schema.verification)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.verification.identifier, `reset-password:${token}`));
    const reset = await call('POST', '/reset-password', { body: { token, newPassword: 'brand-new-pass-9' } });
    expect(reset.response.status).toBe(400);
    expect(reset.json.code).toBe('INVALID_TOKEN');
  });

  it('holds a new password to the sign-up rules', async () => {
    const { email } = await account('weak-reset');
    const token = await resetToken(email);
    const reset = await call('POST', '/reset-password', { body: { token, newPassword: 'short1' } });
    expect(reset.response.status).toBe(400);
    expect(reset.json.message.toLowerCase()).toContain('at least 10 characters');
  });

  it('answers the same for an unknown email, and mails nobody', async () => {
    const { email } = await account('known');
    const unknown = uniqueEmail('unknown');
    const known = await call('POST', '/request-password-reset', {
      body: { email, redirectTo: '/reset-password' },
    });
    const other = await call('POST', '/request-password-reset', {
      body: { email: unknown, redirectTo: '/reset-password' },
    });
    expect(other.response.status).toBe(known.response.status);
    expect(other.json).toEqual(known.json);
    await mailTo(email, /reset your .*password/i);
    expect(
      await admin.db.select().from(schema.outgoingEmail).where(eq(schema.outgoingEmail.to, unknown)),
    ).toEqual([]);
  });
});

describe('email verification and sign-up mail', { timeout: 30_000 }, () => {
  it('sign-up mails a verification link that marks the address verified', async () => {
    const { email, cookie } = await account('verify');
    expect((await call('GET', '/get-session', { cookie })).json.user.emailVerified).toBe(false);
    const link = linkIn(await mailTo(email, /confirm your email/i), '/api/auth/verify-email');
    const verified = await call('GET', `${link.pathname.replace('/api/auth', '')}${link.search}`);
    expect([200, 302]).toContain(verified.response.status);
    const [user] = await admin.db.select().from(schema.user).where(eq(schema.user.email, email));
    expect(user?.emailVerified).toBe(true);
  });

  it('a sign-up with a taken email mails the owner instead of a verification link', async () => {
    const { email } = await account('owner');
    await mailTo(email, /confirm your email/i);
    const again = await call('POST', '/sign-up/email', {
      body: { email: email.toUpperCase(), password: 'another-pass-77', name: 'Intruder' },
    });
    expect(again.response.status).toBe(200);
    const warning = await mailTo(email, /someone tried to sign up/i);
    expect(warning.text).toMatch(/already has one/);
    expect(linkIn(warning, '/forgot-password').pathname).toBe('/forgot-password');
    const rows = await admin.db
      .select()
      .from(schema.outgoingEmail)
      .where(like(schema.outgoingEmail.to, email));
    expect(rows.map((r) => r.kind).sort()).toEqual(['sign-up-attempt', 'verify-email']);
  });
});
