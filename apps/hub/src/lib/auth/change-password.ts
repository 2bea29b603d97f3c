import { AppError } from '@omg/platform';
import { APIError } from 'better-auth/api';
import { z } from 'zod';
import { auth } from './auth';
import { PASSWORD_MAX_LENGTH, ZPasswordSchema } from './password-policy';

/** The body of `POST /api/account/password`: the new password follows the sign-up rules. */
export const ZChangePasswordSchema = z.object({
  currentPassword: z
    .string()
    .min(1, 'Enter your current password.')
    .max(PASSWORD_MAX_LENGTH, 'Your current password is incorrect.'),
  newPassword: ZPasswordSchema,
});
export type TChangePassword = z.infer<typeof ZChangePasswordSchema>;

/** Per account: a stolen session cannot be used to guess the current password (better-auth counts only its own routes). */
export const CHANGE_PASSWORD_LIMIT = { name: 'change-password', limit: 10, windowSeconds: 15 * 60 } as const;

/**
 * Changes the signed-in user's password and ends every other session of the account (issue 10 §1); the session
 * that asked stays, and with it its SVD sessions. better-auth's own `revokeOtherSessions: true` would delete every
 * session and issue a new one to this browser — its SVD session, which hangs off the Hub session id, would end
 * too — so the password is changed first (better-auth checks the current one) and then the other sessions are
 * revoked: SVD's sessions of those end with them (single logout).
 */
export async function changePassword(headers: Headers, input: TChangePassword): Promise<void> {
  try {
    await auth().api.changePassword({
      body: { ...input, revokeOtherSessions: false },
      headers,
    });
  } catch (error) {
    if (error instanceof APIError && error.body?.code === 'INVALID_PASSWORD') {
      throw new AppError('BAD_REQUEST', 'Your current password is incorrect.', {
        details: { field: 'currentPassword' },
      });
    }
    if (error instanceof APIError && error.body?.code === 'CREDENTIAL_ACCOUNT_NOT_FOUND') {
      throw new AppError(
        'CONFLICT',
        'This account has no password yet. Use “Forgot your password?” to set one.',
      );
    }
    throw error;
  }
  await auth().api.revokeOtherSessions({ headers });
}
