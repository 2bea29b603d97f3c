import { createApiRoute } from '@omg/platform';
import { findApiSession, findEntitledApiSession } from './auth/api-session';
import { env } from './env';
import { logger } from './logger';
import { securityPolicy } from './security-policy';

/**
 * Every SVD route is written with this: SVD's origin for the cross-site rule, SVD's own session (which ends
 * with its Hub session), and one answer for "not signed in".
 */
const routeConfig = {
  logger,
  ownOrigin: () => env().SVD_URL,
  securityPolicy,
  unauthorizedMessage: 'Your session has ended. Open SecureVault Docs again from your OMG portal.',
};

export const apiRoute = createApiRoute({ ...routeConfig, resolveSession: findApiSession });

/**
 * The same, for routes that answer with the space's plan and usage: the session carries its space's status
 * (`session.status`), read in the session's own statement, one round trip instead of two one after the other.
 */
export const entitledApiRoute = createApiRoute({ ...routeConfig, resolveSession: findEntitledApiSession });
