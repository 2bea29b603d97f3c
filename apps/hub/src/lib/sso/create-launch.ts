import { APP_IDS, isLaunchState, issueLaunchToken, type TAppId } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { AppError, normalizeRedirectTarget } from '@omg/platform';
import { z } from 'zod';
import { findMembership } from '../organizations/find-membership';
import { findCatalogApp } from './find-catalog-app';

/** `/launch/[slug]`: which catalog app to hand the user to (an unknown slug is createLaunch's NOT_FOUND page). */
export const ZLaunchParamsSchema = z.object({ slug: z.string() });

export interface TLaunchUserSession {
  user: { id: string; email: string; name: string | null; accountType?: string | null };
  /** `activeOrganizationId`: the header's switcher; a launch in a business context carries it (issue 15). */
  session: { id: string; activeOrganizationId?: string | null };
}

/**
 * The browser has not been bound yet: send it to the app's `/login/start`, which sets the binding cookie and comes
 * straight back here with `state` (SPEC §4.5). One redirect each way, no click.
 */
export interface TLaunchBinding {
  kind: 'bind';
  location: string;
}

export interface TLaunch {
  kind: 'token';
  appName: string;
  /** Where the browser posts the token: the app's `/login`. */
  action: string;
  token: string;
  /** A page of the app to land on after sign-in, when the app asked for one. */
  returnTo: string | null;
}

function isAppId(id: string): id is TAppId {
  return (APP_IDS as readonly string[]).includes(id);
}

/**
 * Issues the hand-off token for one app in hub."App" (SPEC §4). Apps without a launch URL cannot be launched:
 * NOT_FOUND with a message the launch page shows. `returnTo` must lie on the app's own origin.
 */
export async function createLaunch(
  db: TDatabase,
  input: {
    slug: string;
    returnTo: string | null;
    /** The app's binding value from its `/login/start`; anything else restarts the binding. */
    state: string | null;
    auth: TLaunchUserSession;
    issuer: string;
    secret: string;
  },
): Promise<TLaunch | TLaunchBinding> {
  const app = await findCatalogApp(db, input.slug);
  if (!app || !isAppId(app.id)) throw new AppError('NOT_FOUND', 'There is no such product.');
  if (!app.launchUrl) {
    throw new AppError(
      'NOT_FOUND',
      `${app.name} is not available yet. We will let you know when it launches.`,
      {
        details: { appName: app.name },
      },
    );
  }
  const appOrigin = new URL(app.launchUrl).origin;
  // The app's own origin only; from here on just the normalized path travels (to /login/start and the form).
  const returnTo = normalizeRedirectTarget(input.returnTo, { self: appOrigin });
  if (!isLaunchState(input.state)) {
    const start = new URL('/login/start', app.launchUrl);
    if (returnTo) start.searchParams.set('returnTo', returnTo);
    return { kind: 'bind', location: start.toString() };
  }
  const { user, session } = input.auth;
  // The membership is read now, not taken from the session: a removed member launches as themselves (personal).
  const membership = session.activeOrganizationId
    ? await findMembership(db, { userId: user.id, organizationId: session.activeOrganizationId })
    : null;
  const { token, jti } = await issueLaunchToken({
    secret: input.secret,
    issuer: input.issuer,
    audience: app.id,
    user: {
      id: user.id,
      email: user.email,
      name: user.name || null,
      accountType: user.accountType === 'business' ? 'business' : 'personal',
    },
    sessionId: session.id,
    nonce: input.state,
    ...(membership ? { organization: { id: membership.organization.id, role: membership.role } } : {}),
  });
  // The launch on record under the token's jti (SVD spends it under the same key): active users per app and the
  // hand-off success rate of the console's metrics, and the launches in a customer's timeline.
  await db.insert(schema.launch).values({ id: jti, userId: user.id, appId: app.id });
  return {
    kind: 'token',
    appName: app.name,
    action: new URL('/login', app.launchUrl).toString(),
    token,
    returnTo,
  };
}
