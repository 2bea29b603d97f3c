import Stripe from 'stripe';

export const STRIPE_API_VERSION = '2026-10-28.endive';

/**
 * The official SDK, pointed at api.stripe.com, or at the local emulator when `apiBase` is given. Nothing else in
 * the Hub or the scripts knows which one it talks to.
 */
export function createStripeClient(secretKey: string, apiBase?: string): Stripe {
  const target = apiBase ? new URL(apiBase) : null;
  return new Stripe(secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'omg-hub' },
    ...(target
      ? {
          host: target.hostname,
          port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
          protocol: target.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}
