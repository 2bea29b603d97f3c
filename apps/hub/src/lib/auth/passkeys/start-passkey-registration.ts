import { schema, type TDatabase } from '@omg/db';
import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server';
import { eq } from 'drizzle-orm';
import { storePasskeyChallenge } from './passkey-challenge';
import { relyingParty } from './relying-party';

/** ES256 (every platform authenticator), EdDSA and RS256 (Windows Hello): what we can verify. */
export const PASSKEY_ALGORITHMS = [-7, -8, -257];

/**
 * The options for navigator.credentials.create, for the signed-in account (its password was checked by the
 * caller). The account's passkeys are excluded, so an authenticator that already holds one says so instead of
 * making a second; a discoverable credential is required (sign-in asks for no email); the user handle is the
 * account's id, the same for each of its passkeys.
 */
export async function startPasskeyRegistration(
  database: TDatabase,
  user: { id: string; email: string; name: string | null },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await database
    .select({ credentialID: schema.passkey.credentialID, transports: schema.passkey.transports })
    .from(schema.passkey)
    .where(eq(schema.passkey.userId, user.id));
  const { rpName, rpID } = relyingParty();
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: user.email,
    userDisplayName: user.name || user.email,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((row) => ({
      id: row.credentialID,
      transports: row.transports ? row.transports.split(',') : undefined,
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
  });
  await storePasskeyChallenge(database, 'register', options.challenge, user.id);
  return options;
}
