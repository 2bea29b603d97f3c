import { SVD_APP_ID, type TLaunchClaims, verifyLaunchToken } from '@omg/contract';
import { schema, type TDatabase } from '@omg/db';
import { and, eq, gt } from 'drizzle-orm';
import { spendLaunchToken } from './spend-launch-token';

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
 * SVD's side of the hand-off (SPEC §4.3): verify the token, check the browser binding (§4.5), then in one
 * statement (spendLaunchToken) check the Hub session it names is still alive, spend its `jti` exactly once (in the
 * database, so it holds across instances), sync the profile and start a session. An unbound token only has its
 * Hub session checked before the user is asked.
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

  const hubSessionEnded = () =>
    failure(
      'hub_session_ended',
      'You have logged out of OMG since this link was made — log in to your portal and launch SecureVault Docs again.',
    );
  if (!input.isBound(claims)) {
    // Nothing is spent before the user confirms; the question is only worth asking while the Hub session lives.
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
    return hubSession ? { ok: 'confirm', claims } : hubSessionEnded();
  }
  const spent = await spendLaunchToken(db, claims);
  if (!spent.ok) {
    if (spent.reason === 'hub_session_ended') return hubSessionEnded();
    return failure(
      'already_used',
      'This sign-in link was already used — launch SecureVault Docs again from your portal.',
    );
  }
  return { ok: true, claims, sessionToken: spent.sessionToken, expiresAt: spent.expiresAt };
}
