import { findSubscription, type TDatabase } from '@omg/db';
import { uniqueEmail } from '@omg/db/testing';
import { type StripeEmulator, startStripeEmulator } from '@omg/stripe-emulator';
import type Stripe from 'stripe';

/**
 * An in-process Stripe emulator with the catalog synced, and the Hub's environment pointed at it. Call it in
 * `beforeAll` before the first dynamic import of a route: env() is read once per module graph.
 */
export async function startBillingTestEnv(
  key: string,
): Promise<{ emulator: StripeEmulator; stripe: Stripe }> {
  const emulator = await startStripeEmulator();
  process.env.STRIPE_SECRET_KEY = key;
  process.env.STRIPE_API_BASE = emulator.url;
  const { syncStripeCatalog, createStripeClient } = await import('@omg/billing');
  const stripe = createStripeClient(key, emulator.url);
  await syncStripeCatalog(stripe);
  return { emulator, stripe };
}

/** A new Hub account signed up through better-auth, and the session cookie a browser would now send. */
export async function signUpHubUser(
  prefix: string,
): Promise<{ cookie: string; userId: string; email: string }> {
  const { auth } = await import('@/lib/auth/auth');
  const email = uniqueEmail(prefix);
  const response = await auth().api.signUpEmail({
    body: { email, password: `${prefix}-pass-12`, name: 'Test Customer' },
    asResponse: true,
  });
  const cookie =
    response.headers
      .getSetCookie()
      .find((c) => c.includes('session_token='))
      ?.split(';')[0] ?? '';
  return { cookie, userId: (await response.json()).user.id, email };
}

// The handlers take `{ params: Promise<TParams> }`; a POST without path parameters is called with `{}`.
type TRouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, unknown>> },
) => Promise<Response>;

/** A JSON POST to a route handler, as the Hub's own pages send it (an empty cookie means signed out). */
export function postJson(
  route: TRouteHandler,
  path: string,
  body: unknown,
  cookie?: string,
): Promise<Response> {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (cookie) headers.set('cookie', cookie);
  return route(
    new Request(`${process.env.HUB_URL ?? 'http://localhost:3100'}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );
}

/**
 * A new user who paid for SecureVault Growth (no trial) through the real checkout route, the emulator's hosted
 * page and provisioning: the starting point of every plan-change test.
 */
export async function growthSubscriber(
  { db, emulator, stripe }: { db: TDatabase; emulator: StripeEmulator; stripe: Stripe },
  prefix: string,
): Promise<{ cookie: string; userId: string }> {
  const { cookie, userId } = await signUpHubUser(prefix);
  const { POST: createSession } = await import('@/app/api/checkout/create-session/route');
  const body = { productId: 'app_securevault', plan: 'growth' };
  const { url } = await (await postJson(createSession, '/api/checkout/create-session', body, cookie)).json();
  const sessionId = new URL(url).pathname.split('/').pop() ?? '';
  emulator.completeCheckout(sessionId, { card: '4242424242424242' });
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  const { provisionSubscription } = await import('@omg/billing');
  await provisionSubscription(db, stripe, { stripeSubscriptionId: String(session.subscription) });
  return { cookie, userId };
}

/** The user's hub."Subscription" row for SecureVault, if any. */
export function svdSubscriptionRow(db: TDatabase, userId: string) {
  return findSubscription(db, { userId, appId: 'app_securevault' });
}
