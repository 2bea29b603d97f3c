import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { connectAs } from '@omg/db/testing';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, signUpHubUser, startBillingTestEnv } from '@/testing/billing-test-env';

const KEY = 'sk_test_account_delete_route';
const admin = connectAs('admin');
const svd = connectAs('svd');
let emulator: StripeEmulator;
let stripe: Stripe;
let POST: typeof import('./route').POST;
let createSession: typeof import('../../checkout/create-session/route').POST;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv(KEY));
  ({ POST } = await import('./route'));
  ({ POST: createSession } = await import('../../checkout/create-session/route'));
});

afterAll(async () => {
  await emulator.close();
  await Promise.all([admin.pool.end(), svd.pool.end()]);
});

const remove = (cookie: string | undefined, body: unknown) =>
  postJson(POST, '/api/account/delete', body, cookie);

/** Buys SecureVault Growth the way a user does (checkout route, the emulator's page, the success page). */
async function subscribe(user: { cookie: string; userId: string }) {
  const response = await postJson(
    createSession,
    '/api/checkout/create-session',
    { productId: 'app_securevault', plan: 'growth', trial: false },
    user.cookie,
  );
  expect(response.status).toBe(200);
  const sessionId = new URL((await response.json()).url).pathname.split('/').pop() ?? '';
  emulator.completeCheckout(sessionId, { card: '4242424242424242' });
  const { completeCheckout } = await import('@/lib/checkout/complete-checkout');
  const { db } = await import('@/lib/db');
  await completeCheckout(db(), stripe, { userId: user.userId, stripeSessionId: sessionId });
  const [row] = await admin.db
    .select()
    .from(schema.subscription)
    .where(eq(schema.subscription.userId, user.userId));
  expect(row?.status).toBe('active');
  return row?.stripeSubscriptionId ?? '';
}

async function signInWorks(email: string, password: string) {
  const { auth } = await import('@/lib/auth/auth');
  return auth()
    .api.signInEmail({ body: { email, password } })
    .then(() => true)
    .catch(() => false);
}

async function svdSessionOf(hubCookie: string, userId: string) {
  const { auth } = await import('@/lib/auth/auth');
  const hub = await auth().api.getSession({ headers: new Headers({ cookie: hubCookie }) });
  const id = randomUUID();
  await svd.db.insert(schema.svdSession).values({
    id,
    tokenHash: randomUUID(),
    userId,
    hubSessionId: hub?.session.id ?? '',
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  return id;
}

const svdSessionAlive = async (id: string) =>
  (
    await svd.pool.query(
      `SELECT 1 FROM securevault."Session" s JOIN core."Session" h ON h.id = s."hubSessionId" WHERE s.id = $1`,
      [id],
    )
  ).rowCount === 1;

describe('POST /api/account/delete', { timeout: 60_000 }, () => {
  it('cancels the Stripe subscription at once, ends every session in both apps, withdraws queued mail and removes sign-in', async () => {
    const user = await signUpHubUser('delacct');
    const stripeSubscriptionId = await subscribe(user);
    const svdSession = await svdSessionOf(user.cookie, user.userId);
    const { db } = await import('@/lib/db');
    await db().insert(schema.outgoingEmail).values({
      kind: 'test',
      userId: user.userId,
      from: 'omg@example.test',
      to: user.email,
      subject: 'queued before deletion',
      html: '',
      text: '',
    });

    // A claim link (the migration welcome) still waiting, and a two-factor secret: neither may outlive the account.
    const { newClaimToken } = await import('@/lib/account-claim/claim-token');
    const { tokenHash, expiresAt } = newClaimToken();
    await db().insert(schema.accountClaim).values({ userId: user.userId, tokenHash, expiresAt });
    await db()
      .insert(schema.twoFactor)
      .values({ id: randomUUID(), userId: user.userId, secret: 'encrypted', backupCodes: 'encrypted' });

    const response = await remove(user.cookie, {
      email: ` ${user.email.toUpperCase()} `,
      password: 'delacct-pass-12',
    });
    expect(response.status).toBe(204);
    expect(
      await admin.db.select().from(schema.accountClaim).where(eq(schema.accountClaim.userId, user.userId)),
    ).toEqual([]);
    expect(
      await admin.db.select().from(schema.twoFactor).where(eq(schema.twoFactor.userId, user.userId)),
    ).toEqual([]);

    // Stripe bills nobody: the subscription is canceled there, and the row says so.
    expect((await stripe.subscriptions.retrieve(stripeSubscriptionId)).status).toBe('canceled');
    const [row] = await admin.db
      .select()
      .from(schema.subscription)
      .where(eq(schema.subscription.userId, user.userId));
    expect(row?.status).toBe('canceled');

    const [account] = await admin.db.select().from(schema.user).where(eq(schema.user.id, user.userId));
    expect(account?.deletedAt).toBeInstanceOf(Date);
    expect(account?.email).toBe(`deleted-${user.userId}@deleted.invalid`);
    expect(
      await admin.db.select().from(schema.session).where(eq(schema.session.userId, user.userId)),
    ).toEqual([]);
    expect(
      await admin.db.select().from(schema.account).where(eq(schema.account.userId, user.userId)),
    ).toEqual([]);
    expect(await svdSessionAlive(svdSession)).toBe(false);
    const mails = await admin.db
      .select()
      .from(schema.outgoingEmail)
      .where(eq(schema.outgoingEmail.userId, user.userId));
    expect(mails.filter((m) => m.status === 'queued')).toEqual([]);
    expect(mails.find((m) => m.subject === 'queued before deletion')?.status).toBe('withdrawn');
    expect(await signInWorks(user.email, 'delacct-pass-12')).toBe(false);

    // A claim link issued after the deletion (a migration running at that moment) gives it no password either.
    const late = newClaimToken();
    await db()
      .insert(schema.accountClaim)
      .values({ userId: user.userId, tokenHash: late.tokenHash, expiresAt: late.expiresAt });
    const { claimAccount } = await import('@/lib/account-claim/claim-account');
    await expect(
      claimAccount(
        db(),
        { token: late.token, password: 'late-claim-pass-12' },
        { hashPassword: async (p) => `hashed:${p}` },
      ),
    ).rejects.toMatchObject({ status: 409 });
    expect(
      await admin.db.select().from(schema.account).where(eq(schema.account.userId, user.userId)),
    ).toEqual([]);

    // Stripe's customer.subscription.deleted, arriving now, would mail "canceled": a deleted account gets nothing.
    const { sendBillingEmails } = await import('@/lib/billing-mail/send-billing-emails');
    const event = { id: 'evt_deleted_account', type: 'customer.subscription.deleted', data: { object: {} } };
    await sendBillingEmails(db(), event as unknown as Stripe.Event, {
      outcome: 'provisioned',
      subscription: row,
    });
    const after = await admin.db
      .select()
      .from(schema.outgoingEmail)
      .where(eq(schema.outgoingEmail.userId, user.userId));
    expect(after.map((m) => m.kind)).not.toContain('billing-canceled');

    // A second submit finds no session.
    expect((await remove(user.cookie, { email: user.email, password: 'delacct-pass-12' })).status).toBe(401);
  });

  it('refuses a mistyped email, a wrong password and hostile bodies, and changes nothing', async () => {
    const user = await signUpHubUser('delbad');
    const stripeSubscriptionId = await subscribe(user);
    const cases: [unknown, RegExp][] = [
      [{ email: 'someone-else@example.test', password: 'delbad-pass-12' }, /email address exactly/],
      [{ email: user.email, password: 'not-the-password' }, /password is incorrect/],
      [{ email: user.email }, /./],
      [{ email: [user.email], password: 'delbad-pass-12' }, /./],
      [{ email: `${'a'.repeat(300)}@example.test`, password: 'delbad-pass-12' }, /email address exactly/],
    ];
    for (const [body, message] of cases) {
      const response = await remove(user.cookie, body);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(message);
    }
    expect((await stripe.subscriptions.retrieve(stripeSubscriptionId)).status).toBe('active');
    expect(await signInWorks(user.email, 'delbad-pass-12')).toBe(true);
  });

  it('answers 401 when signed out and limits attempts per account', async () => {
    expect((await remove(undefined, { email: 'a@example.test', password: 'x' })).status).toBe(401);
    const user = await signUpHubUser('dellimit');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await remove(user.cookie, { email: user.email, password: `wrong-${i}` })).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    expect(await signInWorks(user.email, 'dellimit-pass-12')).toBe(true);
  });
});
