import { createApiRoute } from '@omg/platform';
import { findApiSession } from './auth/api-session';
import { env } from './env';
import { logger } from './logger';
import { securityPolicy } from './security-policy';

/**
 * Every SVD route is written with this: SVD's origin for the cross-site rule, SVD's own session (which ends
 * with its Hub session), and one answer for "not signed in".
 */
export const apiRoute = createApiRoute({
  logger,
  ownOrigin: () => env().SVD_URL,
  resolveSession: findApiSession,
  securityPolicy,
  unauthorizedMessage: 'Your session has ended. Open SecureVault Docs again from your OMG portal.',
});
