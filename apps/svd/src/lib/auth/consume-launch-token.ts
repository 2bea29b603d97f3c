import { SVD_APP_ID, type TLaunchClaims, verifyLaunchToken } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq, gt } from 'drizzle-orm';
import { createSvdSession } from './session';
import { syncUserToDatabase } from './syncUser';

export type TConsumeResult =
  | { ok: true; claims: TLaunchClaims; sessionToken: string; expiresAt: Date }
  | { ok: false; status: 400 | 401; reason: string; title: string; message: string }
  /** A good token this browser did not ask for: nothing is spent until the user says it is them. */
  | { ok: 'confirm'; claims: TLaunchClaims };

const TITLES: Record<string, string> = {
  missing: 'Sign-in link missing',
  malformed: 'Sign-in link damaged',
  expired: 'Sign-in link expired',
  bad_signature: 'Sign-in link not valid',
  wrong_audience: 'Sign-in link for another app',
  wrong_issuer: 'Sign-in link not from your portal',
  invalid_claims: 'Sign-in link incomplete',
  already_used: 'Sign-in link already used',
  hub_session_ended: 'Your OMG session has ended',
};

function failure(reason: string, message: string): TConsumeResult {
  const status = reason === 'missing' || reason === 'malformed' ? 400 : 401;
  return { ok: false, status, reason, title: TITLES[reason] ?? 'Sign-in failed', message };
}

/**
 * SVD's side of the hand-off (SPEC §4.3): verify the token, check the Hub session it names is still alive, check
 * the browser binding (§4.5), spend its `jti` exactly once (in the database, so it holds across instances), sync
 * the profile, start a session.
 */
export async function consumeLaunchToken(
  db: TDatabase,
  input: {
    token: unknown;
    issuer: string;
    secret: string;
    /** Whether this browser asked for this token (its binding) or the user confirmed it on our page. */
    isBound: (claims: TLaunchClaims) => boolean;
  },
): Promise<TConsumeResult> {
  const verified = await verifyLaunchToken(typeof input.token === 'string' ? input.token : null, {
    secret: input.secret,
    issuer: input.issuer,
    audience: SVD_APP_ID,
  });
  if (!verified.ok) return failure(verified.reason, verified.message);
  const { claims } = verified;

  const [hubSession] = await db
    .select({ expiresAt: schema.session.expiresAt })
    .from(schema.session)
    .where(
      and(
        eq(schema.session.id, claims.sid),
        eq(schema.session.userId, claims.sub),
        gt(schema.session.expiresAt, new Date()),
      ),
    );
  if (!hubSession) {
    return failure(
      'hub_session_ended',
      'You have logged out of OMG since this link was made — log in to your portal and launch SecureVault Docs again.',
    );
  }

  if (!input.isBound(claims)) return { ok: 'confirm', claims };

  const spent = await db
    .insert(schema.usedLaunchToken)
    .values({ jti: claims.jti, userId: claims.sub, expiresAt: new Date(claims.exp * 1000) })
    .onConflictDoNothing()
    .returning({ jti: schema.usedLaunchToken.jti });
  if (spent.length === 0) {
    return failure(
      'already_used',
      'This sign-in link was already used — launch SecureVault Docs again from your portal.',
    );
  }

  await syncUserToDatabase(db, claims);
  const session = await createSvdSession(db, {
    userId: claims.sub,
    hubSessionId: claims.sid,
    hubSessionExpiresAt: hubSession.expiresAt,
  });
  return { ok: true, claims, sessionToken: session.token, expiresAt: session.expiresAt };
}
