import { hostileBodies, LEAK_PATTERN, sendOnce } from '@omg/platform/testing/hostile-bodies';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import type { StripeEmulator } from '@omg/stripe-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser, startBillingTestEnv } from '@/testing/billing-test-env';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';

type TRoute = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

/** Every Hub route that takes a request body, with a body it accepts (the hostile ones are built from it). */
const ROUTES: {
  path: string;
  load: () => Promise<TRoute>;
  params?: Record<string, unknown>;
  valid: object;
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
];

let emulator: StripeEmulator;
let server: TServedOverHttp;
let cookie: string;

const randomAddress = () => `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;

beforeAll(async () => {
  ({ emulator } = await startBillingTestEnv('sk_test_hostile_bodies'));
  ({ cookie } = await signUpHubUser('hostile-bodies'));
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

  it.each(cases)('%s ← %s: never a 500, never a stack trace', async (path, _label, hostile) => {
    const headers: Record<string, string> = { origin: HUB, cookie, 'x-forwarded-for': randomAddress() };
    if (hostile.contentType) headers['content-type'] = hostile.contentType;
    const response = await sendOnce(`${server.url}${path}`, { method: 'POST', headers, body: hostile.body });
    const { text } = response;
    expect(response.status, text.slice(0, 300)).toBeLessThan(500);
    expect(text).not.toMatch(LEAK_PATTERN);
  });
});
