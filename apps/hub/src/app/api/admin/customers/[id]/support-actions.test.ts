import { schema, type TDatabase } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { and, desc, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '@/lib/admin/grant-role';
import { growthSubscriber, signUpHubUser, startBillingTestEnv } from '@/testing/billing-test-env';
// SVD's own code, as the stripe-outage test reads it: the vault's entitlement and its single logout, on SVD's pool.
import { createSvdSession, findSvdSession } from '../../../../../../../svd/src/lib/auth/session';
import { getVaultStatus } from '../../../../../../../svd/src/lib/entitlements/get-vault-status';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const DAY = 86_400_000;
const hub = connectAs('hub');
const svd = connectAs('svd');

type THandler = (
  request: Request,
  context: { params: Promise<Record<string, unknown>> },
) => Promise<Response>;

let emulator: StripeEmulator;
let stripe: Stripe;
let server: TServedOverHttp;
let db: TDatabase;

/** The action routes, with the role each needs and a body it accepts (the table of the authorization test). */
const ACTIONS: {
  name: string;
  path: (id: string) => string;
  method: 'GET' | 'POST';
  role: 'support' | 'admin';
  body: object;
}[] = [
  { name: 'end sessions', path: (id) => `${id}/end-sessions`, method: 'POST', role: 'support', body: {} },
  {
    name: 'resend email',
    path: (id) => `${id}/resend-email`,
    method: 'POST',
    role: 'support',
    body: { kind: 'verification' },
  },
  {
    name: 'cancel subscription',
    path: (id) => `${id}/cancel-subscription`,
    method: 'POST',
    role: 'support',
    body: { appId: 'app_securevault', when: 'now' },
  },
  { name: 'refund preview', path: (id) => `${id}/refund`, method: 'GET', role: 'admin', body: {} },
  {
    name: 'refund',
    path: (id) => `${id}/refund`,
    method: 'POST',
    role: 'admin',
    body: { chargeId: 'ch_nothing' },
  },
  {
    name: 'comp',
    path: (id) => `${id}/comps`,
    method: 'POST',
    role: 'admin',
    body: { appId: 'app_securevault', plan: 'pro', endsAt: new Date(Date.now() + 30 * DAY).toISOString() },
  },
  {
    name: 'revoke comp',
    path: (id) => `${id}/comps/00000000-0000-4000-8000-000000000000/revoke`,
    method: 'POST',
    role: 'admin',
    body: {},
  },
  { name: 'reconcile', path: (id) => `${id}/reconcile`, method: 'POST', role: 'support', body: {} },
  { name: 'ban', path: (id) => `${id}/ban`, method: 'POST', role: 'support', body: {} },
  { name: 'unban', path: (id) => `${id}/unban`, method: 'POST', role: 'admin', body: {} },
];

/** Routes by path pattern, as Next.js would match them; /api/auth/* is better-auth. */
async function router(): Promise<(request: Request) => Promise<Response>> {
  const load = async (file: string) => (await import(/* @vite-ignore */ file)) as Record<string, THandler>;
  const table: [RegExp, string[], Record<string, THandler>][] = [
    [/^\/api\/admin\/customers\/([^/]+)\/end-sessions$/, ['id'], await load('./end-sessions/route')],
    [/^\/api\/admin\/customers\/([^/]+)\/resend-email$/, ['id'], await load('./resend-email/route')],
    [
      /^\/api\/admin\/customers\/([^/]+)\/cancel-subscription$/,
      ['id'],
      await load('./cancel-subscription/route'),
    ],
    [/^\/api\/admin\/customers\/([^/]+)\/refund$/, ['id'], await load('./refund/route')],
    [/^\/api\/admin\/customers\/([^/]+)\/comps$/, ['id'], await load('./comps/route')],
    [
      /^\/api\/admin\/customers\/([^/]+)\/comps\/([^/]+)\/revoke$/,
      ['id', 'compId'],
      await load('./comps/[compId]/revoke/route'),
    ],
    [/^\/api\/admin\/customers\/([^/]+)\/reconcile$/, ['id'], await load('./reconcile/route')],
    [/^\/api\/admin\/customers\/([^/]+)\/ban$/, ['id'], await load('./ban/route')],
    [/^\/api\/admin\/customers\/([^/]+)\/unban$/, ['id'], await load('./unban/route')],
    [/^\/api\/auth\/(.+)$/, ['all'], await load('../../../auth/[...all]/route')],
  ];
  return async (request) => {
    const path = new URL(request.url).pathname;
    for (const [pattern, names, module] of table) {
      const match = pattern.exec(path);
      const handler = match && module[request.method];
      if (!match || !handler) continue;
      const params = Object.fromEntries(
        names.map((name, i) => [
          name,
          name === 'all' ? (match[i + 1] ?? '').split('/') : decodeURIComponent(match[i + 1] ?? ''),
        ]),
      );
      return handler(request, { params: Promise.resolve(params) });
    }
    return new Response('no such route', { status: 404 });
  };
}

interface TAnswer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  requestId: string | null;
}

/** One request over HTTP, as the console's page sends it (same origin, JSON). */
async function send(
  path: string,
  options: { method?: 'GET' | 'POST'; cookie?: string; body?: unknown; raw?: string } = {},
): Promise<TAnswer> {
  const method = options.method ?? 'POST';
  const address = `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;
  const headers: Record<string, string> = { origin: HUB, 'x-forwarded-for': address };
  if (options.cookie) headers.cookie = options.cookie;
  if (method === 'POST') headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: method === 'POST' ? (options.raw ?? JSON.stringify(options.body ?? {})) : undefined,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : {},
    requestId: response.headers.get('x-request-id'),
  };
}

const action = (
  id: string,
  rest: string,
  cookie: string | undefined,
  body?: unknown,
  method?: 'GET' | 'POST',
) => send(`/api/admin/customers/${rest.replace('{id}', id)}`, { cookie, body, method });

async function staff(role: 'support' | 'admin') {
  const user = await signUpHubUser(`staff-${role}`);
  await grantRole(hub.db, { email: user.email, role, reason: 'support actions test', actor: 'system:test' });
  return user;
}

const auditOf = async (userId: string, action: string) =>
  hub.db
    .select()
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.targetUserId, userId), eq(schema.auditLog.action, action)))
    .orderBy(desc(schema.auditLog.createdAt));

/** Signs in over HTTP with the password, as the login form does. */
function signIn(email: string, password: string) {
  return send('/api/auth/sign-in/email', { body: { email, password } });
}

/** A customer whose SVD profile exists (first used SVD `daysAgo` days ago) with a live SVD session. */
async function svdUser(prefix: string, daysAgo = 40) {
  const user = await signUpHubUser(prefix);
  await svd.pool.query(
    `INSERT INTO securevault."UserProfile" ("userId", email, "createdAt") VALUES ($1, $2, $3)`,
    [user.userId, user.email, new Date(Date.now() - daysAgo * DAY)],
  );
  const [hubSession] = await hub.db
    .select()
    .from(schema.session)
    .where(eq(schema.session.userId, user.userId));
  const svdSession = await createSvdSession(svd.db, {
    userId: user.userId,
    hubSessionId: hubSession?.id ?? '',
    hubSessionExpiresAt: hubSession?.expiresAt ?? new Date(),
  });
  return { ...user, svdToken: svdSession.token, password: `${prefix}-pass-12` };
}

let support: Awaited<ReturnType<typeof staff>>;
let admin: Awaited<ReturnType<typeof staff>>;

beforeAll(async () => {
  ({ emulator, stripe } = await startBillingTestEnv('sk_test_support_actions'));
  db = (await import('@/lib/db')).db();
  // Behind one proxy: each sign-in below comes from an address of its own, so the per-address sign-in limit
  // (shared by every test file on this database) counts only this file's attempts.
  server = await serveOverHttp(await router(), { hops: 1, origin: HUB });
  support = await staff('support');
  admin = await staff('admin');
}, 60_000);

afterAll(async () => {
  await server?.close();
  await emulator?.close();
  await Promise.all([hub.pool.end(), svd.pool.end()]);
  const { database } = await import('@/lib/db');
  await database().pool.end();
});

describe('support actions refuse everyone but the staff they are for (issue 14)', () => {
  let customer: Awaited<ReturnType<typeof signUpHubUser>>;
  beforeAll(async () => {
    customer = await signUpHubUser('authz-customer');
  });

  const GUARD_404 = 'This page could not be found.';
  it.each(ACTIONS)('$name ($role): signed out, customer → 404; support → $role', async (route) => {
    const target = customer.userId;
    const call = (cookie?: string) =>
      send(`/api/admin/customers/${route.path(target)}`, { method: route.method, cookie, body: route.body });
    for (const cookie of [undefined, customer.cookie]) {
      const answer = await call(cookie);
      expect(answer.status).toBe(404);
      expect(answer.body.error?.message).toBe(GUARD_404);
    }
    // Even a body that would not validate is answered 404 to a customer: the console is not advertised.
    const junk = await send(`/api/admin/customers/${route.path(target)}`, {
      method: route.method,
      cookie: customer.cookie,
      raw: '{not json',
    });
    expect(junk.status).toBe(404);
    const bySupport = await call(support.cookie);
    if (route.role === 'admin') {
      expect(bySupport.status).toBe(404);
      expect(bySupport.body.error?.message).toBe(GUARD_404);
    } else {
      // Past the guard: whatever the action answers, it is not the console's 404.
      expect(bySupport.body.error?.message).not.toBe(GUARD_404);
    }
    // An unknown customer is a 404 that says so, for staff who may use the route.
    const unknown = await send(`/api/admin/customers/${route.path('00000000-0000-4000-8000-00000000dead')}`, {
      method: route.method,
      cookie: admin.cookie,
      body: { ...route.body, reason: 'wrong id test' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.message).not.toBe(GUARD_404);
  });

  it('refuses a missing, blank or huge reason, and a wrong user id, without changing anything', async () => {
    const path = (id: string) => `/api/admin/customers/${id}/end-sessions`;
    for (const body of [
      {},
      { reason: '' },
      { reason: '   ' },
      { reason: 'ab' },
      { reason: 'x'.repeat(501) },
    ]) {
      const answer = await send(path(customer.userId), { cookie: support.cookie, body });
      expect(answer.status).toBe(400);
      expect(answer.body.error?.message).toMatch(/reason/i);
    }
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', "1' OR '1'='1"]) {
      const answer = await send(path(encodeURIComponent(id)), {
        cookie: support.cookie,
        body: { reason: 'wrong id' },
      });
      expect(answer.status).toBe(404);
      expect(answer.body.error?.message).toBe('No customer has this id.');
    }
    expect(await auditOf(customer.userId, 'sessions.end')).toEqual([]);
    const [session] = await hub.db
      .select()
      .from(schema.session)
      .where(eq(schema.session.userId, customer.userId));
    expect(session).toBeDefined();
  });
});

describe('end all sessions', () => {
  it('ends every Hub session, SVD refuses the next request, and the audit row names who, why and the request', async () => {
    const customer = await svdUser('end-sessions');
    await signIn(customer.email, customer.password); // a second session, another device
    expect(await findSvdSession(svd.db, customer.svdToken)).not.toBeNull();
    const answer = await action(customer.userId, '{id}/end-sessions', support.cookie, {
      reason: 'Customer lost a laptop',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.ended).toBe(2);
    const { auth } = await import('@/lib/auth/auth');
    expect(await auth().api.getSession({ headers: new Headers({ cookie: customer.cookie }) })).toBeNull();
    expect(await findSvdSession(svd.db, customer.svdToken)).toBeNull();
    const [entry] = await auditOf(customer.userId, 'sessions.end');
    expect(entry).toMatchObject({
      id: answer.body.auditId,
      actorUserId: support.userId,
      actorRole: 'support',
      reason: 'Customer lost a laptop',
      before: { sessions: 2 },
      after: { sessions: 0 },
      requestId: answer.requestId,
    });
  });
});

describe('resend the verification or the claim email', () => {
  it('queues a verification mail with a working link, and refuses once the address is verified', async () => {
    const customer = await signUpHubUser('resend-verify');
    const answer = await action(customer.userId, '{id}/resend-email', support.cookie, {
      kind: 'verification',
      reason: 'Customer never got the mail',
    });
    expect(answer.status).toBe(200);
    const [mail] = await hub.db
      .select()
      .from(schema.outgoingEmail)
      .where(eq(schema.outgoingEmail.id, String(answer.body.outgoingEmailId)));
    expect(mail).toMatchObject({ kind: 'verify-email', to: customer.email, userId: customer.userId });
    const link =
      /href="([^"]*verify-email[^"]*)"/.exec(mail?.html ?? '')?.[1]?.replaceAll('&amp;', '&') ?? '';
    const opened = await fetch(`${server.url}${new URL(link).pathname}${new URL(link).search}`, {
      redirect: 'manual',
    });
    expect(opened.status).toBeLessThan(400);
    const [user] = await hub.db.select().from(schema.user).where(eq(schema.user.id, customer.userId));
    expect(user?.emailVerified).toBe(true);
    expect((await auditOf(customer.userId, 'email.resend_verification'))[0]).toMatchObject({
      reason: 'Customer never got the mail',
      after: { outgoingEmailId: answer.body.outgoingEmailId, to: customer.email },
    });
    const again = await action(customer.userId, '{id}/resend-email', support.cookie, {
      kind: 'verification',
      reason: 'Second try',
    });
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toBe(
      `${customer.email} is already verified; there is nothing to resend.`,
    );
  });

  it('sends a migrated account without a password a new claim link (the old one stops working); refuses one with a password', async () => {
    const userId = crypto.randomUUID();
    const email = uniqueEmail('resend-claim');
    await hub.db.insert(schema.user).values({ id: userId, email, name: 'Migrated' });
    const first = await action(userId, '{id}/resend-email', support.cookie, {
      kind: 'claim',
      reason: 'Link expired',
    });
    expect(first.status).toBe(200);
    const second = await action(userId, '{id}/resend-email', support.cookie, {
      kind: 'claim',
      reason: 'Lost it again',
    });
    expect(second.status).toBe(200);
    const claims = await hub.db
      .select()
      .from(schema.accountClaim)
      .where(eq(schema.accountClaim.userId, userId));
    expect(claims).toHaveLength(2);
    expect(claims.filter((c) => c.expiresAt > new Date())).toHaveLength(1);
    const mails = await hub.db
      .select()
      .from(schema.outgoingEmail)
      .where(eq(schema.outgoingEmail.userId, userId));
    expect(mails.map((m) => m.kind)).toEqual(['migration-welcome', 'migration-welcome']);
    expect(mails[1]?.html).toContain('/claim?token=');
    expect(await auditOf(userId, 'email.resend_claim')).toHaveLength(2);

    const withPassword = await signUpHubUser('resend-claim-pw');
    const refused = await action(withPassword.userId, '{id}/resend-email', support.cookie, {
      kind: 'claim',
      reason: 'Wrong kind',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toContain('already has a password');
  });
});

describe('cancel a subscription (Stripe through the real SDK, against the emulator)', () => {
  it('at period end, then now, each with the row before and after; a repeat is refused', async () => {
    const customer = await growthSubscriber({ db, emulator, stripe }, 'staff-cancel');
    const [row] = await hub.db
      .select()
      .from(schema.subscription)
      .where(eq(schema.subscription.userId, customer.userId));
    const later = await action(customer.userId, '{id}/cancel-subscription', support.cookie, {
      appId: 'app_securevault',
      when: 'period_end',
      reason: 'Customer asked by phone',
    });
    expect(later.status).toBe(200);
    expect(later.body.after).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
    expect((await stripe.subscriptions.retrieve(row?.stripeSubscriptionId ?? '')).cancel_at_period_end).toBe(
      true,
    );
    const repeat = await action(customer.userId, '{id}/cancel-subscription', support.cookie, {
      appId: 'app_securevault',
      when: 'period_end',
      reason: 'Double click',
    });
    expect(repeat.status).toBe(409);

    const now = await action(customer.userId, '{id}/cancel-subscription', support.cookie, {
      appId: 'app_securevault',
      when: 'now',
      reason: 'Customer wants it ended today',
    });
    expect(now.status).toBe(200);
    expect((await stripe.subscriptions.retrieve(row?.stripeSubscriptionId ?? '')).status).toBe('canceled');
    const [entry] = await auditOf(customer.userId, 'subscription.cancel_now');
    expect(entry).toMatchObject({
      actorUserId: support.userId,
      reason: 'Customer wants it ended today',
      before: { plan: 'growth', status: 'active', cancelAtPeriodEnd: true },
      after: { plan: 'growth', status: 'canceled' },
    });
    expect(await auditOf(customer.userId, 'subscription.cancel_at_period_end')).toHaveLength(1);
    // The subscription history names the staff actions as the causes.
    const history = await hub.db
      .select({ source: schema.subscriptionChange.source, sourceRef: schema.subscriptionChange.sourceRef })
      .from(schema.subscriptionChange)
      .where(eq(schema.subscriptionChange.userId, customer.userId));
    expect(history).toEqual(
      expect.arrayContaining([
        { source: 'hub', sourceRef: 'admin-cancel-at-period-end' },
        { source: 'hub', sourceRef: 'admin-cancel' },
      ]),
    );
    const again = await action(customer.userId, '{id}/cancel-subscription', support.cookie, {
      appId: 'app_securevault',
      when: 'now',
      reason: 'Double click',
    });
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toBe('The SecureVault Docs subscription is already canceled.');
  });
});

describe('refund the last payment (admin)', () => {
  it('shows amount and currency first, refunds in Stripe, ends access when asked, and refuses a second refund', async () => {
    const customer = await growthSubscriber({ db, emulator, stripe }, 'staff-refund');
    const preview = await action(customer.userId, '{id}/refund', admin.cookie, undefined, 'GET');
    expect(preview.status).toBe(200);
    const payment = preview.body.payment as Record<string, unknown>;
    expect(payment).toMatchObject({
      amountCents: 1499,
      refundableCents: 1499,
      currency: 'usd',
      appId: 'app_securevault',
    });
    const refused = await action(customer.userId, '{id}/refund', admin.cookie, {
      chargeId: 'ch_not_the_last',
      reason: 'Charged twice',
    });
    expect(refused.status).toBe(409);

    const answer = await action(customer.userId, '{id}/refund', admin.cookie, {
      chargeId: payment.chargeId,
      endAccess: true,
      reason: 'Customer was charged twice',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      refundedCents: 1499,
      currency: 'usd',
      canceled: { status: 'canceled' },
    });
    const refunds = await stripe.refunds.list({ charge: String(payment.chargeId) });
    expect(refunds.data.map((r) => [r.id, r.amount])).toEqual([[answer.body.refundId, 1499]]);
    expect((await stripe.charges.retrieve(String(payment.chargeId))).amount_refunded).toBe(1499);
    const [entry] = await auditOf(customer.userId, 'payment.refund');
    expect(entry).toMatchObject({
      actorUserId: admin.userId,
      actorRole: 'admin',
      reason: 'Customer was charged twice',
      before: { chargeId: payment.chargeId, amountCents: 1499, refundedCents: 0, currency: 'usd' },
      after: { refundId: answer.body.refundId, refundedCents: 1499, subscription: { status: 'canceled' } },
      requestId: answer.requestId,
    });

    const twice = await action(customer.userId, '{id}/refund', admin.cookie, {
      chargeId: payment.chargeId,
      reason: 'Double submit',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error?.message).toBe('The last payment ($14.99) was already refunded in full.');
    expect(await auditOf(customer.userId, 'payment.refund')).toHaveLength(1);
    expect((await stripe.refunds.list({ charge: String(payment.chargeId) })).data).toHaveLength(1);
  });
});

describe('comp a plan (admin)', () => {
  const endsIn = (days: number) => new Date(Date.now() + days * DAY).toISOString();

  it('shows on SVD’s next request, survives reconciliation, ends by itself, and can be revoked', async () => {
    const customer = await svdUser('staff-comp');
    expect((await getVaultStatus(svd.db, customer.userId)).entitlement.state).toBe('trial_ended');
    const granted = await action(customer.userId, '{id}/comps', admin.cookie, {
      appId: 'app_securevault',
      plan: 'pro',
      endsAt: endsIn(30),
      reason: 'Apology for the double charge',
    });
    expect(granted.status).toBe(200);
    const status = await getVaultStatus(svd.db, customer.userId);
    expect(status.entitlement).toMatchObject({
      state: 'active',
      plan: 'pro',
      label: 'Pro — Active',
      readOnly: false,
    });
    expect(status.entitlement.comped?.plan).toBe('pro');
    // The portal names the comped plan as the customer's own.
    const { getPortalApps } = await import('@/lib/portal/get-portal-apps');
    const svdCard = (await getPortalApps(db, { userId: customer.userId })).find(
      (a) => a.appId === 'app_securevault',
    );
    expect(svdCard).toMatchObject({ status: 'active', plan: 'pro', state: { label: 'Pro — Active' } });
    const { loadCustomerEntitlement } = await import('@/lib/admin/load-customer-entitlement');
    expect((await loadCustomerEntitlement(db, customer.userId)).reason).toMatch(
      /^Pro, comped by staff until /,
    );

    // Reconciliation writes only hub."Subscription": the comp stands.
    const reconciled = await action(customer.userId, '{id}/reconcile', support.cookie, {
      reason: 'Check billing',
    });
    expect(reconciled.status).toBe(200);
    expect((await getVaultStatus(svd.db, customer.userId)).entitlement.plan).toBe('pro');

    // It ends by itself: on SVD's first request after endsAt, nothing having run.
    const [comp] = await hub.db.select().from(schema.comp).where(eq(schema.comp.userId, customer.userId));
    const afterEnd = new Date((comp?.endsAt.getTime() ?? 0) + 1000);
    expect((await getVaultStatus(svd.db, customer.userId, afterEnd)).entitlement.state).toBe('trial_ended');

    const twice = await action(customer.userId, '{id}/comps', admin.cookie, {
      appId: 'app_securevault',
      plan: 'growth',
      endsAt: endsIn(10),
      reason: 'Double submit',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error?.message).toContain('Revoke that comp first');

    const revoked = await action(customer.userId, `{id}/comps/${granted.body.compId}/revoke`, admin.cookie, {
      reason: 'Granted by mistake',
    });
    expect(revoked.status).toBe(200);
    expect((await getVaultStatus(svd.db, customer.userId)).entitlement.state).toBe('trial_ended');
    const revokedAgain = await action(
      customer.userId,
      `{id}/comps/${granted.body.compId}/revoke`,
      admin.cookie,
      {
        reason: 'Double submit',
      },
    );
    expect(revokedAgain.status).toBe(409);
    expect((await auditOf(customer.userId, 'comp.grant'))[0]).toMatchObject({
      actorUserId: admin.userId,
      reason: 'Apology for the double charge',
      before: { subscription: null },
      after: { compId: granted.body.compId, appId: 'app_securevault', plan: 'pro' },
    });
    expect((await auditOf(customer.userId, 'comp.revoke'))[0]).toMatchObject({
      reason: 'Granted by mistake',
      before: { compId: granted.body.compId, plan: 'pro' },
    });
  });

  it('lifts a paying customer to the better plan while it lasts, and Stripe sync leaves it alone', async () => {
    const customer = await growthSubscriber({ db, emulator, stripe }, 'staff-comp-paying');
    await svd.pool.query(`INSERT INTO securevault."UserProfile" ("userId", email) VALUES ($1, $2)`, [
      customer.userId,
      uniqueEmail('comp-paying'),
    ]);
    const granted = await action(customer.userId, '{id}/comps', admin.cookie, {
      appId: 'app_securevault',
      plan: 'pro',
      endsAt: endsIn(30),
      reason: 'Goodwill after an outage',
    });
    expect(granted.status).toBe(200);
    expect((await auditOf(customer.userId, 'comp.grant'))[0]?.before).toEqual({
      subscription: { plan: 'growth', status: 'active' },
    });
    // Stripe sync re-provisions the row from Stripe (Growth): the comp is not a billing row and stays.
    const [row] = await hub.db
      .select()
      .from(schema.subscription)
      .where(eq(schema.subscription.userId, customer.userId));
    const { provisionSubscription } = await import('@omg/billing');
    await provisionSubscription(db, stripe, { stripeSubscriptionId: row?.stripeSubscriptionId ?? '' });
    const { entitlement } = await getVaultStatus(svd.db, customer.userId);
    expect(entitlement).toMatchObject({ plan: 'pro', comped: { plan: 'pro' } });
    // The billing page names the comped plan, and what follows it.
    const { listBillingSubscriptions } = await import('@/lib/billing/list-billing-subscriptions');
    const [billing] = await listBillingSubscriptions(db, { userId: customer.userId });
    expect(billing).toMatchObject({ planName: 'Growth', comped: { plan: 'pro', planName: 'Pro' } });
  });

  it('refuses an end in the past or beyond a year, an unknown app or plan, and support', async () => {
    const customer = await signUpHubUser('staff-comp-hostile');
    const bad: [object, number, RegExp][] = [
      [{ endsAt: new Date(Date.now() - DAY).toISOString() }, 400, /at least an hour from now/],
      [{ endsAt: endsIn(400) }, 400, /at most a year/],
      [{ endsAt: 'next tuesday' }, 400, /date and time/],
      [{ appId: 'app_nope' }, 400, /no product app_nope/],
      [{ plan: 'platinum' }, 400, /has no plan platinum/],
      [{ reason: undefined }, 400, /reason/i],
    ];
    for (const [override, status, message] of bad) {
      const body = {
        appId: 'app_securevault',
        plan: 'pro',
        endsAt: endsIn(30),
        reason: 'Hostile input',
        ...override,
      };
      const answer = await action(customer.userId, '{id}/comps', admin.cookie, body);
      expect(answer.status, JSON.stringify(override)).toBe(status);
      expect(answer.body.error?.message).toMatch(message);
    }
    const bySupport = await action(customer.userId, '{id}/comps', support.cookie, {
      appId: 'app_securevault',
      plan: 'pro',
      endsAt: endsIn(30),
      reason: 'Not allowed',
    });
    expect(bySupport.status).toBe(404);
    expect(await hub.db.select().from(schema.comp).where(eq(schema.comp.userId, customer.userId))).toEqual(
      [],
    );
  });
});

describe('reconcile this customer', () => {
  it('repairs drift from Stripe and reports what changed', async () => {
    const customer = await growthSubscriber({ db, emulator, stripe }, 'staff-reconcile');
    await hub.db
      .update(schema.subscription)
      .set({ plan: 'starter' })
      .where(eq(schema.subscription.userId, customer.userId));
    const answer = await action(customer.userId, '{id}/reconcile', support.cookie, {
      reason: 'Customer sees the wrong plan',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.summary).toEqual([
      expect.stringMatching(/^Repaired app_securevault: plan starter → growth/),
    ]);
    const [row] = await hub.db
      .select()
      .from(schema.subscription)
      .where(eq(schema.subscription.userId, customer.userId));
    expect(row?.plan).toBe('growth');
    const [entry] = await auditOf(customer.userId, 'billing.reconcile');
    expect(entry).toMatchObject({
      reason: 'Customer sees the wrong plan',
      after: { checked: 1, repaired: 1 },
    });
    const clean = await action(customer.userId, '{id}/reconcile', support.cookie, { reason: 'Check again' });
    expect(clean.body.summary).toEqual(['Checked 1 subscription(s): the Hub agrees with Stripe.']);
  });
});

describe('ban and unban', () => {
  it('a banned customer cannot sign in, loses every session (SVD too) and reads why; only an admin unbans', async () => {
    const customer = await svdUser('staff-ban');
    const ban = await action(customer.userId, '{id}/ban', support.cookie, { reason: 'Card testing fraud' });
    expect(ban.status).toBe(200);
    expect(ban.body.sessionsEnded).toBe(1);
    expect(await findSvdSession(svd.db, customer.svdToken)).toBeNull();
    const refused = await signIn(customer.email, customer.password);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'ACCOUNT_BANNED',
      message: expect.stringContaining('suspended'),
    });
    expect(
      await hub.db.select().from(schema.session).where(eq(schema.session.userId, customer.userId)),
    ).toEqual([]);
    expect((await action(customer.userId, '{id}/ban', support.cookie, { reason: 'Again' })).status).toBe(409);

    const bySupport = await action(customer.userId, '{id}/unban', support.cookie, { reason: 'Please' });
    expect(bySupport.status).toBe(404);
    const unban = await action(customer.userId, '{id}/unban', admin.cookie, { reason: 'Proven a mistake' });
    expect(unban.status).toBe(200);
    expect((await signIn(customer.email, customer.password)).status).toBe(200);
    expect((await auditOf(customer.userId, 'user.ban'))[0]).toMatchObject({
      actorRole: 'support',
      reason: 'Card testing fraud',
      before: { bannedAt: null, sessions: 1 },
      after: { sessions: 0 },
    });
    expect((await auditOf(customer.userId, 'user.unban'))[0]).toMatchObject({
      actorRole: 'admin',
      reason: 'Proven a mistake',
      after: { bannedAt: null },
    });
  });

  it('refuses to ban staff or yourself', async () => {
    const other = await staff('support');
    const answer = await action(other.userId, '{id}/ban', admin.cookie, { reason: 'Testing staff ban' });
    expect(answer.status).toBe(409);
    expect(answer.body.error?.message).toContain('take the role away');
    const self = await action(admin.userId, '{id}/ban', admin.cookie, { reason: 'Testing self ban' });
    expect(self.status).toBe(409);
  });
});
