import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { and, eq, like, lt } from 'drizzle-orm';
import { z } from 'zod';

/** A ceremony has this long between the options and the authenticator's answer (WebAuthn's own timeout is 60 s). */
export const PASSKEY_CHALLENGE_SECONDS = 5 * 60;

export type TPasskeyCeremony = 'register' | 'sign-in';

const identifierOf = (ceremony: TPasskeyCeremony, challenge: string) => `passkey-${ceremony}:${challenge}`;

/**
 * Keeps a challenge in core."Verification" (not in process memory: the answer may reach another Hub instance).
 * A registration's row holds the account's id, so deleting the account removes it with its other links; a
 * sign-in's holds nothing (the credential names the account). Expired passkey challenges are swept here.
 */
export async function storePasskeyChallenge(
  database: TDatabase,
  ceremony: TPasskeyCeremony,
  challenge: string,
  userId = '',
): Promise<void> {
  const now = new Date();
  await database
    .delete(schema.verification)
    .where(and(like(schema.verification.identifier, 'passkey-%'), lt(schema.verification.expiresAt, now)));
  await database.insert(schema.verification).values({
    id: randomUUID(),
    identifier: identifierOf(ceremony, challenge),
    value: userId,
    expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_SECONDS * 1000),
  });
}

const ZClientDataSchema = z.object({ challenge: z.string().min(1).max(512) });

/** The challenge the authenticator signed, read from the response's clientDataJSON (400 when it is not one). */
export function signedChallengeOf(clientDataJSON: string): string {
  try {
    const parsed = ZClientDataSchema.safeParse(JSON.parse(isoBase64URL.toUTF8String(clientDataJSON)));
    if (parsed.success) return parsed.data.challenge;
  } catch {
    // Not base64url JSON: refused below like any other malformed response.
  }
  throw new AppError('BAD_REQUEST', 'The passkey’s answer could not be read. Please try again.', {
    details: { reason: 'PASSKEY_RESPONSE_INVALID' },
  });
}

/**
 * Takes a challenge out for good (one DELETE … RETURNING, so two answers racing with it cannot both use it) and
 * returns the value stored with it; a challenge never issued, already used, expired or issued for the other
 * ceremony is refused alike.
 */
export async function consumePasskeyChallenge(
  database: TDatabase,
  ceremony: TPasskeyCeremony,
  challenge: string,
): Promise<string> {
  const [row] = await database
    .delete(schema.verification)
    .where(eq(schema.verification.identifier, identifierOf(ceremony, challenge)))
    .returning({ value: schema.verification.value, expiresAt: schema.verification.expiresAt });
  if (!row || row.expiresAt <= new Date()) {
    throw new AppError(
      'BAD_REQUEST',
      ceremony === 'register'
        ? 'This request to add a passkey has expired or was already used. Start again with Add a passkey.'
        : 'This passkey sign-in has expired or was already used. Choose Sign in with a passkey again.',
      { details: { reason: 'PASSKEY_CHALLENGE_INVALID' } },
    );
  }
  return row.value;
}
