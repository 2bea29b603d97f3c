import { ownOrigins, STRIPE_HOSTED_ORIGINS, type TSecurityPolicy } from '@omg/platform';
import { env } from './env';

/**
 * The Hub's Content-Security-Policy inputs, for proxy.ts (pages) and the HTML routes it leaves out (apiRoute's
 * `html`). Forms on the Hub post to itself and, for the hand-off, to the catalog apps; checkout and the customer
 * portal leave for Stripe's hosted pages (the local emulator's in development).
 */
export function securityPolicy(): TSecurityPolicy {
  return {
    self: env().HUB_URL,
    formTargets: [...ownOrigins(), ...STRIPE_HOSTED_ORIGINS, env().STRIPE_API_BASE],
    development: env().NODE_ENV === 'development',
  };
}
