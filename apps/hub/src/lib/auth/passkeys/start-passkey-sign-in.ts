import type { TDatabase } from '@omg/db';
import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { storePasskeyChallenge } from './passkey-challenge';
import { relyingParty } from './relying-party';

/**
 * The options for navigator.credentials.get with no credential list: the authenticator offers the passkeys it
 * holds for the Hub (discoverable credentials), so nobody types an email and the answer tells no one which
 * accounts exist.
 */
export async function startPasskeySignIn(
  database: TDatabase,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    userVerification: 'preferred',
    allowCredentials: [],
  });
  await storePasskeyChallenge(database, 'sign-in', options.challenge);
  return options;
}
