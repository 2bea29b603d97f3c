import { ownOrigins, type TSecurityPolicy } from '@omg/platform';
import { env } from './env';

/**
 * SVD's Content-Security-Policy inputs, for proxy.ts (pages) and the HTML routes it leaves out (apiRoute's
 * `html`). SVD's forms post to itself; logging out lands on the Hub's portal.
 */
export function securityPolicy(): TSecurityPolicy {
  return {
    self: env().SVD_URL,
    formTargets: [env().HUB_URL, ...ownOrigins()],
    development: env().NODE_ENV === 'development',
  };
}
