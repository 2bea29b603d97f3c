import { createApiRoute } from '@omg/platform';
import { auth } from './auth/auth';
import { readHubSession } from './auth/read-hub-session';
import { db } from './db';
import { env } from './env';
import { logger } from './logger';
import { securityPolicy } from './security-policy';

/**
 * Every Hub route is written with this (the Stripe webhook aside, which Stripe signs): the Hub's origin for the
 * cross-site rule, better-auth's session, and one answer for "not signed in".
 */
export const apiRoute = createApiRoute({
  logger,
  ownOrigin: () => env().HUB_URL,
  resolveSession: (request) => readHubSession(auth(), db(), request.headers),
  securityPolicy,
  unauthorizedMessage: 'You are not signed in. Log in to your OMG account and try again.',
});
