import { schema } from '@omg/db';
import { uniqueEmail } from '@omg/db/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { postJson, signUpHubUser } from '@/testing/billing-test-env';
import { POST } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';

afterAll(async () => {
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

const change = (cookie: string | undefined, body: unknown) =>
  postJson(POST, '/api/account/email', body, cookie);

async function mailsTo(to: string, kind?: string) {
  const { db } = await import('@/lib/db');
  return db()
    .select({
      kind: schema.outgoingEmail.kind,
      text: schema.outgoingEmail.text,
      subject: schema.outgoingEmail.subject,
    })
    .from(schema.outgoingEmail)
    .where(
      kind
        ? and(eq(schema.outgoingEmail.to, to), eq(schema.outgoingEmail.kind, kind))
        : eq(schema.outgoingEmail.to, to),
    );
}

async function userEmail(userId: string) {
  const { db } = await import('@/lib/db');
  const [row] = await db()
    .select({ email: schema.user.email })
    .from(schema.user)
    .where(eq(schema.user.id, userId));
  return row?.email;
}

async function signInWorks(email: string, password: string) {
  const { auth } = await import('@/lib/auth/auth');
  return auth()
    .api.signInEmail({ body: { email, password } })
    .then(() => true)
    .catch(() => false);
}

/** Opens a link from a mail with the Hub's real auth route, as the mail's reader would (no cookie: another device). */
async function open(url: string) {
  const { GET } = await import('../../auth/[...all]/route');
  const path = new URL(url).pathname.split('/').slice(3);
  return GET(new Request(url, { headers: { origin: HUB } }), { params: Promise.resolve({ all: path }) });
}

describe('POST /api/account/email', { timeout: 30_000 }, () => {
  it('mails a link to the new address and a notice to the current one; the address changes only when the link is opened', async () => {
    const account = await signUpHubUser('chmail');
    const newEmail = uniqueEmail('chmailnew');
    const response = await change(account.cookie, {
      newEmail: ` ${newEmail.toUpperCase()} `,
      currentPassword: 'chmail-pass-12',
    });
    expect(response.status).toBe(200);
    expect((await response.json()).message).toContain(`We sent a link to ${newEmail}.`);
    expect(await userEmail(account.userId)).toBe(account.email);

    const notice = await mailsTo(account.email, 'email-change-notice');
    expect(notice).toHaveLength(1);
    expect(notice[0]?.text).toContain(newEmail);
    const [confirm] = await mailsTo(newEmail, 'confirm-new-email');
    expect(confirm?.subject).toBe('Confirm your new email address for OMG System');
    const link = confirm?.text.match(/https?:\/\/\S+\/api\/auth\/verify-email\?\S+/)?.[0];
    expect(link).toBeTruthy();

    const opened = await open(link ?? '');
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toBe('/account?email=changed');
    expect(await userEmail(account.userId)).toBe(newEmail);
    expect(await signInWorks(newEmail, 'chmail-pass-12')).toBe(true);
    expect(await signInWorks(account.email, 'chmail-pass-12')).toBe(false);
  });

  it('answers the same for an address that has an account, mails it nothing, and changes nothing', async () => {
    const account = await signUpHubUser('chmailtaken');
    const other = await signUpHubUser('chmailowner');
    const before = (await mailsTo(other.email)).length;
    const response = await change(account.cookie, {
      newEmail: other.email,
      currentPassword: 'chmailtaken-pass-12',
    });
    expect(response.status).toBe(200);
    expect((await response.json()).message).toContain(`We sent a link to ${other.email}.`);
    expect(await mailsTo(other.email)).toHaveLength(before);
    expect(await mailsTo(account.email, 'email-change-notice')).toHaveLength(1);
    expect(await userEmail(account.userId)).toBe(account.email);
  });

  it('refuses a wrong password, its own address and hostile bodies, and mails nothing', async () => {
    const account = await signUpHubUser('chmailbad');
    const cases: [unknown, RegExp][] = [
      [{ newEmail: uniqueEmail('x'), currentPassword: 'not-my-password' }, /current password is incorrect/],
      [{ newEmail: account.email, currentPassword: 'chmailbad-pass-12' }, /already your email/],
      [{ newEmail: 'not-an-address', currentPassword: 'chmailbad-pass-12' }, /valid email/],
      [{ newEmail: `${'a'.repeat(250)}@example.com`, currentPassword: 'chmailbad-pass-12' }, /valid email/],
      [
        { newEmail: 'a@example.com\r\nBcc: b@example.com', currentPassword: 'chmailbad-pass-12' },
        /valid email/,
      ],
      [{ newEmail: ['a@example.com'], currentPassword: 'chmailbad-pass-12' }, /./],
      [{ newEmail: uniqueEmail('y') }, /./],
    ];
    for (const [body, message] of cases) {
      const response = await change(account.cookie, body);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(message);
    }
    expect(await mailsTo(account.email, 'email-change-notice')).toHaveLength(0);
    expect(await userEmail(account.userId)).toBe(account.email);
  });

  it('answers 401 when signed out, limits requests per account, and better-auth’s own endpoint is closed to clients', async () => {
    expect((await change(undefined, { newEmail: uniqueEmail('z'), currentPassword: 'x' })).status).toBe(401);
    const account = await signUpHubUser('chmaillimit');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await change(account.cookie, { newEmail: uniqueEmail(`l${i}`), currentPassword: 'wrong-guess' }))
          .status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);

    const { POST: authPost } = await import('../../auth/[...all]/route');
    const direct = await authPost(
      new Request(`${HUB}/api/auth/change-email`, {
        method: 'POST',
        headers: { origin: HUB, cookie: account.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ newEmail: uniqueEmail('direct') }),
      }),
      { params: Promise.resolve({ all: ['change-email'] }) },
    );
    expect(direct.status).toBe(404);
    expect(await userEmail(account.userId)).toBe(account.email);
  });
});
