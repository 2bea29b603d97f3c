import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { AppError, isUniqueViolation } from '@omg/platform';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { z } from 'zod';
import { describeDevice } from '../../account/describe-device';
import { consumePasskeyChallenge, signedChallengeOf } from './passkey-challenge';
import { ZPasskeyNameSchema, ZRegistrationResponseSchema } from './passkey-response-schemas';
import { relyingParty } from './relying-party';
import { PASSKEY_ALGORITHMS } from './start-passkey-registration';

/** The body of POST /api/auth/passkey/register: the authenticator's answer, and a name if the owner gave one. */
export const ZFinishPasskeyRegistrationSchema = z.object({
  response: ZRegistrationResponseSchema,
  name: ZPasskeyNameSchema.optional(),
});
export type TFinishPasskeyRegistration = z.infer<typeof ZFinishPasskeyRegistrationSchema>;

const notVerified = (cause: unknown) =>
  new AppError('BAD_REQUEST', 'Your passkey could not be verified, so it was not added. Please try again.', {
    details: { reason: 'PASSKEY_NOT_VERIFIED' },
    cause,
  });

/**
 * Verifies a new passkey against the challenge this account was given (single use, expiring) and the Hub's
 * origin and RP ID, then keeps its public key. User verification is preferred, not required: a security key
 * without a PIN still proves possession. Returns the stored passkey's id and name.
 */
export async function finishPasskeyRegistration(
  database: TDatabase,
  user: { id: string },
  input: TFinishPasskeyRegistration,
  userAgent: string | null,
): Promise<{ id: string; name: string }> {
  const challenge = signedChallengeOf(input.response.response.clientDataJSON);
  const owner = await consumePasskeyChallenge(database, 'register', challenge);
  if (owner !== user.id) {
    throw new AppError(
      'BAD_REQUEST',
      'This request to add a passkey has expired or was already used. Start again with Add a passkey.',
      { details: { reason: 'PASSKEY_CHALLENGE_INVALID' } },
    );
  }
  const { origin, rpID } = relyingParty();
  const verification = await verifyRegistrationResponse({
    // The schema strips what it does not know; the library reads only these fields.
    response: input.response as Parameters<typeof verifyRegistrationResponse>[0]['response'],
    expectedChallenge: challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: false,
    supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
  }).catch((error: unknown) => {
    throw notVerified(error);
  });
  if (!verification.verified) throw notVerified(null);
  const { credential, credentialDeviceType, credentialBackedUp, aaguid } = verification.registrationInfo;
  const device = describeDevice(userAgent);
  const name = input.name ?? (device === 'Unknown device' ? 'Passkey' : `Passkey on ${device}`);
  const id = randomUUID();
  try {
    await database.insert(schema.passkey).values({
      id,
      name,
      userId: user.id,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      credentialID: credential.id,
      counter: credential.counter,
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      transports: credential.transports?.join(',') ?? input.response.response.transports?.join(',') ?? null,
      aaguid,
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('CONFLICT', 'This passkey is already registered. You can sign in with it.', {
        details: { reason: 'PASSKEY_ALREADY_REGISTERED' },
      });
    }
    throw error;
  }
  return { id, name };
}
