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
