import { connectAs } from '@omg/db/testing';
import { hostileBodies, LEAK_PATTERN, sendOnce } from '@omg/platform/testing/hostile-bodies';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { grantRole } from '@/lib/admin/grant-role';
import { signUpHubUser, startBillingTestEnv } from '@/testing/billing-test-env';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';

type TRoute = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

/** Every Hub route that takes a request body, with a body it accepts (the hostile ones are built from it). */
const ROUTES: {
  path: string;
  load: () => Promise<TRoute>;
  params?: Record<string, unknown>;
  valid: object;
  /** Sent as an admin (the console's routes answer everyone else 404 before reading the body). */
  staff?: true;
}[] = [
  {
    path: '/api/checkout/create-session',
    load: async () => (await import('../checkout/create-session/route')).POST,
    valid: {
      productId: 'app_securevault',
      plan: 'starter',
      trial: false,
      couponCode: 'WELCOME20',
      returnUrl: '/portal',
    },
  },
  {
    path: '/api/billing/change-plan',
    load: async () => (await import('../billing/change-plan/route')).POST,
    valid: { productId: 'app_securevault', plan: 'pro', when: 'now' },
  },
  {
    path: '/api/billing/cancel',
    load: async () => (await import('../billing/cancel/route')).POST,
    valid: { appId: 'app_securevault' },
  },
  {
    path: '/api/billing/resume',
    load: async () => (await import('../billing/resume/route')).POST,
    valid: { appId: 'app_securevault' },
  },
  {
    path: '/api/billing/portal',
    load: async () => (await import('../billing/portal/route')).POST,
    valid: {},
  },
  {
    path: '/api/coupons/validate',
    load: async () => (await import('../coupons/validate/route')).POST,
    valid: { code: 'WELCOME20', productId: 'app_securevault', plan: 'growth' },
  },
  {
    path: '/api/auth/sign-in/email',
    load: async () => (await import('../auth/[...all]/route')).POST,
    params: { all: ['sign-in', 'email'] },
    valid: { email: 'nobody@example.test', password: 'not-the-password-1' },
  },
  {
    path: '/api/auth/sign-up/email',
    load: async () => (await import('../auth/[...all]/route')).POST,
    params: { all: ['sign-up', 'email'] },
    valid: { email: 'hostile-bodies@example.test', password: 'a-good-password-12', name: 'Hostile Bodies' },
  },
  {
    path: '/api/sales-inquiries',
    load: async () => (await import('../sales-inquiries/route')).POST,
    valid: {
      productId: 'app_securevault',
      name: 'Hostile Bodies',
      email: 'hostile-bodies@example.test',
      company: 'Hostile Co',
      seats: 50,
      message: 'Tell me more.',
    },
  },
  {
    path: '/api/product-interest',
    load: async () => (await import('../product-interest/route')).POST,
    valid: { productId: 'app_crm', email: 'hostile-bodies@example.test' },
  },
  {
    path: '/api/portal/cross-sell/dismiss',
    load: async () => (await import('../portal/cross-sell/dismiss/route')).POST,
    valid: { productId: 'app_crm' },
  },
  {
    path: '/api/account/claim',
    load: async () => (await import('../account/claim/route')).POST,
    valid: { token: 'A'.repeat(43), password: 'a-good-password-12' },
  },
  {
    path: '/api/organizations',
    load: async () => (await import('../organizations/route')).POST,
    valid: { name: 'Hostile Bodies Co', billingEmail: 'hostile-bodies@example.test' },
  },
  {
    path: '/api/active-organization',
    load: async () => (await import('../active-organization/route')).POST,
    valid: { organizationId: null },
  },
  {
    path: '/api/webhooks/stripe',
    load: async () => (await import('../webhooks/stripe/route')).POST,
    valid: { id: 'evt_1', type: 'invoice.paid', data: { object: {} } },
  },
  // The console's support actions (issue 14), as an admin, on a customer id that does not exist: the body is read
  // and checked before the customer is looked up, so a valid body ends in a 404 and nothing is changed. The
  // generator's "huge string" is a 2 MB reason, its "huge number" a 1e308 refund flag or product.
  ...(
    [
      ['end-sessions', () => import('../admin/customers/[id]/end-sessions/route'), {}],
      ['resend-email', () => import('../admin/customers/[id]/resend-email/route'), { kind: 'verification' }],
      [
        'cancel-subscription',
        () => import('../admin/customers/[id]/cancel-subscription/route'),
        { appId: 'app_securevault', when: 'now' },
      ],
      [
        'refund',
        () => import('../admin/customers/[id]/refund/route'),
        { chargeId: 'ch_hostile', endAccess: true },
      ],
      [
        'comps',
        () => import('../admin/customers/[id]/comps/route'),
        { appId: 'app_securevault', plan: 'pro', endsAt: '2027-01-01T00:00:00.000Z' },
      ],
      ['reconcile', () => import('../admin/customers/[id]/reconcile/route'), {}],
      ['ban', () => import('../admin/customers/[id]/ban/route'), {}],
      ['unban', () => import('../admin/customers/[id]/unban/route'), {}],
    ] as const
  ).map(([action, module, fields]) => ({
    path: `/api/admin/customers/hostile-bodies-nobody/${action}`,
    load: async () => (await module()).POST,
    params: { id: 'hostile-bodies-nobody' },
    valid: { ...fields, reason: 'hostile bodies walk' },
    staff: true as const,
  })),
  {
    path: '/api/admin/customers/hostile-bodies-nobody/comps/00000000-0000-4000-8000-000000000000/revoke',
    load: async () => (await import('../admin/customers/[id]/comps/[compId]/revoke/route')).POST,
    params: { id: 'hostile-bodies-nobody', compId: '00000000-0000-4000-8000-000000000000' },
    valid: { reason: 'hostile bodies walk' },
    staff: true,
  },
  {
    path: '/api/admin/confirm',
    load: async () => (await import('../admin/confirm/route')).POST,
    valid: { password: 'not-the-password-1' },
    staff: true,
  },
];

let emulator: StripeEmulator;
let server: TServedOverHttp;
let cookie: string;
let staffCookie: string;
const hub = connectAs('hub');

// Vitest runs 5 concurrent suites at a time unless told otherwise; the walk's time is mostly the routes' awaits
// (database, argon2 on libuv's threads), so more routes at once pay on two cores.
const ROUTES_AT_ONCE = 12;
vi.setConfig({ maxConcurrency: ROUTES_AT_ONCE });

const randomAddress = () => `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;

beforeAll(async () => {
  ({ emulator } = await startBillingTestEnv('sk_test_hostile_bodies'));
  ({ cookie } = await signUpHubUser('hostile-bodies'));
  const staff = await signUpHubUser('hostile-bodies-admin');
  staffCookie = staff.cookie;
  await grantRole(hub.db, {
    email: staff.email,
    role: 'admin',
    reason: 'hostile bodies walk',
    actor: 'system:test',
  });
  const handlers = new Map<string, { route: TRoute; params: Record<string, unknown> }>();
  for (const route of ROUTES)
    handlers.set(route.path, { route: await route.load(), params: route.params ?? {} });
  server = await serveOverHttp(
    async (request) => {
      const match = handlers.get(new URL(request.url).pathname);
      if (!match) return new Response('no such route in this test', { status: 404 });
      return match.route(request, { params: Promise.resolve(match.params) });
    },
    // As behind one proxy, so each request can come from its own address: the sign-in, sign-up and coupon limits
    // count per address in the shared database, and this walk must not use up another test's 127.0.0.1.
    { hops: 1, origin: HUB },
  );
});

afterAll(async () => {
  await server.close();
  await emulator.close();
  await hub.pool.end();
});

describe('hostile bodies over HTTP, every Hub route that takes one', () => {
  const cases = ROUTES.flatMap((route) =>
    hostileBodies(route.valid as Record<string, unknown>).map(
      (body) => [route.path, body.label, body] as const,
    ),
  );

  it('has a generated table of real size', () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  // Proof that the console's walk reaches the body check and not only the staff guard's 404: the admin's cookie
  // passes the guard, and a body without the required reason (or password) is refused as a bad request.
  it.each(ROUTES.filter((route) => route.staff).map((route) => [route.path] as const))(
    '%s ← no reason: 400 for the admin',
    async (path) => {
      const response = await sendOnce(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          origin: HUB,
          cookie: staffCookie,
          'x-forwarded-for': randomAddress(),
          'content-type': 'application/json',
        },
        body: '{}',
      });
      expect(response.status, response.text.slice(0, 300)).toBe(400);
    },
  );

  // ~1,900 requests: the routes are walked side by side (up to ROUTES_AT_ONCE), each route's bodies one after
  // another as before, so no route races itself (two sign-ups of the same address, two organizations of one name).
  describe.concurrent.each(ROUTES.map((route) => [route.path, route.staff] as const))('%s', (path, staff) => {
    it.sequential.for(cases.filter(([casePath]) => casePath === path))(
      '%s ← %s: never a 500, never a stack trace',
      async ([, , hostile], { expect }) => {
        const headers: Record<string, string> = {
          origin: HUB,
          cookie: staff ? staffCookie : cookie,
          'x-forwarded-for': randomAddress(),
        };
        if (hostile.contentType) headers['content-type'] = hostile.contentType;
        const response = await sendOnce(`${server.url}${path}`, {
          method: 'POST',
          headers,
          body: hostile.body,
        });
        const { text } = response;
        expect(response.status, text.slice(0, 300)).toBeLessThan(500);
        expect(text).not.toMatch(LEAK_PATTERN);
      },
    );
  });
});
