import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { consumePasskeyChallenge, signedChallengeOf } from './passkey-challenge';
import { ZAuthenticationResponseSchema } from './passkey-response-schemas';
import { relyingParty } from './relying-party';

/** The body of POST /api/auth/passkey/sign-in: the authenticator's answer to the sign-in options. */
export const ZFinishPasskeySignInSchema = z.object({ response: ZAuthenticationResponseSchema });
export type TFinishPasskeySignIn = z.infer<typeof ZFinishPasskeySignInSchema>;

/** One answer for an unknown passkey, one removed since, and a deleted account's: none tells which. */
const notRegistered = () =>
  new AppError(
    'UNAUTHORIZED',
    'This passkey is not registered with an OMG account (it may have been removed). Log in with your email and password.',
    { details: { reason: 'PASSKEY_NOT_FOUND' } },
  );

const notVerified = (cause: unknown) =>
  new AppError(
    'UNAUTHORIZED',
    'Your passkey could not be verified. Please try again, or log in with your email and password.',
    { details: { reason: 'PASSKEY_NOT_VERIFIED' }, cause },
  );

const counterRolledBack = () =>
  new AppError(
    'UNAUTHORIZED',
    'This passkey reported an earlier use count than before, which can mean it was copied, so it was refused. Log in with your email and password, and remove this passkey on your Account page.',
    { details: { reason: 'PASSKEY_COUNTER_ROLLBACK' } },
  );

/**
 * Checks a passkey sign-in and returns the account it signs in to. The challenge must be one the Hub issued for
 * a sign-in, unused and unexpired (taken out whatever follows, so an answer cannot be replayed); the credential
 * must belong to an account that is not deleted, whose id the authenticator returned as the user handle; the
 * signature must verify against the stored public key for the Hub's origin and RP ID; and a counter that is not
 * zero must grow (a copied authenticator would repeat one). The counter moves only from the value checked, so
 * two answers racing cannot both pass.
 */
export async function finishPasskeySignIn(
  database: TDatabase,
  input: TFinishPasskeySignIn,
): Promise<{ userId: string }> {
  const { response } = input;
  const challenge = signedChallengeOf(response.response.clientDataJSON);
  await consumePasskeyChallenge(database, 'sign-in', challenge);
  if (response.rawId !== response.id) throw notRegistered();

  const [found] = await database
    .select({ passkey: schema.passkey, deletedAt: schema.user.deletedAt })
    .from(schema.passkey)
    .innerJoin(schema.user, eq(schema.user.id, schema.passkey.userId))
    .where(eq(schema.passkey.credentialID, response.id));
  if (!found || found.deletedAt) throw notRegistered();
  const { passkey } = found;
  const userHandle = response.response.userHandle;
  if (userHandle && isoBase64URL.toUTF8String(userHandle) !== passkey.userId) throw notRegistered();

  const { origin, rpID } = relyingParty();
  let newCounter: number;
  try {
    const verification = await verifyAuthenticationResponse({
      response: response as Parameters<typeof verifyAuthenticationResponse>[0]['response'],
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.credentialID,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports ? passkey.transports.split(',') : undefined,
      },
      requireUserVerification: false,
    });
    if (!verification.verified) throw notVerified(null);
    newCounter = verification.authenticationInfo.newCounter;
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The library refuses a counter that did not grow with this message; every other failure is "not verified".
    if (error instanceof Error && /counter value/i.test(error.message)) throw counterRolledBack();
    throw notVerified(error);
  }

  const moved = await database
    .update(schema.passkey)
    .set({ counter: newCounter, lastUsedAt: new Date() })
    .where(and(eq(schema.passkey.id, passkey.id), eq(schema.passkey.counter, passkey.counter)))
    .returning({ id: schema.passkey.id });
  if (moved.length === 0) throw counterRolledBack();

  // Deleted between the check above and now: the deletion's transaction has removed the passkey, or will.
  const [alive] = await database
    .select({ id: schema.user.id })
    .from(schema.user)
    .where(and(eq(schema.user.id, passkey.userId), isNull(schema.user.deletedAt)));
  if (!alive) throw notRegistered();
  return { userId: passkey.userId };
}
